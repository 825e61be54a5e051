"""Each allocation rule on hand-built small cases with hand-computed winners."""

from __future__ import annotations

import numpy as np
from conftest import tiny_world

from abm.allocation import ROUTES, AllocationPolicy, Allocator
from abm.codes import CareNeed, Flag, InstitutionKind, Label, Place, Tenure, Urgency


def social(rooms=2, rent=500.0, **kw):
    return {"tenure": Tenure.SOCIAL, "rooms": rooms, "rent": rent, "corporation": 0, **kw}


def seeker(registered, **kw):
    return {"registered": registered, "seeking": True, "size": 1, "income": 30000.0, **kw}


def let(w, policy: dict | None = None, seed=0, quota=None, base="seniority_only"):
    """Run one month's allocation; returns (rows, routes as names, dwellings, result)."""
    pol = AllocationPolicy.seniority_only() if base == "seniority_only" else AllocationPolicy()
    pol = AllocationPolicy.model_validate({**pol.model_dump(), **(policy or {})})
    a = Allocator(pol, n_corporations=1, n_neighbourhoods=len(w.region.nbh_municipality))
    w.start_month(1) if w.month == 0 else None
    q = np.zeros(w.region.size) if quota is None else np.asarray(quota, dtype=float)
    res = a.allocate(w, np.random.default_rng(seed), q, {})
    rows, _, route, dws = res.arrays()
    return rows.tolist(), [ROUTES[r] for r in route], dws.tolist(), res


# -- seniority ------------------------------------------------------------------------------
def test_longest_registered_wins():
    w = tiny_world([seeker(-10), seeker(-100), seeker(-50)], [social()])
    rows, routes, _, _ = let(w)
    assert rows == [1] and routes == ["seniority"]
    assert w.hh.place[1] == Place.DWELLING


def test_too_small_or_too_large_homes_are_not_offered():
    # Five persons need 4 rooms; a single may take at most need + max_extra_rooms = 3 rooms.
    w = tiny_world([seeker(-100, size=5, adults=2), seeker(-5)], [social(rooms=2), social(rooms=5)])
    rows, _, _, _ = let(w)
    assert sorted(rows) == [0, 1] and w.hh.dwelling.tolist() == [1, 0]


def test_vacancy_chain_within_the_month():
    w = tiny_world([seeker(-100, dwelling=0), seeker(-50)], [social(), social()])
    rows, _, _, _ = let(w)
    assert rows == [0, 1] and w.hh.dwelling.tolist() == [1, 0]
    w.check()


# -- lottery ----------------------------------------------------------------------------------
def test_lottery_draws_among_eligible_seekers_only():
    wins = set()
    for seed in range(30):
        w = tiny_world([seeker(-100), seeker(-1), seeker(-50), seeker(-200, size=5, adults=2)], [social()])
        rows, routes, _, _ = let(w, {"lottery": {"enabled": True, "share": 1.0}}, seed=seed)
        assert routes == ["lottery"]
        wins.add(rows[0])
    assert wins == {0, 1, 2}  # every eligible seeker can win; the family of five never fits


# -- urgency ----------------------------------------------------------------------------------
def test_urgent_seeker_comes_first_on_its_share_of_vacancies():
    hhs = [seeker(-100), seeker(-1, urgency=Urgency.SOCIAL, urgency_until=12)]
    w = tiny_world(hhs, [social()])
    rows, routes, _, _ = let(w, {"urgency": {"enabled": True}})
    assert rows == [1] and routes == ["urgency"]
    w = tiny_world(hhs, [social()])
    rows, routes, _, _ = let(w, {"urgency": {"enabled": True, "vacancy_share": 0.0}})
    assert rows == [0] and routes == ["seniority"]
    w = tiny_world([seeker(-100), seeker(-1, urgency=Urgency.SOCIAL, urgency_until=0)], [social()])  # expired
    assert let(w, {"urgency": {"enabled": True}})[0] == [0]


