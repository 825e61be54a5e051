"""Institutions as capacity-bound stocks: shelter (MO), women's shelter, protected housing
(BW), asylum centres (COA), detention and residential youth care.

Residents stay until they are *ready to leave* (``ready_at``), then wait for a home. Those
who are ready but still inside are the report's blocked flow ("uitstroom stokt"); the model
counts them and how long they have been blocked. Capacities are national figures (``Params``)
shared out over centre municipalities by the population of the COROP regions they serve;
the asylum-centre capacity is national and only its total binds.
Sources: report, 'Dak- en thuisloze mensen', 'Statushouders', 'Uitstroom intramurale situatie'.
"""

from __future__ import annotations

import numpy as np

from . import support
from .codes import Flag, HomelessCause, InstitutionKind, Place, SupportLevel, VacancyCause
from .households import NEVER
from .params import Params
from .processes.flows import refugee_columns
from .region import Region, homeless_shares
from .world import World

KINDS = list(InstitutionKind)
#: Kinds whose ready residents are the report's "uitstroom intramurale situatie" (protected
#: housing, detention and forensic care, youth care) and carry the institution-leaver label.
#: Shelter and women's-shelter leavers belong to the homeless group (report, 'Dak- en thuisloze
#: mensen' counts "uitstroom uit de vrouwenopvang" there); permit holders to the refugee group.
LEAVER_KINDS = (InstitutionKind.PROTECTED_HOUSING, InstitutionKind.DETENTION, InstitutionKind.YOUTH_CARE)


def capacities(region: Region, p: Params) -> np.ndarray:
    """Places per (kind, municipality): zero outside centre municipalities. Asylum centres (COA)
    have no places here: the permit holders in them are the ones waiting for a home, whom the
    COA houses whatever its capacity, so a capacity would be a number nothing reads."""
    national = {
        InstitutionKind.SHELTER: p.shelter_places,
        InstitutionKind.WOMENS_SHELTER: p.womens_shelter_places,
        InstitutionKind.PROTECTED_HOUSING: p.protected_housing_places,
        InstitutionKind.DETENTION: p.detention_places,
        InstitutionKind.YOUTH_CARE: p.youth_care_places,
    }
    cap = np.zeros((len(KINDS), region.size))
    served = np.zeros(region.size)  # population share served by each centre
    for c in range(len(region.corops)):
        members = np.flatnonzero(region.corop_index == c)
        centres = members[region.centre[members]]
        served[centres] += region.population_share[members].sum() / centres.size
    for k, places in national.items():
        cap[k] = np.round(places * served)
    return cap


def initial_shelter_residents(region: Region, p: Params) -> np.ndarray:
    """Per municipality: the homeless-shelter (MO) residents ``fill_initial`` puts in at the start."""
    cap = capacities(region, p)[InstitutionKind.SHELTER]
    return np.round(cap * p.institution_initial_occupancy)


def occupancy(w: World) -> np.ndarray:
    """Residents per (kind, municipality)."""
    hh = w.hh
    rows = hh.place == Place.INSTITUTION
    key = hh.institution[rows].astype(np.int64) * w.region.size + hh.municipality[rows]
    return np.bincount(key, minlength=len(KINDS) * w.region.size).reshape(len(KINDS), w.region.size)


def centre_of(w: World, municipality: np.ndarray) -> np.ndarray:
    """The centre municipality serving each given municipality (its COROP region's centre)."""
    reg = w.region
    centre_by_corop = np.zeros(len(reg.corops), dtype=np.int64)
    for c in range(len(reg.corops)):
        members = np.flatnonzero((reg.corop_index == c) & reg.centre)
        centre_by_corop[c] = members[0]
    return centre_by_corop[reg.corop_index[municipality]]


