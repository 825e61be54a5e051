"""The sweep benchmark of ``abm bench --cases sweep``: runs per hour for a mid-size municipality.

Ede (GM0228, 50,053 households in 2021) for ``years`` years, a Latin-hypercube design of
``8 x cores`` runs over the urgency share and a flex-housing programme, on the default process
executor with one worker per core. Wall time includes starting the workers and writing every
run's file, so the figure is what a researcher gets.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

MUNICIPALITY = "GM0228"  # Ede: ~50,000 households


def run_sweep_case(years: int, runs_per_core: int = 8) -> dict:
    from . import parse_design, run_sweep

    jobs = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "ede.toml"
        base.write_text(f'name = "ede"\nyears = {years}\n[region]\nmunicipalities = ["{MUNICIPALITY}"]\n', encoding="utf-8")
        design, scenario = parse_design(
            {
                "name": "bench",
                "base": str(base),
                "sampling": {"method": "lhs", "samples": runs_per_core * jobs, "seed": 1},
                "factors": [
                    {"target": "allocation.urgency.vacancy_share", "low": 0.0, "high": 1.0},
                    {"target": "measures.flex_housing.units_per_year", "low": 0, "high": 40000},
                ],
                "outputs": {"indicators": ["wait_months_median", "blocked_in_institution", "homeless"], "groups": ["all", "regular"]},
            },
            "bench design",
        )
        t0 = time.perf_counter()
        s = run_sweep(design, scenario, Path(tmp) / "out", executor="processes", jobs=jobs, progress=False)
        wall = time.perf_counter() - t0
    from ..model import HousingModel

    households = int(HousingModel(municipalities=[MUNICIPALITY], rng=1).world.totals["households_start"])
    return {
        "case": "sweep",
        "years": years,
        "households_start": households,
        "runs": s.ran,
        "failed": s.failed,
        "jobs": jobs,
        "wall_s": round(wall, 2),
        "runs_per_hour": round(3600 * s.ran / wall),
        "core_s_per_run": round(wall * jobs / max(s.ran, 1), 2),
    }
