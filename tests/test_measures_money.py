"""Measures that cost money and the devil's dilemma (issue 10, section 3): mechanism tests on
hand-built or small worlds, paired-seed sign tests, and the check that every parameter is read."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from abm import HousingModel, support
from abm.allocation import ROUTES
from abm.codes import Flag, Place, SupportBy, SupportLevel, Tenure
from abm.decisions import BOOKS, attract
from abm.params import Params
from abm.policies import measure_from_dict
from abm.processes.market import newcomer_homes
from abm.social_costs import SocialCostLedger, refugee_lettings, supported

ABM = Path(__file__).resolve().parents[1] / "abm"
COSTS = {"support_light_year": 6800.0, "support_intensive_year": 12000.0, "social_domain_refugee_year": 6000.0}


def small(measures=(), rng=1, households=3000):
    # Mechanism tests start from the data-based snapshot (no spin-up): they set the state by hand.
    return HousingModel(corop=["CR17"], households=households, measures=list(measures), params={"spinup_months": 0}, rng=rng)


# -- social-domain costs --------------------------------------------------------------------------
def test_support_costs_follow_the_support_given_by_level():
    """The Wmo part of the costs is the support actually given, per municipality and level."""
    ledger = SocialCostLedger(2, COSTS)
    supported = np.array([[2.0, 1.0], [0.0, 3.0]])  # [municipality, (light, intensive)]
    costs = ledger.add_month(np.empty(0), supported, support_months=3)
    assert costs[0] == pytest.approx((2 * 6800 + 12000) / 12) and costs[1] == pytest.approx(3 * 12000 / 12)
    assert ledger.participation.sum() == 0.0
    assert ledger.add_month(np.empty(0), np.zeros((2, 2)), 3).sum() == 0.0  # support ended: no cost


def test_permit_holders_participation_support_lasts_its_months():
    ledger = SocialCostLedger(2, COSTS)
    costs = ledger.add_month(np.array([0, 0, 0, 1]), np.zeros((2, 2)), support_months=3)
    assert costs[0] == pytest.approx(3 * 6000 / 12) and costs[1] == pytest.approx(6000 / 12)
    ledger.add_month(np.empty(0), np.zeros((2, 2)), 3)
    ledger.add_month(np.empty(0), np.zeros((2, 2)), 3)
    assert ledger.latest[0] == pytest.approx(1500.0)  # still supported for three months
    ledger.add_month(np.empty(0), np.zeros((2, 2)), 3)
    assert ledger.latest.sum() == 0.0  # support ended


def test_refugee_lettings_from_labels_and_route():
    labels = np.array([Flag.HOMELESS_HISTORY, Flag.REFUGEE, 0, 0], dtype=np.uint16)
    route = np.array([ROUTES.index("urgency"), ROUTES.index("urgency"), ROUTES.index("direct_refugee"), ROUTES.index("lottery")])
    assert refugee_lettings(labels, route).tolist() == [False, True, True, False]


def test_supported_counts_wmo_places_where_the_household_lives():
    m = small()
    m.run(1)
    hh = m.world.hh
    rows = np.flatnonzero(hh.place == Place.DWELLING)[:3]
    hh.support_need[rows] = [SupportLevel.LIGHT, SupportLevel.INTENSIVE, SupportLevel.INTENSIVE]
    hh.support_by[rows] = [SupportBy.MUNICIPALITY, SupportBy.MUNICIPALITY, SupportBy.HOUSING_FIRST]
    before = supported(m)
    hh.support_by[rows] = SupportBy.NONE
    diff = before - supported(m)
    assert diff[hh.municipality[rows[0]], 0] == 1 and diff[hh.municipality[rows[1]], 1] >= 1
    assert diff.sum() == 2  # the Housing First team is paid by the measure, not the Wmo


def test_housing_a_roofless_person_who_needs_support_raises_the_municipal_care_costs():
    """Regression: care costs counted roofless people's societal costs, so housing them lowered a
    municipality's costs (the opposite of the devil's dilemma). Now the cost is the support the
    household gets once housed (a Wmo place of its new municipality)."""
    m = small()
    m.run(1)
    w = m.world
    hh, dw = w.hh, w.dw
    roofless = np.flatnonzero(hh.place == Place.HOMELESS)[0]
    hh.support_need[roofless], hh.support_until[roofless], hh.support_since[roofless] = SupportLevel.INTENSIVE, w.month + 24, w.month
    m.support_capacity[:] = 1000  # a free place everywhere
    m.last_allocations = tuple(np.empty(0, np.int64) for _ in range(4))
    m._care_costs_now()
    before = m.care_costs_month.copy()
    home = np.flatnonzero(dw.vacant & (dw.tenure == Tenure.SOCIAL))
    home = home[0] if home.size else np.flatnonzero(dw.exists & (dw.tenure == Tenure.SOCIAL))[0]
    if dw.occupant[home] >= 0:
        w.to_place(np.array([dw.occupant[home]]), Place.LIVING_IN)
    w.move_in(np.array([roofless]), np.array([home]), social=True)
    m.last_allocations = (np.array([roofless]), np.array([0]), np.array([ROUTES.index("urgency")]), np.array([home]))
    support.give_places(m)
    assert hh.support_by[roofless] == SupportBy.MUNICIPALITY
    m._care_costs_now()
    mun = dw.municipality[home]
    assert m.care_costs_month[mun] - before[mun] >= 12000 / 12 - 1e-6


def test_devils_dilemma_sets_the_budget_and_effort_falls_over_it_while_compensation_keeps_it_up():
    """The measure replaces the reference year's spending by a budget per inhabitant (booked
    month by month); costs far above it make every municipality retreat in January, and full
    compensation (net costs nil) keeps effort where it is."""
    m = small([{"type": "devils_dilemma", "budget_per_inhabitant": 1.0, "attraction": 0.0}])
    m.run(37)  # without a spin-up the reference year is set in month 37 (the ledger full), the first decision in month 49
    assert m.decisions.reference is not None
    inhabitants = m.region.table["inhabitants"].to_numpy(dtype=float)
    assert m.decisions.budget() == pytest.approx(inhabitants * 1.0)
    n = m.region.size
    d = m.decisions
    for b in d.books:
        b[BOOKS.index("cost")] = 1e7 / 12  # far above any budget
        b[BOOKS.index("priority_lettings")] = d.reference.priority_lettings / 12  # agreements met
    m.municipal_effort = np.ones(n)
    d.decide(m)
    assert m.municipal_effort == pytest.approx(np.full(n, 1.0 - m.params.decision_step))
    # Full compensation: the books hold costs less income, nil.
    for b in d.books:
        b[BOOKS.index("cost")] = 0.0
    m.municipal_effort = np.full(n, 0.5)
    d.decide(m)
    assert (m.municipal_effort >= 0.5).all()


def test_bonus_counts_against_the_costs():
    m = small()
    m.run(3)
    m.municipal_income = np.zeros(m.region.size)
    measure_from_dict({"type": "municipal_bonus", "per_place": 1000.0}).act(m.measure_view, np.random.default_rng(0))
    assert m.municipal_income.sum() == pytest.approx(1000.0 * m.priority_housed_by_municipality().sum())


def test_attraction_moves_roofless_seekers_to_the_most_active_municipality():
    m = small(households=5000)
    m.run(1)
    hh = m.world.hh
    roofless = np.flatnonzero((hh.place == Place.HOMELESS) & hh.seeking)
    assert roofless.size > 0
    m.municipal_effort = np.full(m.region.size, 0.2)
    best = int(hh.municipality[roofless[0]])
    best = (best + 1) % m.region.size
    m.municipal_effort[best] = 1.0
    moved = attract(m, np.random.default_rng(0), 1.0)
    assert m.decisions.attracted_month[best] == moved.size
    same_corop = m.region.corop_index[hh.municipality[roofless]] == m.region.corop_index[best]
    assert moved.size > 0 and (hh.municipality[moved] == best).all()
    # Each roofless seeker of the COROP moves with chance = gap 0.8: the share at ``best`` is at least
    # that, less three binomial standard deviations (since homeless people sit mostly in the big
    # cities, a scaled region has only ~15-20 of them in this COROP).
    n = int(same_corop.sum())
    assert (hh.municipality[roofless[same_corop]] == best).mean() > 0.8 - 3 * np.sqrt(0.8 * 0.2 / n)
    # Equal effort: no pull.
    m.municipal_effort = np.ones(m.region.size)
    assert attract(m, np.random.default_rng(0), 1.0).size == 0


# -- what measures cost ----------------------------------------------------------------------------
def _cost(measures, months=24, households=5000):
    m = small(measures, households=households)
    m.run(months)
    return m, float(m.recorder.series("measure_cost")[1].sum())


def test_abolishing_the_landlord_levy_costs_the_levy_on_the_social_stock():
    m = small([{"type": "abolish_landlord_levy"}])
    m.run(1)
    dw = m.world.dw
    homes = int((dw.exists & (dw.tenure == Tenure.SOCIAL)).sum())
    assert m.measure_spending.sum() == pytest.approx(homes * m.costs["landlord_levy_per_social_home_year"] / 12)


@pytest.mark.parametrize("kind", ["last_chance", "early_warning", "senior_move_on"])
def test_prevention_and_move_on_measures_show_a_cost(kind):
    _, base = _cost([])
    _, cost = _cost([{"type": kind}], months=36)
    assert base == 0.0 and cost > 0.0


def test_last_chance_costs_a_guardian_per_eviction_it_replaces():
    m = small([{"type": "last_chance", "effect": 0.5}])
    m.run(1)
    m.measure_spending = np.zeros(m.region.size)
    m.world.counters.court_cases = 10
    measure_from_dict({"type": "last_chance", "effect": 0.5}).act(m.measure_view, np.random.default_rng(0))
    expected = 10 * (m.base_params.eviction_share_of_rulings * 0.5) * m.costs["last_chance_case"]
    assert m.measure_spending.sum() == pytest.approx(expected)


def test_rent_during_detention_pays_the_rent_of_the_homes_it_keeps():
    m = small([{"type": "rent_during_detention", "effect": 0.8}])
    m.run(1)
    m.measure_spending = np.zeros(m.region.size)
    lost = np.flatnonzero(m.world.hh.place == Place.DWELLING)[:2]  # two detainees still lost their home this month
    m.world.counters.homes_lost_detention = [lost]
    measure_from_dict({"type": "rent_during_detention", "effect": 0.8}).act(m.measure_view, np.random.default_rng(0))
    from abm.policies.prevention import social_rent

    kept = 2 * 0.8 / 0.2  # lost at share s(1 - 0.8): for each loss, four homes kept
    rent = social_rent(m)[m.world.hh.municipality[lost]].mean()
    assert m.measure_spending.sum() == pytest.approx(kept * m.params.detention_stay * rent, rel=1e-6)


# -- newcomers -------------------------------------------------------------------------------------
def test_newcomers_arrive_at_their_rate_not_into_every_vacancy():
    """Regression: newcomer_rate was never read; newcomers filled every leftover vacancy."""
    m = small()
    m.run(1)
    w = m.world
    vacant = np.flatnonzero(w.dw.exists & (w.dw.tenure != Tenure.SOCIAL))[:500]  # stand-ins, the function only ranks them
    w.params = Params().with_overrides({"newcomer_rate": 0.0})
    assert newcomer_homes(w, vacant, np.random.default_rng(0)).size == 0
    w.params = Params().with_overrides({"newcomer_rate": 0.05})
    housed = int((w.hh.place == Place.DWELLING).sum())
    n = np.mean([newcomer_homes(w, vacant, np.random.default_rng(s)).size for s in range(20)])
    expected = housed * (1 - 0.95 ** (1 / 12))
    assert 0.7 * expected < n < 1.3 * expected
    w.params = Params().with_overrides({"newcomer_rate": 1.0})
    assert newcomer_homes(w, vacant[:3], np.random.default_rng(0)).size == 3  # never more than the vacancies


# -- every parameter is read -----------------------------------------------------------------------
def test_every_parameter_is_read_somewhere():
    code = "\n".join(p.read_text(encoding="utf-8") for p in ABM.rglob("*.py") if p.name != "params.py")
    unread = [n for n in Params.names() if not re.search(rf"\b{n}\b", code)]
    assert unread == []


# -- paired-seed sign tests ------------------------------------------------------------------------
@pytest.mark.slow
def test_devils_dilemma_lowers_direct_placements_and_compensation_less():
    def placements(measures):
        out = []
        for seed in (1, 2, 3):
            m = small(measures, rng=seed, households=20_000)
            m.run(72)
            out.append(sum(m.recorder.series(f"allocations_{r}")[1].sum() for r in ("direct_institution", "direct_homeless")))
        return np.mean(out)

    dilemma = {"type": "devils_dilemma", "budget_per_inhabitant": 5.0, "step": 0.5}
    base = placements([])
    alone = placements([dilemma])
    paid = placements([dilemma, {"type": "care_cost_compensation", "share": 1.0}])
    assert alone < base and alone < paid
