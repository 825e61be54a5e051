"""One run of a sweep: its key, the model run itself, and its tidy results.

A run is a (design point, seed) pair. Its key is a hash of everything that determines its
results — the full scenario of the point (base scenario with the factor values applied), the
seed, the horizon and the outputs kept — so a finished run can be recognised on a re-run even
when the design grows (more seeds, more points), and a changed base scenario never reuses old
results.

``run_task`` is what the workers execute: it takes and returns plain picklable values, never
writes files (the sweep process is the only writer) and catches every error of the run, so a
failing run is reported instead of stopping the sweep.
"""

from __future__ import annotations

import hashlib
import json
import time
import traceback
from typing import Any

import numpy as np
import pandas as pd

from ..indicators import INDICATORS

RUN_COLUMNS = ["key", "point", "seed", "indicator", "group", "statistic", "value"]
SERIES_COLUMNS = ["key", "point", "seed", "month", "indicator", "group", "value"]


def run_key(scenario: dict[str, Any], seed: int, outputs: dict[str, Any]) -> str:
    """16 hex digits identifying a run by its scenario, seed and kept outputs."""
    blob = json.dumps({"scenario": scenario, "seed": int(seed), "outputs": outputs}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def outcome_pairs(outputs: dict[str, Any]) -> list[tuple[str, str]]:
    """(indicator, group) pairs kept; indicators without a group breakdown only for 'all'."""
    return [(i, g) for i in outputs["indicators"] for g in outputs["groups"] if g == "all" or INDICATORS[i][2]]


def statistic(name: str, months: np.ndarray, values: np.ndarray) -> float:
    """A summary statistic of one monthly series (see ``design.STATISTICS``)."""
    if name == "initial":
        return float(values[0]) if len(values) else float("nan")
    if name == "final":
        return float(values[-1]) if len(values) else float("nan")
    run = values[months >= 1]
    if name == "mean_last_year":
        run = run[-12:]
    if run.size == 0 or np.isnan(run).all():
        return float("nan")
    if name == "total":
        return float(np.nansum(run))
    return float({"mean": np.nanmean, "mean_last_year": np.nanmean, "max": np.nanmax, "min": np.nanmin}[name](run))


def _build_model(scenario: dict[str, Any], seed: int):
    from ..model import HousingModel
    from ..scenarios import parse_scenario

    return HousingModel(scenario=parse_scenario(scenario, "sweep point"), rng=int(seed))


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    """Run one (point, seed): returns ``{"key", "ok", "seconds", "frame"[, "series"]}`` or, if
    the run raised, ``{"key", "ok": False, "error", "traceback"}``."""
    t0 = time.perf_counter()
    key, point, seed, outputs = task["key"], int(task["point"]), int(task["seed"]), task["outputs"]
    try:
        model = _build_model(task["scenario"], seed)
        model.run(int(task["scenario"]["years"]) * 12)
        rows, series = [], []
        for ind, grp in outcome_pairs(outputs):
            months, values = model.recorder.series(ind, grp)
            for stat in outputs["statistics"]:
                rows.append((ind, grp, stat, statistic(stat, months, values)))
            if outputs.get("series"):
                series.append(pd.DataFrame({"month": months, "indicator": ind, "group": grp, "value": values}))
        frame = pd.DataFrame(rows, columns=["indicator", "group", "statistic", "value"])
        frame.insert(0, "seed", np.int64(seed))
        frame.insert(0, "point", np.int64(point))
        frame.insert(0, "key", key)
        out = {"key": key, "ok": True, "seconds": time.perf_counter() - t0, "frame": frame}
        if series:
            s = pd.concat(series, ignore_index=True)
            s.insert(0, "seed", np.int64(seed))
            s.insert(0, "point", np.int64(point))
            s.insert(0, "key", key)
            out["series"] = s[SERIES_COLUMNS]
        return out
    except Exception as e:  # a failing run is recorded, never fatal to the sweep
        return {
            "key": key,
            "ok": False,
            "point": point,
            "seed": seed,
            "seconds": time.perf_counter() - t0,
            "error": f"{type(e).__name__}: {e}".splitlines()[0][:500],
            "traceback": traceback.format_exc(),
        }
