"""Allocation of social vacancies (*woningtoewijzing*): who gets the home that fell vacant.

The rule of this module is the baseline of the Dutch systems: **waiting-time seniority**
(*inschrijfduur*) — the eligible seeker registered longest gets the home — within size and
affordability (2021 rent limits, FACTS B) and target-group labels. Other rules (lottery,
urgency, quotas, passend toewijzen, ...) plug in at the same place.

Speed: seekers are put in queues by eligibility bucket (search area × need × household size ×
rent class), each sorted by registration date, so a vacancy looks only at the heads of the few
buckets it fits: a month's vacancies cost O(v · b + n log n) for b ≲ 50 buckets, never
O(v · n). A move frees the mover's old home, which is offered in the next round of the same
month (vacancy chains).
"""

from __future__ import annotations

import numpy as np

from .codes import CareNeed, Flag, Label, Place, Tenure
from .households import NEVER
from .processes.demography import needed_rooms
from .world import World

# Rent limits 2021, EUR/month (FACTS B, V).
QUALITY_DISCOUNT_LIMIT = 442.46  # kwaliteitskortingsgrens; max rent with allowance under 23
CAPPING_LIMIT_SMALL = 633.25  # aftoppingsgrens 1-2 persons
CAPPING_LIMIT_LARGE = 678.66  # aftoppingsgrens 3+ persons
LIBERALISATION_LIMIT = 752.33  # liberalisatiegrens
# Allowance-level income limits 2021, EUR/yr (FACTS B, status M): single / multi-person.
ALLOWANCE_INCOME_SINGLE = 23725.0
ALLOWANCE_INCOME_MULTI = 32200.0

N_NEED, N_SIZE, N_RENT = 4, 4, 3  # need: none, senior/mobility, wheelchair, caravan
PER_UNIT = N_NEED * N_SIZE * N_RENT
MAX_ROUNDS = 30  # rounds of vacancy chains within one month
ROW_BITS, REG_BITS, KEY_BITS = 26, 20, 18  # packing of the queue sort key (64 bits)


def size_class(size: np.ndarray) -> np.ndarray:
    """0: one person, 1: two, 2: three or four, 3: five or more."""
    return np.select([size <= 1, size == 2, size <= 4], [0, 1, 2], 3).astype(np.int64)


SIZE_CLASS_NEED = needed_rooms(np.array([1, 2, 3, 5]))  # rooms needed per size class


def rent_class(hh_income: np.ndarray, size: np.ndarray, age: np.ndarray) -> np.ndarray:
    """0: capped at the quality-discount limit (allowance-level incomes under 23), 1: capped at
    the capping limit (allowance-level incomes), 2: up to the liberalisation limit."""
    low = hh_income <= np.where(size <= 1, ALLOWANCE_INCOME_SINGLE, ALLOWANCE_INCOME_MULTI)
    return np.where(low & (age < 23 * 12), 0, np.where(low, 1, 2)).astype(np.int64)


def rent_cap(rclass: int, sclass: int) -> float:
    if rclass == 0:
        return QUALITY_DISCOUNT_LIMIT
    if rclass == 1:
        return CAPPING_LIMIT_SMALL if sclass <= 1 else CAPPING_LIMIT_LARGE
    return LIBERALISATION_LIMIT


def need_class(w: World, rows: np.ndarray) -> np.ndarray:
    hh = w.hh
    care = hh.care[rows]
    return np.select(
        [care == CareNeed.WHEELCHAIR, (care == CareNeed.MOBILITY) | (hh.age[rows] >= 65 * 12), (hh.labels[rows] & Flag.CARAVAN) != 0],
        [2, 1, 3], 0).astype(np.int64)


def seekers(w: World) -> np.ndarray:
    """Rows of registered, active seekers of a social home (students look for rooms instead)."""
    hh = w.hh
    return np.flatnonzero(hh.seeking & (hh.registered != NEVER) & (hh.place != Place.GONE) & ((hh.labels & Flag.STUDENT) == 0))


class SeniorityQueues:
    """Seekers in buckets, each sorted by registration date (then row, for determinism)."""

    def __init__(self, w: World, rows: np.ndarray) -> None:
        hh = w.hh
        m = w.region.size
        unit = np.where(hh.regional[rows], m + w.region.corop_index[hh.municipality[rows]], hh.municipality[rows]).astype(np.int64)
        size = hh.size[rows]
        key = unit * PER_UNIT + need_class(w, rows) * (N_SIZE * N_RENT) + size_class(size) * N_RENT + rent_class(hh.income[rows], size, hh.age[rows])
        # One sort of a packed uint64 (bucket | registration | row) instead of a 3-key lexsort:
        # ordered by bucket, then registration month, then row (ties broken deterministically).
        reg = hh.registered[rows].astype(np.int64)
        assert hh.n < (1 << ROW_BITS) and np.all(np.abs(reg) < (1 << (REG_BITS - 1))) and key.max(initial=0) < (1 << KEY_BITS)
        packed = np.sort((key.astype(np.uint64) << np.uint64(REG_BITS + ROW_BITS))
                         | ((reg + (1 << (REG_BITS - 1))).astype(np.uint64) << np.uint64(ROW_BITS)) | rows.astype(np.uint64))
        self.rows = (packed & np.uint64((1 << ROW_BITS) - 1)).astype(np.int64)
        self.reg = ((packed >> np.uint64(ROW_BITS)) & np.uint64((1 << REG_BITS) - 1)).astype(np.int64) - (1 << (REG_BITS - 1))
        n_keys = (m + len(w.region.corops)) * PER_UNIT
        sorted_keys = (packed >> np.uint64(REG_BITS + ROW_BITS)).astype(np.int64)
        self.ptr = np.searchsorted(sorted_keys, np.arange(n_keys)).tolist()
        self.end = np.searchsorted(sorted_keys, np.arange(n_keys), side="right").tolist()
        self.taken = np.zeros(hh.n, dtype=bool)
        self.reg_list = self.reg.tolist()
        self.row_list = self.rows.tolist()

    def head(self, b: int) -> int:
        """Position of the first untaken seeker of bucket ``b``, or -1."""
        p, e = self.ptr[b], self.end[b]
        taken, rows = self.taken, self.row_list
        while p < e and taken[rows[p]]:
            p += 1
        self.ptr[b] = p
        return p if p < e else -1


