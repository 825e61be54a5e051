"""Queues of seekers: one per search unit and eligibility bucket, sorted by priority class and
rank, so a vacancy only looks at the heads of the buckets it may be offered to.

Search units are municipalities (every seeker of the municipality) and COROP regions (seekers
who also search regionally), so a regional seeker stands in two queues; ``taken`` makes sure
nobody is housed twice. Building a queue set is one sort of a packed 64-bit key per seeker
(unit·bucket | class | rank | row): O(n log n) a month; a vacancy then costs O(b) for the
b ≲ 80 buckets it fits, never O(n).
"""

from __future__ import annotations

import numpy as np

ROW_BITS, RANK_BITS, CLASS_BITS = 26, 16, 2  # rows < 67 M; ranks (months) within ±32,768
KEY_BITS = 64 - ROW_BITS - RANK_BITS - CLASS_BITS  # 20 bits: up to 1,048,576 unit-buckets
ROW_MASK = (1 << ROW_BITS) - 1


class QueueSet:
    """Seekers ``rows`` in buckets ``key`` (unit × PER_UNIT + offset), ordered by ``cls`` (lower
    first: priority classes) then ``rank`` (lower first: registration month or lottery number)
    then row. ``taken`` is shared between queue sets of the same month."""

    def __init__(self, rows: np.ndarray, key: np.ndarray, cls: np.ndarray, rank: np.ndarray, n_keys: int, taken: np.ndarray) -> None:
        half = 1 << (RANK_BITS - 1)
        if rows.size and (rows.max() >= 1 << ROW_BITS or np.abs(rank).max() >= half or n_keys > 1 << KEY_BITS):
            raise OverflowError("queue key does not fit in 64 bits: too many households, units or months")
        packed = np.sort(
            (key.astype(np.uint64) << np.uint64(64 - KEY_BITS))
            | (cls.astype(np.uint64) << np.uint64(RANK_BITS + ROW_BITS))
            | ((rank + half).astype(np.uint64) << np.uint64(ROW_BITS))
            | rows.astype(np.uint64)
        )
        sorted_keys = (packed >> np.uint64(64 - KEY_BITS)).astype(np.int64)
        # Within the unit-buckets one integer orders candidates: class | rank | row (low bits).
        self.order = (packed & np.uint64((1 << (64 - KEY_BITS)) - 1)).astype(np.int64).tolist()
        self._half = half
        keys = np.arange(n_keys)
        self.ptr = np.searchsorted(sorted_keys, keys).tolist()
        self.start = list(self.ptr)  # first position of each bucket (never moves)
        self.end = np.searchsorted(sorted_keys, keys, side="right").tolist()
        self.taken = taken
        self.nonempty: dict[tuple[int, int], list[int]] = {}
        self.skipped: list[tuple[int, int]] = []  # (bucket, position) passed over while a refuser was held

    def row(self, p: int) -> int:
        """Household row at position ``p``."""
        return self.order[p] & ROW_MASK

    def cls(self, p: int) -> int:
        """Priority class at position ``p``."""
        return self.order[p] >> (RANK_BITS + ROW_BITS)

    def head(self, b: int) -> int:
        """Position of the first seeker of bucket ``b`` not taken, or -1."""
        p, e = self.ptr[b], self.end[b]
        taken, order = self.taken, self.order
        while p < e:
            t = taken[order[p] & ROW_MASK]
            if not t:
                break
            if t == 2:  # held for this vacancy only (refused): remember to restore
                self.skipped.append((b, p))
            p += 1
        self.ptr[b] = p
        return p if p < e else -1

    def best(self, bases: list[int], offsets: list[int]) -> tuple[int, int]:
        """(bucket, position) of the best head among ``offsets`` in the units at ``bases``."""
        ptr, end, order, taken = self.ptr, self.end, self.order, self.taken
        best_b, best_p, best = -1, -1, -1
        nonempty = self.nonempty
        for base in bases:
            # Only the buckets of this unit that had seekers when the month began (cached per
            # unit and offset list): most of a municipality's buckets are empty.
            ck = (base, id(offsets))
            buckets = nonempty.get(ck)
            if buckets is None:
                start = self.start
                buckets = nonempty[ck] = [base + o for o in offsets if start[base + o] < end[base + o]]
            for b in buckets:
                p = ptr[b]
                if p >= end[b]:
                    continue
                if taken[order[p] & ROW_MASK]:
                    p = self.head(b)
                    if p < 0:
                        continue
                k = order[p]
                if best < 0 or k < best:
                    best, best_b, best_p = k, b, p
        return best_b, best_p

    def restore(self) -> None:
        """Put back the positions passed over while refusers were held."""
        for b, p in self.skipped:
            if p < self.ptr[b]:
                self.ptr[b] = p
        self.skipped.clear()
