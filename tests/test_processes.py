"""Hand-computed small cases for each monthly process."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import tiny_world

from abm.codes import CareNeed, InstitutionKind, Label, Place, Tenure, VacancyCause
from abm.households import NEVER
from abm.processes import construction, demography, economy, flows
from abm.tables import monthly_death_probability, monthly_leave_home_hazard


def social(rooms=3, rent=500.0, **kw):
    return {"tenure": Tenure.SOCIAL, "rooms": rooms, "rent": rent, "corporation": 0, **kw}


def test_ageing_adds_one_month_to_present_households_only():
    w = tiny_world([{"age": 240}, {"age": 500, "place": Place.GONE}], [])
    demography.ageing(w)
    assert w.hh.age.tolist() == [241, 500]


def test_monthly_death_probability_from_cbs_qx():
    # CBS 2019: men aged 81 qx = 0.05554 -> monthly 1 - (1 - 0.05554) ** (1/12)
    assert monthly_death_probability()[0, 81] == pytest.approx(1 - (1 - 0.05554) ** (1 / 12))
    assert monthly_death_probability()[1, 21] == pytest.approx(1 - (1 - 0.00013) ** (1 / 12))


def test_single_dies_home_falls_vacant_couple_shrinks():
    n = 4000
    dws = [social() for _ in range(2 * n)]
    hhs = [{"age": 81 * 12, "dwelling": i, "adults": 1, "size": 1} for i in range(n)]
    hhs += [{"age": 81 * 12, "dwelling": n + i, "adults": 2, "size": 2} for i in range(n)]
    w = tiny_world(hhs, dws, mortality_multiplier=5.0)
    w.start_month(1)
    demography.deaths(w, np.random.default_rng(1))
    q = monthly_death_probability()[0, 81] * 5.0
    singles_dead = int((w.hh.place[:n] == Place.GONE).sum())
    couples_hit = int((w.hh.adults[n:] == 1).sum())
    # Expected n*q singles and n*2q couples losing a partner; allow 4 standard deviations.
    assert abs(singles_dead - n * q) < 4 * np.sqrt(n * q)
    assert abs(couples_hit - 2 * n * q) < 4 * np.sqrt(2 * n * q)
    dead = np.flatnonzero(w.hh.place[:n] == Place.GONE)
    assert np.all(w.dw.occupant[dead] == -1)
    assert np.all(w.dw.vacancy_cause[dead] == VacancyCause.DEATH)
    assert np.all(w.hh.size[n:][w.hh.adults[n:] == 1] == 1)
    assert np.all(w.hh.place[n:] == Place.DWELLING)
    assert w.counters.outflow["death"] == singles_dead
    w.check()


def test_leave_home_hazard_matches_cbs_shares():
    # 57.8 % of 22-year-olds and 48.3 % of 23-year-olds live with their parents (CBS 2021).
    yearly = 1 - 48.3 / 57.8
    assert monthly_leave_home_hazard()[22] == pytest.approx(1 - (1 - yearly) ** (1 / 12))
    assert monthly_leave_home_hazard()[15] == 0.0


def test_young_adults_start_seeking_at_the_cbs_rate():
    n = 20000
    w = tiny_world([{"age": 22 * 12, "place": Place.LIVING_IN} for _ in range(n)], [])
    demography.leave_home_wish(w, np.random.default_rng(2))
    h = monthly_leave_home_hazard()[22]
    k = int(w.hh.seeking.sum())
    assert abs(k - n * h) < 4 * np.sqrt(n * h)
    assert np.all(w.hh.registered[w.hh.seeking] == 0)  # registered when they start seeking


def test_separation_splits_the_household_and_keeps_persons():
    n = 3000
    w = tiny_world(
        [{"dwelling": i, "adults": 2, "size": 4, "income_base": 40000.0} for i in range(n)],
        [social(rooms=4) for _ in range(n)],
        separation_rate=0.9,
        separation_womens_shelter_share=0.0,
    )
    w.start_month(1)
    persons_before = int(w.hh.size.sum())
    new = demography.separations(w, np.random.default_rng(3), 0, np.ones(1, bool))
    assert new.size > 0
    assert int(w.hh.size.sum()) == persons_before  # the leaving partner is a new 1-person row
    assert np.all(w.hh.place[new] == Place.LIVING_IN) and np.all(w.hh.seeking[new])
    w.check()


def test_arrears_court_and_eviction_all_or_nothing():
    n = 500
    for share, expect_evicted in ((1.0, n), (0.0, 0)):
        w = tiny_world(
            [{"dwelling": i, "arrears": True} for i in range(n)],
            [social() for _ in range(n)],
            arrears_exit_rate=0.0,
            court_rate=1.0,
            arrears_entry_rate=0.0,
        )
        w.start_month(1)
        evicted = economy.arrears_and_evictions(w, np.random.default_rng(4), np.array([share, share]))
        assert evicted.size == expect_evicted
        assert w.counters.court_cases == n
        assert w.counters.evictions_averted == n - expect_evicted
        assert int((w.hh.place == Place.DWELLING).sum()) == n - expect_evicted
        assert np.all(np.isin(w.hh.place[evicted], (Place.HOMELESS, Place.LIVING_IN)))
        w.check()


def test_arrears_steady_state_share():
    # entry e and exit x per month give a steady share e / (e + x) in arrears.
    n = 20000
    w = tiny_world([{"dwelling": i} for i in range(n)], [social() for _ in range(n)], court_rate=0.0)
    rng = np.random.default_rng(5)
    for month in range(1, 40):
        w.start_month(month)
        economy.arrears_and_evictions(w, rng, np.array([0.0, 0.0]))
    p = w.params
    expected = p.arrears_entry_rate / (p.arrears_entry_rate + p.arrears_exit_rate)
    assert w.hh.arrears.mean() == pytest.approx(expected, abs=0.006)


def test_moving_frees_the_old_home_and_resets_registration():
    w = tiny_world([{"dwelling": 0, "registered": -50, "seeking": True}], [social(), social()])
    w.start_month(1)
    w.move_in(np.array([0]), np.array([1]), social=True)
    assert w.dw.occupant.tolist() == [-1, 0]
    assert w.dw.vacancy_cause[0] == VacancyCause.MOVE_WITHIN
    assert w.hh.registered[0] == NEVER and not w.hh.seeking[0]
    w.check()


def test_young_adult_leaving_home_shrinks_the_host():
    w = tiny_world([{"dwelling": 0, "size": 3, "adults": 2}, {"age": 20 * 12, "host": 0}], [social(), social(rooms=2)])
    w.move_in(np.array([1]), np.array([1]), social=True)
    assert w.hh.size[0] == 2 and w.hh.host[1] == -1


def test_pipeline_completes_on_time_as_vacant_new_builds():
    w = tiny_world([], [social()])
    pipe = construction.Pipeline()
    pipe.start(3, 0, Tenure.SOCIAL, 5, corporation=0)
    for month in (1, 2):
        w.start_month(month)
        assert construction.complete(w, pipe, np.random.default_rng(0)).size == 0
    w.start_month(3)
    rows = construction.complete(w, pipe, np.random.default_rng(0))
    assert rows.size == 5 and pipe.under_construction == 0
    assert np.all(w.dw.vacancy_cause[rows] == VacancyCause.NEW_BUILD) and np.all(w.dw.built[rows] == 3)
    assert np.all(w.dw.rent[rows] <= 752.33)
    w.check()


def test_flex_site_closes_and_tenant_must_leave():
    w = tiny_world([{"dwelling": 0}], [social(end_month=5, rooms=1), social(end_month=5, rooms=1)], temporary_grace_months=2)
    w.start_month(5)
    construction.close_sites(w)
    assert not w.dw.exists[1] and w.dw.exists[0]  # vacant unit goes, occupied unit waits
    assert w.hh.contract_end[0] == 5
    rng = np.random.default_rng(0)
    flows.contracts_ending(w, rng)
    assert w.hh.seeking[0] and w.hh.place[0] == Place.DWELLING
    w.start_month(7)
    flows.contracts_ending(w, rng)
    assert w.hh.place[0] == Place.LIVING_IN
    construction.close_sites(w)
    assert not w.dw.exists[0]
    w.check()


def test_mobility_need_makes_seniors_seek_a_zero_step_home():
    n = 5000
    w = tiny_world(
        [{"dwelling": i, "age": 90 * 12} for i in range(n)],
        [social(dtype=0) for _ in range(n)],
        mobility_need_rate_75=0.5,
        nursing_rate_85=0.0,
    )
    w.start_month(1)
    demography.care_needs(w, np.random.default_rng(6), np.ones(1, bool))
    needy = w.hh.care > CareNeed.NONE
    assert needy.sum() > 100
    assert np.all(w.hh.seeking[needy])  # family houses are not zero-step
    assert not np.any(w.hh.seeking[~needy])


def test_refugees_arrive_in_asylum_centres_at_the_quota_rate():
    w = tiny_world([], [])
    rng = np.random.default_rng(8)
    persons = 0
    for month in range(1, 61):
        w.start_month(month)
        rows = flows.refugees(w, rng, np.array([600.0]))  # 600 persons per half year
        persons += int(w.hh.size[rows].sum())
    assert persons == pytest.approx(600 * 10, rel=0.1)
    assert np.all(w.hh.institution[w.hh.place == Place.INSTITUTION] == InstitutionKind.ASYLUM_CENTRE)
    assert np.all(w.hh.seeking)


def test_children_come_of_age_and_live_in_with_their_parents():
    n = 5000
    w = tiny_world(
        [{"dwelling": i, "adults": 2, "size": 4} for i in range(n)], [social(rooms=4) for _ in range(n)], child_comes_of_age_rate=0.5
    )
    w.start_month(1)
    demography.coming_of_age(w, np.random.default_rng(9))
    new = np.flatnonzero(w.hh.place == Place.LIVING_IN)
    p = demography.monthly(0.5) * 2  # two minors each
    assert abs(new.size - n * p) < 4 * np.sqrt(n * p)
    assert np.all(w.hh.age[new] == 18 * 12) and np.all(w.hh.host[new] < n)
    assert w.counters.inflow["came_of_age"] == new.size
    w.check()


def test_a_national_run_loses_households_only_to_emigration():
    from abm.tables import yearly_move_rates

    n = 20000
    for national in (True, False):
        w = tiny_world([{"dwelling": i, "age": 25 * 12} for i in range(n)], [social() for _ in range(n)])
        w.start_month(1)
        flows.leave_region(w, np.random.default_rng(10), national=national)
        between, emigrate = yearly_move_rates()
        rate = emigrate[25] + (0 if national else w.params.leave_region_share * between[25])
        p = demography.monthly(rate)
        k = int((w.hh.place == Place.GONE).sum())
        assert abs(k - n * p) < 4 * np.sqrt(n * p) + 1
        assert np.all(w.dw.vacancy_cause[w.dw.occupant < 0] == VacancyCause.LEFT_REGION)


def test_shelter_admits_homeless_only_up_to_its_capacity():
    from abm import institutions

    w = tiny_world(
        [{"place": Place.HOMELESS, "seeking": True, "registered": 0} for _ in range(400)],
        [],
        shelter_entry_rate=1.0,
        new_homeless_rate=0.0,
        homeless_other_exit_rate=0.0,
    )
    cap = np.zeros((6, 1))
    cap[InstitutionKind.SHELTER, 0] = 25
    w.start_month(1)
    institutions.step(w, cap, np.random.default_rng(11))
    occ = institutions.occupancy(w)
    assert occ[InstitutionKind.SHELTER, 0] == 25
    assert int((w.hh.place == Place.HOMELESS).sum()) == 375
    w.check()


def test_students_arrive_in_september_only():
    rooms = [{"tenure": Tenure.PRIVATE, "rooms": 1, "rent": 450.0, "label": Label.STUDENT, "dtype": 4} for _ in range(480)]
    w = tiny_world([], rooms, student_room_shortage=0.3)
    rng = np.random.default_rng(12)
    for month in range(1, 13):
        w.start_month(month)
        flows.students(w, rng)
        if month != 9:
            assert w.counters.inflow["student"] == 0
    # 480 empty rooms to let, a shortage of 30 %: about 624 new students a year, all in September (month 9).
    assert abs(int((w.hh.place != Place.GONE).sum()) - 624) < 4 * np.sqrt(624)


def test_market_lets_student_rooms_to_students_and_the_rest_to_newcomers():
    from abm.processes import market

    dws = [{"tenure": Tenure.PRIVATE, "rooms": 1, "rent": 450.0, "label": Label.STUDENT, "dtype": 4} for _ in range(5)]
    dws += [{"tenure": Tenure.OWNER, "rooms": 4, "rent": 1500.0} for _ in range(5)]
    hhs = [{"labels": np.uint16(2), "place": Place.LIVING_IN, "age": 19 * 12} for _ in range(3)]
    w = tiny_world(hhs, dws, market_fill_rate=1.0)
    w.start_month(1)
    market.step(w, np.random.default_rng(13))
    assert np.all(w.hh.place[:3] == Place.DWELLING)
    assert np.all(w.dw.label[w.hh.dwelling[:3]] == Label.STUDENT)
    # Newcomers arrive at newcomer_rate per housed household (none housed here): the owner homes
    # and 2 student rooms stay empty.
    assert w.counters.inflow.get("newcomer", 0) == 0
    assert int(w.dw.vacant.sum()) == 7
    w.check()


def test_bernoulli_rows_is_a_bernoulli_process():
    rng = np.random.default_rng(14)
    n, p = 200_000, 0.03
    counts = np.zeros(n)
    for _ in range(20):
        rows = demography.bernoulli_rows(rng, n, p)
        assert np.all(np.diff(rows) > 0) and rows.max() < n
        counts[rows] += 1
    # Each row chosen with probability p per draw: mean p, uniform over positions.
    assert counts.mean() / 20 == pytest.approx(p, rel=0.02)
    assert counts[: n // 2].sum() == pytest.approx(counts[n // 2 :].sum(), rel=0.03)
    assert demography.bernoulli_rows(rng, 10, 1.0).tolist() == list(range(10))
    assert demography.bernoulli_rows(rng, 10, 0.0).size == 0
