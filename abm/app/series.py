"""Cheap reads of a running model's indicators for the charts, and the shared baseline runs.

The charts read the recorder's monthly blocks (``[indicator, municipality + total, group]``
arrays) directly instead of building the tidy frame, so drawing stays cheap as a run grows.
The baseline of a region and seed is the same for every participant: it is run once per
process, extended on demand under a lock, and only read by the sessions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from ..indicators import GROUP_NAMES, INDICATOR_NAMES
from .settings import Settings, WorkshopModel

Blocks = list[tuple[int, np.ndarray]]


def months(blocks: Blocks) -> np.ndarray:
    return np.array([m for m, _ in blocks], dtype=float)


def total(blocks: Blocks, indicator: str, group: str = "all") -> np.ndarray:
    """The region total of ``indicator`` (for ``group``) per recorded month."""
    i, g = INDICATOR_NAMES.index(indicator), GROUP_NAMES.index(group)
    return np.array([b[i, -1, g] for _, b in blocks], dtype=float)


def latest_by_municipality(blocks: Blocks, indicator: str) -> np.ndarray:
    """The latest value of ``indicator`` per municipality (all groups)."""
    if not blocks:
        return np.zeros(0)
    return np.asarray(blocks[-1][1][INDICATOR_NAMES.index(indicator), :-1, 0], dtype=float)


def last_year_sum(blocks: Blocks, indicator: str, group: str = "all", municipalities: bool = False) -> np.ndarray | float:
    """Sum over the last twelve recorded months after the start (region total, or per municipality)."""
    i, g = INDICATOR_NAMES.index(indicator), GROUP_NAMES.index(group)
    recent = [b for m, b in blocks[-12:] if m > 0]
    if municipalities:
        return sum((b[i, :-1, g] for b in recent), np.zeros(blocks[0][1].shape[1] - 1)) if blocks else np.zeros(0)
    return float(np.nansum([b[i, -1, g] for b in recent])) if recent else 0.0


def rolling_mean(x: np.ndarray, window: int = 12) -> np.ndarray:
    """Mean over the last ``window`` values, ignoring NaN (months without lettings)."""
    out = np.full(x.size, np.nan)
    for k in range(x.size):
        w = x[max(0, k - window + 1) : k + 1]
        if np.isfinite(w).any():
            out[k] = np.nanmean(w)
    return out


class _BaselineRun:
    def __init__(self, settings: Settings) -> None:
        self.lock = threading.Lock()
        self.model = WorkshopModel(settings)
        self.warming = False
        self.target = 0

    def warm(self) -> None:
        """Advance to ``target`` (which may rise meanwhile); the check and the end are atomic."""
        while True:
            with _BASELINES_LOCK:
                if self.model.month >= self.target:
                    self.warming = False
                    return
            self.advance_to(self.model.month + 1)

    def advance_to(self, month: int) -> None:
        """Step until ``month`` is recorded, one month per lock hold (readers wait only briefly)."""
        while self.model.month < month:
            with self.lock:
                if self.model.month < month:
                    self.model.step()


_BASELINES: OrderedDict[tuple[str, int], _BaselineRun] = OrderedDict()
_BASELINES_LOCK = threading.Lock()
MAX_BASELINES = 3
WARM_MONTHS = 120  # the workshop's ten years


def _run_for(settings: Settings) -> _BaselineRun:
    key = (settings.region, int(settings.seed))
    with _BASELINES_LOCK:
        run = _BASELINES.get(key)
        if run is None:
            run = _BASELINES[key] = _BaselineRun(settings.baseline())
            while len(_BASELINES) > MAX_BASELINES:
                _BASELINES.popitem(last=False)
        _BASELINES.move_to_end(key)
    return run


def baseline_blocks(settings: Settings, month: int) -> Blocks:
    """The baseline's monthly blocks up to ``month`` for the region and seed of ``settings``:
    no measures, today's allocation rules. Shared by all sessions; computed once, read-only."""
    run = _run_for(settings)
    run.advance_to(month)
    with run.lock:
        return list(run.model.recorder.blocks[: month + 1])


def warm_baseline(settings: Settings, months: int = WARM_MONTHS) -> None:
    """Compute the baseline of ``settings``' region and seed ahead, in a background thread, so
    that the comparison views only read it (once per process and region/seed)."""
    run = _run_for(settings)
    with _BASELINES_LOCK:
        if run.model.month >= months or run.target >= months:
            return
        run.target = months
        if run.warming:  # the running thread picks up the new target
            return
        run.warming = True
    threading.Thread(target=run.warm, daemon=True, name=f"baseline-{settings.region}").start()
