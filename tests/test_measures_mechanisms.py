"""Mechanism tests for the measures not covered in ``test_measures_supply.py``,
``test_measures_money.py``, ``test_routes.py``, ``test_schedule.py`` and ``test_follow_up.py``
(issue 10, section 6): on small worlds whose state is set by hand, each checks the specific
thing the report says the measure does (who gets which home, what a contract does, what it
costs), plus a paired-seed test of the sign of its effect on its target. Paired runs share a
seed, or act on copies of one world with one random stream, so the difference is the measure's."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from conftest import tiny_world

from abm import HousingModel, support
from abm.agents.corporation import eviction_shares
from abm.allocation import ROUTES, AllocationPolicy, Allocator
from abm.codes import Flag, InstitutionKind, Label, Place, SupportBy, SupportLevel, Tenure, Urgency, VacancyCause
from abm.institutions import _detain_from_population
from abm.measures_runtime import merge
from abm.policies import measure_from_dict
from abm.policies.supply import NATIONAL_SOCIAL_STOCK
from abm.policies.young_adults import _young_seekers
from abm.processes import construction, economy, flows, market
from abm.processes.demography import monthly

RNG = np.random.default_rng
SEEDS = (1, 2, 3)


#: The snapshot these tests' hand-set states were written for: no spin-up, and the share of young
#: adults at home seeking at the start before calibration (with the calibrated 0.92, docs/calibration.md,
#: many more young seekers compete for the rooms and homes the tests hand out).
SNAPSHOT = {"spinup_months": 0, "initial_living_in_seeking": 0.3}


def model(seed: int = 1, households: int = 3000, measures=(), **params) -> HousingModel:
    # Mechanism tests start from the data-based snapshot (no spin-up): they set the state by hand.
    return HousingModel(corop=["CR17"], households=households, measures=list(measures), params={**SNAPSHOT, **params}, rng=seed)


def at_month(m: HousingModel, month: int) -> None:
    m.month = month
    m.world.start_month(month)


def with_measure(m: HousingModel, spec: dict):
    """The measure and the world's parameters as they are while it is active."""
    measure = measure_from_dict(spec)
    m.world.params = m.params = m.base_params.with_overrides(measure.params(m.base_params))
    return measure


def vacant_home(m: HousingModel, mun: int, rooms: int = 4, rent: float = 600.0, tenure=Tenure.SOCIAL, label=Label.NONE) -> int:
    w = m.world
    corp = int(m.corporation_of_municipality[mun]) if tenure == Tenure.SOCIAL else -1
    first = int(np.searchsorted(m.region.nbh_municipality, mun))
    cols = dict(municipality=mun, neighbourhood=first, tenure=tenure, dtype=0, rooms=rooms, rent=rent, label=label, corporation=corp)
    row = int(w.dw.add(1, **cols)[0])
    w.vacate(np.array([row]), VacancyCause.NEW_BUILD)
    return row


def person(m: HousingModel, mun: int, age_years: float = 20, income: float = 10000.0, registered: int = -12, **kw) -> int:
    """A single young seeker living in with others (or, with ``place``, elsewhere)."""
    cols = dict(
        municipality=np.array([mun]),
        size=np.array([1], dtype=np.int8),
        adults=np.array([1], dtype=np.int8),
        age=np.array([int(age_years * 12)], dtype=np.int16),
        income=np.float32(income),
        income_base=np.float32(income),
        registered=np.array([registered]),
        place=Place.LIVING_IN,
        seeking=True,
        seek_since=np.array([registered]),
    )
    return int(m.world.new_households(1, "newcomer", **{**cols, **kw})[0])


def no_young_seekers(m: HousingModel) -> None:
    """Hand-built: the model's own young single seekers stop seeking, so only ours are there."""
    rows = _young_seekers(m.measure_view)
    m.world.hh.seeking[rows] = False


def runs(measures: list[dict], months: int = 12, households: int = 3000, **params) -> list[HousingModel]:
    key = (repr(measures), months, households, repr(sorted(params.items())))
    if key not in _RUNS:
        out = []
        for seed in SEEDS:
            m = model(seed, households, measures, **params)
            m.run(months)
            out.append(m)
        _RUNS[key] = out
    return _RUNS[key]


_RUNS: dict = {}


def paired(measure: dict, indicator: str, group: str = "all", months: int = 12, households: int = 3000, **params) -> np.ndarray:
    """Per seed: the measure's run minus the baseline run, mean of the indicator over the months."""

    def mean(m):
        return float(np.nan_to_num(m.recorder.series(indicator, group)[1][1:]).mean())

    base, other = runs([], months, households, **params), runs([measure], months, households, **params)
    return np.array([mean(o) - mean(b) for o, b in zip(other, base, strict=True)])  # measure - baseline


