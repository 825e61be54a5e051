"""Income shocks, rent arrears and eviction (report, 'Preventie' and 'Sociaal urgenten').

A chain per corporation tenant: income shock → arrears (*huurachterstand*) → court case →
eviction (*huisuitzetting*) or an averted eviction (payment plan, last-chance agreement).
Calibrated to Aedes/CBS 2020-2021 (FACTS D): ≈5 % of corporation tenants in arrears, ≈7,000
court rulings a year, about one in four rulings ending in an eviction.
"""

from __future__ import annotations

import numpy as np

from .. import income_rules, support
from ..codes import HomelessCause, InstitutionKind, Label, Place, SupportBy, Tenure
from ..params import Params
from ..world import World
from . import skaeve_huse
from .demography import candidates, monthly


def income_shocks(w: World, rng: np.random.Generator) -> None:
    """Sudden income loss (job loss, illness) and recovery, in euros per year."""
    hh, p = w.hh, w.params
    present = hh.place != Place.GONE
    shocked = np.flatnonzero(present & hh.shocked)
    back = shocked[rng.random(shocked.size, dtype=np.float32) < 1.0 / p.income_recovery_months]
    hh.shocked[back] = False
    hh.income[back] = hh.income_base[back]
    hit, _ = candidates(rng, present & ~hh.shocked & (hh.place == Place.DWELLING), monthly(p.income_shock_rate))
    hh.shocked[hit] = True
    hh.income[hit] = hh.income_base[hit] * p.income_shock_factor


def burden_factors(w: World, rows: np.ndarray, tenants: np.ndarray) -> np.ndarray:
    """Factor on arrears entry of corporation tenants ``rows``: rent burden^k (net rent after
    housing allowance / income, capped at 1; k = ``arrears_burden_elasticity``) over its mean
    among all corporation tenants (``tenants``) of the first month under the 2021 allowance rules
    (the default parameters, whatever the run sets), the reference kept in
    ``w.arrears_burden_reference``. The calibrated ``arrears_entry_rate`` is thus the 2021
    average, and a change in rents, incomes or the allowance moves the number in arrears (report,
    'Preventie': *huurachterstand* as the first signal)."""
    k = w.params.arrears_burden_elasticity
    ref = getattr(w, "arrears_burden_reference", None)
    if ref is None:
        rules_2021 = Params()
        ref = float(np.mean(income_rules.rent_burden(w, tenants, rules_2021) ** k)) if tenants.size else 1.0
        w.arrears_burden_reference = ref
    cached = getattr(w, "allowance_assessed", None)
    paid = None
    if cached is not None and cached[0] == w.month:  # the month's assessment (schedule): no second computation
        full = np.zeros(w.hh.n)
        full[cached[1]] = cached[2]
        paid = full[rows]
    b = income_rules.rent_burden(w, rows, paid=paid) ** k
    return b / ref if ref > 0 else np.ones(rows.size)


def arrears_and_evictions(
    w: World, rng: np.random.Generator, eviction_share: np.ndarray, protected_free: np.ndarray | None = None
) -> np.ndarray:
    """Corporation tenants fall into and out of arrears; some cases go to court; the owning
    corporation evicts a share (``eviction_share`` per corporation index; its last element
    serves homes without a corporation). Tenants with a support need fall into arrears
    ``unmet_support_arrears_factor`` times as often without support and
    ``met_support_arrears_factor`` times with it (abm/support.py). Returns evicted rows."""
    hh, dw, p = w.hh, w.dw, w.params
    tenants = dw.occupant[(dw.tenure == Tenure.SOCIAL) & (dw.occupant >= 0)]  # corporation tenants
    in_arrears = np.flatnonzero(hh.arrears & (hh.place == Place.DWELLING))  # only corporation tenants carry arrears
    ok_shocked = hh.shocked[tenants] & ~hh.arrears[tenants]
    n_ok = tenants.size - in_arrears.size
    # Scale entry so that the average entry rate equals the parameter whatever the shock share.
    norm = 1.0 + (p.arrears_shock_multiplier - 1.0) * (ok_shocked.sum() / n_ok if n_ok else 0.0)
    ok = tenants[~hh.arrears[tenants]]
    entry = p.arrears_entry_rate / norm * np.where(hh.shocked[ok], p.arrears_shock_multiplier, 1.0)
    # Measures: welfare work in weak neighbourhoods; support for tenants with a support need.
    weak = w.region.weak[dw.neighbourhood[hh.dwelling[ok]]]
    entry = entry * np.where(weak, p.weak_neighbourhood_arrears_factor, 1.0)
    entry = entry * support.arrears_factor(hh, ok, p)
    entry = entry * burden_factors(w, ok, tenants)  # rent burden after housing allowance (abm/income_rules.py)
    hh.arrears[ok[rng.random(ok.size, dtype=np.float32) < entry]] = True
    u = rng.random(in_arrears.size, dtype=np.float32)
    paid = in_arrears[u < p.arrears_exit_rate]
    hh.arrears[paid] = False
    court = in_arrears[(u >= p.arrears_exit_rate) & (u < p.arrears_exit_rate + p.court_rate)]
    w.counters.court_cases += court.size
    corp = dw.corporation[hh.dwelling[court]]
    evict = rng.random(court.size, dtype=np.float32) < eviction_share[corp]
    averted = court[~evict]
    hh.arrears[averted] = False
    w.counters.evictions_averted += averted.size
    return evict_tenants(w, court[evict], rng, protected_free, nuisance=False)