def admit(w: World, rows: np.ndarray, kind: InstitutionKind, where: np.ndarray, stay: float, rng: np.random.Generator) -> None:
    """Residents enter an institution in municipality ``where`` and are ready after a
    geometric stay with mean ``stay`` months."""
    hh = w.hh
    rows = np.asarray(rows, dtype=np.int64)
    # A new episode for the support need: care inside protected housing, detention and youth care,
    # or a shelter after losing a home (abm/support.py); roofless people keep theirs in a shelter.
    new_episode = ~np.isin(hh.place[rows], (Place.HOMELESS, Place.INSTITUTION)) | (kind in LEAVER_KINDS)
    support.reset(hh, rows[new_episode])
    w.to_place(rows, Place.INSTITUTION, VacancyCause.EVICTION)
    hh.institution[rows] = kind
    hh.municipality[rows] = where
    if kind in (InstitutionKind.SHELTER, InstitutionKind.WOMENS_SHELTER):
        hh.labels[rows] |= Flag.HOMELESS_HISTORY
    hh.ready_at[rows] = w.month + (rng.geometric(1.0 / max(stay, 1.0), rows.size) if stay > 0 else 0)


def fill_initial(w: World, cap: np.ndarray, rng: np.random.Generator) -> None:
    """Institutions start ``institution_initial_occupancy`` full (95 %); a share of residents is
    already ready (blocked), up to ``institution_initial_ready_months`` ago."""
    p = w.params
    stays = {
        InstitutionKind.SHELTER: p.shelter_stay,
        InstitutionKind.WOMENS_SHELTER: p.womens_shelter_stay,
        InstitutionKind.PROTECTED_HOUSING: p.protected_housing_stay,
        InstitutionKind.DETENTION: p.detention_stay,
        InstitutionKind.YOUTH_CARE: p.youth_care_stay,
    }
    for kind, stay in stays.items():
        for m in np.flatnonzero(cap[kind] > 0):
            n = int(np.round(cap[kind, m] * p.institution_initial_occupancy))  # as initial_shelter_residents
            # Youth-care residents at the start entered earlier: between the oldest intake age and 18.
            age = rng.uniform(p.youth_care_age_max, 18, n) if kind == InstitutionKind.YOUTH_CARE else _adult_age(p, n, rng)
            income = rng.lognormal(np.log(p.institution_income), p.institution_income_sigma, n).astype(np.float32)
            # Remaining stays uniform on [0, 2 * stay] (mean ``stay``); some were ready before the start.
            ready = rng.integers(-p.institution_initial_ready_months, int(2 * stay) + 1, n)
            labels = Flag.HOMELESS_HISTORY if kind == InstitutionKind.SHELTER else 0
            rows = w.hh.add(
                n,
                municipality=m,
                age=(age * 12).astype(np.int16),
                female=rng.random(n, dtype=np.float32)
                < (p.womens_shelter_female_share if kind == InstitutionKind.WOMENS_SHELTER else p.institution_female_share),
                income=income,
                income_base=income,
                labels=labels,
                place=Place.INSTITUTION,
                institution=kind,
                ready_at=ready,
            )
            w.hh._data["hid"][rows] = rows
            rdy = rows[ready <= 0]
            label_leavers(w, rdy)
            w.start_seeking(rdy, p.regional_search_share, rng)
    waiting = rng.poisson(p.asylum_waiting_initial * w.region.population_share)
    for m in np.flatnonzero(waiting):
        n = int(waiting[m])
        since = -rng.integers(0, 12, n)
        cols = refugee_columns(n, p, rng)
        rows = w.hh.add(n, municipality=m, ready_at=since, registered=since, seeking=True, seek_since=since, regional=False, **cols)
        w.hh._data["hid"][rows] = rows


