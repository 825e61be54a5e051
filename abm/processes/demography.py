"""Demography of the month: ageing, deaths, births, young adults coming of age and wanting to
leave home, separations, family reunification of permit holders, and care needs rising with age.

Each function takes the ``World`` and the model's ``numpy`` generator and changes columns in
place; rates come from ``Params`` (yearly rates are converted to monthly probabilities).
"""

from __future__ import annotations

import numpy as np

from ..codes import CareNeed, DwellingType, Flag, HomelessCause, InstitutionKind, Place, VacancyCause
from ..households import NEVER
from ..tables import monthly_death_probability, monthly_leave_home_hazard
from ..world import World

MAX_AGE_MONTHS = 120 * 12 - 1


def monthly(rate_per_year: float | np.ndarray) -> float | np.ndarray:
    """Monthly probability from a yearly rate (constant hazard)."""
    if isinstance(rate_per_year, (int, float)):
        return 1.0 - (1.0 - min(max(float(rate_per_year), 0.0), 1.0)) ** (1.0 / 12.0)
    return 1.0 - np.power(1.0 - np.clip(rate_per_year, 0.0, 1.0), 1.0 / 12.0)


def bernoulli_rows(rng: np.random.Generator, n: int, p: float) -> np.ndarray:
    """Rows of ``range(n)`` each chosen independently with probability ``p``, in order.

    Drawn as a Bernoulli process (geometric gaps), so the cost is O(n·p), not O(n).
    """
    if p <= 0 or n == 0:
        return np.empty(0, dtype=np.int64)
    if p >= 1:
        return np.arange(n, dtype=np.int64)
    expected = n * p
    pos = np.cumsum(rng.geometric(p, int(expected + 6 * np.sqrt(expected) + 16))) - 1
    while pos[-1] < n:  # rare: draw more gaps until past the end
        pos = np.concatenate([pos, pos[-1] + np.cumsum(rng.geometric(p, int(expected / 4) + 16))])
    return pos[pos < n]