# -- direct placement -------------------------------------------------------------------------
def refugee(**kw):
    return seeker(
        0, place=Place.INSTITUTION, institution=InstitutionKind.ASYLUM_CENTRE, ready_at=-3, labels=Flag.REFUGEE, income=12000.0, **kw
    )


def test_permit_holders_are_placed_against_the_quota():
    w = tiny_world([seeker(-100), refugee(size=2, adults=2)], [social(rent=600.0)])
    rows, routes, _, _ = let(w, {"refugees": {"enabled": True, "mode": "quota"}}, quota=[2])
    assert rows == [1] and routes == ["direct_refugee"]
    w = tiny_world([seeker(-100), refugee(size=2, adults=2)], [social(rent=600.0)])
    assert let(w, {"refugees": {"enabled": True, "mode": "quota"}}, quota=[0])[0] == [0]  # quota met


def test_institution_leavers_by_share_and_by_number():
    leaver = seeker(
        0,
        place=Place.INSTITUTION,
        institution=InstitutionKind.PROTECTED_HOUSING,
        ready_at=-10,
        labels=Flag.INSTITUTION_LEAVER,
        income=15000.0,
    )
    w = tiny_world([seeker(-100), leaver], [social()])
    rows, routes, _, _ = let(w, {"institution_leavers": {"enabled": True, "share": 1.0}})
    assert rows == [1] and routes == ["direct_institution"]
    w = tiny_world([seeker(-100), leaver], [social()])
    assert let(w, {"institution_leavers": {"enabled": True, "share": 0.0}})[0] == [0]


# -- passend toewijzen and 80-10-10 -------------------------------------------------------------
def test_income_appropriate_keeps_allowance_incomes_below_their_cap():
    hhs = [seeker(-100, income=15000.0), seeker(-20, income=50000.0)]
    w = tiny_world(hhs, [social(rent=700.0)])  # above the 1-2 person capping limit 633.25
    assert let(w, {"income_bands": {"enabled": False}})[0] == [1]
    w = tiny_world(hhs, [social(rent=700.0)])
    assert let(w, {"income_appropriate": {"enabled": False}, "income_bands": {"enabled": False}})[0] == [0]


def test_80_10_10_keeps_the_free_band_to_ten_percent():
    # One high income registered longest, ten low incomes: the high income may take the home
    # only once ten per cent of lettings has room: (free + 1) <= 0.1 * (lettings + 1).
    hhs = [seeker(-500, income=60000.0)] + [seeker(-100 + i, income=30000.0) for i in range(10)]
    w = tiny_world(hhs, [social() for _ in range(11)])
    rows, _, dws, _ = let(w, {"income_bands": {"enabled": True}})
    assert len(rows) == 11
    assert rows.index(0) == 9  # the tenth letting
    w = tiny_world(hhs, [social() for _ in range(11)])
    assert let(w, {"income_bands": {"enabled": False}})[0][0] == 0


# -- labels --------------------------------------------------------------------------------------
def test_wheelchair_home_only_for_wheelchair_users_unless_spill_over():
    w = tiny_world([seeker(-100), seeker(-1, care=CareNeed.WHEELCHAIR)], [social(label=Label.WHEELCHAIR)])
    assert let(w)[0] == [1]
    w = tiny_world([seeker(-100)], [social(label=Label.WHEELCHAIR)])
    assert let(w)[0] == []
    w = tiny_world([seeker(-100)], [social(label=Label.WHEELCHAIR)])
    assert let(w, {"labels": {"spill_over": True}})[0] == [0]


# -- movers who free a social home ----------------------------------------------------------------
def test_senior_leaving_a_family_home_gets_priority_and_starts_a_chain():
    hhs = [seeker(-100), seeker(-1, age=70 * 12, dwelling=1)]
    dws = [social(rooms=2), social(rooms=5)]
    w = tiny_world(hhs, dws)
    rows, routes, _, _ = let(w, {"mover_priority": {"enabled": True}})
    assert rows[0] == 1 and routes[0] == "mover_priority"
    # The senior moved and the family home fell vacant; the single seeker is not offered it (5
    # rooms is more than a single's need plus max_extra_rooms), so it waits for a family.
    assert w.hh.dwelling[1] == 0 and w.dw.occupant[0] == 1
    assert w.dw.vacant[1] and w.dw.vacant_since[1] == w.month and rows == [1]
    w = tiny_world(hhs, dws)
    assert let(w)[0][0] == 0