def step(w: World, cap: np.ndarray, rng: np.random.Generator) -> None:
    """One month of institution flows: intake, becoming ready, and exits other than a home."""
    hh, p = w.hh, w.params
    occ = occupancy(w)
    free = np.maximum(cap - occ, 0).astype(np.int64)
    # Homeless people enter a free shelter place in their region's centre municipality.
    homeless = np.flatnonzero(hh.place == Place.HOMELESS)
    homeless = homeless[rng.random(homeless.size, dtype=np.float32) < p.shelter_entry_rate]
    if homeless.size:
        where = centre_of(w, hh.municipality[homeless])
        for m in np.unique(where):
            take = homeless[where == m][: free[InstitutionKind.SHELTER, m]]
            admit(w, take, InstitutionKind.SHELTER, np.full(take.size, m), p.shelter_stay, rng)
    # Protected housing, detention and youth care take in new residents as places free up.
    pool = np.flatnonzero(
        (hh.adults == 1)
        & (hh.age < p.detention_pool_age_max * 12)
        & (hh.age >= 18 * 12)
        & ((hh.place == Place.HOMELESS) | (hh.place == Place.DWELLING))
    )
    pool_corop = w.region.corop_index[hh.municipality[pool]]
    # Who may wait for protected housing: computed once a month, not per centre municipality
    # (nobody gains a 24-hour need during this step; admitting someone only removes them).
    protected_need = np.flatnonzero(hh.support_need == SupportLevel.PROTECTED)
    for kind, stay, src in (
        (InstitutionKind.PROTECTED_HOUSING, p.protected_housing_stay, "protected_housing_intake"),
        (InstitutionKind.DETENTION, p.detention_stay, "detention_intake"),
        (InstitutionKind.YOUTH_CARE, p.youth_care_stay, "youth_care_intake"),
    ):
        for m in np.flatnonzero(cap[kind] > 0):
            n = int(min(free[kind, m], rng.poisson(cap[kind, m] / stay)))
            if n <= 0:
                continue
            if kind == InstitutionKind.DETENTION:
                n = _detain_from_population(w, m, n, stay, pool[pool_corop == w.region.corop_index[m]], rng)
            if kind == InstitutionKind.PROTECTED_HOUSING:
                n = _admit_protected_need(w, m, n, stay, rng, protected_need)
            age = (
                rng.uniform(p.youth_care_age_min, p.youth_care_age_max, n) if kind == InstitutionKind.YOUTH_CARE else _adult_age(p, n, rng)
            )
            income = rng.lognormal(np.log(p.institution_income), p.institution_income_sigma, n).astype(np.float32)
            rows = w.new_households(
                n,
                src,
                municipality=m,
                age=(age * 12).astype(np.int16),
                female=rng.random(n, dtype=np.float32) < p.institution_female_share,
                income=income,
                income_base=income,
                place=Place.INSTITUTION,
                institution=kind,
            )
            hh.ready_at[rows] = w.month + rng.geometric(1.0 / stay, n)
    # Residents who are ready carry the leaver label (also those already seeking when they
    # became ready); those who become ready this month start seeking a home.
    inst = np.flatnonzero(hh.place == Place.INSTITUTION)
    label_leavers(w, inst[hh.ready_at[inst] <= w.month])
    ready = inst[(hh.ready_at[inst] <= w.month) & ~hh.seeking[inst]]
    w.start_seeking(ready, p.regional_search_share, rng)
    # Ready residents who find no home leave by other routes: family, a private room, elsewhere.
    ready = inst[hh.ready_at[inst] <= w.month]
    ready = ready[hh.institution[ready] != InstitutionKind.ASYLUM_CENTRE]
    go = ready[rng.random(ready.size, dtype=np.float32) < p.institution_other_exit_rate]
    half = rng.random(go.size, dtype=np.float32) < p.institution_exit_living_in_share
    if go[half].size:  # leaving without a home of their own (uitstroom zonder woning): booked at the exit
        w.counters.institution_exits_without_home.append((hh.municipality[go[half]].astype(np.int64), w.groups_now(go[half])))
    w.to_place(go[half], Place.LIVING_IN)
    w.remove(go[~half], "left_institution_elsewhere")
    # Homeless people leave homelessness by other routes (informal living in, leaving).
    homeless = np.flatnonzero(hh.place == Place.HOMELESS)
    go = homeless[rng.random(homeless.size, dtype=np.float32) < p.homeless_other_exit_rate]
    half = rng.random(go.size, dtype=np.float32) < p.homeless_exit_living_in_share
    w.to_place(go[half], Place.LIVING_IN)
    w.remove(go[~half], "homeless_left")
    # New homelessness besides the modelled causes (economic homelessness, migrants, ...), where
    # homeless people are counted: concentrated in the big cities like the CBS count (37 % in the
    # G4), so the initial concentration is kept (report, 'Dak- en thuisloze mensen').
    n_new = rng.poisson(p.new_homeless_rate / 12.0 * homeless_shares(w.region.table, p.homeless_g4_share))
    for m in np.flatnonzero(n_new):
        k = int(n_new[m])
        income = rng.lognormal(np.log(p.homeless_income), p.homeless_income_sigma, k).astype(np.float32)
        rows = w.new_households(
            k,
            "new_homeless",
            municipality=m,
            age=(rng.uniform(p.homeless_age_min, p.homeless_age_max, k) * 12).astype(np.int16),
            female=rng.random(k, dtype=np.float32) < p.homeless_female_share,
            income=income,
            income_base=income,
            labels=Flag.HOMELESS_HISTORY,
            place=Place.HOMELESS,
            homeless_since=w.month,
        )
        w.count_homeless_inflow(rows, HomelessCause.OTHER)
        w.start_seeking(rows, p.regional_search_share, rng)