def eligible_offsets(label: int, rooms: int, rent: float, max_extra_rooms: int) -> list[int]:
    """Bucket offsets (within a search unit) whose seekers may be offered such a dwelling:
    the label's target group, a size that fits the rooms, a rent class whose cap covers the rent."""
    if label == Label.WHEELCHAIR:
        needs = [2]
    elif label == Label.SENIOR:
        needs = [1, 2]
    elif label == Label.CARAVAN:
        needs = [3]
    else:
        needs = [0, 1, 2, 3]
    offs = []
    for nd in needs:
        for sc in range(N_SIZE):
            need = int(SIZE_CLASS_NEED[sc])
            if not need <= rooms <= need + max_extra_rooms:
                continue
            for rc in range(N_RENT):
                if rent <= rent_cap(rc, sc):
                    offs.append(nd * N_SIZE * N_RENT + sc * N_RENT + rc)
    return offs


def allocate(w: World) -> tuple[np.ndarray, np.ndarray]:
    """Let the month's social vacancies by seniority, following vacancy chains.

    Returns (household rows, registration months at letting) of all social allocations.
    """
    dw = w.dw
    q = SeniorityQueues(w, seekers(w))
    open_ = np.flatnonzero(dw.vacant & (dw.tenure == Tenure.SOCIAL) & (dw.label != Label.STUDENT) & (dw.end_month > w.month + 6))
    open_ = open_[np.lexsort((open_, dw.vacant_since[open_]))]
    cache: dict = {}
    got_rows, got_reg = [], []
    for _ in range(MAX_ROUNDS):
        if open_.size == 0:
            break
        winners_h, winners_d = [], []
        units_local = dw.municipality[open_].astype(np.int64)
        units_region = w.region.size + w.region.corop_index[units_local].astype(np.int64)
        rent = dw.rent[open_]
        # Eligibility depends on the rent only through the limits it is below (its band).
        band = (rent <= QUALITY_DISCOUNT_LIMIT).astype(np.int8) + (rent <= CAPPING_LIMIT_SMALL) + (rent <= CAPPING_LIMIT_LARGE)
        keys = zip(dw.label[open_].tolist(), dw.rooms[open_].tolist(), band.tolist(), strict=True)
        ptr, end, reg_list, row_list = q.ptr, q.end, q.reg_list, q.row_list
        for d, key, ul, ur in zip(open_.tolist(), keys, (units_local * PER_UNIT).tolist(), (units_region * PER_UNIT).tolist(), strict=True):
            offs = cache.get(key)
            if offs is None:
                offs = cache[key] = eligible_offsets(key[0], key[1], float(dw.rent[d]), w.params.max_extra_rooms)
            best_pos, best_b = -1, -1
            best_key = (NEVER, NEVER)
            for base in (ul, ur):
                for o in offs:
                    b = base + o
                    if ptr[b] >= end[b]:
                        continue
                    pos = q.head(b)
                    if pos < 0:
                        continue
                    k = (reg_list[pos], row_list[pos])
                    if k < best_key:
                        best_key, best_pos, best_b = k, pos, b
            if best_pos >= 0:
                h = row_list[best_pos]
                q.taken[h] = True
                ptr[best_b] = best_pos + 1
                winners_h.append(h)
                winners_d.append(d)
                got_reg.append(best_key[0])
        if not winners_h:
            break
        h = np.array(winners_h, dtype=np.int64)
        d = np.array(winners_d, dtype=np.int64)
        old = np.where(w.hh.place[h] == Place.DWELLING, w.hh.dwelling[h], -1)
        w.move_in(h, d, social=True)
        got_rows.append(h)
        freed = old[old >= 0]
        open_ = freed[(dw.tenure[freed] == Tenure.SOCIAL) & (dw.label[freed] != Label.STUDENT) & (dw.end_month[freed] > w.month + 6)]
    rows = np.concatenate(got_rows) if got_rows else np.empty(0, dtype=np.int64)
    return rows, np.array(got_reg, dtype=np.int64)