# -- allocation_settings ------------------------------------------------------------------------
def test_allocation_settings_apply_only_while_active():
    spec = {"type": "allocation_settings", "start": 2, "end": 4, "settings": {"lottery": {"enabled": True, "share": 0.5}}}
    m = model(measures=[spec])
    enabled = []
    for _ in range(5):
        m.step()
        enabled.append(m.policy.lottery.enabled)
    assert enabled == [False, True, True, False, False]
    months, series = m.recorder.series("allocations_lottery")
    series = dict(zip(months.tolist(), np.nan_to_num(series), strict=True))
    assert series[1] + series[4] + series[5] == 0 and series[2] + series[3] > 0  # lettings by lottery only in months 2 and 3
    # The base policy is untouched: the scenario's own settings come back after the window.
    assert m.policy.model_dump() == AllocationPolicy.model_validate(m.base_policy).model_dump()


@pytest.mark.parametrize(
    "settings, fragment",
    [
        ({"lottery": {"share": 1.5}}, "less than or equal"),
        ({"urgency": {"homeless": "often"}}, "homeless"),
        ({"mover_priority": {"min_room": 3}}, "min_room"),
    ],
)
def test_allocation_settings_are_validated_against_the_policy(settings, fragment):
    with pytest.raises(ValueError, match=fragment):
        measure_from_dict({"type": "allocation_settings", "settings": settings})


def test_allocation_settings_lottery_lets_homes_by_lottery_in_paired_runs():
    diff = paired({"type": "allocation_settings", "settings": {"lottery": {"enabled": True, "share": 0.3}}}, "allocations_lottery")
    assert (diff > 0).all(), diff


# -- fewer_regional_barriers ------------------------------------------------------------------------
def test_fewer_regional_barriers_new_seekers_search_region_wide_at_that_share():
    shares = []
    for spec in ({"type": "fewer_regional_barriers", "regional_share": 0.0}, {"type": "fewer_regional_barriers", "regional_share": 0.9}):
        m = model(seek_rate=0.99)
        at_month(m, 1)
        hh = m.world.hh
        with_measure(m, spec)
        flows.seeking(m.world, RNG(0))
        new = hh.seeking & (hh.seek_since == 1)
        assert new.sum() > 150
        shares.append(hh.regional[new].mean())
    assert abs(shares[0] - m.base_params.regional_search_share) < 0.08
    assert abs(shares[1] - 0.9) < 0.05
    # Never lower than the scenario's own share.
    low = measure_from_dict({"type": "fewer_regional_barriers", "regional_share": 0.1})
    assert low.params(m.base_params)["regional_search_share"] == m.base_params.regional_search_share


def test_a_region_wide_seeker_gets_a_home_in_another_municipality():
    # Oudewater (0) and Lopik (1) are in one COROP region. The Lopik seeker registered longest.
    for regional, winner in ((True, 0), (False, 1)):
        hhs = [
            {"registered": -100, "seeking": True, "size": 1, "income": 30000.0, "municipality": 1, "regional": regional},
            {"registered": -5, "seeking": True, "size": 1, "income": 30000.0, "municipality": 0},
        ]
        w = tiny_world(hhs, [{"tenure": Tenure.SOCIAL, "rooms": 2, "rent": 500.0, "corporation": 0}], municipalities=("GM0589", "GM0331"))
        rows, _ = let(w)
        assert rows == [winner]


def test_fewer_regional_barriers_raises_lettings_outside_the_municipality():
    diff = paired({"type": "fewer_regional_barriers", "regional_share": 0.9}, "allocations_outside_municipality")
    assert (diff > 0).sum() >= 2 and diff.mean() > 0, diff


# -- friends_contracts --------------------------------------------------------------------------------
def _friends_world():
    m = model()
    at_month(m, 3)
    no_young_seekers(m)
    dw = m.world.dw
    # The only vacant social family home is ours.
    others = dw.vacant & (dw.tenure == Tenure.SOCIAL) & (dw.rooms >= 4)
    dw.rooms[others] = 3
    return m, vacant_home(m, 0, rooms=4, rent=650.0)


