"""Care and support (abm/support.py, issue 16 section 1): mechanism tests on hand-built worlds —
what the report says support does — and paired-seed tests of the sign of its effects."""

from __future__ import annotations

import csv
from importlib import resources
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import assert_decrease, assert_increase, tiny_world

from abm import support
from abm.allocation import AllocationPolicy, Allocator
from abm.codes import Flag, InstitutionKind, Place, SupportBy, SupportLevel, Tenure, Urgency
from abm.households import NEVER
from abm.institutions import _admit_protected_need
from abm.policies import measure_from_dict
from abm.processes import economy
from abm.processes.demography import monthly

RNG = np.random.default_rng
G = support.NEED_GROUPS


def world(n_roofless: int = 0, n_tenants: int = 0, **params):
    """One municipality with ``n_roofless`` roofless seekers and ``n_tenants`` corporation tenants."""
    w = tiny_world([], [], **params)
    if n_tenants:
        homes = w.dw.add(n_tenants, municipality=0, neighbourhood=0, tenure=Tenure.SOCIAL, rooms=3, rent=600.0, corporation=-1)
        rows = w.new_households(
            n_tenants, "newcomer", municipality=0, age=40 * 12, income=20000.0, income_base=20000.0, place=Place.DWELLING
        )
        w.hh.dwelling[rows] = homes
        w.dw.occupant[homes] = rows
    if n_roofless:
        rows = w.new_households(
            n_roofless, "newcomer", municipality=0, age=35 * 12, income=9000.0, income_base=9000.0, place=Place.HOMELESS
        )
        w.hh.seeking[rows] = True
        w.hh.registered[rows] = 0
    return w


def fake_model(w, capacity, lettings=()):
    """What ``give_places`` reads of a model: world, parameters, region, capacity, lettings."""
    rows = np.asarray(lettings, dtype=np.int64)
    homes = w.hh.dwelling[rows] if rows.size else rows
    return SimpleNamespace(
        world=w,
        params=w.params,
        region=w.region,
        support_capacity=np.asarray(capacity, dtype=float),
        last_allocations=(rows, rows, rows, homes),
    )


def needs(w, rows, level=SupportLevel.INTENSIVE, since=0, until=100, by=SupportBy.NONE, waits=False):
    hh = w.hh
    hh.support_need[rows], hh.support_since[rows], hh.support_until[rows] = level, since, until
    hh.support_by[rows], hh.support_waits[rows] = by, waits
    hh.labels[rows] |= Flag.SUPPORT_ASSESSED