def candidates(rng: np.random.Generator, mask: np.ndarray, p_max: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``mask`` that have an event with some probability p ≤ ``p_max`` this month,
    as candidates plus a uniform draw on [0, ``p_max``) for each.

    A candidate has the event iff its draw is below its own p (exact thinning): rows are
    first chosen with ``p_max`` as a Bernoulli process, so rates, gathers and draws are
    computed only for the few candidates rather than for millions of households.
    """
    c = bernoulli_rows(rng, mask.size, float(p_max))
    c = c[mask[c]]
    return c, rng.random(c.size, dtype=np.float32) * np.float32(p_max)


def ageing(w: World) -> None:
    """Everyone present grows a month older."""
    hh = w.hh
    present = hh.place != Place.GONE
    hh.age[present] = np.minimum(hh.age[present] + 1, MAX_AGE_MONTHS)


def deaths(w: World, rng: np.random.Generator) -> None:
    """Adults die with CBS 2019 death probabilities; a couple becomes a single, a single
    household ends and its home falls vacant (a vacancy chain starting with a death)."""
    hh = w.hh
    table = monthly_death_probability() * w.params.mortality_multiplier
    rows, u = candidates(rng, hh.place != Place.GONE, float(table.max()) * 2)
    q = table[hh.female[rows].astype(np.intp), hh.age[rows] // 12]
    rows = rows[u < q * hh.adults[rows]]
    couple = rows[hh.adults[rows] >= 2]
    single = rows[hh.adults[rows] < 2]
    hh.adults[couple] -= 1
    hh.size[couple] -= 1
    hh.income[couple] *= w.params.widow_income_factor
    hh.income_base[couple] *= w.params.widow_income_factor
    w.remove(single, "death", VacancyCause.DEATH)


def births(w: World, rng: np.random.Generator) -> None:
    """Couples with a head aged ``birth_age_min``-``birth_age_max`` (25-40) have a child now and
    then: the household grows."""
    hh, p = w.hh, w.params
    fertile = (hh.age >= p.birth_age_min * 12) & (hh.age < p.birth_age_max * 12)
    born, _ = candidates(rng, (hh.place != Place.GONE) & (hh.adults == 2) & fertile, monthly(p.birth_rate))
    hh.size[born] = np.minimum(hh.size[born] + 1, 12)


def coming_of_age(w: World, rng: np.random.Generator) -> None:
    """Children turn 18 and become would-be households living in with their parents."""
    hh, p = w.hh, w.params
    # At most one child comes of age per household per month (rate ≤ 0.05 a month even for 10 children).
    pm = monthly(p.child_comes_of_age_rate)
    rows, u = candidates(rng, (hh.place != Place.GONE) & (hh.size > hh.adults), pm * 10)
    hosted = np.bincount(hh.host[(hh.place == Place.LIVING_IN) & (hh.host >= 0)], minlength=hh.n)[rows]
    minors = hh.size[rows].astype(np.int32) - hh.adults[rows] - hosted
    parents = rows[u < pm * np.maximum(minors, 0)]
    n = parents.size
    if n == 0:
        return
    income = rng.lognormal(np.log(p.came_of_age_income), p.came_of_age_income_sigma, n).astype(np.float32)
    registered = np.where(rng.random(n, dtype=np.float32) < p.register_at_18_share, w.month, NEVER)
    # Children of caravan dwellers who want a pitch of their own keep the group's claim on
    # pitches (woonwagenbewoners; before issue 17 item 11 no process made caravan households, so
    # the group died out and its pitches went to others).
    caravan = ((hh.labels[parents] & Flag.CARAVAN) != 0) & (rng.random(n, dtype=np.float32) < p.caravan_child_share)
    w.new_households(
        n,
        "came_of_age",
        municipality=hh.municipality[parents],
        age=18 * 12,
        female=rng.random(n, dtype=np.float32) < p.came_of_age_female_share,
        income=income,
        income_base=income,
        registered=registered,
        labels=np.where(caravan, Flag.CARAVAN, 0).astype(np.uint16),
        place=Place.LIVING_IN,
        host=parents,
    )


def young_adult_income(age_months: np.ndarray, p, rng: np.random.Generator) -> np.ndarray:
    """Income (EUR/yr) of young adults living in, by age: lognormal (``came_of_age_income_sigma``)
    around a median that rises log-linearly from ``came_of_age_income`` at 18 to ``starter_income``
    at ``starter_income_age`` and stays there. CBS 83932NED (2020, FACTS G): households whose main
    earner is under 25 have a median primary income of €10.7k (students included), one-person
    households under AOW age €29.5k. Used for the young adults living in at the start
    (synth_population); later ones come of age at 18 and grow along the same median
    (``leave_home_wish``). Before issue 11 every young adult kept the income drawn at 18 (median
    €9k), so starters of 25 could afford almost no market home."""
    years = np.asarray(age_months, dtype=np.float64) / 12.0
    t = np.clip((years - 18.0) / max(p.starter_income_age - 18.0, 1e-9), 0.0, 1.0)
    median = p.came_of_age_income * (p.starter_income / p.came_of_age_income) ** t
    return (median * np.exp(rng.normal(0.0, p.came_of_age_income_sigma, years.size))).astype(np.float32)


def leave_home_wish(w: World, rng: np.random.Generator) -> None:
    """Young adults at home start seeking a home of their own (CBS leaving-home hazard).

    Young adults living in earn more as they grow older: on each birthday before
    ``starter_income_age`` the income grows by the yearly step of ``young_adult_income``'s median
    (a young adult keeps its rank), so a starter seeks with the income of its age. A share
    ``starter_couple_share`` of those who start to seek start as a couple with another young adult
    living in, in the same municipality and not yet seeking: one household of two adults with
    both incomes (young couples buying or renting together; CBS 37620: 28 % of 21-year-olds who
    left home live together). The partner's row ends (``moved_in_with_partner``); the hazard per
    decision is the CBS one over 1 + ``starter_couple_share``, so persons leave home at the CBS rate."""
    hh, p = w.hh, w.params
    living_in = (hh.place == Place.LIVING_IN) & ~hh.seeking & ((hh.labels & Flag.STUDENT) == 0)
    young = (hh.place == Place.LIVING_IN) & ((hh.labels & (Flag.STUDENT | Flag.LABOUR_MIGRANT)) == 0) & (hh.adults <= 1)
    birthday = np.flatnonzero(young & (hh.age % 12 == 0) & (hh.age > 18 * 12) & (hh.age <= p.starter_income_age * 12))
    if birthday.size:
        step = (p.starter_income / p.came_of_age_income) ** (1.0 / max(p.starter_income_age - 18.0, 1e-9))
        hh.income[birthday] *= np.float32(step)
        hh.income_base[birthday] *= np.float32(step)
    rows = np.flatnonzero(living_in)
    # A couple takes two young adults from home: the hazard per decision is the CBS one divided by
    # 1 + starter_couple_share, so persons still leave home at the CBS rate (else living-in rows
    # and the waiting list drift down: tests/test_steady_state.py).
    h = monthly_leave_home_hazard()[np.minimum(hh.age[rows] // 12, 120)] * p.leave_home_multiplier / (1.0 + p.starter_couple_share)
    new = rows[rng.random(rows.size, dtype=np.float32) < h]
    single = new[young[new] & (hh.size[new] <= 1)]
    starter_couples(w, single[rng.random(single.size, dtype=np.float32) < p.starter_couple_share], living_in, rng)
    w.start_seeking(new[hh.place[new] == Place.LIVING_IN], p.regional_search_share, rng)


def starter_couples(w: World, rows: np.ndarray, living_in: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Starters ``rows`` pair with a partner: another young adult (18-35) living in, in the same
    municipality, not seeking and not a student or labour migrant, who leaves home with them.
    The starter's household gets two adults and the partner's income; the partner's
    row ends. Starters without a partner in their municipality stay single. Returns the rows
    that became couples."""
    from .market import pair  # market imports this module

    hh = w.hh
    if rows.size == 0:
        return rows
    pool = living_in & (hh.age >= 18 * 12) & (hh.age < 35 * 12) & ((hh.labels & Flag.LABOUR_MIGRANT) == 0) & (hh.size <= 1)
    pool[rows] = False
    pool = rng.permutation(np.flatnonzero(pool))
    mun = w.region.size
    couple, partner = pair(rows, hh.municipality[rows].astype(np.int64), pool, hh.municipality[pool].astype(np.int64), mun)
    if couple.size == 0:
        return couple
    # pair sorts both sides by municipality: the k-th starter of a municipality with its k-th partner.
    partner_income = hh.income_base[partner]
    hh.adults[couple] = 2
    hh.size[couple] = 2
    hh.income[couple] += partner_income
    hh.income_base[couple] += partner_income
    w.remove(partner, "moved_in_with_partner")
    return couple


def separations(w: World, rng: np.random.Generator, womens_shelter_free: np.ndarray | int, urgency_ok: np.ndarray) -> np.ndarray:
    """Couples separate: one partner leaves, to a women's shelter if a place is free, else to
    live in with others, and seeks a home. Returns the rows of the partners who left.

    ``womens_shelter_free`` gives the free women's-shelter places per municipality (a number
    applies to every municipality). Shelters are run by the centre municipality of each COROP
    region (*centrumgemeente*, report 'Dak- en thuisloze mensen'): a partner who needs one goes
    to the shelter serving her municipality, only while it has a free place, and from then on
    belongs to that municipality (as residents of other institutions do, ``institutions.admit``).
    ``urgency_ok`` (per municipality) says whether separation with children is an urgency
    ground there; municipalities set that (report, 'Sociaal urgenten en dreigend daklozen'); the
    municipality the partner leaves decides.
    """
    hh, p = w.hh, w.params
    rows, _ = candidates(rng, (hh.place == Place.DWELLING) & (hh.adults == 2), monthly(p.separation_rate))
    n = rows.size
    if n == 0:
        return rows
    share = rng.uniform(p.separation_income_share_min, p.separation_income_share_max, n)  # the leaving partner's
    income = (hh.income_base[rows] * share).astype(np.float32)
    age = hh.age[rows]
    with_children = hh.size[rows] > 2
    hh.adults[rows] = 1
    hh.size[rows] -= 1
    hh.income[rows] *= 1 - share
    hh.income_base[rows] *= 1 - share
    new = w.new_households(
        n,
        "separation",
        municipality=hh.municipality[rows],
        age=age,
        female=rng.random(n, dtype=np.float32) < p.separation_leaver_female_share,
        income=income,
        income_base=income,
        labels=hh.labels[rows] & Flag.CARAVAN,  # a caravan dweller who leaves a partner stays one
        place=Place.LIVING_IN,
    )
    origin = hh.municipality[new].copy()
    w.start_seeking(new, p.regional_search_share, rng)
    wants = new[rng.random(n, dtype=np.float32) < p.separation_womens_shelter_share]
    to_shelter = wants[:0]
    if wants.size:
        from ..institutions import centre_of  # institutions imports processes: import here

        free = np.broadcast_to(np.maximum(np.asarray(womens_shelter_free, dtype=np.int64), 0), (w.region.size,))
        where = centre_of(w, hh.municipality[wants])
        # In order of the separations: the first ones take the free places of their shelter.
        rank = np.zeros(wants.size, dtype=np.int64)
        for m in np.unique(where):
            at = np.flatnonzero(where == m)
            rank[at] = np.arange(at.size)
        ok = rank < free[where]
        to_shelter = wants[ok]
        hh.municipality[to_shelter] = where[ok]
    w.count_homeless_inflow(to_shelter, HomelessCause.SEPARATION)
    w.to_place(to_shelter, Place.INSTITUTION)
    hh.institution[to_shelter] = InstitutionKind.WOMENS_SHELTER
    hh.ready_at[to_shelter] = w.month + rng.geometric(1.0 / p.womens_shelter_stay, to_shelter.size)
    urgent = new[with_children & (rng.random(n, dtype=np.float32) < p.separation_urgent_share) & urgency_ok[origin]]
    w.grant_urgency(urgent, social=True)
    return new


def family_reunion(w: World, rng: np.random.Generator) -> None:
    """Family members of permit holders arrive (nareizigers): the household grows, and if its
    home is now too small it starts seeking a larger one."""
    hh, p = w.hh, w.params
    rows = np.flatnonzero((hh.reunion_at <= w.month) & (hh.place != Place.GONE))
    if rows.size == 0:
        return
    extra = 1 + rng.poisson(max(p.family_reunion_size - 1, 0), rows.size)
    hh.size[rows] = np.minimum(hh.size[rows] + extra, 12)
    hh.adults[rows] = np.maximum(hh.adults[rows], 2)
    hh.reunion_at[rows] = NEVER
    housed = rows[hh.place[rows] == Place.DWELLING]
    small = housed[w.dw.rooms[hh.dwelling[housed]] < needed_rooms(hh.size[housed])]
    w.start_seeking(small, p.regional_search_share, rng)


def needed_rooms(size: np.ndarray) -> np.ndarray:
    """Rooms (including the living room) a household of ``size`` persons needs: 1, 2, 3, 3, 4+."""
    return np.select([size <= 1, size == 2, size <= 4], [1, 2, 3], 4).astype(np.int8)


def care_needs(w: World, rng: np.random.Generator, medical_ok: np.ndarray) -> None:
    """Care needs rise with age: mobility limits (need a zero-step home), wheelchair use, and
    nursing care (the household leaves for a nursing home, freeing its home). Households whose
    home no longer fits start seeking; municipalities may grant medical urgency."""
    hh, p = w.hh, w.params
    rows = np.flatnonzero((hh.place == Place.DWELLING) & (hh.age >= 65 * 12))
    age_y = np.minimum(hh.age[rows] // 12, 120)
    care = hh.care[rows]
    years = np.arange(121)
    h_mob = monthly(np.minimum(p.mobility_need_rate_75 * 2.0 ** ((years - 75) / 8), 1.0))[age_y]
    new_need = (care == CareNeed.NONE) & (rng.random(rows.size, dtype=np.float32) < h_mob)
    wheel = new_need & (rng.random(rows.size, dtype=np.float32) < p.wheelchair_share_of_mobility)
    hh.care[rows[new_need]] = CareNeed.MOBILITY
    hh.care[rows[wheel]] = CareNeed.WHEELCHAIR
    needy = rows[new_need]
    dt = w.dw.dtype[hh.dwelling[needy]]
    unfit = needy[~np.isin(dt, (DwellingType.ZERO_STEP, DwellingType.WHEELCHAIR, DwellingType.CLUSTERED))]
    w.start_seeking(unfit, p.regional_search_share, rng)
    w.grant_urgency(
        unfit[medical_ok[hh.municipality[unfit]] & (rng.random(unfit.size, dtype=np.float32) < p.medical_urgency_share)], social=False
    )
    old = rows[age_y >= 75]
    h_nurse = monthly(np.minimum(p.nursing_rate_85 * 2.0 ** ((years - 85) / 5), 1.0))[age_y[age_y >= 75]]
    # People with a care need move to a nursing home more often than those without.
    factor = np.where(hh.care[old] > 0, p.nursing_care_need_factor, p.nursing_no_care_factor)
    nursing = old[rng.random(old.size, dtype=np.float32) < h_nurse * factor]
    couple = nursing[hh.adults[nursing] >= 2]
    single = nursing[hh.adults[nursing] < 2]
    hh.adults[couple] -= 1
    hh.size[couple] -= 1
    w.remove(single, "nursing_home", VacancyCause.NURSING_HOME)
