"""``abm sweep``: run every (design point, seed) of a design, resumable, on any executor.

The output folder holds::

    design.toml          the design as run (base made absolute), base_scenario.toml
    design.parquet       one row per run: point, seed, key, factor values (u_*: unit coordinates)
    runs/KEY.parquet     one tidy file per finished run: key, point, seed, indicator, group, statistic, value
    series/KEY.parquet   monthly series of the kept indicators (if outputs.series)
    failed/KEY.json      a run that raised: its error and traceback (retried on the next sweep)
    results.parquet      all finished runs joined with their factor values (written at the end)
    sweep.json           counts, timings, executor

The design table is written before any run; each run's file is written atomically (temporary
name, then rename) by this process only, when the run finishes. A re-run of the same command
skips every run whose file exists, so a sweep killed at any moment loses only the runs in
flight and never writes one twice.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..scenarios import Scenario, scenario_to_toml
from .design import Design, design_to_toml
from .executors import execute
from .runs import RUN_COLUMNS, run_key, run_task
from .sampling import apply, design_table


class SweepError(ValueError):
    """A sweep that cannot start (bad folder, bad executor settings): one line, exit code 2."""


@dataclass
class SweepSummary:
    name: str
    points: int
    runs: int
    distinct: int = 0
    already_done: int = 0
    ran: int = 0
    failed: int = 0
    wall_s: float = 0.0
    executor: str = "processes"
    jobs: int = 1
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def runs_per_hour(self) -> float:
        return 3600.0 * (self.ran + self.failed) / self.wall_s if self.wall_s > 0 else float("nan")

    def text(self, out: Path) -> str:
        lines = [
            f"sweep {self.name}: {self.runs} runs ({self.points} points x {self.runs // max(self.points, 1)} seeds"
            + (f", {self.distinct} distinct" if self.distinct != self.runs else "")
            + "); "
            f"{self.already_done} already done, {self.ran} ran now, {self.failed} failed",
            f"wall {self.wall_s:.1f} s on {self.executor} x{self.jobs}"
            + (f" - {self.runs_per_hour:,.0f} runs/hour" if self.ran + self.failed else ""),
            f"results: {out / 'results.parquet'}",
        ]
        for f in self.failures[:5]:
            lines.append(f"failed: point {f['point']} seed {f['seed']} ({f['key']}): {f['error']}")
        if self.failed > 5:
            lines.append(f"... and {self.failed - 5} more in {out / 'failed'}")
        return "\n".join(lines)


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through ``write(tmp)`` to a temporary name in the same folder, then rename."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _parquet(frame: pd.DataFrame) -> Callable[[Path], None]:
    return lambda p: frame.to_parquet(p, index=False)


def _text(s: str) -> Callable[[Path], None]:
    return lambda p: p.write_text(s, encoding="utf-8")


def plan(design: Design, base: Scenario) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The design table (one row per run, with keys) and the run tasks, in (point, seed) order."""
    points = design_table(design)
    outputs = design.outputs.model_dump()
    rows, tasks = [], []
    factor_names = [f.name for f in design.factors]
    for rec in points.to_dict("records"):
        scenario = apply(base, design, {n: rec[n] for n in factor_names})
        for seed in design.seed_list:
            key = run_key(scenario, seed, outputs)
            rows.append({"point": rec["point"], "seed": seed, "key": key})
            tasks.append({"key": key, "point": rec["point"], "seed": seed, "scenario": scenario, "outputs": outputs})
    table = pd.DataFrame(rows).astype({"point": np.int64, "seed": np.int64}).merge(points, on="point", how="left")
    return table, tasks