def _adult_age(p: Params, n: int, rng: np.random.Generator) -> np.ndarray:
    """Ages (years) of ``n`` adult institution residents, uniform on the parameters' range."""
    return rng.uniform(p.institution_age_min, p.institution_age_max, n)


def _detain_from_population(w: World, m: int, n: int, stay: float, pool: np.ndarray, rng: np.random.Generator) -> int:
    """Some detainees come from the region's homeless people and single tenants (``pool``);
    housed singles lose their home when rent is not paid during detention (report,
    'Preventie'). Returns how many detainees remain to be added as new rows."""
    hh, p = w.hh, w.params
    pool = pool[(hh.place[pool] == Place.HOMELESS) | (hh.place[pool] == Place.DWELLING)]
    k = min(pool.size, rng.binomial(n, p.detention_from_population_share))
    if k == 0:
        return n
    pick = rng.choice(pool, size=k, replace=False)
    housed = hh.place[pick] == Place.DWELLING
    keeps_home = housed & (rng.random(k, dtype=np.float32) >= p.detention_home_loss_share)
    # Detainees who keep their home are not modelled as moving; the rest enter detention.
    enter = pick[~keeps_home]
    lost = pick[housed & ~keeps_home]
    w.counters.homes_lost_detention.append(lost)
    w.counters.homes_lost_detention_municipality.append(hh.municipality[lost].astype(np.int64))
    admit(w, enter, InstitutionKind.DETENTION, np.full(enter.size, m), stay, rng)
    hh.seeking[enter] = False
    return n - k


def _admit_protected_need(w: World, m: int, n: int, stay: float, rng: np.random.Generator, candidates: np.ndarray | None = None) -> int:
    """Protected housing takes in first the people of its COROP region who need 24-hour care
    (``SupportLevel.PROTECTED``, abm/support.py) and wait for it outside — roofless, in a shelter,
    living in — longest waiting first (report, 'Dak- en thuisloze mensen': "voldoende intramurale
    plekken"). ``candidates``: rows that may qualify (a superset; all households if None).
    Returns how many places remain for intake from elsewhere (new rows)."""
    hh = w.hh
    rows = np.arange(hh.place.size) if candidates is None else candidates
    place = hh.place[rows]
    waiting = rows[
        (hh.support_need[rows] == SupportLevel.PROTECTED)
        & ((place == Place.HOMELESS) | (place == Place.INSTITUTION) | (place == Place.LIVING_IN))
        & (hh.institution[rows] != InstitutionKind.PROTECTED_HOUSING)
    ]
    waiting = waiting[w.region.corop_index[hh.municipality[waiting]] == w.region.corop_index[m]]
    if waiting.size == 0 or n <= 0:
        return n
    take = waiting[np.lexsort((hh.hid[waiting], hh.support_since[waiting]))][:n]
    admit(w, take, InstitutionKind.PROTECTED_HOUSING, np.full(take.size, m), stay, rng)
    hh.seeking[take] = False
    return n - take.size


def label_leavers(w: World, ready: np.ndarray) -> None:
    """Ready residents of the ``LEAVER_KINDS`` get the institution-leaver label; it holds while
    they are inside and for ``institution_leaver_label_months`` after they leave."""
    hh = w.hh
    rows = ready[np.isin(hh.institution[ready], LEAVER_KINDS)]
    hh.labels[rows] |= Flag.INSTITUTION_LEAVER
    hh.leaver_until[rows] = NEVER


def blocked(w: World) -> np.ndarray:
    """Mask of residents who are ready to leave but still inside (blocked flow)."""
    hh = w.hh
    return (hh.place == Place.INSTITUTION) & (hh.ready_at <= w.month)
