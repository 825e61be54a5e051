"""Initial households of a region: every CBS household in a dwelling, plus young adults
living with their parents, homeless people and institution residents.

All 2021 CBS private households of each municipality get a dwelling (``synth_stock``), matched
by size to rooms within municipality and tenure. Ages, sizes and incomes are drawn from
tenure-specific distributions (``Params`` and the constants here, sources in the docstrings).
"""

from __future__ import annotations

import numpy as np

from .codes import CareNeed, DwellingType, Flag, Label, LabourMigrantType, Place, Tenure
from .dwellings import Dwellings
from .households import Households
from .params import Params
from .processes.demography import young_adult_income
from .region import Region, homeless_shares
from .tables import living_with_parents, population_by_age

# Head-of-household age bands (years) by tenure: (lo, hi, weight). M, shaped after CBS
# WoON figures: seniors hold many social homes, owners are middle-aged, renters young.
AGE_BANDS = {
    Tenure.SOCIAL: [(20, 35, 0.22), (35, 65, 0.43), (65, 95, 0.35)],
    Tenure.PRIVATE: [(20, 35, 0.45), (35, 65, 0.33), (65, 95, 0.22)],
    Tenure.OWNER: [(25, 45, 0.28), (45, 65, 0.42), (65, 95, 0.30)],
}
# Household size distribution by tenure (1..5 persons). 38 % one-person households nationally
# (FACTS G, 3.08 M of 8.0 M); owners are larger households. M.
SIZE_P = {
    Tenure.SOCIAL: [0.48, 0.27, 0.11, 0.09, 0.05],
    Tenure.PRIVATE: [0.55, 0.27, 0.09, 0.06, 0.03],
    Tenure.OWNER: [0.22, 0.36, 0.16, 0.18, 0.08],
}


