"""The ``abm`` command line: run or compare scenarios, benchmark, list scenarios, parameters and the schedule.

Every wrong input gives one line on stderr and exit code 2, and nothing is half-written:
results go to a temporary folder first and are renamed into place when complete.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

EXIT_USAGE = 2


class UsageError(Exception):
    """A user-facing input error: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage too)
        raise UsageError(f"{self.prog}: {message}")


def _positive_int(name: str, lo: int, hi: int):
    def parse(s: str) -> int:
        try:
            v = int(s)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be an integer in [{lo}, {hi}], got '{s}'") from None
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(f"{name} must be in [{lo}, {hi}], got {v}")
        return v

    return parse


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="abm", description="Agent-based model of Dutch social housing and its priority groups (aandachtsgroepen).")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    r = sub.add_parser(
        "run",
        help="run a scenario month by month and write indicators.parquet",
        description="Run a scenario and write OUT/indicators.parquet (tidy: month, municipality, group, indicator, value), "
        "OUT/run.json (what was run) and print a summary table.",
    )
    r.add_argument("--scenario", default="utrecht", help="built-in scenario name (see 'abm scenarios') or a TOML file (default: utrecht)")
    r.add_argument("--years", type=_positive_int("--years", 1, 50), default=None, help="years to simulate, 1-50 (default: the scenario's)")
    r.add_argument("--seed", type=_positive_int("--seed", 0, 2**63 - 1), default=None, help="random seed, >= 0 (default: the scenario's)")
    r.add_argument("--out", default="results", help="output folder (created; default: results)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_app_parser(sub)
    b = sub.add_parser(
        "bench",
        help="measure speed and peak memory (household-months per second)",
        description="Benchmark: household-months per second and peak memory at 10k, 100k and 1M households, "
        "the default region and the national scenario over 10 years. Each case runs in a fresh process.",
    )
    b.add_argument("--cases", default="10k,100k,1m,utrecht,national", help="comma-separated cases (default: all)")
    b.add_argument("--years", type=_positive_int("--years", 1, 50), default=10, help="years per case (default 10)")
    b.add_argument("--repeats", type=_positive_int("--repeats", 1, 20), default=3, help="runs per case; the median is reported (default 3)")
    b.add_argument("--out", default=None, help="also write the figures as JSON to this file")
    c = sub.add_parser(
        "compare",
        help="compare scenarios over many seeds: bands, paired differences, social costs, an HTML report",
        description="Run every scenario with the same seeds (common random numbers) and write OUT/compare.parquet (tidy: "
        "scenario, seed, month, group, indicator, value), OUT/summary.parquet (median, p10, p90, mean over seeds), "
        "OUT/differences.parquet (paired differences versus the reference), OUT/costs.parquet (social costs) and "
        "OUT/report.html (one self-contained file).",
    )
    c.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="two or more built-in scenario names or TOML files")
    c.add_argument(
        "--seeds",
        type=_positive_int("--seeds", 1, 1000),
        default=None,
        help="seeds 1..N for every scenario, 1-1000 (default: the reference scenario's 'seeds', 20 unless it says)",
    )
    c.add_argument("--years", type=_positive_int("--years", 1, 50), default=None, help="years to simulate, 1-50 (default: each scenario's)")
    c.add_argument("--out", default="compare", help="output folder (created; default: compare)")
    c.add_argument("--jobs", type=_positive_int("--jobs", 1, 256), default=1, help="parallel processes (default 1; same results)")
    c.add_argument("--reference", default=None, help="the scenario the others are compared with (default: the first)")
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    from .sweep.cli import add_parsers as add_sweep_parsers

    add_sweep_parsers(sub, _positive_int)
    from .validate import add_parser as add_validate_parser

    add_validate_parser(sub, _positive_int)
    from .calibrate import add_parser as add_calibrate_parser

    add_calibrate_parser(sub, _positive_int)
    sub.add_parser("scenarios", help="list the built-in scenarios", description="List the built-in scenarios, one line each.")
    pa = sub.add_parser("params", help="list every parameter with value, unit and source", description="List every model parameter.")
    pa.add_argument("--markdown", action="store_true", help="print the table of docs/ODD.md")
    dr = sub.add_parser(
        "drivers",
        help="list the built-in driver series (quota, labour migrants, students, homelessness) with sources",
        description="List the built-in yearly and half-yearly driver series (abm/data/drivers.csv) that every run follows "
        'unless its [drivers] table says use = "none": driver (= parameter), period, value, unit, status, source.',
    )
    dr.add_argument("--markdown", action="store_true", help="print the table of docs/ODD.md (driver series)")
    sc = sub.add_parser(
        "schedule",
        help="print the month: phases, processes, and where a scenario's measures act",
        description="Print the declared schedule of a month (abm.schedule): the opening, then per phase the measures acting "
        "before its processes, the processes in order, and the measures acting after them.",
    )
    sc.add_argument(
        "--scenario", default="baseline", help="built-in scenario name or a TOML file whose measures to place (default: baseline)"
    )
    sc.add_argument("--markdown", action="store_true", help="print the table of docs/ODD.md section 3 (every measure type)")
    return p


