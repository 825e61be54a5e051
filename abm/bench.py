"""``abm bench``: speed and peak memory of the model, each case in a fresh process.

Reports household-months per second (households present summed over simulated months, divided
by the run's wall time), initialisation time, seconds per month by phase, and peak resident
memory. Run several repeats and read the median: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CASES = {
    "10k": {"corop": ["CR17"], "households": 10_000},
    "100k": {"corop": ["CR17"], "households": 100_000},
    "1m": {"corop": ["CR17"], "households": 1_000_000},
    "utrecht": {"scenario": "utrecht"},
    "national": {"scenario": "national"},
    "sweep": {},  # runs per hour of a sweep over a ~50,000-household municipality (abm.sweep.bench)
}


def run_case(case: str, years: int, seed: int = 1) -> dict:
    """Run one case in this process and return its figures (called in a child process)."""
    import resource

    from . import HousingModel

    t0 = time.perf_counter()
    model = HousingModel(rng=seed, **CASES[case])
    t_init = time.perf_counter() - t0
    t1 = time.perf_counter()
    model.run(years * 12)
    t_run = time.perf_counter() - t1
    dc = model.datacollector.get_model_vars_dataframe()
    hh_months = float(dc["households"].iloc[1:].sum())
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    months = years * 12
    return {
        "case": case,
        "years": years,
        "households_start": int(model.world.totals["households_start"]),
        "init_s": round(t_init, 2),
        "run_s": round(t_run, 2),
        "total_s": round(t_init + t_run, 2),
        "household_months_per_s": round(hh_months / t_run),
        "peak_mem_gb": round(peak_kb / 1024**2, 2),
        "phase_s_per_month": {k: round(v / months, 4) for k, v in model.phase_seconds.items()},
    }


def cmd_bench(args: argparse.Namespace) -> int:
    from .cli import UsageError

    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        raise UsageError(f"--cases: unknown case '{unknown[0]}' (allowed: {', '.join(CASES)})")
    print(f"machine: {os.cpu_count()} cores; {args.repeats} repeat(s) per case, median reported", flush=True)
    results = []
    for case in cases:
        if case == "sweep":
            res = _bench_sweep(args)
            if res is None:
                return 1
            results.append(res)
            continue
        runs = _child_runs(case, args.years, args.repeats)
        if runs is None:
            return 1
        med = {k: statistics.median(x[k] for x in runs) for k in ("init_s", "run_s", "total_s", "household_months_per_s", "peak_mem_gb")}
        phases = {k: round(statistics.median(x["phase_s_per_month"][k] for x in runs), 4) for k in runs[0]["phase_s_per_month"]}
        res = {
            "case": case,
            "years": args.years,
            "households_start": runs[0]["households_start"],
            **med,
            "phase_s_per_month": phases,
            "runs": runs,
        }
        results.append(res)
        print(
            f"{case:>9}: {res['households_start']:>10,} households  init {med['init_s']:7.1f} s  run {med['run_s']:8.1f} s  "
            f"{med['household_months_per_s'] / 1e6:6.2f} M household-months/s  peak {med['peak_mem_gb']:5.2f} GB  "
            f"allocation {phases.get('allocation', float('nan')):.3f} s/month",
            flush=True,
        )
    if args.out:
        tmp = f"{args.out}.tmp"
        with open(tmp, "w") as f:
            json.dump({"cores": os.cpu_count(), "results": results}, f, indent=2)
        os.replace(tmp, args.out)
    return 0


def _child_runs(case: str, years: int, repeats: int) -> list[dict] | None:
    """``repeats`` runs of a case, each in a fresh process; None (and the error printed) if one fails."""
    runs = []
    for _ in range(repeats):
        r = subprocess.run([sys.executable, "-m", "abm.bench", case, str(years)], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{case}: failed\n{r.stderr[-2000:]}", file=sys.stderr)
            return None
        runs.append(json.loads(r.stdout.strip().splitlines()[-1]))
    return runs


def _bench_sweep(args: argparse.Namespace) -> dict | None:
    runs = _child_runs("sweep", args.years, args.repeats)
    if runs is None:
        return None
    med = {k: statistics.median(x[k] for x in runs) for k in ("wall_s", "runs_per_hour", "core_s_per_run")}
    first = runs[0]
    print(
        f"    sweep: {first['households_start']:>10,} households (Ede), {first['runs']} runs of {args.years} years on "
        f"{first['jobs']} workers  wall {med['wall_s']:6.1f} s  {med['runs_per_hour']:,.0f} runs/hour  "
        f"{med['core_s_per_run']:.2f} core-s/run",
        flush=True,
    )
    return {"case": "sweep", "years": args.years, "households_start": first["households_start"], **med, "runs": runs}


if __name__ == "__main__":
    if sys.argv[1] == "sweep":
        from .sweep.bench import run_sweep_case

        print(json.dumps(run_sweep_case(int(sys.argv[2]))))
    else:
        print(json.dumps(run_case(sys.argv[1], int(sys.argv[2]))))
