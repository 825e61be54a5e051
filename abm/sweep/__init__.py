"""Experiments for researchers: parameter sweeps (``abm sweep``) and sensitivity analysis
(``abm sensitivity``) over the model, resumable, on local processes or a Dask cluster.

Example::

    from abm.sweep import load_design, run_sweep
    design, base = load_design("experiments/urgency_flex/design.toml")
    summary = run_sweep(design, base, "sweeps/urgency_flex", executor="processes", jobs=2)
"""

from .design import STATISTICS, Design, DesignError, Factor, load_design, parse_design
from .executors import EXECUTORS
from .runner import SweepError, SweepSummary, collect, plan, run_sweep

__all__ = [
    "EXECUTORS",
    "STATISTICS",
    "Design",
    "DesignError",
    "Factor",
    "SweepError",
    "SweepSummary",
    "collect",
    "load_design",
    "parse_design",
    "plan",
    "run_sweep",
]