def _add_app_parser(sub) -> None:
    from .app.settings import REGIONS

    a = sub.add_parser(
        "app",
        help="start the workshop app (Solara, in the browser; works offline)",
        description="Serve the workshop app on http://HOST:PORT: switch measures on, run years, compare with the baseline. "
        "Every browser session gets its own model. Works with no internet connection.",
    )
    a.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    a.add_argument("--port", type=_positive_int("--port", 1, 65535), default=8765, help="port, 1-65535 (default 8765)")
    a.add_argument("--region", choices=list(REGIONS), default=None, help="region the app starts with (default utrecht)")


def _summary(frame, years: int) -> str:
    import pandas as pd

    tot = frame[(frame["municipality"] == "total") & (frame["group"] == "all")]
    wide = tot.pivot_table(index="month", columns="indicator", values="value", observed=True)
    months = sorted({0, 12, min(60, years * 12), years * 12} & set(wide.index))
    flows = ["allocations", "vacancies", "moves", "evictions", "completions"]
    stocks = ["households", "homeless", "in_institution", "blocked_in_institution", "waiting", "social_stock"]
    rows = {}
    for m in months:
        col = {k: wide.loc[m, k] for k in stocks}
        yr = wide.loc[max(1, m - 11) : m, flows].sum() if m > 0 else pd.Series(0.0, index=flows)
        col.update({f"{k} (12 mo)": yr[k] for k in flows})
        for k in ("wait_months_median", "priority_share", "chain_moves_mean"):
            w = wide.loc[max(1, m - 11) : m, k] if m > 0 else None
            col[f"{k} (12 mo mean)"] = w.mean() if w is not None else float("nan")
        rows[f"month {m}"] = col
    table = pd.DataFrame(rows)
    return table.to_string(float_format=lambda v: f"{v:,.0f}" if abs(v) >= 10 or float(v).is_integer() else f"{v:.2f}")