def test_friends_three_young_people_share_a_family_home_on_a_contract_that_ends():
    m, home = _friends_world()
    w, hh, dw = m.world, m.world.hh, m.world.dw
    trio = [person(m, 0, income=9000.0), person(m, 0, income=11000.0), person(m, 0, income=13000.0)]
    elsewhere = person(m, 1)  # from another municipality: not for this home
    older = person(m, 0, age_years=30)  # not a young adult
    hids = hh.hid[trio].copy()
    measure = measure_from_dict({"type": "friends_contracts", "share": 1.0, "months": 18})
    measure.act(m.measure_view, RNG(0))
    tenant = int(dw.occupant[home])
    assert tenant == trio[0] and hh.place[tenant] == Place.DWELLING
    assert hh.size[tenant] == 3 and hh.income[tenant] == pytest.approx(33000.0)
    assert (hh.place[trio[1:]] == Place.GONE).all() and set(hh.hid[[tenant]]) <= set(hids)
    assert hh.contract_end[tenant] == 3 + 18 and not hh.seeking[tenant]
    assert hh.place[elsewhere] == Place.LIVING_IN and hh.place[older] == Place.LIVING_IN
    # The contract ends: they seek again, and after the grace period leave the home.
    at_month(m, 3 + 18)
    flows.contracts_ending(w, RNG(1))
    assert hh.seeking[tenant] and hh.dwelling[tenant] == home
    at_month(m, 3 + 18 + int(w.params.temporary_grace_months))
    flows.contracts_ending(w, RNG(2))
    assert hh.place[tenant] == Place.LIVING_IN and dw.vacant[home]


def test_friends_needs_three_from_the_municipality():
    m, home = _friends_world()
    pair = [person(m, 0), person(m, 0), person(m, 1)]
    measure_from_dict({"type": "friends_contracts", "share": 1.0}).act(m.measure_view, RNG(0))
    assert m.world.dw.vacant[home] and (m.world.hh.place[pair] == Place.LIVING_IN).all()


def test_friends_takes_young_people_from_the_shelter_first():
    """Regression: the Leiderdorp pilot houses three young people from the shelter
    (maatschappelijke opvang); the measure took only young people living in with others."""
    m, home = _friends_world()
    hh = m.world.hh
    living_in = [person(m, 0, registered=-50) for _ in range(3)]
    sheltered = person(m, 0, registered=0, place=Place.INSTITUTION, institution=InstitutionKind.SHELTER, ready_at=np.array([0]))
    not_ready = person(m, 0, place=Place.INSTITUTION, institution=InstitutionKind.SHELTER, ready_at=np.array([99]))
    measure_from_dict({"type": "friends_contracts", "share": 1.0}).act(m.measure_view, RNG(0))
    assert m.world.dw.occupant[home] == sheltered and hh.size[sheltered] == 3
    assert hh.place[not_ready] == Place.INSTITUTION
    assert (hh.place[living_in] == Place.GONE).sum() == 2


def test_friends_share_of_family_home_vacancies():
    m = model()
    at_month(m, 3)
    no_young_seekers(m)
    dw = m.world.dw
    dw.rooms[dw.vacant & (dw.tenure == Tenure.SOCIAL) & (dw.rooms >= 4)] = 3
    homes = [vacant_home(m, 0) for _ in range(200)]
    for _ in range(600):
        person(m, 0)
    measure_from_dict({"type": "friends_contracts", "share": 0.3}).act(m.measure_view, RNG(0))
    let = (~dw.vacant[homes]).sum()
    assert abs(let - 60) < 4 * np.sqrt(200 * 0.3 * 0.7)


def test_friends_contracts_lower_young_adults_waiting():
    diff = paired({"type": "friends_contracts", "share": 0.5}, "waiting", "young_adult", households=6000)
    assert (diff < 0).sum() >= 2 and diff.mean() < 0, diff


