"""Sweeps: design validation, keys, executors agree, resume after SIGKILL, failures recorded."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from abm.cli import main
from abm.sweep import DesignError, load_design, parse_design, plan, run_sweep
from abm.sweep.sampling import design_size, unit_sample

# The runs' base: the 'small' scenario with a one-year spin-up, set in the scenario so that every
# executor (this process, worker processes, dask workers) runs the same. Without it, workers would
# run the default 60-month spin-up (tests/conftest.py switches it off only in this process), which
# made this file's runs five times slower and checks nothing more here.
BASE = """
name = "small"
years = 2
seed = 1
[region]
corop = ["CR17"]
households = 5000
[params]
spinup_months = 12
"""

GRID = """
name = "tiny"
base = "{base}"
years = {years}
seeds = {seeds}
[sampling]
method = "grid"
levels = 2
[[factors]]
target = "allocation.urgency.vacancy_share"
low = 0.2
high = 1.0
[[factors]]
name = "flex"
target = "measures.flex_housing.units_per_year"
values = [0, 20000]
[outputs]
indicators = ["wait_months_median", "blocked_in_institution", "allocations"]
groups = ["all", "regular"]
statistics = ["final", "mean", "total"]
series = true
"""


def write(tmp_path: Path, text: str, name: str = "design.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> str:
    return str(write(tmp_path_factory.mktemp("base"), BASE, "small.toml"))


@pytest.fixture(scope="module")
def grid(tmp_path_factory, base) -> Path:
    return write(tmp_path_factory.mktemp("grid"), GRID.format(years=1, seeds=2, base=base))


@pytest.fixture(scope="module")
def serial(tmp_path_factory, grid) -> Path:
    """The output folder of the grid design run by the serial executor: the reference that the
    other executors are compared with, run once for the module (tests only read it)."""
    design, base = load_design(grid)
    out = tmp_path_factory.mktemp("serial") / "out"
    s = run_sweep(design, base, out, executor="serial", progress=False)
    assert (s.ran, s.failed) == (8, 0)
    return out


def test_design_table_keys_and_values(grid):
    design, base = load_design(grid)
    table, tasks = plan(design, base)
    assert len(table) == 8 and table["key"].is_unique
    assert sorted(table["vacancy_share"].unique()) == [0.2, 1.0] and sorted(table["flex"].unique()) == [0, 20000]
    # the factor values reach the scenario of each run
    t = next(t for t in tasks if t["point"] == 3)
    assert t["scenario"]["allocation"]["urgency"]["vacancy_share"] == 1.0
    assert [m for m in t["scenario"]["measures"] if m["type"] == "flex_housing"][0]["units_per_year"] == 20000
    assert t["scenario"]["years"] == 1
    # keys depend on the scenario and the seed only: more seeds keep the old keys
    assert all(t["scenario"]["params"]["spinup_months"] == 12 for t in tasks)  # the short spin-up reaches every run
    design3, _ = parse_design({**_toml(GRID.format(years=1, seeds=3, base=design.base))}, "d")
    table3, _ = plan(design3, base)
    assert set(table["key"]) < set(table3["key"])


def _toml(text: str) -> dict:
    import tomllib

    return tomllib.loads(text)


@pytest.mark.parametrize("method,samples,levels", [("lhs", 10, 4), ("sobol", 8, 4), ("morris", 3, 4)])
def test_samplers_sizes_and_ranges(method, samples, levels):
    d = _toml(GRID.format(years=1, seeds=1, base="small"))
    d["sampling"] = {"method": method, "samples": samples, "levels": levels, "seed": 7}
    d["factors"].append({"target": "measures.housing_first", "values": [False, True]})
    design, base = parse_design(d, "d")
    u = unit_sample(design)
    assert u.shape == (design_size(design), 3) and ((u >= 0) & (u <= 1)).all()
    table, tasks = plan(design, base)
    assert table["vacancy_share"].between(0.2, 1.0).all() and set(table["flex"]) <= {0, 20000}
    on = [any(m["type"] == "housing_first" for m in t["scenario"]["measures"]) for t in tasks]
    assert set(on) == set(table["housing_first"])  # the switch adds the measure exactly when True
    assert np.array_equal(unit_sample(design), u)  # the sampler's seed makes the design reproducible


BAD = [
    ("factors = []", "factors"),
    ('[[factors]]\ntarget = "params.seek_rate"\nlow = 0.1\nhigh = 0.05', "low (0.1) must be below high (0.05)"),
    ('[[factors]]\ntarget = "params.seek_rat"\nlow = 0.01\nhigh = 0.05', "seek_rat"),
    ('[[factors]]\ntarget = "params.seek_rate"\nlow = 0.01\nhigh = 5.0', "params.seek_rate = 5.0 is not allowed"),
    ('[[factors]]\ntarget = "measures.flex_housin.units_per_year"\nlow = 0\nhigh = 5', "unknown measure 'flex_housin'"),
    ('[[factors]]\ntarget = "measures.flex_housing.units"\nlow = 0\nhigh = 5', "has no field 'units'"),
    ('[[factors]]\ntarget = "allocation.urgency.vacancy_share"\nlow = 0\nhigh = 2', "vacancy_share"),
    ('[[factors]]\ntarget = "weather.rain"\nlow = 0\nhigh = 2', "must start with params., allocation. or measures."),
    ('[[factors]]\ntarget = "params.seek_rate"', "give low and high"),
    ('[[factors]]\ntarget = "params.seek_rate"\nlow = 0.01\nhigh = 0.03\nsteps = 3', "unknown key"),
    ('[sampling]\nmethod = "sobol"\nsamples = 10\n[[factors]]\ntarget = "params.seek_rate"\nlow = 0.01\nhigh = 0.03', "power of 2"),
    ('[sampling]\nmethod = "morris"\nlevels = 3\n[[factors]]\ntarget = "params.seek_rate"\nlow = 0.01\nhigh = 0.03', "even number"),
    ('[sampling]\nmethod = "factorial"\n[[factors]]\ntarget = "params.seek_rate"\nlow = 0.01\nhigh = 0.03', "sampling.method"),
    ('[outputs]\nindicators = ["waiting_time"]\n[[factors]]\ntarget = "params.seek_rate"\nlow = 0.01\nhigh = 0.03', "unknown indicator"),
    ('[outputs]\ngroups = ["students"]\n[[factors]]\ntarget = "params.seek_rate"\nlow = 0.01\nhigh = 0.03', "unknown group"),
    ('[outputs]\nstatistics = ["median"]\n[[factors]]\ntarget = "params.seek_rate"\nlow = 0.01\nhigh = 0.03', "unknown statistic"),
]


@pytest.mark.parametrize("body,expect", BAD)
def test_bad_design_files_are_rejected_in_one_line(tmp_path, capsys, body, expect):
    path = write(tmp_path, f'name = "bad"\nbase = "small"\nseeds = 1\n{body}\n')
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and expect in err and str(path) in err, err
    assert not out.exists()  # nothing half-written


@pytest.mark.parametrize(
    "header,expect",
    [
        ('name = "x"\nbase = "smal"\nseeds = 1', "did you mean 'small'"),
        ('name = "x"\nbase = "small"\nseeds = 0', "seeds"),
        ('name = "x"\nbase = "small"\nseed = 1', "unknown key; did you mean 'seeds'"),
        ('name = "x" base', "not valid TOML"),
    ],
)
def test_bad_design_headers(tmp_path, capsys, header, expect):
    path = write(tmp_path, f'{header}\n[[factors]]\ntarget = "params.seek_rate"\nlow = 0.01\nhigh = 0.03\n')
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and expect in err, err


def test_bad_flags(tmp_path, grid, capsys):
    assert main(["sweep", str(tmp_path / "none.toml"), "--out", str(tmp_path / "o")]) == 2
    assert "no such design file" in capsys.readouterr().err
    assert main(["sweep", str(grid), "--out", str(tmp_path / "o"), "--jobs", "0"]) == 2
    assert main(["sweep", str(grid), "--out", str(tmp_path / "o"), "--scheduler", "localhost:8786"]) == 2
    assert "tcp://HOST:PORT" in capsys.readouterr().err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    assert main(["sweep", str(grid), "--out", str(tmp_path / "full"), "--quiet"]) == 2
    assert "holds no sweep" in capsys.readouterr().err
    assert (tmp_path / "full" / "notes.txt").read_text() == "mine"


def _run_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "runs").glob("*.parquet"))}


def test_serial_processes_and_dask_give_identical_results(tmp_path, grid, serial):
    design, base = load_design(grid)
    outs = {"serial": serial}
    for ex in ("processes", "dask"):
        outs[ex] = tmp_path / ex
        s = run_sweep(design, base, outs[ex], executor=ex, jobs=2, progress=False)
        assert (s.ran, s.failed) == (8, 0)
    ref = pd.read_parquet(outs["serial"] / "results.parquet")
    assert len(ref) == 8 * (3 * 2) * 3 and ref["value"].notna().any()
    assert ref.groupby("flex")["value"].mean().nunique() == 2  # the factors change the results
    series = [pd.read_parquet(p) for p in (outs["serial"] / "series").glob("*.parquet")]
    assert len(series) == 8 and all(sorted(s["month"].unique()) == list(range(13)) for s in series)
    # the summary statistics are those of the kept series
    one = series[0]
    w = one[(one["indicator"] == "allocations") & (one["group"] == "all")].sort_values("month")
    row = ref[(ref["key"] == one["key"].iloc[0]) & (ref["indicator"] == "allocations") & (ref["group"] == "all")]
    assert row.set_index("statistic")["value"]["total"] == pytest.approx(w["value"].iloc[1:].sum())
    assert row.set_index("statistic")["value"]["final"] == pytest.approx(w["value"].iloc[-1])
    for ex in ("processes", "dask"):
        pd.testing.assert_frame_equal(ref, pd.read_parquet(outs[ex] / "results.parquet"))
        assert _run_files(outs[ex]) == _run_files(outs["serial"])


def test_failed_run_is_recorded_and_retried(tmp_path, grid, monkeypatch):
    import abm.sweep.runs as runs

    real = runs._build_model

    def flaky(scenario, seed):
        if scenario["allocation"]["urgency"]["vacancy_share"] == 1.0 and seed == 2:
            raise RuntimeError("simulated crash")
        return real(scenario, seed)

    monkeypatch.setattr(runs, "_build_model", flaky)
    design, base = load_design(grid)
    out = tmp_path / "out"
    s = run_sweep(design, base, out, executor="serial", progress=False)
    assert (s.ran, s.failed) == (6, 2)
    records = [json.loads(p.read_text()) for p in (out / "failed").glob("*.json")]
    assert len(records) == 2 and all("RuntimeError: simulated crash" in r["error"] and r["traceback"] for r in records)
    assert len(pd.read_parquet(out / "results.parquet")["key"].unique()) == 6
    monkeypatch.setattr(runs, "_build_model", real)
    s = run_sweep(design, base, out, executor="serial", progress=False)
    assert (s.already_done, s.ran, s.failed) == (6, 2, 0)
    assert not list((out / "failed").glob("*.json"))
    assert len(pd.read_parquet(out / "results.parquet")["key"].unique()) == 8


def test_cli_exit_code_1_when_a_run_fails(tmp_path, grid, monkeypatch, capsys):
    import abm.sweep.runs as runs

    def broken(scenario, seed):
        raise ValueError("no model today")

    monkeypatch.setattr(runs, "_build_model", broken)
    assert main(["sweep", str(grid), "--out", str(tmp_path / "o"), "--executor", "serial", "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "8 failed" in out and "ValueError: no model today" in out


def test_resume_after_sigkill_loses_and_duplicates_nothing(tmp_path, base):
    path = write(tmp_path, GRID.format(years=3, seeds=3, base=base))  # 12 runs of ~0.6 s
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "abm.cli", "sweep", str(path), "--out", str(out), "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.time() + 120
        while len(list((out / "runs").glob("*.parquet"))) < 3:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.time() < deadline, "the sweep made no progress"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # orphaned workers
        except ProcessLookupError:
            pass
    assert (out / "design.parquet").exists() and not (out / "results.parquet").exists()
    before = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.parquet")}
    assert 3 <= len(before) < 12
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "sweep.json").read_text())
    assert summary["already_done"] == len(before) and summary["ran"] == 12 - len(before)
    after = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.parquet")}
    assert len(after) == 12 and all(after[k] == v for k, v in before.items())  # finished runs untouched
    assert not [p for p in out.rglob(".*tmp*")]
    results = pd.read_parquet(out / "results.parquet")
    assert not results.duplicated(["key", "indicator", "group", "statistic"]).any()
    assert set(results["key"]) == set(pd.read_parquet(out / "design.parquet")["key"])


def test_design_copy_in_output_folder_reads_back(grid, serial):
    design, base = load_design(grid)
    again, _ = load_design(serial / "design.toml")
    assert again == design


def test_relative_base_scenario_path(tmp_path):
    write(tmp_path, '[region]\ncorop = ["CR17"]\nhouseholds = 2000\nname = "mine"\n', "base.toml")
    (tmp_path / "base.toml").write_text('name = "mine"\nyears = 1\n[region]\ncorop = ["CR17"]\nhouseholds = 2000\n')
    sub = tmp_path / "designs"
    sub.mkdir()
    p = write(sub, 'name = "r"\nbase = "../base.toml"\n[[factors]]\ntarget = "params.seek_rate"\nvalues = [0.02]\n')
    design, base = load_design(p)
    assert base.name == "mine" and Path(design.base).is_absolute()


def test_bad_design_error_type(tmp_path):
    with pytest.raises(DesignError, match="no such design file"):
        load_design(tmp_path / "missing.toml")


def test_existing_dask_cluster_via_scheduler_address(tmp_path, grid, serial, capsys):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        rc = main(["sweep", str(grid), "--out", str(tmp_path / "remote"), "--scheduler", cluster.scheduler_address, "--quiet"])
    assert rc == 0 and "on dask" in capsys.readouterr().out
    assert _run_files(tmp_path / "remote") == _run_files(serial)


def _crash_on_point_3(task: dict) -> dict:
    """A run function for the worker-death test: point 3 kills its worker process."""
    if task["point"] == 3:
        os._exit(1)
    time.sleep(0.05)
    return {"key": task["key"], "ok": True}


def test_a_dead_worker_fails_its_runs_and_the_sweep_goes_on():
    from abm.sweep.executors import run_processes

    tasks = [{"key": f"k{i}", "point": i, "seed": 1} for i in range(10)]
    results = list(run_processes(_crash_on_point_3, tasks, 2))
    assert sorted(r["key"] for r in results) == sorted(t["key"] for t in tasks)  # each run reported once
    failed = {r["key"] for r in results if not r["ok"]}
    assert "k3" in failed and all("BrokenProcessPool" in r["error"] for r in results if not r["ok"])
    # only runs in flight with the dead one fail: at most 4 (the window for 2 workers), so none after k6
    assert len(failed) <= 4 and failed <= {f"k{i}" for i in range(7)}
    assert {"k7", "k8", "k9"} <= {r["key"] for r in results if r["ok"]}  # a fresh pool carried on


def test_unreachable_scheduler_is_a_usage_error_and_writes_nothing(tmp_path, grid, capsys, monkeypatch):
    import abm.sweep.cli

    monkeypatch.setattr(abm.sweep.cli, "CONNECT_TIMEOUT", "1s")  # nothing listens on port 9: waiting 10 s checks nothing more
    out = tmp_path / "o"
    assert main(["sweep", str(grid), "--out", str(out), "--scheduler", "tcp://127.0.0.1:9", "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "cannot connect" in err and not out.exists()


def test_dry_run_counts_runs_and_writes_nothing(tmp_path, grid, serial, capsys):
    out = tmp_path / "o"
    assert main(["sweep", str(grid), "--out", str(out), "--dry-run"]) == 0
    assert "4 points x 2 seeds = 8 runs (8 distinct)" in capsys.readouterr().out and not out.exists()
    files = {p: p.stat().st_mtime_ns for p in serial.rglob("*")}
    assert main(["sweep", str(grid), "--out", str(serial), "--dry-run"]) == 0  # the finished serial sweep of the same design
    printed = capsys.readouterr().out
    assert "8 already in" in printed and "0 to run" in printed
    assert {p: p.stat().st_mtime_ns for p in serial.rglob("*")} == files