def draw_age_months(tenure: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Head-of-household ages: a band by tenure (``AGE_BANDS``), then a year within the band in
    proportion to the CBS population of that age (1 Jan 2020, ``tables.population_by_age``),
    so that within 65-95 the 85-year-olds are rarer than the 67-year-olds, as in the
    population, not uniform (issue 11); a month within the year uniformly."""
    pop = population_by_age()
    age = np.zeros(tenure.size)
    for t, bands in AGE_BANDS.items():
        idx = np.flatnonzero(tenure == t)
        w = np.array([b[2] for b in bands])
        k = rng.choice(len(bands), size=idx.size, p=w / w.sum())
        for j, (lo, hi, _) in enumerate(bands):
            sel = idx[k == j]
            years = np.arange(lo, hi)
            pw = pop[years] / pop[years].sum()
            age[sel] = rng.choice(years, size=sel.size, p=pw) + rng.random(sel.size)
    return (age * 12).astype(np.int16)


def draw_income(tenure: np.ndarray, age_months: np.ndarray, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Household income (EUR/yr): lognormal by tenure; seniors on pensions earn less."""
    median = np.choose(tenure.astype(int), [p.income_median_social, p.income_median_private, p.income_median_owner])
    income = median * np.exp(rng.normal(0, p.income_sigma, tenure.size))
    income = np.where(age_months >= 67 * 12, income * p.pension_income_factor, income)  # AOW age 67
    return income.astype(np.float32)


def populate(region: Region, dw: Dwellings, p: Params, rng: np.random.Generator) -> Households:
    """Create all households of the region and put each into its place."""
    n_dw = dw.n
    hh = Households(capacity=int(n_dw * 1.4) + 1024)
    tenure = dw.tenure.copy()
    is_room = dw.dtype == DwellingType.ROOM
    # Sizes and dwellings matched by rank within municipality and tenure (largest households to
    # most rooms, with noise), so that family houses hold families and rooms hold singles.
    size = np.ones(n_dw, dtype=np.int8)
    for t, probs in SIZE_P.items():
        idx = np.flatnonzero((tenure == t) & ~is_room)
        size[idx] = rng.choice(np.arange(1, 6), size=idx.size, p=probs)
    group = dw.municipality.astype(np.int64) * 3 + tenure
    d_order = np.lexsort((dw.rooms + rng.normal(0, 0.8, n_dw), group))
    h_order = np.lexsort((size + rng.normal(0, 0.8, n_dw), group))
    size_of_dw = np.empty(n_dw, dtype=np.int8)
    size_of_dw[d_order] = size[h_order]
    size = np.where(is_room, 1, size_of_dw).astype(np.int8)
    age = draw_age_months(tenure, rng)
    age = np.where(is_room, rng.uniform(p.room_tenant_age_min, p.room_tenant_age_max, n_dw) * 12, age).astype(np.int16)
    adults = np.where(size >= 2, np.where(rng.random(n_dw, dtype=np.float32) < p.couple_share, 2, 1), 1).astype(np.int8)
    adults = np.where((size == 2) & (age >= 60 * 12), 2, adults).astype(np.int8)
    income = draw_income(tenure, age, p, rng)
    income = np.where(is_room, rng.lognormal(np.log(p.room_tenant_income), p.room_tenant_income_sigma, n_dw), income).astype(np.float32)
    labels = np.zeros(n_dw, dtype=np.uint16)
    labels[is_room & (dw.label == Label.STUDENT)] |= Flag.STUDENT
    labels[dw.dtype == DwellingType.CARAVAN_PITCH] |= Flag.CARAVAN
    social = (tenure == Tenure.SOCIAL) & ~is_room
    labels[social & (rng.random(n_dw, dtype=np.float32) < p.refugee_social_share)] |= Flag.REFUGEE
    # Labour migrants: the national stock of persons, as households, in private rent.
    lm_target = p.labour_migrant_stock / p.labour_migrant_persons_per_household * region.population_share
    lm_type = np.zeros(n_dw, dtype=np.int8)
    for m in range(region.size):
        cand = np.flatnonzero((dw.municipality == m) & (tenure == Tenure.PRIVATE) & (labels == 0) & (size <= 2))
        k = min(cand.size // 3, int(round(lm_target[m])))
        pick = rng.choice(cand, size=k, replace=False)
        labels[pick] |= Flag.LABOUR_MIGRANT
        lm_type[pick] = rng.choice(
            [LabourMigrantType.SHORT_STAY, LabourMigrantType.CONTRACT, LabourMigrantType.SETTLING],
            size=k,
            p=[
                p.labour_migrant_short_share,
                p.labour_migrant_contract_share,
                1 - p.labour_migrant_short_share - p.labour_migrant_contract_share,
            ],
        )
    care = np.zeros(n_dw, dtype=np.int8)
    old = age >= 75 * 12
    care[old & (rng.random(n_dw, dtype=np.float32) < p.initial_mobility_share_75)] = CareNeed.MOBILITY
    care[old & (rng.random(n_dw, dtype=np.float32) < p.initial_wheelchair_share_75)] = CareNeed.WHEELCHAIR
    care[dw.label == Label.WHEELCHAIR] = CareNeed.WHEELCHAIR
    renter = tenure != Tenure.OWNER
    registered = np.full(n_dw, np.iinfo(np.int32).max, dtype=np.int64)
    reg = renter & (rng.random(n_dw, dtype=np.float32) < p.initial_registered_share)
    max_back = np.clip(age.astype(np.int64) - 18 * 12, 1, 240)
    registered[reg] = -rng.integers(0, max_back[reg])
    rows = hh.add(
        n_dw,
        municipality=dw.municipality,
        age=age,
        female=rng.random(n_dw, dtype=np.float32) < p.head_female_share,
        size=size,
        adults=adults,
        income=income,
        income_base=income,
        care=care,
        labels=labels,
        lm_type=lm_type,
        registered=registered,
        place=Place.DWELLING,
        dwelling=np.arange(n_dw),
    )
    hh._data["hid"][rows] = rows
    dw.occupant[:] = rows
    student = rows[(labels & Flag.STUDENT) != 0]
    hh.stay_until[student] = rng.geometric(1.0 / p.student_stay, student.size)
    for lm, stay in (
        (LabourMigrantType.SHORT_STAY, p.labour_migrant_short_stay),
        (LabourMigrantType.CONTRACT, p.labour_migrant_contract_stay),
    ):
        sel = rows[lm_type == lm]
        hh.stay_until[sel] = rng.geometric(1.0 / stay, sel.size)
    seeking = rows[rng.random(n_dw, dtype=np.float32) < p.initial_seeking_share]
    hh.seeking[seeking] = True
    hh.seek_since[seeking] = -rng.integers(0, 36, seeking.size)
    hh.registered[seeking] = np.minimum(hh.registered[seeking], hh.seek_since[seeking])
    hh.regional[seeking] = rng.random(seeking.size, dtype=np.float32) < p.regional_search_share
    _add_living_in(region, hh, p, rng)
    _add_homeless(region, hh, p, rng)
    return hh


def _add_living_in(region: Region, hh: Households, p: Params, rng: np.random.Generator) -> None:
    """Young adults aged 18-30 who still live with their parents (CBS 1 Jan 2021)."""
    ages, pct = living_with_parents()
    inhabitants = region.table["inhabitants"].to_numpy()
    families = np.flatnonzero((hh.place == Place.DWELLING) & (hh.size > hh.adults))
    fam_mun = hh.municipality[families]
    for m in range(region.size):
        counts = rng.poisson(inhabitants[m] * p.cohort_share * pct / 100.0)
        total = int(counts.sum())
        if total == 0:
            continue
        age = (np.repeat(ages, counts) * 12 + rng.integers(0, 12, total)).astype(np.int16)
        hosts_m = families[fam_mun == m]
        host = rng.choice(hosts_m, size=total) if hosts_m.size else np.full(total, -1)
        income = young_adult_income(age, p, rng)  # by age, as starters who start to seek (demography)
        registered = np.where(
            rng.random(total, dtype=np.float32) < p.register_at_18_share, -(age.astype(np.int64) - 18 * 12), np.iinfo(np.int32).max
        )
        rows = hh.add(
            total,
            municipality=m,
            age=age,
            female=rng.random(total, dtype=np.float32) < p.living_in_female_share,
            income=income,
            income_base=income,
            registered=registered,
            place=Place.LIVING_IN,
            host=host,
        )
        hh._data["hid"][rows] = rows
        seek = rows[rng.random(total, dtype=np.float32) < p.initial_living_in_seeking]
        hh.seeking[seek] = True
        hh.seek_since[seek] = -rng.integers(0, 24, seek.size)
        hh.registered[seek] = np.minimum(hh.registered[seek], hh.seek_since[seek])
        hh.regional[seek] = rng.random(seek.size, dtype=np.float32) < p.regional_search_share


def _add_homeless(region: Region, hh: Households, p: Params, rng: np.random.Generator) -> None:
    """Roofless adults at the start, so that roofless people plus shelter residents make the CBS
    count (``homeless_initial``, 32,000 on 1 Jan 2021) with no double count.

    CBS counts as homeless (*feitelijk dakloos*) people 18-65 sleeping rough, in night shelters
    or staying irregularly with friends or family (the model's roofless, place HOMELESS) and
    people in short-stay homeless shelters (the model's MO shelter residents, filled by
    ``institutions.fill_initial``); not women's-shelter residents (cbs.nl 2021/44 'Daklozen';
    CBS via blikopnieuws.nl 2023). Each municipality's CBS count follows ``region.homeless_shares``
    (37 % in the G4); within a COROP region the shelter residents (all in its centre
    municipality, ``institutions.initial_shelter_residents``) are taken off the municipalities'
    counts first where they live, the rest in proportion, so the region's total is kept."""
    from .institutions import initial_shelter_residents

    target = p.homeless_initial * homeless_shares(region.table, p.homeless_g4_share)
    shelter = initial_shelter_residents(region, p)
    roofless = np.zeros(region.size)
    for c in range(len(region.corops)):
        members = np.flatnonzero(region.corop_index == c)
        t, s = target[members], shelter[members]
        left = max(t.sum() - s.sum(), 0.0)
        r = np.maximum(t - s, 0.0)
        roofless[members] = r * (left / r.sum()) if r.sum() > 0 else 0.0
    counts = rng.poisson(roofless)
    total = int(counts.sum())
    mun = np.repeat(np.arange(region.size), counts)
    age = (rng.uniform(p.homeless_age_min, p.homeless_age_max, total) * 12).astype(np.int16)
    income = rng.lognormal(np.log(p.homeless_income), p.homeless_income_sigma, total).astype(np.float32)
    since = -rng.integers(0, 36, total)
    rows = hh.add(
        total,
        municipality=mun,
        age=age,
        female=rng.random(total, dtype=np.float32) < p.homeless_female_share,
        income=income,
        income_base=income,
        labels=Flag.HOMELESS_HISTORY,
        place=Place.HOMELESS,
        homeless_since=since,
        registered=since,
        seeking=True,
        seek_since=since,
        regional=rng.random(total, dtype=np.float32) < p.regional_search_share,
    )
    hh._data["hid"][rows] = rows
