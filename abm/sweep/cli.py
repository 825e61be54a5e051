"""``abm sweep`` and ``abm sensitivity``: the command-line face of ``abm.sweep``."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

SCHEDULER = re.compile(r"^(tcp|tls|ucx|inproc)://[^\s/]+(:\d{1,5})?/?$")


def add_parsers(sub, positive_int) -> None:
    s = sub.add_parser(
        "sweep",
        help="run a parameter sweep from a design file (grid, LHS, Sobol, Morris); resumable",
        description="Run every design point x seed of DESIGN.toml and write OUT/design.parquet (first), one tidy "
        "OUT/runs/KEY.parquet per finished run, OUT/failed/KEY.json per failed run, OUT/results.parquet and "
        "OUT/sweep.json. Re-running the same command skips finished runs. Exit code 1 if any run failed.",
    )
    s.add_argument("design", metavar="DESIGN.toml", help="the design file (see experiments/README.md)")
    s.add_argument("--out", required=True, help="output folder (created; an existing sweep folder is resumed)")
    s.add_argument(
        "--executor", choices=["processes", "serial", "dask"], default="processes", help="where runs execute (default: processes)"
    )
    s.add_argument("--jobs", type=positive_int("--jobs", 1, 1024), default=None, help="worker processes (default: the machine's cores)")
    s.add_argument("--scheduler", default=None, help="address of a running Dask scheduler, tcp://HOST:PORT (implies --executor dask)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--dry-run", action="store_true", help="validate the design, print its points and runs, and stop (writes nothing)")
    a = sub.add_parser(
        "sensitivity",
        help="Sobol or Morris sensitivity indices of a finished sweep, with confidence intervals",
        description="Average the seed replicates per design point and compute Sobol (S1, ST), Morris (mu_star, sigma) or "
        "delta indices per outcome; print a table, write OUT/sensitivity.parquet and a plot.",
    )
    a.add_argument("folder", metavar="DIR", help="a sweep folder written by 'abm sweep'")
    a.add_argument("--method", choices=["sobol", "morris", "delta"], default=None, help="default: from the design's sampling")
    a.add_argument(
        "--outcome",
        action="append",
        default=None,
        metavar="INDICATOR:GROUP:STATISTIC",
        help="only this outcome (repeatable), e.g. wait_months_median:regular:mean",
    )
    a.add_argument("--conf", type=float, default=0.95, help="confidence level of the intervals, in (0.5, 1) (default 0.95)")
    a.add_argument("--resamples", type=positive_int("--resamples", 10, 100_000), default=1000, help="bootstrap resamples (default 1000)")
    a.add_argument("--plot", default=None, help="plot file, .png or .svg (default: DIR/sensitivity.png)")


def cmd_sweep(args: argparse.Namespace) -> int:
    from ..cli import UsageError
    from . import DesignError, SweepError, load_design, run_sweep

    if args.scheduler is not None and not SCHEDULER.match(args.scheduler):
        raise UsageError(f"--scheduler must look like tcp://HOST:PORT, got '{args.scheduler}'")
    try:
        design, base = load_design(args.design)
        if args.dry_run:
            return _dry_run(design, base, Path(args.out))
        if args.scheduler:
            _check_scheduler(args.scheduler)  # before anything is written
        summary = run_sweep(
            design, base, args.out, executor=args.executor, jobs=args.jobs, scheduler=args.scheduler, progress=not args.quiet
        )
    except (DesignError, SweepError) as e:
        raise UsageError(str(e)) from None
    except OSError as e:
        if args.scheduler:
            raise UsageError(f"--scheduler {args.scheduler}: cannot connect ({e})") from None
        raise
    print(summary.text(Path(args.out)))
    return 1 if summary.failed else 0


def _dry_run(design, base, out: Path) -> int:
    """What the sweep would do: the design table's head, its size and how many runs are already done."""
    from .runner import finished_keys, plan

    table, _ = plan(design, base)
    done = finished_keys(out)
    distinct = table["key"].nunique()
    todo = len(set(table["key"]) - done)
    factors = [f.name for f in design.factors]
    print(table[["point", "seed", *factors]].head(12).to_string(index=False))
    print(
        f"\n{design.name}: {design.sampling.method} design, {table['point'].nunique()} points x {len(design.seed_list)} seeds = "
        f"{len(table)} runs ({distinct} distinct) of {design.years or base.years} years on '{base.name}'; "
        f"{distinct - todo} already in {out}, {todo} to run"
    )
    return 0


#: how long ``--scheduler`` waits for the scheduler to answer before it is a usage error
CONNECT_TIMEOUT = "10s"


def _check_scheduler(address: str) -> None:
    from distributed import Client

    from ..cli import UsageError

    try:
        Client(address, timeout=CONNECT_TIMEOUT).close()
    except (OSError, TimeoutError) as e:
        raise UsageError(f"--scheduler {address}: cannot connect ({str(e).splitlines()[0][:200]})") from None


def _outcome(s: str) -> tuple[str, str, str]:
    from ..cli import UsageError
    from .design import parse_outcome

    try:
        return parse_outcome(s)
    except ValueError as e:
        raise UsageError(f"--outcome: {str(e).splitlines()[0]}") from None


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from ..cli import UsageError
    from .design import DesignError
    from .runner import _parquet, write_atomic
    from .sensitivity import analyse, plot, text_table

    if not 0.5 < args.conf < 1:
        raise UsageError(f"--conf must be in (0.5, 1), got {args.conf}")
    outcomes = [_outcome(o) for o in args.outcome] if args.outcome else None
    folder = Path(args.folder)
    plot_path = Path(args.plot) if args.plot else folder / "sensitivity.png"
    if plot_path.suffix not in (".png", ".svg"):
        raise UsageError(f"--plot must end in .png or .svg, got '{plot_path.name}'")
    try:
        frame, notes = analyse(folder, args.method, outcomes, args.conf, args.resamples)
    except DesignError as e:
        raise UsageError(str(e)) from None
    for n in notes:
        print(f"note: {n}", file=sys.stderr)
    if frame.empty:
        raise UsageError(f"{folder}: no outcome varies across the design; nothing to analyse")
    write_atomic(folder / "sensitivity.parquet", _parquet(frame))
    plot(frame, plot_path)
    print(text_table(frame))
    print(f"\n{frame['method'].iloc[0]} indices, {args.conf:.0%} intervals: {folder / 'sensitivity.parquet'}, plot: {plot_path}")
    return 0
