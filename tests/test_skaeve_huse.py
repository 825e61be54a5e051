"""Skaeve Huse (issue 16 §4, issue 17 item 12; abm/processes/skaeve_huse.py): where the units
are, that only referred nuisance cases get one, that residents cause no nuisance, the way back
once the support need has ended, and the effect on nuisance evictions with paired seeds."""

from __future__ import annotations

import numpy as np

from abm import HousingModel
from abm.codes import Label, Place, SupportBy, SupportLevel, Tenure, Urgency
from abm.processes import economy, skaeve_huse

UNITS = {"skaeve_huse_per_100k": 20.0}


def small(params=None, rng=1, households=3000) -> HousingModel:
    return HousingModel(corop=["CR17"], households=households, rng=rng, params={**UNITS, **(params or {})})


def summed(m: HousingModel, name: str) -> float:
    """An indicator's region total over the run's months (month 0 left out)."""
    return float(m.recorder.series(name)[1][1:].sum())


def units(m: HousingModel) -> np.ndarray:
    dw = m.world.dw
    return np.flatnonzero(dw.exists & (dw.label == Label.SKAEVE))


def needy_tenants(m: HousingModel, n: int) -> np.ndarray:
    """``n`` corporation tenants outside Skaeve Huse, given an unmet intensive support need by hand."""
    w = m.world
    dw, hh = w.dw, w.hh
    rows = dw.occupant[(dw.tenure == Tenure.SOCIAL) & (dw.occupant >= 0) & (dw.label == Label.NONE)][:n].astype(np.int64)
    hh.support_need[rows] = SupportLevel.INTENSIVE
    hh.support_until[rows] = w.month + 600
    hh.support_by[rows] = SupportBy.NONE
    return rows


def test_units_sit_in_the_centre_municipality_one_per_100k_share_of_its_region_and_start_vacant():
    m = small()
    w = m.world
    reg, dw = w.region, w.dw
    u = units(m)
    expected = int(round(reg.table["inhabitants"].sum() / 1e5 * UNITS["skaeve_huse_per_100k"]))
    assert u.size == expected > 0
    assert set(dw.municipality[u].tolist()) == set(np.flatnonzero(reg.centre).tolist())  # CR17 is one COROP: its centre
    assert (dw.tenure[u] == Tenure.SOCIAL).all() and (dw.corporation[u] >= 0).all()
    assert (dw.occupant[u] < 0).all()
    assert small({"skaeve_huse_per_100k": 0.0}).world.dw.label.tolist().count(Label.SKAEVE) == 0


def test_queues_and_direct_routes_never_let_a_unit():
    m = small({"nuisance_rate": 0.0})  # no nuisance cases, so no referrals
    m.run(12)
    assert summed(m, "allocations") > 0
    assert (m.world.dw.occupant[units(m)] < 0).all()


def test_referred_cases_move_into_free_units_in_order_and_the_rest_are_left_for_eviction():
    m = small({"skaeve_huse_referral_share": 1.0})
    m.run(1)
    w = m.world
    n_units = units(m).size
    cases = needy_tenants(m, n_units + 3)
    old_homes = w.hh.dwelling[cases].copy()
    placed = skaeve_huse.refer(w, cases, np.random.default_rng(0))
    assert placed.tolist() == cases[:n_units].tolist()  # in order, while units last
    assert (w.dw.label[w.hh.dwelling[placed]] == Label.SKAEVE).all()
    assert (w.dw.occupant[old_homes[:n_units]] < 0).all()  # their homes are vacant: the next link of the chain
    assert (w.hh.place[cases[n_units:]] == Place.DWELLING).all() and (w.dw.label[w.hh.dwelling[cases[n_units:]]] != Label.SKAEVE).all()
    assert sum(g.size for g in w.counters.skaeve_huse_placed) == n_units
    assert skaeve_huse.refer(w, cases[n_units:], np.random.default_rng(1)).size == 0  # no unit free any more


def test_no_referral_without_the_share():
    m = small({"skaeve_huse_referral_share": 0.0})
    m.run(1)
    cases = needy_tenants(m, 3)
    assert skaeve_huse.refer(m.world, cases, np.random.default_rng(0)).size == 0


def test_nuisance_evicts_the_unreferred_and_residents_cause_none():
    m = small({"nuisance_rate": 1.0, "nuisance_eviction_share": 1.0, "skaeve_huse_referral_share": 1.0})
    m.run(1)
    w = m.world
    n_units = units(m).size
    cases = needy_tenants(m, 400)
    evicted = []
    for _ in range(60):  # many months' draws: each needy tenant has a case most years
        evicted.append(economy.nuisance(w, np.random.default_rng(len(evicted))))
    evicted = np.concatenate(evicted)
    residents = skaeve_huse.residents(w)
    assert residents.size == n_units  # every unit took a case
    assert np.isin(residents, cases).all()
    assert not np.isin(residents, evicted).any()  # once there, no case: never evicted for nuisance
    assert evicted.size > 0 and np.isin(evicted, cases).all()


def test_the_way_back_opens_when_the_support_need_has_ended():
    m = small({"skaeve_huse_referral_share": 1.0}, households=8000)  # at least two units
    m.run(1)
    w = m.world
    cases = needy_tenants(m, 2)
    placed = skaeve_huse.refer(w, cases, np.random.default_rng(0))
    assert placed.size == 2
    w.hh.seeking[placed] = False
    w.hh.support_need[placed[0]] = SupportLevel.NONE  # the need has ended: no more nuisance
    back = skaeve_huse.returns(w, np.random.default_rng(0))
    assert back.tolist() == [placed[0]]
    assert w.hh.seeking[placed[0]] and w.hh.urgency[placed[0]] == Urgency.SOCIAL
    assert not w.hh.seeking[placed[1]]


def test_paired_seeds_skaeve_huse_prevent_nuisance_evictions():
    """Paired seeds (1-3), the same 150 tenants given a lasting unmet support need at the start
    (a scaled region without spin-up has few): with units to refer to, fewer tenants are evicted
    for nuisance than with none (the report: *oplossing ernstige woonoverlast*)."""
    base = {"nuisance_rate": 0.5, "skaeve_huse_referral_share": 1.0}
    with_units, without = 0.0, 0.0
    for seed in (1, 2, 3):
        a = small(base, rng=seed, households=20000)
        b = small({**base, "skaeve_huse_per_100k": 0.0}, rng=seed, households=20000)
        for m in (a, b):
            needy_tenants(m, 150)
            m.run(36)
        with_units += summed(a, "evictions_nuisance")
        without += summed(b, "evictions_nuisance")
        assert summed(a, "skaeve_huse_placed") > 0 and summed(b, "skaeve_huse_placed") == 0
    assert with_units < without