# -- no_cost_sharing -----------------------------------------------------------------------------------
def test_no_cost_sharing_pairs_young_seekers_into_one_household():
    """Benefit-level single seekers (income at most the social minimum) of the lifted ages (21 up
    to ``max_age``) pair up: sharing a home no longer costs them benefit (issue 16 §3)."""
    m = model()
    at_month(m, 2)
    no_young_seekers(m)
    hh = m.world.hh
    a = person(m, 0, age_years=21, income=9000.0, registered=-40)
    b = person(m, 0, age_years=22, income=11000.0, registered=-5)
    earner = person(m, 0, age_years=22, income=20000.0)  # above the benefit level: the rule never held it back
    minor = person(m, 0, age_years=20, income=9000.0)  # under 21 sharing never cost benefit
    alone = person(m, 1, age_years=21, income=9000.0)  # nobody to pair with in its municipality
    student = person(m, 2, age_years=21, income=9000.0, labels=Flag.STUDENT)
    student2 = person(m, 2, age_years=21, income=9000.0, labels=Flag.STUDENT)
    measure_from_dict({"type": "no_cost_sharing", "pair_rate": 1.0}).act(m.measure_view, RNG(0))
    assert hh.size[a] == 2 and hh.adults[a] == 2
    assert hh.income[a] == pytest.approx(20000.0) and hh.income_base[a] == pytest.approx(20000.0)
    assert hh.registered[a] == -40 and hh.seeking[a] and hh.place[a] == Place.LIVING_IN  # they look for one home together
    assert hh.place[b] == Place.GONE
    for row in (earner, minor, alone, student, student2):
        assert hh.size[row] == 1 and hh.place[row] == Place.LIVING_IN


def test_no_cost_sharing_is_for_under_23s():
    """Regression: the report drops the cost-sharing rule for young people up to 23 ('Pas de
    kostendelersnorm in elk geval niet toe voor de groep tot 23 jaar'); the measure paired
    seekers up to 27."""
    m = model()
    no_young_seekers(m)
    older = [person(m, 3, age_years=24, income=9000.0), person(m, 3, age_years=26, income=9000.0)]
    measure_from_dict({"type": "no_cost_sharing", "pair_rate": 1.0}).act(m.measure_view, RNG(0))
    assert (m.world.hh.size[older] == 1).all() and (m.world.hh.place[older] == Place.LIVING_IN).all()


def test_no_cost_sharing_pairs_at_its_rate():
    m = model()
    no_young_seekers(m)
    rows = [person(m, 0, age_years=22, income=9000.0) for _ in range(1000)]
    measure_from_dict({"type": "no_cost_sharing", "pair_rate": 0.2}).act(m.measure_view, RNG(0))
    paired_up = (m.world.hh.place[rows] == Place.GONE).sum() * 2  # each pair: one row joins the other
    assert abs(paired_up - 200) < 4 * np.sqrt(1000 * 0.2 * 0.8) + 1


def test_no_cost_sharing_lowers_young_adults_waiting():
    # benefit-level 21-22-year-olds only (issue 16 §3): at 12,000 households and 12 months the effect was below the noise
    # seeds 1-6 at 20,000 households over three years: -13, -16, +2, -13, -23, -10 (seed 3 against: 2 of 3 here)
    diff = paired({"type": "no_cost_sharing", "pair_rate": 0.1}, "waiting", "young_adult", months=36, households=20000)
    assert diff.mean() < 0 and (diff < 0).sum() >= len(diff) - 1, diff


# -- middle_income_move_on ------------------------------------------------------------------------------
def test_middle_income_move_on_multiplies_moves_of_middle_income_social_tenants():
    """Only social tenants with at least the buying income move on to the market, at ``factor``
    times the yearly rate (so more social homes fall vacant)."""
    moved = {}
    for factor in (1.0, 3.0):
        m = model(buy_rate=0.2, market_turnover=0.0)  # counts large enough for the ratio
        w, hh, dw = m.world, m.world.hh, m.world.dw
        at_month(m, 1)
        social = np.flatnonzero((hh.place == Place.DWELLING) & (dw.tenure[np.maximum(hh.dwelling, 0)] == Tenure.SOCIAL))
        hh.income[social[::2]] = 60000.0  # middle incomes
        hh.income[social[1::2]] = 20000.0
        for mun in range(m.region.size):  # plenty of market homes: vacancies do not limit the moves
            for _ in range(12):
                vacant_home(m, mun, rooms=4, rent=300.0, tenure=Tenure.PRIVATE)
        p = with_measure(m, {"type": "middle_income_move_on", "factor": factor}).params(m.base_params)
        assert w.params.buy_rate == pytest.approx(min(1.0, 0.2 * factor)) and p
        rows = []
        for k in range(6):
            market.step(w, RNG(k))
            rows.extend(np.concatenate(w.counters.moved_up).tolist())
            w.counters.moved_up.clear()
        rows = np.array(rows, dtype=np.int64)
        assert rows.size and (hh.income[rows] >= w.params.buy_income).all()
        moved[factor] = rows.size
    ratio = moved[3.0] / moved[1.0]
    expected = monthly(0.6) / monthly(0.2)
    assert 0.7 * expected < ratio < 1.3 * expected, (moved, expected)