# -- need ------------------------------------------------------------------------------------------
def test_need_table_is_documented_and_sums_to_one_per_group():
    text = resources.files("abm.data").joinpath("support_needs.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert [r["group"] for r in rows] == list(G)
    assert all(r["source"] and r["status"] in {"V", "D", "M"} for r in rows)
    assert np.allclose(support.need_shares().sum(axis=1), 1.0)
    assert "support_needs.csv" in resources.files("abm.data").joinpath("PROVENANCE.md").read_text(encoding="utf-8")


def test_roofless_people_get_levels_at_the_table_shares_and_durations_with_the_mean():
    w = world(n_roofless=20000, support_light_months=24.0, support_intensive_months=36.0, support_wait_share=0.5)
    rows = support.assess(w, RNG(1))
    hh = w.hh
    assert rows.size == 20000 and (hh.labels[rows] & Flag.SUPPORT_ASSESSED).all()
    shares = np.bincount(hh.support_need[rows], minlength=4) / rows.size
    expect = support.need_shares()[G.index("homeless")]
    assert np.abs(shares - expect).max() < 3 * np.sqrt(0.25 / rows.size) + 1e-9
    for level, mean in ((SupportLevel.LIGHT, 24.0), (SupportLevel.INTENSIVE, 36.0)):
        d = hh.support_until[rows[hh.support_need[rows] == level]] - w.month
        assert abs(d.mean() - mean) < 0.1 * mean
    assert (hh.support_until[rows[hh.support_need[rows] == SupportLevel.PROTECTED]] == NEVER).all()
    amb = rows[np.isin(hh.support_need[rows], support.AMBULATORY)]
    assert abs(hh.support_waits[amb].mean() - 0.5) < 0.03
    assert support.assess(w, RNG(2)).size == 0  # once per episode


def test_only_the_groups_of_the_table_are_assessed():
    w = world(n_tenants=50)
    hh = w.hh
    tenants = np.flatnonzero(hh.place == Place.DWELLING)
    assert support.assess(w, RNG(0)).size == 0  # regular tenants have no need to assess
    hh.urgency[tenants[:10]], hh.urgency_until[tenants[:10]] = Urgency.SOCIAL, 12
    assert set(support.assess(w, RNG(0))) == set(tenants[:10])  # social urgents are


def test_losing_a_home_starts_a_new_episode():
    w = world(n_tenants=4)
    rows = np.flatnonzero(w.hh.place == Place.DWELLING)
    needs(w, rows, by=SupportBy.MUNICIPALITY)
    w.to_place(rows[:2], Place.HOMELESS)
    hh = w.hh
    assert (hh.support_need[rows[:2]] == SupportLevel.NONE).all() and not (hh.labels[rows[:2]] & Flag.SUPPORT_ASSESSED).any()
    assert (hh.support_by[rows[2:]] == SupportBy.MUNICIPALITY).all()
    assert set(support.assess(w, RNG(0))) == set(rows[:2])  # assessed again as homeless


# -- places ----------------------------------------------------------------------------------------
def test_places_go_to_arranged_support_first_then_the_oldest_need_within_capacity():
    w = world(n_tenants=6)
    hh = w.hh
    t = np.flatnonzero(hh.place == Place.DWELLING)
    for row, since in zip(t[:5], (5, 3, 7, 1, 2), strict=True):
        needs(w, [row], since=since)
    hh.labels[t[2]] |= Flag.SUPPORT_PREPARED  # warm outflow: arranged before leaving
    needs(w, [t[5]], since=0, by=SupportBy.MUNICIPALITY)  # one place already in use
    support.give_places(fake_model(w, [3]))
    assert set(t[hh.support_by[t] == SupportBy.MUNICIPALITY]) == {t[5], t[2], t[3]}
    assert support.wmo_in_use(hh, 1)[0] == 3


def test_a_need_that_ended_frees_its_place():
    w = world(n_tenants=2)
    t = np.flatnonzero(w.hh.place == Place.DWELLING)
    needs(w, [t[0]], until=w.month, by=SupportBy.MUNICIPALITY)
    needs(w, [t[1]], since=3)
    support.give_places(fake_model(w, [1]))
    assert w.hh.support_need[t[0]] == SupportLevel.NONE and w.hh.support_by[t[1]] == SupportBy.MUNICIPALITY


def test_lettings_are_recorded_with_the_support_they_had_at_the_letting():
    w = world(n_tenants=3)
    t = np.flatnonzero(w.hh.place == Place.DWELLING)
    needs(w, [t[0]], by=SupportBy.MUNICIPALITY)
    needs(w, [t[1]])  # housed without a place: it gets the free place only after the letting
    events = support.give_places(fake_model(w, [5], lettings=t))
    assert events["with_support"].tolist() == [True, False, False]
    assert events["without_support"].tolist() == [False, True, False]
    assert w.hh.support_by[t[1]] == SupportBy.MUNICIPALITY


def test_unhoused_households_who_go_ahead_without_support_do_not_take_a_place_before_they_are_housed():
    w = world(n_roofless=2)
    r = np.flatnonzero(w.hh.place == Place.HOMELESS)
    needs(w, [r[0]], waits=False)
    needs(w, [r[1]], waits=True)
    support.give_places(fake_model(w, [5]))
    assert w.hh.support_by[r[0]] == SupportBy.NONE and w.hh.support_by[r[1]] == SupportBy.MUNICIPALITY


def test_held_seekers_are_not_offered_a_home():
    w = world(n_roofless=4)
    hh = w.hh
    r = np.flatnonzero(hh.place == Place.HOMELESS)
    needs(w, [r[0]], waits=True)  # waits for a Wmo place
    needs(w, [r[1]], level=SupportLevel.PROTECTED, until=NEVER)  # waits for protected housing
    needs(w, [r[2]], waits=False)  # goes ahead without support
    assert support.held(hh, w.params)[r].tolist() == [True, True, False, False]
    seekers = Allocator(AllocationPolicy(), 1, w.region.nbh_municipality.size)._seekers(w)
    assert set(seekers) == {r[2], r[3]}
    hh.support_by[r[0]] = SupportBy.MUNICIPALITY  # its place came: it may be housed now
    assert r[0] in Allocator(AllocationPolicy(), 1, w.region.nbh_municipality.size)._seekers(w)
    w.params = w.params.with_overrides({"housing_first_coverage": 1.0})
    hh.labels[r[1]] |= Flag.HOMELESS_HISTORY  # Housing First houses people at once, whatever the need
    assert not support.held(hh, w.params)[r[1]]


def test_protected_housing_takes_in_those_who_need_24_hour_care_first_longest_waiting_first():
    from abm import HousingModel

    m = HousingModel(corop=["CR17"], households=3000, params={"spinup_months": 0}, rng=1)
    w = m.world
    hh = w.hh
    roofless = np.flatnonzero(hh.place == Place.HOMELESS)[:3]
    for row, since in zip(roofless, (4, 1, 2), strict=True):
        needs(w, [row], level=SupportLevel.PROTECTED, since=since, until=NEVER)
    left = _admit_protected_need(w, 0, 2, 24.0, RNG(0))
    assert left == 0
    inside = roofless[(hh.place[roofless] == Place.INSTITUTION) & (hh.institution[roofless] == InstitutionKind.PROTECTED_HOUSING)]
    assert set(inside) == {roofless[1], roofless[2]}
    assert _admit_protected_need(w, 0, 3, 24.0, RNG(0)) == 2  # one more waiting: two places left for others


# -- effects ---------------------------------------------------------------------------------------
def _entries(w, seed=3):
    before = w.hh.arrears.copy()
    economy.arrears_and_evictions(w, RNG(seed), np.zeros(1))  # court_rate 0: no rulings
    return w.hh.arrears & ~before


def test_an_unmet_need_raises_arrears_and_support_lowers_them_by_their_factors():
    w = world(n_tenants=30000, arrears_entry_rate=0.02, court_rate=0.0, unmet_support_arrears_factor=3.0, met_support_arrears_factor=1.2)
    t = np.flatnonzero(w.hh.place == Place.DWELLING)
    unmet, met, none = t[:10000], t[10000:20000], t[20000:]
    needs(w, unmet)
    needs(w, met, by=SupportBy.MUNICIPALITY)
    e = _entries(w)
    base = e[none].mean()
    assert abs(e[unmet].mean() / base - 3.0) < 0.6 and abs(e[met].mean() / base - 1.2) < 0.3


def test_nuisance_comes_from_tenants_with_a_need_less_with_support_and_some_cases_end_in_eviction():
    w = world(n_tenants=9000, nuisance_rate=0.9, met_support_nuisance_factor=0.3, nuisance_eviction_share=1.0, evicted_homeless_share=1.0)
    t = np.flatnonzero(w.hh.place == Place.DWELLING)
    unmet, met = t[:3000], t[3000:6000]
    needs(w, unmet)
    needs(w, met, by=SupportBy.MUNICIPALITY)
    evicted = economy.nuisance(w, RNG(4))
    n_unmet, n_met = np.isin(evicted, unmet).sum(), np.isin(evicted, met).sum()
    assert np.isin(evicted, t[6000:]).sum() == 0  # no need, no nuisance
    rate = monthly(0.9)  # a month; every case ends in an eviction (share 1)
    assert abs(n_unmet / 3000 - rate) < 3 * np.sqrt(rate * (1 - rate) / 3000)
    assert abs(n_met / n_unmet - 0.3) < 0.08
    assert np.concatenate(w.counters.eviction_nuisance).all()
    w.params = w.params.with_overrides({"nuisance_eviction_share": 0.0})
    assert economy.nuisance(w, RNG(5)).size == 0


def test_only_supported_evicted_tenants_fall_back_on_a_place_protected_housing_while_free():
    w = world(n_tenants=6, evicted_homeless_share=1.0, evicted_fallback_share=1.0)
    hh = w.hh
    t = np.flatnonzero(hh.place == Place.DWELLING)
    needs(w, t[:4], by=SupportBy.MUNICIPALITY)
    needs(w, t[4:5])  # a need, but no support: nobody arranges a place
    free = np.array([2])
    economy.evict_tenants(w, t[:6], RNG(0), free, nuisance=False)
    bw = (hh.place[t] == Place.INSTITUTION) & (hh.institution[t] == InstitutionKind.PROTECTED_HOUSING)
    shelter = (hh.place[t] == Place.INSTITUTION) & (hh.institution[t] == InstitutionKind.SHELTER)
    assert bw.sum() == 2 and shelter.sum() == 2 and free[0] == 0
    assert (hh.place[t[4:]] == Place.HOMELESS).all()
    assert not hh.seeking[t[bw]].any()  # in protected housing: not seeking until ready


def test_housing_first_takes_on_formerly_homeless_tenants_at_home_and_24_hour_needs_become_intensive():
    w = world(n_tenants=3, housing_first_coverage=1.0)
    hh = w.hh
    t = np.flatnonzero(hh.place == Place.DWELLING)
    hh.labels[t[:2]] |= Flag.HOMELESS_HISTORY
    needs(w, t[:1], level=SupportLevel.PROTECTED, until=NEVER)
    needs(w, t[1:])
    support.give_places(fake_model(w, [0]))
    assert hh.support_by[t].tolist() == [SupportBy.HOUSING_FIRST, SupportBy.HOUSING_FIRST, SupportBy.NONE]
    assert hh.support_need[t[0]] == SupportLevel.INTENSIVE and hh.support_until[t[0]] < NEVER


def test_people_housing_first_covers_do_not_take_wmo_places_while_they_wait_for_a_home():
    w = world(n_roofless=2, housing_first_coverage=1.0)
    hh = w.hh
    r = np.flatnonzero(hh.place == Place.HOMELESS)
    hh.labels[r[0]] |= Flag.HOMELESS_HISTORY  # covered by a Housing First team
    needs(w, r, waits=True)
    assert not support.held(hh, w.params)[r[0]] and support.held(hh, w.params)[r[1]]
    support.give_places(fake_model(w, [5]))
    assert hh.support_by[r].tolist() == [SupportBy.NONE, SupportBy.MUNICIPALITY]


def test_warm_outflow_arranges_support_before_leaving_and_such_leavers_wait_for_it():
    w = world()
    rows = w.new_households(4000, "newcomer", municipality=0, age=30 * 12, place=Place.INSTITUTION)
    w.hh.institution[rows] = InstitutionKind.PROTECTED_HOUSING
    w.hh.ready_at[rows] = 0
    measure = measure_from_dict({"type": "warm_outflow", "prepared": 0.9})
    w.params = w.params.with_overrides({**measure.params(w.params), "support_wait_share": 0.0})
    support.assess(w, RNG(0))
    hh = w.hh
    need = rows[hh.support_need[rows] > 0]
    prepared = (hh.labels[need] & Flag.SUPPORT_PREPARED) != 0
    assert abs(prepared.mean() - 0.9) < 0.03
    assert hh.support_waits[need[prepared]].all() and not hh.support_waits[need[~prepared]].any()
    assert not (hh.labels[rows[hh.support_need[rows] == 0]] & Flag.SUPPORT_PREPARED).any()


def test_indicators_count_support_and_lettings_with_and_without_it():
    from abm import HousingModel

    m = HousingModel(corop=["CR17"], households=20000, params={"spinup_months": 0}, rng=2)
    m.run(12)
    rec = m.recorder
    hh = m.world.hh
    present = hh.place != Place.GONE
    assert rec.total("support_need") == (present & (hh.support_need > 0)).sum() > 0
    assert rec.total("support_given") + rec.total("support_unmet") == rec.total("support_need")
    assert rec.total("support_places") == m.support_capacity.sum()
    in_use = rec.total("support_given_light") + rec.total("support_given_intensive")
    assert rec.total("support_places_free") == pytest.approx(
        np.maximum(m.support_capacity - support.wmo_in_use(hh, m.region.size), 0).sum()
    )
    assert in_use == support.wmo_in_use(hh, m.region.size).sum()
    cost = (
        rec.total("support_given_light") * m.costs["support_light_year"]
        + rec.total("support_given_intensive") * m.costs["support_intensive_year"]
    )
    assert rec.total("support_cost") == pytest.approx(cost / 12)
    placed = sum(rec.series(n)[1].sum() for n in ("placed_with_support", "placed_without_support"))
    assert 0 < placed <= rec.series("allocations")[1].sum()
    assert rec.series("evictions_nuisance")[1].sum() <= rec.series("evictions")[1].sum()


# -- paired seeds: the signs the report expects --------------------------------------------------
SEEDS = (1, 2, 3, 4)
_RUNS: dict = {}


def _run(seed: int, params: dict | None = None, measures: tuple = (), households: int = 60000, months: int = 36) -> dict:
    """A run of the default region's shares, measured every month: tenancies of tenants with a
    support need (person-months), their entries into arrears, and the same for formerly homeless tenants;
    plus the recorded indicators. Starts from the snapshot (no spin-up), so the first months
    build up the housed population with a need."""
    key = (seed, repr(params), repr(measures), households, months)
    if key in _RUNS:
        return _RUNS[key]
    from abm import HousingModel

    m = HousingModel(
        corop=["CR17"], households=households, params={"spinup_months": 0, **(params or {})}, measures=[dict(x) for x in measures], rng=seed
    )
    out = dict.fromkeys(("need_months", "need_arrears", "hf_months", "hf_arrears"), 0.0)
    before = np.empty(0, dtype=np.int64)  # hids of households in arrears last month (rows move when compacted)
    for _ in range(months):
        m.step()
        hh, dw = m.world.hh, m.world.dw
        t = dw.occupant[(dw.tenure == Tenure.SOCIAL) & (dw.occupant >= 0)]
        t = t[hh.support_need[t] > 0]
        # Arrears entries this month: the support factors act on entry (economy.arrears_and_evictions).
        entered = hh.arrears[t] & ~np.isin(hh.hid[t], before)
        formerly = (hh.labels[t] & Flag.HOMELESS_HISTORY) != 0
        out["need_months"] += t.size
        out["need_arrears"] += entered.sum()
        out["hf_months"] += formerly.sum()
        out["hf_arrears"] += entered[formerly].sum()
        before = hh.hid[np.flatnonzero(hh.arrears)]
    for name in ("placed_with_support", "placed_without_support", "evictions_nuisance", "support_housing_first"):
        out[name] = float(np.nan_to_num(m.recorder.series(name)[1][1:]).sum())
    out["leavers_without_support"] = float(np.nan_to_num(m.recorder.series("placed_without_support", "institution_leaver")[1][1:]).sum())
    _RUNS[key] = out
    return out


def pairs(metric, low: dict, high: dict, seeds=SEEDS) -> np.ndarray:
    return np.array([[metric(_run(s, **low)), metric(_run(s, **high))] for s in seeds], dtype=float)


def arrears_rate(r) -> float:
    """Arrears entries per person-month of tenants with a support need."""
    return r["need_arrears"] / max(r["need_months"], 1.0)


FEW, MANY = {"params": {"support_wmo_places": 3000.0}}, {"params": {"support_wmo_places": 100000.0}}


def test_more_support_places_mean_fewer_tenants_with_a_need_in_arrears_and_more_placements_with_support():
    assert_increase(pairs(lambda r: r["placed_with_support"], FEW, MANY))
    # A few hundred person-months of tenants with a need and a 1.25 % entry rate give a handful of
    # entries a run: raise the base entry rate in both runs so that the factors show above the noise.
    few, many = ({"params": {**x["params"], "arrears_entry_rate": 0.04}} for x in (FEW, MANY))
    assert_decrease(pairs(arrears_rate, few, many))


def test_without_support_more_tenancies_end_in_eviction_for_nuisance():
    # nuisance evictions are rare in a scaled region at the default rate (0.1 a year): raise it in both runs;
    # per person-month of tenants with a need (more of them are housed when fewer wait for a place)
    few, many = ({"params": {**x["params"], "nuisance_rate": 1.0}} for x in (FEW, MANY))
    assert_decrease(pairs(lambda r: r["evictions_nuisance"] / max(r["need_months"], 1.0), few, many))


def test_housing_first_support_means_fewer_formerly_homeless_tenants_in_arrears():
    # Few Wmo places, with and without Housing First's teams (no extra vacancies, no fall-back: support alone).
    # Five years: formerly homeless tenants are few, and their arrears entries a handful a year; over three
    # years the paired t was 1.7 (4 of 4 seeds down) once the province's quota supervision reshuffled the
    # lettings (issue 16 §2), over five it is 2.5. Since arrears also follow the rent burden after housing allowance
    # (issue 16 §3: formerly homeless tenants have low incomes, so their entries vary more), five years gave t = 1.2
    # (3 of 4 seeds down): as in the test above, the base entry rate is raised in both runs so that the factor shows.
    # With the cost-sharing rule (issue 16 §3) seeds 1-4 gave t = 1.8 (3 of 4 down): six seeds.
    few = {"params": {**FEW["params"], "arrears_entry_rate": 0.04}, "months": 60}
    hf = {"measures": ((("type", "housing_first"), ("extra_share", 0.0), ("fallback", 0.0), ("coverage", 1.0)),), **few}
    assert_decrease(pairs(lambda r: r["hf_arrears"] / max(r["hf_months"], 1.0), few, hf, seeds=range(1, 7)))
    assert_increase(pairs(lambda r: r["support_housing_first"], few, hf))


def test_arranged_support_means_fewer_institution_leavers_housed_without_it():
    wo = {"measures": ((("type", "warm_outflow"), ("extra_share", 0.0), ("return_option", 0.0), ("prepared", 1.0)),)}
    assert_decrease(pairs(lambda r: r["leavers_without_support"], {}, wo))
