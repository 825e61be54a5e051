"""The private-rent and owner-occupied market, kept simple: no price formation.

Each month a share of vacant market homes is let or sold within the COROP region: student
rooms to students, rooms and small rented homes to labour migrants and young adults who can
pay the rent, larger homes to tenants who move up (middle incomes leaving social housing, the
report's *doorstroming*) — and what is left to newcomers from outside the region. Moves out
of social homes free social vacancies, so vacancy chains cross tenures.

Newcomers are demand: each month ``newcomer_rate`` (a year, per housed household of the COROP
region) households arrive from outside the region and take vacant market homes there; they
come for a home, so no more arrive than there are vacancies. Vacancies beyond them stay vacant
(and are counted as market vacancies) until a later month.
"""

from __future__ import annotations

import numpy as np

from ..codes import DwellingType, Flag, Label, Place, Tenure
from ..households import NEVER
from ..world import World
from .demography import candidates, monthly


def step(w: World, rng: np.random.Generator) -> None:
    """Let and sell this month's market vacancies (see the module docstring)."""
    hh, dw, p = w.hh, w.dw, w.params
    vac = np.flatnonzero(
        dw.vacant & (dw.end_month > w.month + p.min_letting_months) & ((dw.tenure != Tenure.SOCIAL) | (dw.label == Label.STUDENT))
    )
    vac = vac[rng.random(vac.size, dtype=np.float32) < p.market_fill_rate]
    if vac.size == 0:
        return
    vac = rng.permutation(vac)
    corop = w.region.corop_index
    v_corop = corop[dw.municipality[vac]]
    student_room = dw.label[vac] == Label.STUDENT
    small = ~student_room & ((dw.dtype[vac] == DwellingType.ROOM) | ((dw.rooms[vac] <= 2) & (dw.tenure[vac] == Tenure.PRIVATE)))
    large = ~student_room & ~small

    present = hh.place != Place.GONE
    students = np.flatnonzero(present & (hh.place == Place.LIVING_IN) & ((hh.labels & Flag.STUDENT) != 0))
    lm = (hh.labels & Flag.LABOUR_MIGRANT) != 0
    starters = np.flatnonzero((hh.place == Place.LIVING_IN) & ((hh.labels & Flag.STUDENT) == 0) & (lm | hh.seeking))
    private_up_rate = p.private_buy_rate
    housed, u = candidates(
        rng, (hh.place == Place.DWELLING) & (hh.income >= p.buy_income), max(monthly(p.buy_rate), monthly(private_up_rate))
    )
    tenure_now = dw.tenure[hh.dwelling[housed]]
    rate = np.select([tenure_now == Tenure.SOCIAL, tenure_now == Tenure.PRIVATE], [monthly(p.buy_rate), monthly(private_up_rate)], 0.0)
    movers_up = housed[u < rate]
    movers_up = np.concatenate([movers_up, starters[hh.income[starters] >= p.buy_income]])

    chosen_v, chosen_h = [], []
    used = np.zeros(hh.n, dtype=bool)
    n_corop = len(w.region.corops)
    for vmask, pool in ((student_room, students), (small, starters), (large, movers_up)):
        v, vc = vac[vmask], v_corop[vmask]
        pool = rng.permutation(pool[~used[pool]])
        if v.size == 0 or pool.size == 0:
            continue
        # Group vacancies and (shuffled) candidates by COROP region, then pair them in order.
        vo = np.argsort(vc, kind="stable")
        v, vc = v[vo], vc[vo]
        pc = corop[hh.municipality[pool]]
        po = np.argsort(pc, kind="stable")
        pool, pc = pool[po], pc[po]
        bounds = np.arange(n_corop + 1)
        v_at, p_at = np.searchsorted(vc, bounds), np.searchsorted(pc, bounds)
        k = np.minimum(np.diff(v_at), np.diff(p_at))
        dv = np.concatenate([v[v_at[c] : v_at[c] + k[c]] for c in range(n_corop)])
        dh = np.concatenate([pool[p_at[c] : p_at[c] + k[c]] for c in range(n_corop)])
        ok = (dw.rent[dv] * 12 <= p.rent_share_max * hh.income[dh]) | (dw.label[dv] == Label.STUDENT)
        chosen_v.append(dv[ok])
        chosen_h.append(dh[ok])
        used[dh[ok]] = True
    if chosen_v:
        dv, dh = np.concatenate(chosen_v), np.concatenate(chosen_h)
        from_social = (hh.place[dh] == Place.DWELLING) & (dw.tenure[np.maximum(hh.dwelling[dh], 0)] == Tenure.SOCIAL)
        w.counters.moved_up.append(dh[from_social])  # doorstroming out of the social stock
        w.move_in(dh, dv, social=False)
    # Newcomers from outside the region arrive at their rate and take remaining non-student vacancies.
    rest = newcomer_homes(w, vac[dw.vacant[vac] & (dw.label[vac] != Label.STUDENT)], rng)
    n = rest.size
    if n == 0:
        return
    tenure = dw.tenure[rest]
    median = np.where(tenure == Tenure.OWNER, p.income_median_owner, p.income_median_private)
    income = (median * np.exp(rng.normal(0, p.income_sigma, n))).astype(np.float32)
    size = np.clip(np.minimum(dw.rooms[rest], 1 + rng.poisson(p.newcomer_household_size - 1, n)), 1, 6).astype(np.int8)
    registered = np.where(rng.random(n, dtype=np.float32) < p.newcomer_register_share, w.month, NEVER)
    rows = w.new_households(
        n,
        "newcomer",
        municipality=dw.municipality[rest],
        age=(rng.uniform(p.newcomer_age_min, p.newcomer_age_max, n) * 12).astype(np.int16),
        female=rng.random(n, dtype=np.float32) < p.newcomer_female_share,
        size=size,
        adults=np.where(size >= 2, 2, 1),
        income=income,
        income_base=income,
        registered=registered,
        place=Place.LIVING_IN,
    )
    w.move_in(rows, rest, social=False, newcomers=True)


def newcomer_homes(w: World, vacant: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The vacant market homes (from ``vacant``, in its order) that newcomers take this month:
    per COROP region a Poisson number at ``newcomer_rate`` per housed household, at most the
    vacancies there."""
    hh, dw = w.hh, w.dw
    corop = w.region.corop_index
    n_corop = len(w.region.corops)
    housed = np.bincount(corop[hh.municipality[hh.place == Place.DWELLING]], minlength=n_corop)
    arrive = rng.poisson(monthly(w.params.newcomer_rate) * housed)
    vc = corop[dw.municipality[vacant]]
    # Rank of each vacancy within its COROP region, in the given (shuffled) order.
    order = np.argsort(vc, kind="stable")
    starts = np.searchsorted(vc[order], np.arange(n_corop))
    rank = np.empty(vacant.size, dtype=np.int64)
    rank[order] = np.arange(vacant.size) - starts[vc[order]]
    return vacant[rank < arrive[vc]]