# -- local ties ------------------------------------------------------------------------------------
def test_local_ties_keep_a_share_for_residents():
    # GM0589 Oudewater and GM0331 Lopik are both in COROP Utrecht.
    hhs = [seeker(-100, municipality=1, regional=True), seeker(-5, municipality=0)]
    w = tiny_world(hhs, [social(municipality=0)], municipalities=("GM0589", "GM0331"))
    assert let(w)[0] == [0]  # the regional seeker from Lopik wins in Oudewater
    w = tiny_world(hhs, [social(municipality=0)], municipalities=("GM0589", "GM0331"))
    assert let(w, {"local_ties": {"enabled": True, "share": 0.5}}, seed=3)[0] in ([0], [1])
    w = tiny_world(hhs, [social(municipality=0)], municipalities=("GM0589", "GM0331"))
    # share 0.5 is the legal maximum; with every vacancy drawn local the resident wins
    results = set()
    for seed in range(20):
        w = tiny_world(hhs, [social(municipality=0)], municipalities=("GM0589", "GM0331"))
        results.add(let(w, {"local_ties": {"enabled": True, "share": 0.5}}, seed=seed)[0][0])
    assert results == {0, 1}


# -- neighbourhood cap -------------------------------------------------------------------------------
def test_neighbourhood_cap_stops_vulnerable_lettings():
    vuln = seeker(-100, labels=Flag.HOMELESS_HISTORY)
    w = tiny_world([vuln, seeker(-5)], [social()])
    assert let(w, {"neighbourhood_cap": {"enabled": True, "max_share": 0.0}})[0] == [1]
    w = tiny_world([vuln, seeker(-5)], [social()])
    assert let(w, {"neighbourhood_cap": {"enabled": True, "max_share": 1.0}})[0] == [0]


# -- acceptance --------------------------------------------------------------------------------------
def test_refusals_pass_the_offer_on_and_seniors_are_reluctant():
    acc = {"enabled": True, "refusal": 1.0, "weak_neighbourhood_refusal": 0.0, "max_offers": 5}
    w = tiny_world([seeker(-100), seeker(-50)], [social()])
    rows, _, _, res = let(w, {"acceptance": acc})
    assert rows == [] and res.refusals == 2
    # A senior in a social home refuses a dearer home elsewhere but not one that pays.
    acc = {"enabled": True, "refusal": 0.0, "weak_neighbourhood_refusal": 0.0, "senior_accept": 0.0, "senior_accept_if_pays": 1.0}
    w = tiny_world([seeker(-100, age=75 * 12, dwelling=1), seeker(-50)], [social(rent=700.0), social(rent=500.0)])
    rows, _, _, _ = let(w, {"acceptance": acc, "income_bands": {"enabled": False}})
    assert rows == [1]
    w = tiny_world([seeker(-100, age=75 * 12, dwelling=1), seeker(-50)], [social(rent=450.0), social(rent=500.0)])
    assert let(w, {"acceptance": acc})[0][0] == 0


def test_a_refuser_stays_in_the_queue_for_the_next_home():
    acc = {"enabled": True, "refusal": 0.5, "weak_neighbourhood_refusal": 0.0, "max_offers": 20}
    for seed in range(10):
        w = tiny_world([seeker(-100 + i) for i in range(6)], [social() for _ in range(6)])
        rows, _, _, _ = let(w, {"acceptance": acc}, seed=seed)
        assert len(set(rows)) == len(rows)
        w.check()


def test_student_rooms_are_not_let_as_social_homes():
    w = tiny_world([seeker(-10)], [social(rooms=1, label=Label.STUDENT)])
    assert let(w)[0] == []