def _output_folder(path: str) -> tuple[Path, Path]:
    """Check that ``--out`` can be written (a folder, or creatable); returns it and its parent."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {out} exists and is not a folder")
    parent = out.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"--out: cannot create {parent} ({e.strerror})") from None
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise UsageError(f"--out: {out} is not writable")
    return out, parent


def cmd_run(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from .scenarios import ScenarioError, load_scenario

    try:
        spec = load_scenario(args.scenario)
    except ScenarioError as e:
        raise UsageError(str(e)) from None
    years = args.years or spec.years
    seed = spec.seed if args.seed is None else args.seed
    out, parent = _output_folder(args.out)
    from . import HousingModel

    t0 = time.perf_counter()
    model = HousingModel(scenario=args.scenario, rng=seed)
    t_init = time.perf_counter() - t0
    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(total=years * 12, unit="month", desc=f"{spec.name} seed {seed}", file=sys.stderr)
    model.run(years * 12, callback=(lambda m: bar.update(1)) if bar else None)
    if bar:
        bar.close()
    elapsed = time.perf_counter() - t0
    frame = model.indicators()
    tmp = Path(tempfile.mkdtemp(prefix=".abm-run-", dir=parent))
    try:
        frame.to_parquet(tmp / "indicators.parquet", index=False)
        meta = {
            "scenario": spec.name,
            "scenario_source": str(args.scenario),
            "years": years,
            "seed": seed,
            "municipalities": model.region.codes,
            "params": model.params.as_dict(),
            "version": _version(),
            "households_start": model.world.totals["households_start"],
            "init_seconds": round(t_init, 2),
            "run_seconds": round(elapsed - t_init, 2),
        }
        (tmp / "run.json").write_text(json.dumps(meta, indent=2, default=str))
        for f in tmp.iterdir():  # files first, then the folder: readers never see half a result
            out.mkdir(parents=True, exist_ok=True)
            os.replace(f, out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"{spec.name}: {len(model.region.codes)} municipalities, {model.world.totals['households_start']:,} households at start, "
        f"{years} years, seed {seed}, {elapsed:.1f} s"
    )
    print(_summary(frame, years))
    print(f"wrote {out / 'indicators.parquet'} ({len(frame):,} rows) and {out / 'run.json'}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from .scenarios import ScenarioError, load_scenario

    if len(args.scenarios) < 2:
        raise UsageError(f"compare: give at least two scenarios to compare, got {len(args.scenarios)}")
    try:
        specs = [load_scenario(s) for s in args.scenarios]
    except ScenarioError as e:
        raise UsageError(str(e)) from None
    from .compare import (
        allocation_shares,
        cost_table,
        differences,
        format_key_differences,
        run_scenarios,
        scenario_labels,
        summarise,
    )
    from .costs import load_costs

    labels = scenario_labels(args.scenarios)
    if args.reference is None:
        reference = labels[0]
    elif args.reference in args.scenarios:
        reference = labels[args.scenarios.index(args.reference)]
    elif args.reference in labels:
        reference = args.reference
    else:
        raise UsageError(f"--reference: '{args.reference}' is not one of the scenarios compared ({', '.join(labels)})")
    try:
        unit_costs = load_costs()
    except ValueError as e:
        raise UsageError(str(e)) from None
    out, parent = _output_folder(args.out)

    warnings = []
    if len({spec.region.model_dump_json() for spec in specs}) > 1:
        warnings.append("the scenarios model different regions: differences include the difference in region, not only in policy")
    if args.years is None and len({spec.years for spec in specs}) > 1:
        warnings.append("the scenarios run for different years: differences and cost differences use the common horizon")
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.seeds is None:
        args.seeds = specs[labels.index(reference)].seeds
    t0 = time.perf_counter()
    n_runs = len(labels) * args.seeds
    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(total=n_runs, unit="run", desc=f"{len(labels)} scenarios x {args.seeds} seeds", file=sys.stderr)
    try:
        frame = run_scenarios(args.scenarios, seeds=args.seeds, years=args.years, jobs=args.jobs, progress=bar.update if bar else None)
    finally:
        if bar:
            bar.close()
    elapsed = time.perf_counter() - t0
    summary = summarise(frame)
    diffs = differences(frame, reference)
    costs = cost_table(frame, unit_costs, reference=reference)
    shares = summarise(allocation_shares(frame))
    years = {spec.name: args.years or spec.years for spec in specs}
    meta = {
        "scenarios": labels,
        "scenario_details": [
            {"label": lab, "source": src, "description": spec.description}
            for lab, src, spec in zip(labels, args.scenarios, specs, strict=True)
        ],
        "reference": reference,
        "seeds": list(range(1, args.seeds + 1)),
        "years": args.years or ", ".join(f"{y} ({n})" for n, y in years.items()),
        "version": _version(),
        "unit_costs": unit_costs,
        "seconds": elapsed,
        "warnings": warnings,
    }
    from .report import write_html

    tmp = Path(tempfile.mkdtemp(prefix=".abm-compare-", dir=parent))
    try:
        frame.to_parquet(tmp / "compare.parquet", index=False)
        summary.to_parquet(tmp / "summary.parquet", index=False)
        diffs.to_parquet(tmp / "differences.parquet", index=False)
        costs.to_parquet(tmp / "costs.parquet", index=False)
        write_html(tmp / "report.html", summary, diffs, costs, meta, shares=shares)
        out.mkdir(parents=True, exist_ok=True)
        for f in sorted(tmp.iterdir()):  # each file complete before it appears
            os.replace(f, out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{', '.join(labels)}: {args.seeds} seeds each (the same), {n_runs} runs, {elapsed:.1f} s; reference {reference}")
    print(format_key_differences(diffs, costs))
    print(f"wrote {out / 'compare.parquet'} ({len(frame):,} rows), summary.parquet, differences.parquet, costs.parquet and report.html")
    return 0


def _version() -> str:
    from . import __version__

    return __version__


def cmd_scenarios(_: argparse.Namespace) -> int:
    from .scenarios import builtin_names, load_scenario

    names = builtin_names()
    width = max(len(n) for n in names)
    for name in names:
        desc = load_scenario(name).description.removeprefix("Baseline plus one measure: ")
        desc = desc if len(desc) <= 100 else desc[:99].rstrip() + "…"
        print(f"{name:<{width}}  {desc}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from dataclasses import fields

    from .params import Params, markdown_table

    if args.markdown:
        print(markdown_table())
        return 0
    for f in fields(Params):
        print(f"{f.name:<36} {f.default!s:>10}  {f.metadata['unit']}  [{f.metadata['status']}] {f.metadata['source']}")
    from .drivers import summary

    print('\nDriven over time: every run follows these built-in series unless its [drivers] table says use = "none" or the')
    print("parameter is set explicitly (abm drivers lists every value with its source and status):")
    print("\n".join(f"  {line}" for line in summary()))
    return 0


def cmd_drivers(args: argparse.Namespace) -> int:
    from .drivers import listing, markdown_table

    if args.markdown:
        print(markdown_table())
        return 0
    for r in listing():
        print(f"{r['driver']:<26} {r['period']:<7} {r['value']:>10.6g}  {r['unit']}  [{r['status']}] {r['source']}")
    return 0


def cmd_schedule(args: argparse.Namespace) -> int:
    from .policies import measure_from_dict
    from .scenarios import ScenarioError, load_scenario
    from .schedule import Plan, markdown_table

    if args.markdown:
        print(markdown_table())
        return 0
    try:
        spec = load_scenario(args.scenario)
    except ScenarioError as e:
        raise UsageError(str(e)) from None
    print(f"scenario {spec.name}: {len(spec.measures)} measure(s)")
    print(Plan(measure_from_dict(d) for d in spec.measures))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        if args.command == "run":
            return cmd_run(args)
        if args.command == "app":
            from .app.launch import run_server

            return run_server(args.host, args.port, args.region)
        if args.command == "bench":
            from .bench import cmd_bench

            return cmd_bench(args)
        if args.command == "compare":
            return cmd_compare(args)
        if args.command in ("sweep", "sensitivity"):
            from .sweep import cli as sweep_cli

            return sweep_cli.cmd_sweep(args) if args.command == "sweep" else sweep_cli.cmd_sensitivity(args)
        if args.command == "validate":
            from .validate import cmd_validate

            return cmd_validate(args, UsageError)
        if args.command == "calibrate":
            from .calibrate import cmd_calibrate

            return cmd_calibrate(args, UsageError)
        if args.command == "scenarios":
            return cmd_scenarios(args)
        if args.command == "params":
            return cmd_params(args)
        if args.command == "drivers":
            return cmd_drivers(args)
        if args.command == "schedule":
            return cmd_schedule(args)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (e.g. `abm params | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