def test_middle_income_move_on_raises_moves_out_of_the_social_stock():
    diff = paired({"type": "middle_income_move_on", "factor": 4.0}, "left_social_for_market", months=12)
    assert (diff > 0).sum() >= 2 and diff.mean() > 0, diff


# -- split_homes, transformation ----------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["split_homes", "transformation"])
def test_small_units_start_at_the_national_rate_times_population_share_and_complete_after_the_lead_time(kind):
    m = model()
    w = m.world
    m.pipeline.by_month.clear()
    measure = measure_from_dict({"type": kind, "units_per_year": 1e6, "lead_time": 7.0})
    for month in range(1, 13):
        at_month(m, month)
        measure.act(m.measure_view, RNG(month))
    projects = [(due, pr) for due, prs in m.pipeline.by_month.items() for pr in prs]
    started = sum(pr.count for _, pr in projects)
    expected = 1e6 * m.region.population_share.sum()  # a year of the national programme, this region's share
    assert abs(started - expected) < 4 * np.sqrt(expected)
    assert {due for due, _ in projects} <= set(range(8, 20))  # started in months 1-12, 7 months to keys
    for _, pr in projects:
        assert pr.small and pr.tenure == Tenure.SOCIAL and pr.corporation == m.corporation_of_municipality[pr.municipality]
    # Per municipality, in proportion to its population.
    by_mun = np.bincount([pr.municipality for _, pr in projects], weights=[pr.count for _, pr in projects], minlength=m.region.size)
    big = int(np.argmax(m.region.population_share))
    assert by_mun[big] == by_mun.max()
    # Nothing is completed before the lead time; at month 8 the first month's units are let as 1-2 room social homes.
    at_month(m, 7)
    assert construction.complete(w, m.pipeline, RNG(0)).size == 0
    at_month(m, 8)
    rows = construction.complete(w, m.pipeline, RNG(0))
    assert rows.size > 10
    assert (w.dw.rooms[rows] <= 2).all() and (w.dw.tenure[rows] == Tenure.SOCIAL).all() and w.dw.vacant[rows].all()


@pytest.mark.parametrize("kind", ["split_homes", "transformation"])
def test_small_units_raise_social_homes_under_construction(kind):
    diff = paired({"type": kind, "units_per_year": 200000.0}, "under_construction_social", months=6)
    assert (diff > 0).all(), diff


# -- welfare_work ---------------------------------------------------------------------------------------
def _arrears_entries(w, seed: int) -> np.ndarray:
    """Tenants falling into arrears in one economy step (no court cases, no evictions), on a copy."""
    w = copy.deepcopy(w)
    before = w.hh.arrears.copy()
    economy.arrears_and_evictions(w, RNG(seed), np.zeros(1))  # court_rate is 0: no rulings
    return w.hh.arrears & ~before


def test_welfare_work_lowers_arrears_entry_in_weak_neighbourhoods_only_and_pays_per_household():
    m = model(arrears_entry_rate=0.4, court_rate=0.0)
    w, hh, dw = m.world, m.world.hh, m.world.dw
    at_month(m, 1)
    base = _arrears_entries(w, 5)
    measure = with_measure(m, {"type": "welfare_work", "effect": 0.4, "cost_per_household_year": 120.0})
    cut = _arrears_entries(w, 5)
    weak = np.zeros(hh.n, dtype=bool)
    housed = hh.place == Place.DWELLING
    weak[housed] = m.region.weak[dw.neighbourhood[hh.dwelling[housed]]]
    # Same draws: outside weak neighbourhoods nothing changes; inside, 40 % fewer enter arrears.
    assert (cut[~weak] == base[~weak]).all()
    assert (cut <= base).all() and base[weak].sum() > 50
    assert abs(cut[weak].sum() / base[weak].sum() - 0.6) < 0.15
    # The cost: every household in a weak neighbourhood, at the yearly cost per household.
    m.measure_spending = np.zeros(m.region.size)
    measure.act(m.measure_view, RNG(0))
    households = np.bincount(hh.municipality[weak], minlength=m.region.size)
    assert m.measure_spending == pytest.approx(households * 120.0 / 12)


def test_welfare_work_lowers_arrears():
    diff = paired({"type": "welfare_work", "effect": 0.8}, "in_arrears")
    assert (diff < 0).all(), diff


