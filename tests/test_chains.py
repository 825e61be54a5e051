"""Vacancy chains (verhuisketens) as CBS counts them (issue 11, section 2; abm/chains.py).

Hand-built worlds with known chains, computed by hand: per new build the dwellings vacated
and re-occupied per link, the first link re-occupied, the kind of household that ends the
chain and at which link; open chains counted as far as they got; the start cause kept along
the chain; movers without a home of their own vacate nothing; chains cross tenures.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import tiny_world
from test_event_groups import measure, value

from abm import HousingModel
from abm.allocation import AllocationPolicy, Allocator
from abm.chains import PASSED, cohort_summary, cohort_table
from abm.codes import ChainEnd, Place, Tenure, VacancyCause
from abm.processes.construction import close_sites

NB = VacancyCause.NEW_BUILD


def home(tenure=Tenure.SOCIAL, rooms=2, **kw):
    return {"tenure": tenure, "rooms": rooms, "rent": 500.0, "corporation": 0 if tenure == Tenure.SOCIAL else -1, **kw}


def tenant(dwelling, **kw):
    return {"dwelling": dwelling, "size": 1, "income": 30000.0, **kw}


def starter(**kw):
    return {"place": Place.LIVING_IN, "size": 1, "age": 22 * 12, "income": 20000.0, **kw}


def chain_world(n_tenants=2, **starter_kw):
    """Dwelling 0: vacant, to be completed as a new build. Dwellings 1..n: social homes of
    tenants 0..n-1. Household n: a starter living in with the parents (household n+1 in the
    last dwelling)."""
    dws = [home(), *[home() for _ in range(n_tenants)], home(rooms=4)]
    hhs = [tenant(i + 1) for i in range(n_tenants)]
    hhs += [starter(host=n_tenants + 1, **starter_kw), tenant(n_tenants + 1, size=3, adults=2)]
    w = tiny_world(hhs, dws)
    w.start_month(1)
    w.vacate(np.array([0]), NB)  # completion (construction.complete does this)
    return w


def test_new_build_chain_of_three_links_counted_by_hand():
    # New build <- social tenant 0 (leaves home 1) <- tenant 1 (leaves home 2) <- starter 2
    # living in with its parents (leaves no home): 2 vacated, 2 re-occupied, first link
    # re-occupied, the chain ends at link 3 with a starter.
    w = chain_world()
    w.move_in(np.array([0]), np.array([0]), social=False)
    w.move_in(np.array([1]), np.array([1]), social=True)
    w.move_in(np.array([2]), np.array([2]), social=True)
    w.check()
    out = measure(w)
    assert value(out, "chain_vacated_per_new_build") == 2
    assert value(out, "chain_reoccupied_per_new_build") == 2
    assert value(out, "chain_reoccupied_first_link_per_new_build") == 1
    assert value(out, "chain_end_share_starter") == 1 and value(out, "chain_end_share_newcomer") == 0
    assert value(out, "chains_ended") == 1 and value(out, "chains_ended_starter") == 1
    assert value(out, "chain_moves_mean_new_build") == 3
    assert value(out, "chains_open_new_build") == 0
    s = cohort_summary(w, months=(1, 1))
    assert s["chains"] == 1 and s["vacated_per_start"] == 2 and s["reoccupied_per_start"] == 2
    assert s["first_link_reoccupied_per_start"] == 1 and s["first_link_reoccupied_share"] == 1
    assert s["start_occupied_share"] == 1 and s["open_share"] == 0 and s["moves_per_start"] == 3
    assert s["end_share_starter"] == 1
    t = cohort_table(w, months=(1, 1))
    assert t["vacated"].tolist() == [1, 1, 1, 0] and t["reoccupied"].tolist() == [1, 1, 1, 0]
    assert t["ended_starter"].tolist() == [0, 0, 0, 1] and t.loc[3, "end_share_starter"] == 1
    # The parents' home stays occupied: the starter vacated nothing.
    assert w.dw.occupant[3] == 3 and w.hh.size[3] == 2


def test_share_of_movers_by_kind_per_link_as_cbs_publishes_it():
    # Two new builds: 0 <- tenant (leaves home 2) <- starter living in; 1 <- newcomer from
    # outside the region. Link 1: a mover who passed a home on and a newcomer (half each);
    # link 2: a starter. CBS publishes per link the share of the households that are starters.
    dws = [home(), home(), home(), home(rooms=4)]
    hhs = [tenant(2), starter(host=2), tenant(3, size=3, adults=2), starter()]
    w = tiny_world(hhs, dws)
    w.start_month(1)
    w.vacate(np.array([0, 1]), NB)
    w.move_in(np.array([0]), np.array([0]), social=False)
    w.move_in(np.array([1]), np.array([2]), social=True)
    w.move_in(np.array([3]), np.array([1]), social=False, newcomers=True)
    w.check()
    t = cohort_table(w, months=(1, 1))
    assert t.loc[1, "mover_share_passed"] == 0.5 and t.loc[1, "mover_share_newcomer"] == 0.5 and t.loc[1, "mover_share_starter"] == 0
    assert t.loc[2, "mover_share_starter"] == 1 and t.loc[2, "mover_share_passed"] == 0
    assert np.isnan(t.loc[0, "mover_share_starter"])  # nobody moves in at link 0 (the start dwelling itself)
    s = cohort_summary(w, months=(1, 1))
    assert s["mover_share_passed"] == s["mover_share_starter"] == s["mover_share_newcomer"] == pytest.approx(1 / 3)
    assert s["end_share_starter"] == s["end_share_newcomer"] == 0.5 and s["moves_per_start"] == 1.5


def test_open_chain_at_the_end_is_counted_as_far_as_it_got():
    w = chain_world()
    w.move_in(np.array([0]), np.array([0]), social=False)
    w.move_in(np.array([1]), np.array([1]), social=True)  # home 2 falls vacant, nobody takes it
    out = measure(w)
    assert value(out, "chain_vacated_per_new_build") == 2 and value(out, "chain_reoccupied_per_new_build") == 1
    assert value(out, "chains_ended") == 0 and np.isnan(value(out, "chain_end_share_starter"))
    assert value(out, "chains_open_new_build") == 1
    s = cohort_summary(w, year=1)
    assert s["chains"] == 1 and s["vacated_per_start"] == 2 and s["reoccupied_per_start"] == 1 and s["open_share"] == 1
    t = cohort_table(w, year=1)
    assert t["open"].tolist() == [0, 0, 1] and t["ended"].sum() == 0
    # Next month the starter takes home 2: the chain ends; the first month's window still sees it open.
    w.start_month(2)
    w.move_in(np.array([2]), np.array([2]), social=True)
    out = measure(w)
    assert np.isnan(value(out, "chain_reoccupied_per_new_build"))  # 1 re-occupied, but no new build this month
    assert value(out, "chain_end_share_starter") == 1 and value(out, "chain_moves_mean_new_build") == 3
    assert cohort_summary(w, year=1)["open_share"] == 0
    assert cohort_summary(w, year=1, until=1)["open_share"] == 1
    assert cohort_summary(w, year=1, window=0)["reoccupied_per_start"] == 1


def test_a_new_build_still_empty_is_an_open_chain_at_link_zero():
    w = chain_world()
    s = cohort_summary(w, year=1)
    assert s["chains"] == 1 and s["start_occupied_share"] == 0 and s["open_share"] == 1 and s["vacated_per_start"] == 0
    assert value(measure(w), "chains_open_new_build") == 1


def test_mover_who_leaves_no_home_vacates_nothing():
    # A young adult leaving the parental home takes the new build: the chain ends at link 1.
    w = chain_world()
    w.move_in(np.array([2]), np.array([0]), social=True)
    assert w.dw.occupant[3] == 3 and not w.dw.vacant[3]
    s = cohort_summary(w, year=1)
    assert s["vacated_per_start"] == 0 and s["first_link_vacated_per_start"] == 0 and s["end_share_starter"] == 1
    assert np.isnan(s["first_link_reoccupied_share"])
    assert cohort_table(w, year=1)["ended_starter"].tolist() == [0, 1]


@pytest.mark.parametrize(
    ("end_kind", "place", "newcomers"),
    [
        (ChainEnd.NEWCOMER, Place.LIVING_IN, True),
        (ChainEnd.HOMELESS, Place.HOMELESS, False),
        (ChainEnd.INSTITUTION, Place.INSTITUTION, False),
    ],
)
def test_the_kind_of_household_that_ends_a_chain(end_kind, place, newcomers):
    w = chain_world(n_tenants=1)
    w.hh.place[1] = place
    w.hh.host[1] = -1
    if place == Place.INSTITUTION:
        w.hh.institution[1] = 0
    w.move_in(np.array([0]), np.array([0]), social=False)
    w.move_in(np.array([1]), np.array([1]), social=True, newcomers=newcomers)
    t = cohort_table(w, year=1)
    assert t[f"ended_{end_kind.name.lower()}"].tolist() == [0, 0, 1]
    assert value(measure(w), f"chain_end_share_{end_kind.name.lower()}") == 1


@pytest.mark.parametrize("cause", [VacancyCause.DEATH, VacancyCause.LEFT_REGION, VacancyCause.NURSING_HOME])
def test_a_chain_keeps_its_start_cause_along_its_links(cause):
    # Household 2 (in home 3) dies / leaves the region / enters a nursing home; tenant 0 takes
    # its home, tenant 1 takes tenant 0's: both links are in the chain of that cause.
    w = tiny_world([tenant(1), tenant(2), tenant(3)], [home(), home(), home(), home()])
    w.start_month(1)
    w.remove(np.array([2]), cause.name.lower(), cause)
    w.move_in(np.array([0]), np.array([3]), social=True)
    w.move_in(np.array([1]), np.array([1]), social=True)
    t = w.chains.table
    assert t.n == 1 and t.cause[0] == cause and t.moves[0] == 2 and t.end_kind[0] == -1
    assert w.dw.chain_id[2] == 0 and w.dw.chain_cause[2] == cause and w.dw.chain_moves[2] == 2
    s = cohort_summary(w, year=1, cause=cause.name.lower())
    assert s["chains"] == 1 and s["vacated_per_start"] == 2 and s["reoccupied_per_start"] == 1
    assert cohort_summary(w, year=1)["chains"] == 0  # not a new-build chain


def test_a_flex_chain_keeps_its_cause_and_ends_when_its_vacancy_leaves_the_stock():
    # A flex unit (site closing in month 3) is taken by tenant 0, whose home nobody takes: the
    # flex chain stays open at link 1. Tenant 0 leaves the region in month 3: that starts a new
    # chain at the flex unit, which ends at once as the site closes (demolished, 0 moves).
    w = tiny_world([tenant(1)], [home(end_month=3), home()])
    w.start_month(1)
    w.vacate(np.array([0]), VacancyCause.FLEX)
    w.move_in(np.array([0]), np.array([0]), social=False)
    assert w.chains.table.cause[w.dw.chain_id[1]] == VacancyCause.FLEX
    w.start_month(3)
    w.remove(np.array([0]), "left_region", VacancyCause.LEFT_REGION)
    close_sites(w)
    w.check()
    out = measure(w)
    assert not w.dw.exists[0] and value(out, "chains_ended_demolished") == 1 and value(out, "chains_ended") == 1
    assert value(out, "chain_moves_mean_left_region") == 0
    s = cohort_summary(w, year=1, cause="left_region")
    assert s["chains"] == 1 and s["end_share_demolished"] == 1 and s["open_share"] == 0
    s = cohort_summary(w, year=1, cause="flex")
    assert s["chains"] == 1 and s["vacated_per_start"] == 1 and s["open_share"] == 1


def test_a_demolished_link_ends_the_new_build_chain_at_that_link():
    # Flex tenant 0 takes the new build; the flex unit it left closes vacant: the new-build
    # chain ends by demolition after one move (1 vacated, 0 re-occupied).
    w = tiny_world([tenant(1)], [home(), home(end_month=2)])
    w.start_month(1)
    w.vacate(np.array([0]), NB)
    w.move_in(np.array([0]), np.array([0]), social=True)
    w.start_month(2)
    close_sites(w)
    t = cohort_table(w, year=1)
    assert t["vacated"].tolist() == [1, 1] and t["reoccupied"].tolist() == [1, 0] and t["ended_demolished"].tolist() == [0, 1]
    assert value(measure(w), "chain_end_share_demolished") == 1


def test_senior_move_on_chain_is_also_a_new_build_chain():
    # A senior (70) leaves a social family home (5 rooms) for the new build: the chain keeps its
    # start cause (new build) and is marked as a senior move-on chain. The old code re-labelled
    # it 'senior_move' only, so it was missing from the new-build chains.
    w = tiny_world([tenant(1, age=70 * 12), starter()], [home(), home(rooms=5)])
    w.start_month(1)
    w.vacate(np.array([0]), NB)
    w.move_in(np.array([0]), np.array([0]), social=False)
    w.move_in(np.array([1]), np.array([1]), social=True)
    out = measure(w)
    assert value(out, "chain_moves_mean_new_build") == 2 and value(out, "chain_moves_mean_senior_move") == 2
    assert value(out, "chain_vacated_per_new_build") == 1
    assert cohort_summary(w, year=1, cause="senior_move")["chains"] == 1
    assert cohort_summary(w, year=1)["chains"] == 1
    # A younger mover, or a small home left, is no senior move-on.
    w = tiny_world([tenant(1, age=60 * 12)], [home(), home(rooms=5)])
    w.start_month(1)
    w.vacate(np.array([0]), NB)
    w.move_in(np.array([0]), np.array([0]), social=False)
    assert cohort_summary(w, year=1, cause="senior_move")["chains"] == 0


def test_chains_run_across_tenures():
    # An owner-occupied new build is bought by a social tenant, whose social home goes to a
    # private tenant, whose private home goes to a newcomer from outside the region.
    w = tiny_world([tenant(1), tenant(2)], [home(Tenure.OWNER), home(), home(Tenure.PRIVATE)])
    w.start_month(1)
    w.vacate(np.array([0]), NB)
    w.move_in(np.array([0]), np.array([0]), social=False)
    w.move_in(np.array([1]), np.array([1]), social=True)
    rows = w.new_households(1, "newcomer", place=Place.LIVING_IN, municipality=0)
    w.move_in(rows, np.array([2]), social=False, newcomers=True)
    ev = w.chains.events()
    assert ev["chain"].tolist() == [0, 0, 0] and ev["link"].tolist() == [1, 2, 3]
    assert ev["kind"].tolist() == [PASSED, PASSED, ChainEnd.NEWCOMER]
    assert ev["tenure"].tolist() == [Tenure.OWNER, Tenure.SOCIAL, Tenure.PRIVATE]  # the home moved into
    s = cohort_summary(w, year=1)
    assert s["vacated_per_start"] == 2 and s["reoccupied_per_start"] == 2 and s["end_share_newcomer"] == 1


def test_allocation_rounds_make_the_links_of_a_chain():
    # The allocator lets the vacancy (an initial one) to the tenant of home 0 and then home 0
    # to the other seeker in the next round of the month: one chain of two links.
    seeker = {"registered": -100, "seeking": True, "size": 1, "income": 30000.0}
    w = tiny_world([{**seeker, "dwelling": 0}, {**seeker, "registered": -50}], [home(), home()])
    w.start_month(1)
    a = Allocator(AllocationPolicy.seniority_only(), n_corporations=1, n_neighbourhoods=len(w.region.nbh_municipality))
    a.allocate(w, np.random.default_rng(0), np.zeros(w.region.size), {})
    ev = w.chains.events()
    assert w.chains.table.cause.tolist() == [VacancyCause.INITIAL]
    assert ev["link"].tolist() == [1, 2] and ev["kind"].tolist() == [PASSED, ChainEnd.STARTER]


@pytest.fixture(scope="module")
def small_run():
    m = HousingModel(scenario="small", rng=1)
    seen = {}  # month -> (new builds, moves, move events, vacating events of new-build chains)

    def watch(model):
        c, t = model.world.counters, model.world.chains.table
        ev = [e for e in c.chain_events]
        seen[model.month] = (
            sum(int(np.count_nonzero(t.cause[i] == NB)) for i in c.chain_starts),
            sum(r.size for r in c.moves),
            sum(int(np.count_nonzero(e[2] != ChainEnd.DEMOLISHED)) for e in ev),
            sum(int(np.count_nonzero((e[2] == PASSED) & (t.cause[e[0]] == NB))) for e in ev),
        )

    m.run(24, callback=watch)
    return m, seen


def test_every_move_is_one_link_and_the_cohort_tables_add_up(small_run):
    m, seen = small_run
    months = sorted(seen)
    built, moves, events, vacated = (np.array([seen[k][i] for k in months]) for i in range(4))
    assert np.array_equal(moves, events) and moves.sum() > 0  # every move into a dwelling is one link of one chain
    f = m.indicators()
    tot = f[(f.municipality == "total") & (f.group == "all")].pivot(index="month", columns="indicator", values="value").loc[months]
    assert np.array_equal((tot["completions"] - tot["completions_flex"]).to_numpy(), built)  # one new-build chain per new build
    ratio = tot["chain_vacated_per_new_build"].to_numpy()
    assert np.allclose(ratio[built > 0] * built[built > 0], vacated[built > 0]) and np.isnan(ratio[built == 0]).all()
    total = 0.0
    for year in (1, 2):
        t = cohort_table(m, year=year)
        assert t.attrs["chains"] == built[(np.array(months) > 12 * (year - 1)) & (np.array(months) <= 12 * year)].sum()
        # vacated = re-occupied + open + demolished at every link; re-occupied(k) = moves at link k+1
        assert np.allclose(t["vacated"], t["reoccupied"] + t["open"] + t["ended_demolished"])
        assert np.allclose(t["reoccupied"].to_numpy()[:-1], (t["vacated"] + t["ended"] - t["ended_demolished"]).to_numpy()[1:])
        assert t.attrs["vacated_per_start"] > 0 and 0 < t.attrs["first_link_reoccupied_share"] <= 1
        total += t.attrs["vacated_per_start"] * t.attrs["chains"]
    assert total == pytest.approx(vacated.sum())  # the monthly flows add up to the cohorts' links
