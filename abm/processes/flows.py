"""Inflows and outflows of the month: permit holders, labour migrants, students, households
leaving the region, seeking and giving up, and temporary contracts that end.

Report sections: 'Statushouders' (taakstelling by population, nareizigers), 'Arbeidsmigranten'
(three subgroups; losing work means losing employer housing), 'Studenten' (September peak).
"""

from __future__ import annotations

import numpy as np

from ..codes import Flag, HomelessCause, InstitutionKind, Label, LabourMigrantType, Place, Tenure, Urgency, VacancyCause
from ..households import NEVER
from ..tables import yearly_move_rates
from ..world import World
from .demography import candidates, monthly


def refugee_columns(n: int, p, rng: np.random.Generator) -> dict:
    """Columns of ``n`` arriving permit-holder households: single or a family (mean size
    ``refugee_family_size``), aged ``refugee_age_min``-``refugee_age_max``, a social-assistance
    income (``refugee_income``), in an asylum centre."""
    size = np.where(
        rng.random(n, dtype=np.float32) < p.refugee_single_share, 1, np.maximum(2, rng.poisson(p.refugee_family_size, n))
    ).astype(np.int8)
    return dict(
        size=size,
        adults=np.minimum(size, 2),
        age=(rng.uniform(p.refugee_age_min, p.refugee_age_max, n) * 12).astype(np.int16),
        female=rng.random(n, dtype=np.float32) < p.refugee_female_share,
        income=np.float32(p.refugee_income),
        income_base=np.float32(p.refugee_income),
        labels=Flag.REFUGEE,
        place=Place.INSTITUTION,
        institution=InstitutionKind.ASYLUM_CENTRE,
    )