# -- senior_move_on -----------------------------------------------------------------------------------
def let(w, policy: dict | None = None, seed: int = 0):
    """One month's allocation on a tiny world (seniority base policy); returns (rows, routes)."""
    pol = AllocationPolicy.model_validate(merge(AllocationPolicy.seniority_only().model_dump(), policy or {}))
    a = Allocator(pol, n_corporations=1, n_neighbourhoods=len(w.region.nbh_municipality))
    if w.month == 0:
        w.start_month(1)
    rows, _, route, _ = a.allocate(w, RNG(seed), np.zeros(w.region.size), {}).arrays()
    return rows.tolist(), [ROUTES[r] for r in route]


def test_senior_move_on_more_seniors_in_social_family_homes_start_seeking():
    m = model(seek_rate=0.0, crowded_seek_rate=0.0)
    w, hh, dw = m.world, m.world.hh, m.world.dw
    at_month(m, 1)
    housed = np.flatnonzero((hh.place == Place.DWELLING) & ~hh.seeking)
    d = hh.dwelling[housed]
    hh.age[housed] = 70 * 12  # everyone a senior, to count
    family = (dw.tenure[d] == Tenure.SOCIAL) & (dw.rooms[d] >= 4)
    with_measure(m, {"type": "senior_move_on", "seek_rate": 0.5})
    flows.seeking(w, RNG(0))
    started = hh.seeking[housed] & (hh.seek_since[housed] == 1)
    assert not started[~family].any()  # only seniors in social homes of 4+ rooms
    rate = started[family].mean()
    n = family.sum()
    assert abs(rate - monthly(0.5)) < 4 * np.sqrt(monthly(0.5) / n) + 0.005


def test_senior_move_on_gives_mover_priority_and_seniors_accept_at_accept():
    measure = measure_from_dict({"type": "senior_move_on", "accept": 0.9})
    base = AllocationPolicy().model_dump()
    policy = measure.allocation(base)
    senior = {"registered": -1, "seeking": True, "size": 1, "income": 30000.0, "age": 70 * 12, "dwelling": 1}
    regular = {"registered": -100, "seeking": True, "size": 1, "income": 30000.0}
    homes = [
        {"tenure": Tenure.SOCIAL, "rooms": 2, "rent": 650.0, "corporation": 0},
        {"tenure": Tenure.SOCIAL, "rooms": 5, "rent": 450.0, "corporation": 0},
    ]
    no_refusal = {"acceptance": {**policy["acceptance"], "enabled": True, "refusal": 0.0, "weak_neighbourhood_refusal": 0.0}}
    # The senior, registered a month, is offered the home before the seeker of 100 months.
    w = tiny_world([regular, senior], homes)
    rows, routes = let(w, merge({"mover_priority": policy["mover_priority"]}, merge(no_refusal, {"acceptance": {"senior_accept": 1.0}})))
    assert rows[0] == 1 and routes[0] == "mover_priority"
    # Without the measure the regular seeker wins.
    w = tiny_world([regular, senior], homes)
    assert let(w)[0][0] == 0
    # A dearer home: seniors accept at ``accept`` (the rent is kept), not at the usual 0.35.
    usual = {"acceptance": {**no_refusal["acceptance"], "senior_accept": AllocationPolicy().acceptance.senior_accept}}
    for settings, share in ((no_refusal, 0.9), (usual, AllocationPolicy().acceptance.senior_accept)):
        accepted = 0
        for seed in range(200):
            w = tiny_world([senior], homes)
            accepted += let(w, merge({"mover_priority": policy["mover_priority"]}, settings), seed=seed)[0] == [0]
        assert abs(accepted / 200 - share) < 0.1, (accepted, share)


def test_senior_move_on_pays_a_moving_service_per_senior_moved_with_priority():
    m = model(measures=[{"type": "senior_move_on"}])
    m.run(1)
    hh, dw = m.world.hh, m.world.dw
    seniors = np.flatnonzero((hh.place == Place.DWELLING) & (hh.age >= 65 * 12))[:3]
    young = np.flatnonzero((hh.place == Place.DWELLING) & (hh.age < 50 * 12))[:1]
    rows = np.concatenate([seniors, young])
    route = np.array([ROUTES.index("mover_priority")] * 2 + [ROUTES.index("seniority")] + [ROUTES.index("mover_priority")])
    m.last_allocations = (rows, np.zeros(4), route, hh.dwelling[rows])
    m.measure_spending = np.zeros(m.region.size)
    m.measures[0].act(m.measure_view, RNG(0))
    expected = np.bincount(dw.municipality[hh.dwelling[seniors[:2]]], minlength=m.region.size) * m.costs["moving_service_senior"]
    assert m.measure_spending == pytest.approx(expected) and expected.sum() > 0


