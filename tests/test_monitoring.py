"""What the report asks to monitor (issue 16, section 5): each output checked on a small world
against a count made by hand at the moment of the event or the end of the month."""

from __future__ import annotations

import numpy as np
import pytest

from abm import HousingModel, indicators
from abm.codes import GROUPS, CareNeed, DwellingType, HomelessCause, Label, Place, Tenure
from abm.indicators import GROUP_NAMES, INDICATOR_NAMES
from abm.processes import economy


def small(households=5000, **kw) -> HousingModel:
    return HousingModel(corop=["CR17"], households=households, rng=2, **kw)


def now(m: HousingModel, name: str, municipality: int | None = None, group: str = "all") -> float:
    values = indicators.measure(m)
    col = -1 if municipality is None else municipality
    return float(values[INDICATOR_NAMES.index(name), col, GROUP_NAMES.index(group)])


def test_quota_realised_is_housed_over_the_half_years_quota():
    m = small()
    m.run(3)
    mun = m.municipality_agents[0]
    mun.quota, mun.quota_housed = 40.0, 10
    assert now(m, "quota_realised", 0) == pytest.approx(0.25)
    quota = sum(a.quota for a in m.municipality_agents)
    housed = sum(a.quota_housed for a in m.municipality_agents)
    assert now(m, "quota_realised") == pytest.approx(housed / quota)


def test_lettings_by_income_band_split_the_lettings_at_the_policys_limits():
    m = small()
    m.run(6)
    rows = m.last_allocations[0]
    assert rows.size >= 3
    bands = m.policy.income_bands
    m.world.hh.income[rows[0]] = bands.low_limit  # at the limit: low
    m.world.hh.income[rows[1]] = bands.low_limit + 1
    m.world.hh.income[rows[2]] = bands.middle_limit + 1
    low, middle, high = (now(m, f"lettings_income_{b}") for b in ("low", "middle", "high"))
    assert low + middle + high == now(m, "allocations")
    income = m.world.hh.income[rows]
    assert middle == ((income > bands.low_limit) & (income <= bands.middle_limit)).sum() >= 1
    assert high == (income > bands.middle_limit).sum() >= 1


def test_homes_needed_counts_seekers_without_a_home_of_their_own():
    m = small()
    m.run(2)
    hh = m.world.hh
    expected = int((hh.seeking & (hh.place != Place.DWELLING) & (hh.place != Place.GONE)).sum())
    assert now(m, "homes_needed") == expected
    housed_seekers = int((hh.seeking & (hh.place == Place.DWELLING)).sum())
    assert now(m, "waiting") >= expected and housed_seekers > 0  # housed seekers free a home: not counted


def test_social_share_and_the_minimum():
    m = small()
    m.run(1)
    dw = m.world.dw
    homes = dw.exists & (dw.municipality == 0)
    share = (homes & (dw.tenure == Tenure.SOCIAL)).sum() / homes.sum()
    assert now(m, "social_share", 0) == pytest.approx(share)
    below = now(m, "social_share_below_minimum")
    m.world.params = m.params = m.params.with_overrides({"social_share_minimum": 0.0})
    assert now(m, "social_share_below_minimum") == 0 <= below
    m.world.params = m.params = m.params.with_overrides({"social_share_minimum": 1.0})
    assert now(m, "social_share_below_minimum") == m.region.size


def test_wheelchair_seekers_per_wheelchair_home():
    m = small()
    m.run(1)
    hh, dw = m.world.hh, m.world.dw
    chair = dw.exists & (dw.municipality == 0) & ((dw.dtype == DwellingType.WHEELCHAIR) | (dw.label == Label.WHEELCHAIR))
    assert chair.sum() > 0
    seekers = (hh.place != Place.GONE) & hh.seeking & (hh.care == CareNeed.WHEELCHAIR) & (hh.municipality == 0)
    assert now(m, "wheelchair_seekers_per_home", 0) == pytest.approx(seekers.sum() / chair.sum())


def test_inflow_into_homelessness_by_cause_at_the_event():
    m = small(params={"new_homeless_rate": 200_000.0, "labour_migrant_job_loss_rate": 0.5})
    m.run(3)
    w = m.world
    total = now(m, "homeless_inflow")
    parts = [now(m, f"homeless_inflow_{c.name.lower()}") for c in HomelessCause]
    assert total == sum(parts) and total > 0
    assert now(m, "homeless_inflow_other") > 0 and now(m, "homeless_inflow_labour_migrant") > 0
    # An eviction to the street is booked as an eviction, with the groups the tenant had then.
    w.start_month(m.month)
    tenants = np.flatnonzero((w.hh.place == Place.DWELLING) & (w.dw.corporation[np.maximum(w.hh.dwelling, 0)] >= 0))[:20]
    w.params = w.params.with_overrides({"evicted_homeless_share": 1.0})
    bit = 1 << GROUPS.index("homeless")
    homeless_then = int(((w.groups_now(tenants) & bit) != 0).sum())
    economy.evict_tenants(w, tenants, np.random.default_rng(0), None, nuisance=False)
    assert now(m, "homeless_inflow_eviction") == tenants.size
    # By group as the tenants were at the eviction: not yet homeless (after it they all are).
    assert ((w.groups_now(tenants) & bit) != 0).all()
    assert now(m, "homeless_inflow_eviction", group="homeless") == homeless_then < tenants.size
    assert (w.hh.place[tenants] == Place.HOMELESS).all()


def test_a_separation_into_a_womens_shelter_is_booked():
    m = small(params={"separation_rate": 0.5, "separation_womens_shelter_share": 1.0, "womens_shelter_places": 200_000.0})
    m.run(2)
    assert now(m, "homeless_inflow_separation") > 0


def test_institution_exits_without_a_home_are_the_leavers_who_went_living_in():
    m = small(params={"institution_other_exit_rate": 0.9, "institution_exit_living_in_share": 1.0})
    m.run(3)
    n = now(m, "institution_exits_without_home")
    assert n > 0
    m2 = small(params={"institution_other_exit_rate": 0.9, "institution_exit_living_in_share": 0.0})
    m2.run(3)
    assert now(m2, "institution_exits_without_home") == 0
