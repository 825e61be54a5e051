"""Priority routes as the rules intend (issue 10, section 2): independent direct-placement
shares, a paced permit-holder quota, women's shelters filled only up to their places, and
direct placements that respect dwelling labels. Hand-built worlds with hand-computed
expectations, plus paired-seed runs of the small region for the sign of Housing First."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SEEDS, tiny_world
from test_allocation import let, refugee, seeker, social

from abm import HousingModel, institutions
from abm.agents.municipality import paced_quota
from abm.allocation import ROUTES, AllocationPolicy, Allocator
from abm.allocation import classes as C
from abm.codes import CareNeed, Flag, InstitutionKind, Label, Place
from abm.processes import demography


def homeless(since=-6, **kw):
    return seeker(0, **{"place": Place.HOMELESS, "homeless_since": since, "labels": Flag.HOMELESS_HISTORY, "income": 12000.0, **kw})


def leaver(ready=-6, **kw):
    cols = {
        "place": Place.INSTITUTION,
        "institution": InstitutionKind.PROTECTED_HOUSING,
        "ready_at": ready,
        "labels": Flag.INSTITUTION_LEAVER,
    }
    return seeker(0, **{**cols, **kw})


# -- independent shares -----------------------------------------------------------------------------
N_HOMES = 3000


def share_world():
    """3,000 vacant homes; 150 homeless people, 150 institution leavers and 3,000 regular seekers,
    so every route always has a fitting candidate."""
    hhs = [homeless(-i) for i in range(150)] + [leaver(-i) for i in range(150)] + [seeker(-100 - i) for i in range(N_HOMES)]
    return tiny_world(hhs, [social() for _ in range(N_HOMES)])


def direct_counts(homeless_share: float, institution_share: float, seed: int = 5) -> tuple[int, int]:
    w = share_world()
    policy = {
        "homeless": {"enabled": True, "share": homeless_share},
        "institution_leavers": {"enabled": True, "share": institution_share},
    }
    _, routes, _, _ = let(w, policy, seed=seed)
    return routes.count("direct_homeless"), routes.count("direct_institution")


def test_homeless_and_institution_shares_are_realised_independently():
    # Regression: one draw compared with both shares nested 2 % inside 3 %, so homeless
    # placement never happened while the institution share was the larger.
    h, i = direct_counts(0.02, 0.03)
    sd_h, sd_i = np.sqrt(N_HOMES * 0.02), np.sqrt(N_HOMES * 0.03)
    assert abs(h - 0.02 * N_HOMES) < 4 * sd_h
    assert abs(i - 0.03 * N_HOMES) < 4 * sd_i
    # Raising the institution share (warm outflow) leaves the homeless share as it was.
    h2, i2 = direct_counts(0.02, 0.06)
    assert abs(h2 - 0.02 * N_HOMES) < 4 * sd_h and abs(h2 - h) <= 5
    assert abs(i2 - 0.06 * N_HOMES) < 4 * np.sqrt(N_HOMES * 0.06)
    # And the other way round: Housing First does not take the institution leavers' share.
    h3, i3 = direct_counts(0.06, 0.03)
    assert abs(i3 - 0.03 * N_HOMES) < 4 * sd_i and abs(h3 - 0.06 * N_HOMES) < 4 * np.sqrt(N_HOMES * 0.06)


def test_a_claim_lost_to_another_route_is_kept_for_the_next_vacancy():
    # Both routes claim every vacancy: the random order splits them, and the loser's claims
    # carry over, so 100 vacancies go about half and half and none to the queue.
    hhs = [homeless(-i) for i in range(150)] + [leaver(-i) for i in range(150)] + [seeker(-500)]
    w = tiny_world(hhs, [social() for _ in range(100)])
    a = Allocator(
        AllocationPolicy.model_validate(
            {
                **AllocationPolicy.seniority_only().model_dump(),
                "homeless": {"enabled": True, "share": 1.0},
                "institution_leavers": {"enabled": True, "share": 1.0},
            }
        ),
        1,
        len(w.region.nbh_municipality),
    )
    w.start_month(1)
    res = a.allocate(w, np.random.default_rng(0), np.zeros(1), {})
    routes = [ROUTES[r] for r in res.route]
    assert len(routes) == 100 and "seniority" not in routes
    assert 30 <= routes.count("direct_homeless") <= 70
    # Claims that lost carry over: one per letting made by the other route.
    assert a.pending["direct_homeless"][0] + a.pending["direct_institution"][0] == 100


def test_the_queue_draws_do_not_move_when_a_direct_share_changes():
    # A fixed number of uniforms per vacancy: every vacancy that no direct route claims goes by
    # the same route (lottery or seniority) whatever the homeless share (common random numbers).
    def route_of(share):
        w = share_world()
        policy = {"lottery": {"enabled": True, "share": 0.5}, "homeless": {"enabled": True, "share": share}}
        _, routes, dws, _ = let(w, policy, seed=2)
        return dict(zip(dws, routes, strict=True))

    a, b = route_of(0.0), route_of(0.02)
    queue = [d for d, r in b.items() if not r.startswith("direct")]
    assert len(queue) > 0.9 * N_HOMES and "lottery" in b.values()
    assert all(a[d] == b[d] for d in queue)


# -- the paced permit-holder quota -------------------------------------------------------------------
def test_paced_quota_releases_a_sixth_a_month_and_the_backlog_at_once():
    assert paced_quota(60.0, 0.0, 0, 1, 6) == pytest.approx(10.0)
    assert paced_quota(60.0, 0.0, 0, 3, 6) == pytest.approx(30.0)
    assert paced_quota(60.0, 0.0, 25, 3, 6) == pytest.approx(5.0)
    assert paced_quota(60.0, 0.0, 40, 3, 6) == 0.0
    assert paced_quota(72.0, 12.0, 0, 7, 6) == pytest.approx(22.0)  # July: backlog 12 plus a sixth of 60
    assert paced_quota(60.0, 0.0, 0, 1, 1) == pytest.approx(60.0)  # pacing 1 month: all at once


def test_quota_lettings_are_spread_over_the_half_year():
    # Regression: the whole half-year quota was available in its first month, so a municipality
    # with homes and waiting permit holders housed its whole quota in the first months.
    model = HousingModel(scenario="small", rng=1)
    mun = model.municipality_agents[0]
    mun.quota, mun.quota_backlog, mun.quota_housed = 30.0, 0.0, 0
    # Ten homes come free each month; 40 permit holders wait; 100 long-registered seekers take
    # what the quota does not.
    hhs = [refugee() for _ in range(40)] + [seeker(-200 - i) for i in range(100)]
    w = tiny_world(hhs, [social(exists=False) for _ in range(60)])
    a = Allocator(AllocationPolicy.model_validate({"refugees": {"mode": "quota"}, "acceptance": {"enabled": False}}), 1, 4)
    per_month = []
    for month in range(1, 7):
        w.start_month(month)
        w.dw.exists[10 * (month - 1) : 10 * month] = True
        left = np.array([mun.quota_available(month)])
        res = a.allocate(w, np.random.default_rng(month), left, {})
        n = sum(ROUTES[r] == "direct_refugee" for r in res.route)
        mun.quota_housed += n
        per_month.append(n)
    assert per_month == [5] * 6  # 30 persons over six months, one-person households


def test_the_model_takes_the_quota_at_its_pace():
    # In a half year's first month a municipality houses at most a sixth of its quota: it
    # stops once the sixth is reached, so only the last household placed may overshoot it.
    model = HousingModel(scenario="small", households=60000, rng=2)
    model.step()
    rows, _, route, _ = model.last_allocations
    hh = model.world.hh
    ref = rows[route == ROUTES.index("direct_refugee")]
    mun = hh.municipality[ref]
    persons = np.bincount(mun, weights=hh.size[ref], minlength=model.region.size)
    biggest = np.zeros(model.region.size)
    np.maximum.at(biggest, mun, hh.size[ref])
    quota = np.array([m.quota for m in model.municipality_agents])
    assert persons.sum() > 0
    assert np.all(persons - biggest < quota / 6 + 1e-9), (persons, quota / 6)


# -- women's shelters ----------------------------------------------------------------------------------
def test_womens_shelters_never_exceed_their_places():
    # Utrecht (centre) and Oudewater share a COROP region: 5 places, all in Utrecht.
    n = 1500
    hhs = [{"dwelling": i, "adults": 2, "size": 3, "income_base": 40000.0, "municipality": i % 2} for i in range(n)]
    dws = [social(rooms=3, municipality=i % 2) for i in range(n)]
    w = tiny_world(hhs, dws, ("GM0344", "GM0589"), separation_rate=0.5, separation_womens_shelter_share=0.5, womens_shelter_places=250)
    cap = institutions.capacities(w.region, w.params)[InstitutionKind.WOMENS_SHELTER]
    assert cap.tolist() == [5.0, 0.0]
    rng = np.random.default_rng(1)
    entered = 0
    for month in range(1, 13):
        w.start_month(month)
        occ = institutions.occupancy(w)[InstitutionKind.WOMENS_SHELTER]
        free = np.maximum(cap - occ, 0).astype(np.int64)
        demography.separations(w, rng, free, np.ones(2, bool))
        occ_after = institutions.occupancy(w)[InstitutionKind.WOMENS_SHELTER]
        entered += int((occ_after - occ).sum())
        assert np.all(occ_after <= cap), (month, occ_after)
        # Residents leave as they become ready, so places free up again.
        hh = w.hh
        done = np.flatnonzero((hh.place == Place.INSTITUTION) & (hh.ready_at <= month))
        w.to_place(done, Place.LIVING_IN)
    assert entered > 5  # places were reused, and Oudewater's separations went to Utrecht's shelter
    w.check()


def test_womens_shelter_occupancy_stays_within_places_in_the_model():
    # Regression: the model passed one national number of free places, so shelters filled
    # beyond their places and residents stayed 'in a shelter' in municipalities without one.
    params = {"separation_rate": 0.1, "separation_womens_shelter_share": 1.0, "womens_shelter_places": 20000.0}
    model = HousingModel(scenario="small", rng=3, params=params)
    cap = model.capacity[InstitutionKind.WOMENS_SHELTER]
    assert cap.sum() > 5 and (cap == 0).any()
    for _ in range(12):
        model.step()
        occ = institutions.occupancy(model.world)[InstitutionKind.WOMENS_SHELTER]
        assert np.all(occ <= cap), (occ, cap)


# -- labels in direct placement -------------------------------------------------------------------------
def test_direct_placement_respects_wheelchair_and_caravan_labels():
    # Regression: direct placement checked only size and rent.
    policy = {"homeless": {"enabled": True, "share": 1.0}}
    for label in (Label.WHEELCHAIR, Label.CARAVAN, Label.SENIOR, Label.YOUNG):
        w = tiny_world([homeless()], [social(label=label)])
        assert let(w, policy)[0] == [], Label(label).name
    # The group the label serves does get it directly.
    w = tiny_world([homeless(care=CareNeed.WHEELCHAIR)], [social(label=Label.WHEELCHAIR)])
    assert let(w, policy)[1] == ["direct_homeless"]
    w = tiny_world([homeless(labels=Flag.CARAVAN | Flag.HOMELESS_HISTORY)], [social(label=Label.CARAVAN)])
    assert let(w, policy)[1] == ["direct_homeless"]
    w = tiny_world([homeless(age=20 * 12, income=9000.0)], [social(label=Label.YOUNG, rent=400.0)])
    assert let(w, policy)[1] == ["direct_homeless"]
    # A wheelchair home passed over by the direct route goes to a wheelchair user in the queue.
    w = tiny_world([homeless(), seeker(-1, care=CareNeed.WHEELCHAIR)], [social(label=Label.WHEELCHAIR)])
    rows, routes, _, _ = let(w, policy)
    assert rows == [1] and routes == ["seniority"]
    # Transitional homes stay for permit holders only.
    w = tiny_world([homeless(), refugee()], [social(label=Label.TRANSITIONAL)])
    rows, routes, _, _ = let(w, {**policy, "refugees": {"enabled": True, "mode": "quota"}})
    assert rows == [1] and routes == ["direct_refugee"]


def test_no_direct_placement_breaks_a_label_in_a_mixed_world():
    rng = np.random.default_rng(7)
    labels = [Label.NONE, Label.WHEELCHAIR, Label.SENIOR, Label.CARAVAN, Label.YOUNG]
    cares = [CareNeed.NONE, CareNeed.MOBILITY, CareNeed.WHEELCHAIR]
    hhs = []
    for i in range(300):
        kw = {"care": cares[rng.integers(3)], "age": int(rng.integers(18, 80)) * 12, "income": float(rng.uniform(8000, 20000))}
        if rng.random() < 0.2:
            kw["labels"] = Flag.CARAVAN | Flag.HOMELESS_HISTORY
        hhs.append(homeless(-i, **kw) if i % 2 else leaver(-i, **kw))
    dws = [social(label=labels[rng.integers(5)], rent=400.0) for _ in range(400)]
    w = tiny_world(hhs, dws)
    policy = {"homeless": {"enabled": True, "share": 0.5}, "institution_leavers": {"enabled": True, "share": 0.5}}
    rows, routes, dwellings, _ = let(w, policy, seed=3)
    direct = [(r, d) for r, rt, d in zip(rows, routes, dwellings, strict=True) if rt.startswith("direct")]
    assert len(direct) > 100
    hh = w.hh
    for r, d in direct:
        need = int(C.need_class(w, np.array([r]))[0])
        young = hh.age[r] < 23 * 12
        label = int(w.dw.label[d])
        assert label != Label.WHEELCHAIR or need == C.NEED_WHEELCHAIR
        assert label != Label.CARAVAN or need == C.NEED_CARAVAN
        assert label != Label.SENIOR or need in (C.NEED_SENIOR, C.NEED_WHEELCHAIR)
        assert label != Label.YOUNG or young


# -- the stale-vacancy rule is a parameter ----------------------------------------------------------------
def test_stale_vacancy_months_is_a_parameter():
    # A home above the capping limit, vacant for five months, and a family with an
    # allowance-level income: let at the capping limit only once it counts as stale.
    family = seeker(-10, income=15000.0, size=3, adults=2)
    for months, expect in ((3.0, [0]), (12.0, [])):
        w = tiny_world([family], [social(rooms=3, rent=720.0, vacant_since=-4)], stale_vacancy_months=months)
        assert let(w, {"income_bands": {"enabled": False}})[0] == expect


# -- paired-seed sign: Housing First on top of warm outflow ---------------------------------------------------
def homeless_lettings(measures: list[dict], seed: int, months: int = 24) -> int:
    m = HousingModel(scenario="small", households=20000, measures=measures, rng=seed)
    n = 0
    for _ in range(months):
        m.step()
        n += int((m.last_allocations[2] == ROUTES.index("direct_homeless")).sum())
    return n


def test_housing_first_still_houses_homeless_people_with_warm_outflow():
    # Regression: with warm outflow (institution share 6 %) the homeless share (6 %) was nested
    # inside it, so Housing First added nothing.
    warm = [{"type": "warm_outflow"}]
    both = [{"type": "housing_first"}, {"type": "warm_outflow"}]
    pairs = [(homeless_lettings(both, s), homeless_lettings(warm, s)) for s in SEEDS]
    assert all(b > a for b, a in pairs), pairs
    # Shares 6 % against 2 %: about three times as many direct lettings to homeless people.
    assert sum(b for b, _ in pairs) >= 2 * sum(a for _, a in pairs), pairs
