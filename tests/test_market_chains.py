"""The whole market, so chains run across tenures (issue 11, section 2; abm/processes/market.py).

Hand-built worlds: a chain from a new owner-occupied home through an owner-occupied and a
social home to a starter, counted by the chain log; movers follow the CBS rates by age (on a
synthetic population); new owner-occupied homes go to housed couples at the parameter's
share; and, over paired seeds, market turnover makes the chains of new builds longer.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import tiny_world

from abm import HousingModel
from abm.allocation import AllocationPolicy, Allocator
from abm.chains import PASSED, cohort_summary
from abm.codes import ChainEnd, Place, Tenure, VacancyCause
from abm.processes import market
from abm.processes.demography import monthly
from abm.tables import _read

NB = VacancyCause.NEW_BUILD
QUIET = dict(market_fill_rate=1.0, newcomer_rate=0.0)  # every vacancy on offer, no newcomers


def home(tenure, rooms=4, rent=900.0, **kw):
    return {"tenure": tenure, "rooms": rooms, "rent": rent, "corporation": 0 if tenure == Tenure.SOCIAL else -1, **kw}


def test_new_owner_homes_go_to_couples_of_their_own_corop_region():
    # New owner-occupied homes in Oudewater (COROP Utrecht, 0-19) and Amsterdam (20-39); 20 housed
    # couples who can buy, all in Amsterdam (homes 40-59). The couples are sampled in the new home's
    # COROP region, so no couple buys in Oudewater (a regression: the new homes were shuffled after
    # their COROP keys were taken).
    dws = [home(Tenure.OWNER, municipality=m) for m in (0, 1) for _ in range(20)] + [home(Tenure.OWNER, municipality=1) for _ in range(20)]
    hhs = [{"dwelling": 40 + i, "municipality": 1, "size": 2, "adults": 2, "income": 70000.0} for i in range(20)]
    w = tiny_world(hhs, dws, municipalities=("GM0589", "GM0363"), new_owner_couple_share=1.0, buy_rate=0.0, market_turnover=0.0, **QUIET)
    w.start_month(1)
    w.vacate(np.arange(40), NB)
    market.step(w, np.random.default_rng(1))
    assert (w.dw.occupant[:20] == -1).all(), "no couple buys a new home in another COROP region"
    assert (w.dw.occupant[20:40] >= 0).all()
    w.check()


def test_chain_from_a_new_owner_home_runs_through_an_owner_and_a_social_home_to_a_starter():
    # Home 0: new owner-occupied. Home 1: owner-occupied, a housed couple. Home 2: social, a
    # middle-income single who buys (buy_rate 1). Household 2: a starter living in, seeking a
    # social home. The couple buys the new home, the social tenant its old home, the starter
    # gets the social home by allocation: one new-build chain, 2 vacated and re-occupied.
    dws = [home(Tenure.OWNER), home(Tenure.OWNER), home(Tenure.SOCIAL, rooms=2, rent=500.0)]
    hhs = [
        {"dwelling": 1, "size": 2, "adults": 2, "income": 70000.0},
        {"dwelling": 2, "size": 1, "income": 50000.0},
        {"place": Place.LIVING_IN, "size": 1, "age": 24 * 12, "income": 20000.0, "registered": -60, "seeking": True},
    ]
    w = tiny_world(hhs, dws, new_owner_couple_share=1.0, buy_rate=1.0, market_turnover=0.0, **QUIET)
    w.start_month(1)
    w.vacate(np.array([0]), NB)
    market.step(w, np.random.default_rng(1))
    assert w.hh.dwelling[0] == 0 and w.hh.dwelling[1] == 1, "couple to the new build, social tenant buys its old home"
    assert w.dw.occupant[2] == -1
    a = Allocator(AllocationPolicy.seniority_only(), n_corporations=1, n_neighbourhoods=len(w.region.nbh_municipality))
    a.allocate(w, np.random.default_rng(0), np.zeros(w.region.size), {})
    assert w.hh.dwelling[2] == 2
    w.check()
    ev = w.chains.events()
    assert ev["chain"].tolist() == [0, 0, 0] and ev["link"].tolist() == [1, 2, 3]
    assert ev["kind"].tolist() == [PASSED, PASSED, ChainEnd.STARTER]
    assert ev["tenure"].tolist() == [Tenure.OWNER, Tenure.OWNER, Tenure.SOCIAL]
    s = cohort_summary(w, year=1)
    assert s["vacated_per_start"] == 2 and s["reoccupied_per_start"] == 2 and s["end_share_starter"] == 1
    assert np.concatenate(w.counters.moved_up).tolist() == [1]  # left the social stock


def test_without_turnover_or_couples_the_new_build_chain_ends_at_once():
    dws = [home(Tenure.OWNER), home(Tenure.OWNER)]
    hhs = [{"dwelling": 1, "size": 2, "adults": 2, "income": 70000.0}, {"place": Place.LIVING_IN, "income": 60000.0, "seeking": True}]
    w = tiny_world(hhs, dws, new_owner_couple_share=0.0, buy_rate=0.0, market_turnover=0.0, **QUIET)
    w.start_month(1)
    w.vacate(np.array([0]), NB)
    market.step(w, np.random.default_rng(1))
    assert w.hh.dwelling[1] == 0 and w.hh.dwelling[0] == 1  # the rich starter, not the couple
    assert w.chains.events()["kind"].tolist() == [ChainEnd.STARTER]


def cbs_rate(age: int, leave_share: float) -> float:
    df = _read("moving_rates_by_age_2017.csv").set_index("age")
    r = df.loc[age]
    return (r["pct_moved_within_municipality"] + (1 - leave_share) * r["pct_moved_between_municipalities"]) / 100


def test_region_move_rates_partition_the_between_municipality_moves_with_leave_region():
    total, local = market.region_move_rates(False, 0.45)
    assert total[30] == pytest.approx(cbs_rate(30, 0.45))
    national, _ = market.region_move_rates(True, 0.45)
    assert national[30] == pytest.approx(cbs_rate(30, 0.0))
    df = _read("moving_rates_by_age_2017.csv").set_index("age")
    assert local[30] == pytest.approx(df.loc[30, "pct_moved_within_municipality"] / 100 / total[30])


@pytest.mark.parametrize("turnover", [1.0, 2.0])
def test_movers_follow_the_cbs_rates_by_age(turnover):
    # 3,000 owner-occupiers aged 25 and 3,000 aged 70 in one municipality, 3,000 more homes
    # vacant: homes never limit the moves. Moves in 4 months against the CBS rates.
    n, months = 3000, 4
    dws = [home(Tenure.OWNER, rooms=3, rent=800.0) for _ in range(3 * n)]
    hhs = [{"dwelling": i, "size": 1, "income": 80000.0, "age": (25 if i < n else 70) * 12} for i in range(2 * n)]
    w = tiny_world(hhs, dws, new_owner_couple_share=0.0, buy_rate=0.0, market_turnover=turnover, **QUIET)
    moved = np.zeros(2 * n)
    for k in range(months):
        w.start_month(k + 1)
        market.step(w, np.random.default_rng(100 + k))
        rows = np.concatenate(w.counters.moves)
        np.add.at(moved, rows, 1)
        w.hh.age[:] = np.where(np.arange(w.hh.n) < n, 25 * 12, 70 * 12)  # ages stay put
    w.check()
    for ages, age in ((slice(0, n), 25), (slice(n, 2 * n), 70)):
        expected = n * months * monthly(min(turnover * cbs_rate(age, w.params.leave_region_share), 1.0))
        got = moved[ages].sum()
        assert abs(got - expected) < 4 * np.sqrt(expected) + 2, (age, got, expected)


@pytest.mark.parametrize("share", [0.3, 0.8])
def test_new_owner_homes_go_to_housed_couples_at_the_parameters_share(share):
    # 400 new owner-occupied homes; 2,000 housed couples who can buy; 1,000 rich starters take
    # what the couples do not (nobody else moves).
    n_new, n_couples = 400, 2000
    dws = [home(Tenure.OWNER) for _ in range(n_new + n_couples)]
    hhs = [{"dwelling": n_new + i, "size": 2, "adults": 2, "income": 70000.0} for i in range(n_couples)]
    hhs += [{"place": Place.LIVING_IN, "size": 1, "income": 60000.0, "seeking": True} for _ in range(1000)]
    w = tiny_world(hhs, dws, new_owner_couple_share=share, buy_rate=0.0, market_turnover=0.0, **QUIET)
    w.start_month(1)
    w.vacate(np.arange(n_new), NB)
    market.step(w, np.random.default_rng(7))
    occ = w.dw.occupant[:n_new]
    assert (occ >= 0).all()
    couples = int((occ < n_couples).sum())
    sd = np.sqrt(n_new * share * (1 - share))
    assert abs(couples - share * n_new) < 4 * sd, (couples, share * n_new)
    # Their old homes continue the chains: every couple's move vacated a home.
    ev = w.chains.events()
    assert int((ev["kind"] == PASSED).sum()) == couples


def test_market_turnover_makes_new_build_chains_longer():
    """Paired seeds: with market turnover on (CBS rates), new builds of the first year start
    longer chains than with it off."""
    out = {}
    for seed in (1, 2):
        for turnover in (0.0, 1.0):
            m = HousingModel(scenario="small", rng=seed, params={"market_turnover": turnover})
            m.run(24)
            out[seed, turnover] = cohort_summary(m, year=1)["vacated_per_start"]
    for seed in (1, 2):
        assert out[seed, 1.0] > out[seed, 0.0] + 0.2, out
