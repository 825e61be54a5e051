"""Ten-year baseline series after the spin-up (issue 11, section 1, "a steady start"): the
series of tests/test_steady_state.py (waiting list, rows living in, household rows, vacant
social homes, median registration time at letting of regular seekers, homeless people) plus
dwellings, as yearly means, for CR17 scaled to 15,000 households, scenario baseline_constant,
and the pooled ratio year 10 / year 1 the steady-state test checks.

    PYTHONPATH=. python experiments/steady/spinup_series.py --seeds 1 2 3 --out experiments/steady/spinup_series_after.json
"""

from __future__ import annotations

import argparse
import json
import subprocess

import numpy as np

from abm import HousingModel, steady
from abm.codes import Place

SERIES = (*steady.SERIES, "dwellings")


def run(seed: int, households: int, years: int) -> dict:
    m = HousingModel(scenario="baseline_constant", corop=["CR17"], households=households, rng=seed)
    out = {k: [] for k in SERIES}
    hh, dw = m.world.hh, m.world.dw
    month0 = {
        "households": int((hh.place != Place.GONE).sum()),
        "dwellings": int(dw.exists.sum()),
        "living_in": int((hh.place == Place.LIVING_IN).sum()),
    }
    for _ in range(12 * years):
        m.step()
        for k, v in {**steady.stocks(m), "dwellings": m.world.dw.exists.sum()}.items():
            out[k].append(v)
    yearly = {k: np.nanmean(np.array(v, dtype=float).reshape(years, 12), axis=1).round(2).tolist() for k, v in out.items()}
    return {"seed": seed, "month0": month0, "yearly": yearly}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--households", type=int, default=15000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--out")
    a = ap.parse_args()
    runs = [run(s, a.households, a.years) for s in a.seeds]
    pooled = {k: np.sum([r["yearly"][k] for r in runs], axis=0) for k in SERIES}
    ratios = {k: round(float(pooled[k][-1] / pooled[k][0]), 3) for k in SERIES}
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    res = {
        "region": "CR17",
        "households": a.households,
        "scenario": "baseline_constant",
        "years": a.years,
        "commit": commit,
        "runs": runs,
        "pooled_ratio_year_last_over_year1": ratios,
    }
    print(json.dumps({"ratios": ratios, "seed1": runs[0]}, indent=None))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(res, f, indent=1)