def _prepare_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise SweepError(f"--out {out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "design.parquet").exists():
        raise SweepError(f"--out {out}: folder is not empty and holds no sweep (no design.parquet); choose a new folder")
    try:
        for sub in ("runs", "series", "failed"):
            (out / sub).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise SweepError(f"--out {out}: cannot create the folder ({e.strerror})") from None
    if not os.access(out, os.W_OK):
        raise SweepError(f"--out {out}: folder is not writable")
    for stale in out.glob("**/.*.tmp*"):  # left by a killed sweep
        stale.unlink()


def finished_keys(out: Path) -> set[str]:
    """Keys of the runs whose result file exists in the sweep folder ``out``."""
    return {p.name.removesuffix(".parquet") for p in (out / "runs").glob("*.parquet")}


def collect(out: Path, table: pd.DataFrame, factor_names: list[str]) -> pd.DataFrame:
    """All finished runs of the design, joined with their factor values, sorted by point and seed."""
    keys = table["key"].drop_duplicates()
    parts = [pd.read_parquet(out / "runs" / f"{k}.parquet") for k in keys if (out / "runs" / f"{k}.parquet").exists()]
    if not parts:
        return pd.DataFrame(columns=[*RUN_COLUMNS, *factor_names])
    runs = pd.concat(parts, ignore_index=True).drop(columns=["point", "seed"])
    # by key: a repeated design point shares the run of its first occurrence
    frame = table[["key", "point", "seed", *factor_names]].merge(runs, on="key", how="inner")[[*RUN_COLUMNS, *factor_names]]
    return frame.sort_values(["point", "seed", "indicator", "group", "statistic"], kind="stable").reset_index(drop=True)


def run_sweep(
    design: Design,
    base: Scenario,
    out: str | Path,
    executor: str = "processes",
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
) -> SweepSummary:
    """Run (or resume) a sweep into ``out``; see the module docstring for the folder's contents."""
    out = Path(out)
    jobs = 1 if executor == "serial" and not scheduler else int(jobs or os.cpu_count() or 1)
    _prepare_folder(out)
    t0 = time.perf_counter()
    table, tasks = plan(design, base)
    # Samplers may repeat a point (Morris trajectories cross): such runs are identical, run once.
    seen: set[str] = set()
    tasks = [t for t in tasks if not (t["key"] in seen or seen.add(t["key"]))]
    write_atomic(out / "design.toml", _text(design_to_toml(design)))
    write_atomic(out / "base_scenario.toml", _text(scenario_to_toml(base)))
    write_atomic(out / "design.parquet", _parquet(table))  # the design table first, before any run
    done = finished_keys(out)
    todo = [t for t in tasks if t["key"] not in done]
    summary = SweepSummary(
        name=design.name,
        points=int(table["point"].nunique()),
        runs=len(table),
        distinct=len(tasks),
        already_done=len(tasks) - len(todo),
        executor="dask" if scheduler else executor,
        jobs=jobs,
    )
    bar = None
    if progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="run", desc=design.name, file=sys.stderr, dynamic_ncols=True)
        bar.set_postfix(failed=0)
    for res in execute(run_task, todo, executor, jobs, scheduler):
        key = res["key"]
        if res["ok"]:
            if "series" in res:
                write_atomic(out / "series" / f"{key}.parquet", _parquet(res["series"]))
            write_atomic(out / "runs" / f"{key}.parquet", _parquet(res["frame"]))
            (out / "failed" / f"{key}.json").unlink(missing_ok=True)
            summary.ran += 1
        else:
            record = {k: res[k] for k in ("key", "point", "seed", "error", "traceback", "seconds")}
            write_atomic(out / "failed" / f"{key}.json", _text(json.dumps(record, indent=1)))
            summary.failed += 1
            summary.failures.append({k: record[k] for k in ("key", "point", "seed", "error")})
        if bar is not None:
            bar.update(1)
            bar.set_postfix(failed=summary.failed)
    if bar is not None:
        bar.close()
    factor_names = [f.name for f in design.factors]
    write_atomic(out / "results.parquet", _parquet(collect(out, table, factor_names)))
    summary.wall_s = time.perf_counter() - t0
    write_atomic(out / "sweep.json", _text(json.dumps({**asdict(summary), "runs_per_hour": summary.runs_per_hour}, indent=1)))
    return summary