# -- prevention: early_warning, last_chance, rent_during_detention, warm_outflow ---------------------------
def _in_arrears(m: HousingModel, n: int = 600) -> np.ndarray:
    hh, dw = m.world.hh, m.world.dw
    tenants = np.flatnonzero((hh.place == Place.DWELLING) & (dw.tenure[np.maximum(hh.dwelling, 0)] == Tenure.SOCIAL))[:n]
    hh.arrears[tenants] = True
    return tenants


def test_early_warning_fewer_court_cases_faster_repayment_and_a_case_per_new_arrears():
    counts = {}
    for effect in (0.0, 0.4):
        m = model(arrears_entry_rate=0.0, court_rate=0.2)
        at_month(m, 1)
        tenants = _in_arrears(m)
        measure = with_measure(m, {"type": "early_warning", "effect": effect})
        w = copy.deepcopy(m.world)
        economy.arrears_and_evictions(w, RNG(3), eviction_shares(m.corporations, 0.0))  # no evictions: count the court cases
        counts[effect] = (w.counters.court_cases, int(tenants.size - w.hh.arrears[tenants].sum() - w.counters.court_cases))
    (court0, paid0), (court1, paid1) = counts[0.0], counts[0.4]
    assert abs(court1 / court0 - 0.6) < 0.15 and paid1 > paid0 * 1.25  # court 40 % fewer, spells end 40 % faster
    # The cost: a debt-assistance case per new arrears case (in steady state, the spells that end).
    m.measure_spending = np.zeros(m.region.size)
    measure.act(m.measure_view, RNG(0))
    p = m.params
    stock = np.bincount(m.world.hh.municipality[tenants], minlength=m.region.size)
    assert m.measure_spending == pytest.approx(stock * (p.arrears_exit_rate + p.court_rate) * m.costs["debt_assistance_case"])
    assert p.court_rate == pytest.approx(0.2 * 0.6) and p.arrears_exit_rate == pytest.approx(0.25 * 1.4)


def test_last_chance_averts_a_share_of_evictions_and_the_tenant_stays():
    m = model(arrears_entry_rate=0.0, court_rate=0.5, arrears_exit_rate=0.0)
    at_month(m, 1)
    tenants = _in_arrears(m)
    evicted = {}
    for effect in (0.0, 0.5):
        with_measure(m, {"type": "last_chance", "effect": effect})
        w = copy.deepcopy(m.world)
        out = economy.arrears_and_evictions(w, RNG(4), eviction_shares(m.corporations, m.params.eviction_share_of_rulings))
        evicted[effect] = (set(w.hh.hid[out].tolist()), w)
    base, cut = evicted[0.0][0], evicted[0.5][0]
    assert cut <= base and abs(len(cut) / len(base) - 0.5) < 0.2
    w = evicted[0.5][1]
    kept = np.array([r for r in tenants if w.hh.hid[r] in base - cut])
    assert (w.hh.place[kept] == Place.DWELLING).all() and not w.hh.arrears[kept].any()  # the agreement: they stay, arrears settled


def test_rent_during_detention_fewer_detainees_lose_their_home():
    m = model()
    at_month(m, 1)
    hh = m.world.hh
    singles = np.flatnonzero((hh.place == Place.DWELLING) & (hh.size == 1))[:300]
    lost = {}
    for effect in (0.0, 0.8):
        with_measure(m, {"type": "rent_during_detention", "effect": effect})
        w = copy.deepcopy(m.world)
        _detain_from_population(w, 0, 600, 6.0, singles, RNG(6))
        lost[effect] = set(w.hh.hid[np.concatenate(w.counters.homes_lost_detention)].tolist())
    assert lost[0.8] <= lost[0.0] and len(lost[0.0]) > 40
    assert abs(len(lost[0.8]) / len(lost[0.0]) - 0.2) < 0.1


def test_warm_outflow_gives_ready_leavers_of_care_and_detention_urgency_and_a_share():
    m = model()
    at_month(m, 4)
    hh = m.world.hh

    def resident(kind, ready_at):
        return person(m, 0, age_years=30, place=Place.INSTITUTION, institution=kind, ready_at=np.array([ready_at]))

    ready = [resident(k, 2) for k in (InstitutionKind.PROTECTED_HOUSING, InstitutionKind.DETENTION, InstitutionKind.YOUTH_CARE)]
    not_ready = resident(InstitutionKind.PROTECTED_HOUSING, 10)
    shelter = resident(InstitutionKind.SHELTER, 2)
    hh.urgency[ready + [not_ready, shelter]] = Urgency.NONE
    measure = measure_from_dict({"type": "warm_outflow", "extra_share": 0.05})
    measure.act(m.measure_view, RNG(0))
    assert (hh.urgency[ready] == Urgency.SOCIAL).all() and (hh.urgency_until[ready] > 4).all()
    assert hh.urgency[not_ready] == Urgency.NONE and hh.urgency[shelter] == Urgency.NONE
    policy = measure.allocation({"institution_leavers": {"enabled": False, "share": 0.03}})
    assert policy["institution_leavers"] == {"enabled": True, "mode": "share", "share": pytest.approx(0.08)}


