"""Events are counted with the groups the household had at that moment (issue 10, section 1).

Lettings (by route), waiting times at letting, moves, evictions and refusals use the group bit
set taken when the event happened, not the one at the end of the month; urgency ends on
housing; the permit-holder and institution-leaver labels mean "recent".
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from conftest import tiny_world

from abm import HousingModel, indicators
from abm.allocation import AllocationPolicy, Allocator
from abm.allocation.classes import vulnerable_mask
from abm.codes import Flag, InstitutionKind, Place, Tenure, Urgency
from abm.households import NEVER
from abm.indicators import GROUP_NAMES, INDICATOR_NAMES
from abm.institutions import fill_initial
from abm.processes import economy


def social(rooms=2, rent=500.0, **kw):
    return {"tenure": Tenure.SOCIAL, "rooms": rooms, "rent": rent, "corporation": 0, **kw}


def seeker(registered, **kw):
    return {"registered": registered, "seeking": True, "size": 1, "income": 30000.0, **kw}


def roofless(registered=-24, **kw):
    return seeker(registered, place=Place.HOMELESS, homeless_since=-6, labels=Flag.HOMELESS_HISTORY, income=12000.0, **kw)


def let(w, policy: dict | None = None, seed=0):
    """One month's allocation (month 1 unless the world is further on) and its indicators."""
    pol = AllocationPolicy.seniority_only()
    pol = AllocationPolicy.model_validate({**pol.model_dump(), **(policy or {})})
    a = Allocator(pol, n_corporations=1, n_neighbourhoods=len(w.region.nbh_municipality))
    if w.month == 0:
        w.start_month(1)
    res = a.allocate(w, np.random.default_rng(seed), np.zeros(w.region.size), {})
    return measure(w, a, res), res


def measure(w, allocator=None, res=None):
    """The indicator array of the month for a hand-built world (a model stand-in)."""
    empty = np.empty(0, dtype=np.int64)
    model = SimpleNamespace(
        world=w,
        allocator=allocator,
        last_allocations=res.arrays() if res is not None else (empty, empty, empty, empty),
        last_origin=np.array(res.origin, dtype=np.int64) if res is not None else empty,
        last_refusals=res.refusals if res is not None else 0,
    )
    return indicators.measure(model)


def value(out, name: str, group: str = "all") -> float:
    return float(out[INDICATOR_NAMES.index(name), -1, GROUP_NAMES.index(group)])


# -- lettings and waiting times ---------------------------------------------------------------
def test_homeless_household_housed_by_direct_placement_counts_as_homeless():
    w = tiny_world([seeker(-100), roofless()], [social()])
    out, res = let(w, {"homeless": {"enabled": True, "share": 1.0}})
    assert res.arrays()[0].tolist() == [1]
    assert value(out, "allocations_direct_homeless", "homeless") == 1
    assert value(out, "allocations_direct_homeless", "regular") == 0
    assert value(out, "allocations", "homeless") == 1
    assert value(out, "moves", "homeless") == 1
    assert value(out, "priority_group_share") == 1.0


def test_waiting_time_at_letting_uses_the_group_at_letting():
    # A homeless seeker registered 24 months ago wins by seniority in month 1: 25 months.
    w = tiny_world([roofless(-24)], [social()])
    out, _ = let(w)
    assert value(out, "wait_months_median", "homeless") == 25
    assert value(out, "wait_months_p90", "homeless") == 25
    assert np.isnan(value(out, "wait_months_median", "regular"))


def test_refusals_are_counted_with_the_refuser_group():
    acc = {"enabled": True, "refusal": 1.0, "weak_neighbourhood_refusal": 0.0, "max_offers": 5}
    w = tiny_world([seeker(-100, age=70 * 12), seeker(-50)], [social()])
    out, res = let(w, {"acceptance": acc})
    assert res.refusals == 2
    assert value(out, "refusals") == 2
    assert value(out, "refusals", "senior") == 1 and value(out, "refusals", "regular") == 1


def test_event_groups_of_a_subset_equal_the_full_bit_sets():
    m = HousingModel(corop=["CR17"], households=1500, rng=3)
    m.run(2)
    hh = m.world.hh
    rows = np.random.default_rng(0).choice(hh.n, 300, replace=False)
    assert np.array_equal(hh.group_combo(m.month, rows), hh.group_combo(m.month)[rows])


# -- evictions ----------------------------------------------------------------------------------
def test_evicted_tenant_counts_in_his_group_before_the_eviction():
    w = tiny_world(
        [{"dwelling": 0, "arrears": True, "age": 40 * 12}],
        [social()],
        arrears_exit_rate=0.0,
        court_rate=1.0,
        evicted_homeless_share=1.0,
        arrears_entry_rate=0.0,
    )
    w.start_month(1)
    evicted = economy.arrears_and_evictions(w, np.random.default_rng(0), np.array([1.0, 1.0]))
    assert evicted.tolist() == [0] and w.hh.place[0] == Place.HOMELESS
    out = measure(w)
    assert value(out, "evictions", "regular") == 1
    assert value(out, "evictions", "homeless") == 0
    assert value(out, "homeless", "homeless") == 1  # the stock at month end does see him homeless


