"""Homelessness as CBS counts it (issue 11, section 3): the initial state and the CBS-comparable
count have no double count of roofless people and shelter residents, the big cities hold their
observed share (37 % in the G4, FACTS D), and the baseline does not drift on its own.

Month 0 must be the synthetic snapshot in the initial-state tests (``spinup_months = 0``).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import tiny_world

from abm import HousingModel, institutions
from abm.codes import InstitutionKind, Place
from abm.indicators import INDICATOR_NAMES, homeless_cbs_mask, measure
from abm.region import G4, homeless_shares, municipalities
from abm.validate import metrics, region_codes

SNAPSHOT = {"spinup_months": 0}


def _cbs_total(m) -> float:
    return float(m.recorder.total("homeless_cbs"))


def test_cbs_count_is_roofless_plus_shelter_adults_18_to_65_without_women_shelter():
    """Hand-built: who CBS counts (cbs.nl 2021/44 'Daklozen'): roofless 18-65 and MO-shelter
    residents, couples as two persons; not the over-65s, women's shelters or people living in."""
    rows = [
        {"place": Place.HOMELESS, "age": 30 * 12},  # counted
        {"place": Place.HOMELESS, "age": 40 * 12, "adults": 2, "size": 2},  # an evicted couple: 2 persons
        {"place": Place.HOMELESS, "age": 70 * 12},  # over 65: not counted by CBS
        {"place": Place.INSTITUTION, "institution": InstitutionKind.SHELTER, "age": 25 * 12},  # counted
        {"place": Place.INSTITUTION, "institution": InstitutionKind.WOMENS_SHELTER, "age": 30 * 12},  # not
        {"place": Place.INSTITUTION, "institution": InstitutionKind.PROTECTED_HOUSING, "age": 30 * 12},  # not
        {"place": Place.LIVING_IN, "age": 22 * 12},  # not
    ]
    w = tiny_world(rows, [])
    assert homeless_cbs_mask(w.hh).tolist() == [True, True, False, True, False, False, False]


def test_homeless_cbs_indicator_counts_adults_of_the_cbs_rows():
    """On a small model: the indicator is the adults of the CBS rows, so two couples made roofless
    add two persons and a roofless person turned 70 drops out; ``homeless`` counts households."""
    m = HousingModel(corop=["CR17"], households=3000, rng=2, params=SNAPSHOT)
    hh = m.world.hh
    before = measure(m)[:, -1, 0]
    n0 = before[INDICATOR_NAMES.index("homeless_cbs")]
    assert n0 == homeless_cbs_mask(hh).sum() > 3
    roofless = np.flatnonzero(hh.place == Place.HOMELESS)
    hh.adults[roofless[:2]] = 2
    hh.age[roofless[2]] = 70 * 12
    after = measure(m)[:, -1, 0]
    assert after[INDICATOR_NAMES.index("homeless_cbs")] == n0 + 2 - 1
    assert after[INDICATOR_NAMES.index("homeless")] == before[INDICATOR_NAMES.index("homeless")]


def test_initial_state_has_no_double_count_of_roofless_and_shelter_residents():
    """Roofless people at the start are the CBS count minus the shelter residents, per COROP
    region: roofless + MO residents = homeless_initial x the region's share (old code: the
    32,000 were all roofless and the shelters came on top)."""
    hi = 1_000_000.0  # large, so the Poisson noise is small against the shelter residents
    m = HousingModel(corop=["CR17"], households=20000, rng=3, params={**SNAPSHOT, "homeless_initial": hi, "shelter_places": 400_000.0})
    hh = m.world.hh
    roofless = int((hh.place == Place.HOMELESS).sum())
    shelter = int(((hh.place == Place.INSTITUTION) & (hh.institution == InstitutionKind.SHELTER)).sum())
    expected = hi * homeless_shares(m.region.table, m.params.homeless_g4_share).sum()
    assert shelter > 0.2 * expected  # the shelters hold a large part, so a double count would show
    assert abs(roofless + shelter - expected) < 4 * np.sqrt(expected)
    assert _cbs_total(m) == pytest.approx(roofless + shelter)  # all 18-65, one adult each


def test_homeless_shares_put_the_observed_share_in_the_g4():
    df = municipalities()
    s = homeless_shares(df, 0.37)
    g4 = df["gm_code"].isin(G4).to_numpy()
    assert s.sum() == pytest.approx(1.0)
    assert s[g4].sum() == pytest.approx(0.37)
    # Within the G4 by inhabitants; outside, a very urban municipality has more per inhabitant than a rural one.
    per_inh = s / df["inhabitants"].to_numpy()
    assert np.ptp(per_inh[g4]) < 1e-12
    urban = df["urbanity_1to5"].to_numpy()
    assert per_inh[~g4 & (urban == 1)].min() > per_inh[~g4 & (urban == 5)].max()