def refugees(w: World, rng: np.random.Generator, quota_persons: np.ndarray) -> np.ndarray:
    """Permit holders linked to each municipality arrive in an asylum centre, spread over the
    half year (``quota_persons`` per municipality per half year). Single permit holders may
    be followed by family members (nareizigers). Returns the new rows."""
    p = w.params
    expected = quota_persons / 6.0  # persons per month
    mean_size = p.refugee_single_share + (1 - p.refugee_single_share) * p.refugee_family_size
    n_hh = rng.poisson(expected / mean_size)
    total = int(n_hh.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    mun = np.repeat(np.arange(w.region.size), n_hh)
    cols = refugee_columns(total, p, rng)
    single = cols["size"] == 1
    reunion = np.where(
        single & (rng.random(total, dtype=np.float32) < p.family_reunion_share),
        w.month + rng.geometric(1.0 / p.family_reunion_delay, total),
        NEVER,
    )
    rows = w.new_households(total, "refugee", municipality=mun, ready_at=w.month, reunion_at=reunion, **cols)
    w.start_seeking(rows, 0.0, rng)
    return rows


def labour_migrants(w: World, rng: np.random.Generator) -> None:
    """Labour migrants arrive for a contract, leave when it ends, and lose employer housing when
    they lose work (some become homeless). Settling migrants become regular seekers."""
    hh, p = w.hh, w.params
    target = p.labour_migrant_stock / p.labour_migrant_persons_per_household * w.region.population_share  # households
    shares = {
        LabourMigrantType.SHORT_STAY: (p.labour_migrant_short_share, p.labour_migrant_short_stay),
        LabourMigrantType.CONTRACT: (p.labour_migrant_contract_share, p.labour_migrant_contract_stay),
    }
    for lm_type, (share, stay) in shares.items():
        n = rng.poisson(target * share / stay)
        total = int(n.sum())
        if total == 0:
            continue
        mun = np.repeat(np.arange(w.region.size), n)
        income = rng.lognormal(np.log(p.labour_migrant_income), p.labour_migrant_income_sigma, total).astype(np.float32)
        w.new_households(
            total,
            "labour_migrant",
            municipality=mun,
            age=(rng.uniform(p.labour_migrant_age_min, p.labour_migrant_age_max, total) * 12).astype(np.int16),
            female=rng.random(total, dtype=np.float32) < p.labour_migrant_female_share,
            income=income,
            income_base=income,
            labels=Flag.LABOUR_MIGRANT,
            lm_type=lm_type,
            place=Place.LIVING_IN,
            stay_until=w.month + rng.geometric(1.0 / stay, total),
        )
    lm = np.flatnonzero((hh.place != Place.GONE) & ((hh.labels & Flag.LABOUR_MIGRANT) != 0) & (hh.lm_type != LabourMigrantType.SETTLING))
    done = lm[hh.stay_until[lm] <= w.month]
    w.remove(done, "labour_migrant_left")
    lm = lm[hh.place[lm] != Place.GONE]
    lost = lm[rng.random(lm.size, dtype=np.float32) < monthly(p.labour_migrant_job_loss_rate)]
    homeless = rng.random(lost.size, dtype=np.float32) < p.labour_migrant_job_loss_homeless_share
    w.count_homeless_inflow(lost[homeless], HomelessCause.LABOUR_MIGRANT)
    w.to_place(lost[homeless], Place.HOMELESS, VacancyCause.CONTRACT_END)
    w.remove(lost[~homeless], "labour_migrant_left", VacancyCause.CONTRACT_END)


def student_rooms_to_let(w: World, national: bool = False) -> np.ndarray:
    """Per municipality, the student rooms to let in the coming year: the rooms vacant now plus
    the expected number that their tenants leave within the year, at the model's own hazards:
    students finish (1 / ``student_stay`` a month) or move away (``leave_region``: CBS moves
    between municipalities by age × ``leave_region_share``, plus emigration; dropping out or
    studying elsewhere); a tenant who is no longer a student must leave (campus contract).

    Before issue 11 the intake counted only the rooms freed by graduates (rooms × 12 /
    ``student_stay``), not those of students who moved away (about a quarter more) nor the rooms
    already empty: the 'shortage' was no shortage, the September cohort had found rooms by
    spring and rooms freed after that stood empty until the next September (report, 'Studenten':
    there is a shortage of student rooms all year)."""
    hh, dw, p = w.hh, w.dw, w.params
    rooms = dw.exists & (dw.label == Label.STUDENT)
    vacant = rooms & (dw.occupant < 0)
    occupied = np.flatnonzero(rooms & (dw.occupant >= 0))
    tenant = dw.occupant[occupied]
    between, emigrate = yearly_move_rates()
    age = np.minimum(hh.age[tenant] // 12, 120)
    leave = emigrate[age] + (0.0 if national else p.leave_region_share * between[age])
    student = (hh.labels[tenant] & Flag.STUDENT) != 0
    # Expected departures in a year (the yearly hazard: a room re-let can free again); a tenant
    # who is no longer a student leaves for sure.
    free = np.where(student, 12.0 / p.student_stay + leave, 1.0)
    n = np.bincount(dw.municipality[occupied], weights=free, minlength=w.region.size)
    return n + np.bincount(dw.municipality[vacant], minlength=w.region.size)


def students(w: World, rng: np.random.Generator, national: bool = False) -> None:
    """New students arrive in September (living in until they find a room); graduates leave
    their student room: some stay and seek a home, the others leave the region."""
    hh, dw, p = w.hh, w.dw, w.params
    if w.month % 12 == 9:  # month 0 is 1 January, month 1 January, month 9 September
        # Demand for rooms exceeds the rooms to let in the coming year (a shortage): the students
        # without a room live in (with parents, commuting) and take the rooms that free up during
        # the year; those still without a room by next September keep seeking.
        n = rng.poisson(student_rooms_to_let(w, national) * p.student_intake_factor * (1.0 + p.student_room_shortage))
        total = int(n.sum())
        if total:
            mun = np.repeat(np.arange(w.region.size), n)
            income = rng.lognormal(np.log(p.student_income), p.student_income_sigma, total).astype(np.float32)
            w.new_households(
                total,
                "student",
                municipality=mun,
                age=(rng.uniform(p.student_age_min, p.student_age_max, total) * 12).astype(np.int16),
                female=rng.random(total, dtype=np.float32) < p.student_female_share,
                income=income,
                income_base=income,
                labels=Flag.STUDENT,
                place=Place.LIVING_IN,
                stay_until=w.month + rng.geometric(1.0 / p.student_stay, total),
            )
    st = np.flatnonzero((hh.place != Place.GONE) & ((hh.labels & Flag.STUDENT) != 0) & (hh.stay_until <= w.month))
    hh.labels[st] &= ~Flag.STUDENT
    hh.stay_until[st] = NEVER
    stay = st[rng.random(st.size, dtype=np.float32) < p.student_stay_on_share]
    w.remove(np.setdiff1d(st, stay), "graduate_left")
    w.start_seeking(stay, p.regional_search_share, rng)
    # A campus contract ends with the studies: graduates must leave student rooms.
    in_room = stay[hh.place[stay] == Place.DWELLING]
    in_room = in_room[dw.label[hh.dwelling[in_room]] == Label.STUDENT]
    hh.contract_end[in_room] = w.month


def leave_region(w: World, rng: np.random.Generator, national: bool) -> None:
    """Households move out of the region (CBS 2017 moves between municipalities by age, a share
    of which leave the region, plus emigration). In a national run only emigration leaves."""
    hh, p = w.hh, w.params
    between, emigrate = yearly_move_rates()
    rate = monthly(emigrate + (0.0 if national else p.leave_region_share * between))
    rows, u = candidates(rng, (hh.place == Place.DWELLING) | (hh.place == Place.LIVING_IN), float(rate.max()))
    rows = rows[u < rate[np.minimum(hh.age[rows] // 12, 120)]]
    w.remove(rows, "left_region", VacancyCause.LEFT_REGION)


def seeking(w: World, rng: np.random.Generator) -> None:
    """Renters start seeking a social home now and then (and overcrowded households do);
    some seekers give up without moving."""
    hh, dw, p = w.hh, w.dw, w.params
    crowded_rate = p.crowded_seek_rate  # a month
    housed, u = candidates(
        rng, (hh.place == Place.DWELLING) & ~hh.seeking & ((hh.labels & Flag.STUDENT) == 0), monthly(p.seek_rate) + crowded_rate
    )
    d = hh.dwelling[housed]
    renter = dw.tenure[d] != Tenure.OWNER
    crowded = dw.rooms[d] < hh.size[housed] - 1
    rate = np.where(renter, monthly(p.seek_rate), 0.0) + np.where(crowded, crowded_rate, 0.0)
    w.start_seeking(housed[u < rate], p.regional_search_share, rng)
    if p.senior_seek_rate > 0:  # senior move-on: seniors in social family homes start looking
        old = (hh.place == Place.DWELLING) & ~hh.seeking & (hh.age >= 65 * 12)
        cand, u = candidates(rng, old, monthly(p.senior_seek_rate))
        d = hh.dwelling[cand]
        w.start_seeking(cand[(dw.tenure[d] == Tenure.SOCIAL) & (dw.rooms[d] >= 4)], p.regional_search_share, rng)
    stop, _ = candidates(rng, hh.seeking & (hh.place == Place.DWELLING), p.seek_give_up_rate)
    hh.seeking[stop] = False
    hh.seek_since[stop] = NEVER
    other_solutions(w, rng)


def other_solutions(w: World, rng: np.random.Generator) -> np.ndarray:
    """Seekers living in with others find a solution outside the social stock and the market
    the model lets: they move in with a partner, rent a room or a home privately without the
    market step, or leave for elsewhere (``living_in_other_solution_rate``). Their row ends
    (``outflow['other_solution']``), so the host household shrinks by one person.

    Before this rule only housed seekers gave up (``seek_give_up_rate``), so young adults at
    home who had started seeking stayed on the list until a letting reached them, and the list
    and the rows living in grew without end (issue 11). Students and labour migrants have
    their own exits. Returns the rows that left."""
    hh, p = w.hh, w.params
    mask = (
        (hh.place == Place.LIVING_IN)
        & hh.seeking
        & ((hh.labels & (Flag.STUDENT | Flag.LABOUR_MIGRANT)) == 0)
        & (hh.urgency_until <= w.month)  # a household with urgency waits for its home
    )
    rows, _ = candidates(rng, mask, monthly(p.living_in_other_solution_rate))
    # Couples form: a share moves in with a partner who lives alone in the same municipality
    # (head aged 20-45): that household becomes a couple (and may have children, births).
    partner = rows[rng.random(rows.size, dtype=np.float32) < p.living_in_partner_share]
    if partner.size:
        hh = w.hh
        single = np.flatnonzero((hh.place == Place.DWELLING) & (hh.adults == 1) & (hh.size == 1) & (hh.age >= 20 * 12) & (hh.age < 45 * 12))
        single = single[rng.permutation(single.size)]
        mun_s = hh.municipality[single]
        order = np.argsort(mun_s, kind="stable")
        single, mun_s = single[order], mun_s[order]
        mun_p = hh.municipality[partner]
        order = np.argsort(mun_p, kind="stable")
        partner, mun_p = partner[order], mun_p[order]
        # k-th leaver of a municipality pairs with the k-th (shuffled) single of it, while there are singles.
        bounds = np.arange(w.region.size + 1)
        s_at, p_at = np.searchsorted(mun_s, bounds), np.searchsorted(mun_p, bounds)
        rank = np.arange(partner.size) - p_at[mun_p]
        ok = rank < np.diff(s_at)[mun_p]
        joined = single[s_at[mun_p[ok]] + rank[ok]]
        hh.adults[joined] = 2
        hh.size[joined] = 2
        hh.income[joined] += hh.income[partner[ok]]
        hh.income_base[joined] += hh.income_base[partner[ok]]
        w.remove(partner[ok], "moved_in_with_partner")
    w.remove(rows[w.hh.place[rows] != Place.GONE], "other_solution")
    return rows


def contracts_ending(w: World, rng: np.random.Generator) -> None:
    """Temporary tenancies (flex homes, campus contracts) end: the household seeks a home and,
    after a grace period, has to leave (to live in with others)."""
    hh, p = w.hh, w.params
    rows = np.flatnonzero((hh.place == Place.DWELLING) & (hh.contract_end <= w.month))
    w.start_seeking(rows, p.regional_search_share, rng)
    # Follow-up home (doorstroomgarantie) for tenants of flex and transitional homes: a share of
    # them, decided once when the contract ends, get urgency for a regular social home.
    ending = rows[hh.contract_end[rows] == w.month]
    temp = ending[(w.dw.end_month[hh.dwelling[ending]] < NEVER) | (w.dw.label[hh.dwelling[ending]] == Label.TRANSITIONAL)]
    if temp.size and p.temporary_follow_up > 0:
        urgent = (hh.urgency[temp] != Urgency.NONE) & (hh.urgency_until[temp] > w.month)
        temp = temp[~urgent]
        w.grant_urgency(temp[rng.random(temp.size) < p.temporary_follow_up], social=True)
    out = rows[hh.contract_end[rows] + p.temporary_grace_months <= w.month]
    w.to_place(out, Place.LIVING_IN, VacancyCause.CONTRACT_END)
    hh.contract_end[out] = NEVER