# -- statuses that end -------------------------------------------------------------------------
def test_urgency_ends_when_the_household_is_housed():
    w = tiny_world([seeker(-1, urgency=Urgency.SOCIAL, urgency_until=12), seeker(-100)], [social()])
    out, res = let(w, {"urgency": {"enabled": True}})
    assert res.arrays()[0].tolist() == [0]
    assert value(out, "allocations_urgency", "social_urgent") == 1  # urgent at letting
    hh = w.hh
    assert hh.urgency[0] == Urgency.NONE and hh.urgency_until[0] <= w.month
    assert "social_urgent" not in hh.groups_of(0, w.month)
    assert value(out, "households", "social_urgent") == 0


def test_homeless_urgency_is_granted_to_households_that_never_had_urgency():
    # A household never granted urgency has no valid urgency (urgency_until in the past), so
    # the homeless urgency ground reaches it.
    m = HousingModel(scenario="small", rng=1, allocation={"urgency": {"homeless": True}})
    hh = m.world.hh
    assert np.all(hh.urgency_until[hh.urgency == Urgency.NONE] <= 0)
    m.run(4)
    months, urgent_lettings = m.recorder.series("allocations_urgency", "homeless")
    assert urgent_lettings.sum() > 0


def _refugee_in_asylum_centre(**kw):
    return seeker(
        0, place=Place.INSTITUTION, institution=InstitutionKind.ASYLUM_CENTRE, ready_at=-3, labels=Flag.REFUGEE, income=12000.0, **kw
    )


def test_former_permit_holder_moving_by_seniority_years_later_is_not_a_refugee_letting():
    w = tiny_world([_refugee_in_asylum_centre(), _refugee_in_asylum_centre()], [social(), social(), social(), social()])
    months = int(w.params.refugee_label_months)
    w.start_month(1)
    w.move_in(np.array([0]), np.array([0]), social=True)  # housed long ago
    assert w.hh.refugee_until[0] == 1 + months
    w.start_month(months - 5)
    w.move_in(np.array([1]), np.array([1]), social=True)  # housed recently
    w.start_month(months + 4)
    assert (w.hh.labels[0] & Flag.REFUGEE) == 0 and (w.hh.labels[1] & Flag.REFUGEE) != 0
    assert not vulnerable_mask(w)[0] and vulnerable_mask(w)[1]
    for r in (0, 1):
        w.start_seeking(np.array([r]), 0.0, np.random.default_rng(0))
        w.hh.registered[r] = -100
    out, res = let(w)
    assert sorted(res.arrays()[0].tolist()) == [0, 1]
    assert value(out, "allocations_seniority", "refugee") == 1
    assert value(out, "allocations_seniority", "regular") == 1


def test_permit_holders_housed_at_the_start_are_recent_within_the_label_duration():
    hhs = [{"dwelling": i, "labels": Flag.REFUGEE} for i in range(40)]
    w = tiny_world(hhs, [social() for _ in range(40)])
    until = w.hh.refugee_until
    assert until.min() >= 1 and until.max() <= w.params.refugee_label_months
    assert np.unique(until).size > 10  # spread, not one cliff


def test_institution_leaver_label_lasts_after_leaving_then_ends():
    w = tiny_world(
        [seeker(0, place=Place.INSTITUTION, institution=InstitutionKind.DETENTION, ready_at=0)],
        [social()],
        institution_leaver_label_months=6,
    )
    from abm.institutions import label_leavers

    w.start_month(1)
    label_leavers(w, np.array([0]))
    assert w.hh.leaver_until[0] == NEVER
    w.to_place(np.array([0]), Place.LIVING_IN)
    assert w.hh.leaver_until[0] == 7
    w.start_month(6)
    assert "institution_leaver" in w.hh.groups_of(0, 6)
    w.start_month(7)
    assert "institution_leaver" not in w.hh.groups_of(0, 7)


def test_residents_ready_at_the_start_carry_the_institution_leaver_label():
    w = tiny_world([], [], protected_housing_stay=2.0, detention_stay=2.0, shelter_stay=2.0)
    cap = np.zeros((len(InstitutionKind), w.region.size))
    for k in (InstitutionKind.PROTECTED_HOUSING, InstitutionKind.DETENTION, InstitutionKind.SHELTER):
        cap[k, 0] = 40
    fill_initial(w, cap, np.random.default_rng(0))
    hh = w.hh
    inst = hh.place == Place.INSTITUTION
    ready = inst & (hh.ready_at <= 0)
    leaver_kind = np.isin(hh.institution, (InstitutionKind.PROTECTED_HOUSING, InstitutionKind.DETENTION, InstitutionKind.YOUTH_CARE))
    labelled = (hh.labels & Flag.INSTITUTION_LEAVER) != 0
    assert (ready & leaver_kind).sum() > 10
    assert np.array_equal(labelled, ready & leaver_kind)  # shelter residents are homeless, not leavers


# -- documentation -------------------------------------------------------------------------------
def test_odd_lists_when_every_indicator_is_measured():
    from pathlib import Path

    from abm.indicators import MEASURED_WHEN, markdown_table

    assert set(MEASURED_WHEN) == set(INDICATOR_NAMES)
    odd = (Path(__file__).resolve().parent.parent / "docs" / "ODD.md").read_text()
    table = odd.split("<!-- indicators:start -->")[1].split("<!-- indicators:end -->")[0].strip()
    assert table == markdown_table(), "run: python scripts/sync_odd_params.py"