def test_initial_cbs_count_is_concentrated_in_the_g4_as_observed():
    """National, scaled down: the G4 hold ~37 % of the CBS count at month 0 (old code: 28 %)."""
    m = HousingModel(municipalities=region_codes("national"), households=20000, rng=1, params={**SNAPSHOT, "homeless_initial": 1_000_000.0})
    codes = np.array(m.region.codes)
    hh = m.world.hh
    cbs = homeless_cbs_mask(hh)
    in_g4 = np.isin(codes[hh.municipality[cbs]], G4)
    assert in_g4.mean() == pytest.approx(m.params.homeless_g4_share, abs=0.03)


def test_new_homeless_people_arise_where_homeless_people_are_counted():
    """The residual inflow (new_homeless_rate) is placed like the CBS count (37 % in the G4), so
    the concentration holds; old code placed it by population (about 14 % in the G4)."""
    codes = ("GM0363", "GM0344", "GM0589", "GM1680")  # Amsterdam, Utrecht, Oudewater, Aa en Hunze
    w = tiny_world(
        [],
        [],
        municipalities=codes,
        new_homeless_rate=1e6,
        homeless_other_exit_rate=0.0,
        shelter_entry_rate=0.0,
    )
    cap = np.zeros((6, w.region.size))
    w.start_month(1)
    institutions.step(w, cap, np.random.default_rng(5))
    new = np.flatnonzero(w.hh.place == Place.HOMELESS)
    got = np.bincount(w.hh.municipality[new], minlength=w.region.size)
    expect = 1e6 / 12 * homeless_shares(w.region.table, w.params.homeless_g4_share)
    assert np.all(np.abs(got - expect) < 4 * np.sqrt(expect) + 1)
    per_inhabitant = got / w.region.population_share
    ams, rural = w.region.index_of("GM0363"), w.region.index_of("GM1680")
    assert per_inhabitant[ams] > 3 * per_inhabitant[rural]  # by population they would be equal


@pytest.mark.parametrize("name, lo, hi", [("homeless_g4_share", 0.2, 0.6)])
def test_paired_seeds_g4_share_moves_homeless_people_into_the_big_cities(name, lo, hi):
    """Paired seeds: a higher G4 share puts more of the CBS count in Utrecht (G4) at month 0."""
    ups = 0
    for seed in (1, 2, 3):
        shares = []
        for v in (lo, hi):
            m = HousingModel(corop=["CR17"], households=5000, rng=seed, params={**SNAPSHOT, name: v})
            utrecht = m.region.index_of("GM0344")
            arr = m.recorder.blocks[0][1]
            shares.append(arr[INDICATOR_NAMES.index("homeless_cbs"), utrecht, 0] / arr[INDICATOR_NAMES.index("homeless_cbs"), -1, 0])
        ups += shares[1] > shares[0]
    assert ups == 3


def test_paired_seeds_more_new_homelessness_more_homeless_people():
    ups = 0
    for seed in (1, 2, 3):
        end = []
        for rate in (5000.0, 30000.0):
            m = HousingModel(corop=["CR17"], households=5000, rng=seed, params={"new_homeless_rate": rate})
            m.run(24)
            end.append(_cbs_total(m))
        ups += end[1] > end[0]
    assert ups == 3


def test_validate_homeless_metrics_use_the_cbs_count_per_housed_household():
    T = 40
    s = {k: np.full(T, 1.0) for k in ("allocations", "social_stock", "waiting", "waiting_regular", "allocations_regular")}
    s.update({k: np.zeros(T) for k in ("evictions", "in_arrears", "in_womens_shelter", "moves", "homeless_g4")})
    s.update(
        {f"allocations_{r}": np.zeros(T) for r in ("urgency", "mover_priority", "direct_refugee", "direct_institution", "direct_homeless")}
    )
    s["households"] = np.full(T, 12000.0)  # rows incl. young adults living in
    s["households_housed"] = np.full(T, 10000.0)
    s["homeless"] = np.full(T, 60.0)  # broad count: incl. women's shelters
    s["homeless_cbs"] = np.linspace(40.0, 40.0 + 39, T)
    s["homeless_g4"] = np.full(T, 10.0)
    out = metrics(s, slice(1, 13))
    assert out["homeless_per_10k_households"] == pytest.approx(40.0)
    assert out["homeless_change_12m"] == pytest.approx(52.0 / 40.0)
    assert out["homeless_change_36m"] == pytest.approx(76.0 / 40.0)
    assert out["homeless_g4_share"] == pytest.approx(10.0 / 40.0)


def test_small_region_homelessness_does_not_drift_on_its_own():
    """CR17 at 15,000 households, seeds 1-3, 10 years without drivers: the CBS count stays within
    20 % of its start (pooled over seeds). Before issue 11 it fell by about 36 %."""
    start = end = 0.0
    for seed in (1, 2, 3):
        m = HousingModel(corop=["CR17"], households=15000, rng=seed)
        start += _cbs_total(m)
        m.run(120)
        end += _cbs_total(m)
    assert 0.8 < end / start < 1.25
