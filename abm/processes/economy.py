"""Income shocks, rent arrears and eviction (report, 'Preventie' and 'Sociaal urgenten').

A chain per corporation tenant: income shock → arrears (*huurachterstand*) → court case →
eviction (*huisuitzetting*) or an averted eviction (payment plan, last-chance agreement).
Calibrated to Aedes/CBS 2020-2021 (FACTS D): ≈5 % of corporation tenants in arrears, ≈7,000
court rulings a year, about one in four rulings ending in an eviction.
"""

from __future__ import annotations

import numpy as np

from ..codes import Flag, InstitutionKind, Place, Tenure
from ..world import World
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


def arrears_and_evictions(w: World, rng: np.random.Generator, eviction_share: np.ndarray) -> np.ndarray:
    """Corporation tenants fall into and out of arrears; some cases go to court; the owning
    corporation evicts a share (``eviction_share`` per corporation index; its last element
    serves homes without a corporation). Returns evicted rows."""
    hh, dw, p = w.hh, w.dw, w.params
    tenants = dw.occupant[(dw.tenure == Tenure.SOCIAL) & (dw.occupant >= 0)]  # corporation tenants
    in_arrears = np.flatnonzero(hh.arrears & (hh.place == Place.DWELLING))  # only corporation tenants carry arrears
    ok_shocked = hh.shocked[tenants] & ~hh.arrears[tenants]
    n_ok = tenants.size - in_arrears.size
    # Scale entry so that the average entry rate equals the parameter whatever the shock share.
    norm = 1.0 + (p.arrears_shock_multiplier - 1.0) * (ok_shocked.sum() / n_ok if n_ok else 0.0)
    factor_max = max(p.weak_neighbourhood_arrears_factor, 1.0) * max(p.homeless_history_arrears_factor, 1.0)
    p_max = min(p.arrears_entry_rate / norm * p.arrears_shock_multiplier * factor_max, 1.0)
    cand, u = candidates(rng, (hh.place == Place.DWELLING) & ~hh.arrears, p_max)
    cand_social = dw.tenure[hh.dwelling[cand]] == Tenure.SOCIAL
    entry = p.arrears_entry_rate / norm * np.where(hh.shocked[cand], p.arrears_shock_multiplier, 1.0)
    # Measures: welfare work in weak neighbourhoods, support for formerly homeless tenants.
    weak = w.region.weak[dw.neighbourhood[hh.dwelling[cand]]]
    entry = entry * np.where(weak, p.weak_neighbourhood_arrears_factor, 1.0)
    entry = entry * np.where((hh.labels[cand] & Flag.HOMELESS_HISTORY) != 0, p.homeless_history_arrears_factor, 1.0)
    hh.arrears[cand[cand_social & (u < entry)]] = True
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
    evicted = court[evict]
    # Counted with the tenant's groups and municipality before the eviction (not as homeless).
    w.counters.evictions.append(evicted)
    w.counters.eviction_groups.append(w.groups_now(evicted))
    w.counters.eviction_municipality.append(hh.municipality[evicted].astype(np.int64))
    homeless = rng.random(evicted.size, dtype=np.float32) < p.evicted_homeless_share
    # A fall-back place (Housing First): formerly homeless tenants go to a shelter, not the street.
    fallback = (
        homeless
        & ((hh.labels[evicted] & Flag.HOMELESS_HISTORY) != 0)
        & (rng.random(evicted.size, dtype=np.float32) < p.evicted_fallback_share)
    )
    from ..institutions import admit, centre_of

    back = evicted[fallback]
    admit(w, back, InstitutionKind.SHELTER, centre_of(w, hh.municipality[back]), p.shelter_stay, rng)
    w.to_place(evicted[homeless & ~fallback], Place.HOMELESS)
    w.to_place(evicted[~homeless], Place.LIVING_IN)
    hh.arrears[evicted] = False
    w.start_seeking(evicted, p.regional_search_share, rng)
    return evicted