# -- housing_first ---------------------------------------------------------------------------------------
def test_housing_first_supports_formerly_homeless_tenants_and_pays_per_tenant():
    """Housing First's team supports formerly homeless tenants with a need whom no Wmo place
    reaches; their arrears entry falls from the unmet to the met factor; it pays per household."""
    m = model(arrears_entry_rate=0.1, court_rate=0.0)
    at_month(m, 1)
    hh = m.world.hh
    housed = np.flatnonzero(hh.place == Place.DWELLING)
    formerly, other = housed[::3], housed[1::3]
    hh.labels[formerly] |= Flag.HOMELESS_HISTORY
    need = np.concatenate([formerly, other])
    hh.support_need[need], hh.support_until[need], hh.support_since[need] = SupportLevel.INTENSIVE, 100, 0
    m.support_capacity[:] = 0  # no Wmo places: only the team can support
    m.last_allocations = tuple(np.empty(0, np.int64) for _ in range(4))
    base = _arrears_entries(m.world, 8)
    measure = with_measure(m, {"type": "housing_first", "coverage": 1.0})
    support.give_places(m)
    assert (hh.support_by[formerly] == SupportBy.HOUSING_FIRST).all() and (hh.support_by[other] == SupportBy.NONE).all()
    cut = _arrears_entries(m.world, 8)
    mask = np.zeros(hh.n, dtype=bool)
    mask[formerly] = True
    assert (cut[~mask] == base[~mask]).all() and base[mask].sum() > 30
    ratio = m.params.met_support_arrears_factor / m.params.unmet_support_arrears_factor
    assert abs(cut[mask].sum() / base[mask].sum() - ratio) < 0.15
    m.measure_spending = np.zeros(m.region.size)
    measure.act(m.measure_view, RNG(0))
    supported = np.bincount(hh.municipality[formerly], minlength=m.region.size)
    assert m.measure_spending == pytest.approx(supported * m.costs["housing_first_year"] / 12)


def test_housing_first_coverage_is_the_share_of_formerly_homeless_its_teams_reach():
    m = model()
    hh = m.world.hh
    rows = np.arange(hh.n)
    hh.labels[rows] |= Flag.HOMELESS_HISTORY
    for coverage in (0.0, 0.3, 0.7, 1.0):
        assert abs(support.housing_first_covers(hh, coverage).mean() - coverage) < 0.02
    assert not (support.housing_first_covers(hh, 0.3) & ~support.housing_first_covers(hh, 0.7)).any()  # nested


# -- social construction and the landlord levy -------------------------------------------------------------
def _national_starts(measures: list[dict]) -> float:
    """Homes a year corporations start nationally at the month's parameters (``Corporation.step``:
    stock × social_build_rate × corporation_capacity)."""
    m = model(measures=measures)
    m._apply_measures()
    return m.params.social_build_rate * m.params.corporation_capacity * NATIONAL_SOCIAL_STOCK


def test_abolishing_the_levy_raises_what_corporations_build():
    base = _national_starts([])
    assert _national_starts([{"type": "abolish_landlord_levy", "effect": 0.5}]) == pytest.approx(1.5 * base)


@pytest.mark.parametrize("levy_first", [True, False])
def test_social_construction_builds_its_programme_within_capacity_whatever_the_order(levy_first):
    """Regression: with the landlord levy abolished, corporation capacity counted twice, so the
    programme (and the 150,000-home agreement) was overshot: 45,000 a year instead of 30,000."""
    levy = {"type": "abolish_landlord_levy", "effect": 0.5}
    programme = {"type": "social_construction", "homes_per_year": 33000.0, "capacity": 20000.0}
    measures = [levy, programme] if levy_first else [programme, levy]
    assert _national_starts(measures) == pytest.approx(min(33000.0, 20000.0 * 1.5))
    assert _national_starts([programme]) == pytest.approx(20000.0)
    assert _national_starts([{**programme, "capacity": 1e5}]) == pytest.approx(33000.0)