def nuisance(w: World, rng: np.random.Generator, protected_free: np.ndarray | None = None) -> np.ndarray:
    """Nuisance (*woonoverlast*) by corporation tenants with a support need: cases arise at
    ``nuisance_rate`` a year without support and ``met_support_nuisance_factor`` times that with
    it; a share ``nuisance_eviction_share`` of cases ends in an eviction (report, 'Dak- en
    thuisloze mensen': "bewoners met psychische beperkingen zijn in veel wijken niet erg welkom";
    abm/support.py), unless the tenant is referred to a free Skaeve Huse unit instead
    (abm/processes/skaeve_huse.py); residents of those units cause none. Returns evicted rows."""
    hh, dw, p = w.hh, w.dw, w.params
    tenants = dw.occupant[(dw.tenure == Tenure.SOCIAL) & (dw.occupant >= 0)]
    tenants = tenants[hh.support_need[tenants] > 0]
    met = hh.support_by[tenants] != SupportBy.NONE
    rate = monthly(p.nuisance_rate) * np.where(met, p.met_support_nuisance_factor, 1.0)
    # Residents of Skaeve Huse cause none: the quiet setting is what prevents it (skaeve_huse.py).
    # (They still draw, so that runs with and without units keep their draws aligned.)
    rate = np.where(dw.label[hh.dwelling[tenants]] == Label.SKAEVE, 0.0, rate)
    u = rng.random((2, tenants.size), dtype=np.float32)
    evicted = tenants[(u[0] < rate) & (u[1] < p.nuisance_eviction_share)]
    evicted = evicted[~np.isin(evicted, skaeve_huse.refer(w, evicted, rng))]  # referred instead of evicted
    return evict_tenants(w, evicted, rng, protected_free, nuisance=True)


def evict_tenants(w: World, evicted: np.ndarray, rng: np.random.Generator, protected_free: np.ndarray | None, nuisance: bool) -> np.ndarray:
    """Evicted tenants leave their home: counted with their groups and municipality before the
    eviction; a share ``evicted_homeless_share`` become roofless, the rest live in with others.
    Those who would be roofless but have a support place fall back on a place instead, with
    chance ``evicted_fallback_share`` (their support worker arranges it; report, 'Dak- en
    thuisloze mensen: terugvalopties'): protected housing in their region's centre municipality
    while it has free places, else a shelter."""
    hh, p = w.hh, w.params
    w.counters.evictions.append(evicted)
    w.counters.eviction_groups.append(w.groups_now(evicted))
    w.counters.eviction_municipality.append(hh.municipality[evicted].astype(np.int64))
    w.counters.eviction_nuisance.append(np.full(evicted.size, nuisance))
    u = rng.random((2, evicted.size), dtype=np.float32)
    homeless = u[0] < p.evicted_homeless_share
    fallback = homeless & (hh.support_by[evicted] != SupportBy.NONE) & (u[1] < p.evicted_fallback_share)
    from ..institutions import admit, centre_of

    back = evicted[fallback]
    where = centre_of(w, hh.municipality[back])
    to_bw = np.zeros(back.size, dtype=bool)
    if protected_free is not None and back.size:
        free = protected_free.copy()
        for i, m in enumerate(where):  # few a month
            if free[m] > 0:
                to_bw[i], free[m] = True, free[m] - 1
        protected_free[:] = free
    w.count_homeless_inflow(np.concatenate([back[~to_bw], evicted[homeless & ~fallback]]), HomelessCause.EVICTION)
    admit(w, back[to_bw], InstitutionKind.PROTECTED_HOUSING, where[to_bw], p.protected_housing_stay, rng)
    admit(w, back[~to_bw], InstitutionKind.SHELTER, where[~to_bw], p.shelter_stay, rng)
    w.to_place(evicted[homeless & ~fallback], Place.HOMELESS)
    w.to_place(evicted[~homeless], Place.LIVING_IN)
    hh.arrears[evicted] = False
    w.start_seeking(evicted[hh.institution[evicted] != InstitutionKind.PROTECTED_HOUSING], p.regional_search_share, rng)
    return evicted
