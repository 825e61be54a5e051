"""Before/after figures for issue 10 ("Results you can trust (1)").

Runs the built-in scenarios named in the issue on COROP Utrecht scaled to about 60,000
households (the worked example's region), a few paired seeds, ten years, and prints one table
of the figures the review found wrong: who gets the vacancies (lettings by route and by group
at letting), homelessness, blocked asylum-centre residents, women's shelter occupancy against
its places, and measure costs.

    python experiments/trust/check.py --seeds 3 --years 10 --out experiments/trust/after.json

Each run is a fresh ``HousingModel``; the scenario's region is replaced by the scaled region, so
scenarios differ only in their measures and rules.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

SCENARIOS = {
    "baseline": [],
    "housing_first": [{"type": "housing_first"}],
    "warm_outflow": [{"type": "warm_outflow"}],
    "housing_first+warm_outflow": [{"type": "housing_first"}, {"type": "warm_outflow"}],
    "quota_trading": [{"type": "quota_trading"}],
    "spoedpakket": "spoedpakket",
    "devils_dilemma": "devils_dilemma",
    "more_urgency": {"urgency": {"homeless": True}},
    "iron_stock": [{"type": "iron_stock"}],
    "smart_allocation": [{"type": "smart_allocation"}],
    "regional_spreading": [{"type": "regional_spreading"}],
}

GROUPS = ("regular", "homeless", "refugee", "institution_leaver", "social_urgent", "senior", "young_adult")
ROUTES = ("seniority", "urgency", "direct_refugee", "direct_institution", "direct_homeless")


def run(name: str, seed: int, months: int, households: int) -> dict[str, float]:
    from abm import HousingModel
    from abm.codes import InstitutionKind
    from abm.institutions import occupancy

    spec = SCENARIOS[name]
    kw: dict = {"corop": ["CR17"], "households": households, "rng": seed}
    if isinstance(spec, str):
        kw["scenario"] = spec
    elif isinstance(spec, list):
        kw["measures"] = spec
    else:
        kw["allocation"] = spec
    m = HousingModel(**kw)
    womens_over = 0.0
    for _ in range(months):
        m.step()
        occ = occupancy(m.world)[InstitutionKind.WOMENS_SHELTER]
        cap = m.capacity[InstitutionKind.WOMENS_SHELTER]
        womens_over = max(womens_over, float(np.max(occ - cap, initial=0)))
    f = m.indicators()
    f = f[f["municipality"] == "total"]
    total = f.groupby(["indicator", "group"], observed=True)["value"].sum()
    last = f[f["month"] > months - 12].groupby(["indicator", "group"], observed=True)["value"].mean()
    out = {"lettings": total.get(("allocations", "all"), np.nan)}
    for g in GROUPS:
        out[f"lettings_{g}"] = total.get(("allocations", g), np.nan)
    for r in ROUTES:
        out[f"route_{r}"] = total.get((f"allocations_{r}", "all"), np.nan)
        out[f"route_{r}_homeless"] = total.get((f"allocations_{r}", "homeless"), np.nan)
    for ind in (
        "homeless",
        "blocked_in_institution",
        "blocked_asylum_centre",
        "waiting",
        "in_womens_shelter",
        "in_arrears",
        "social_stock",
        "social_in_weak_neighbourhoods",
        "vulnerable_in_weak_neighbourhoods",
        "caravan_pitches",
    ):
        out[f"{ind}_last_year"] = last.get((ind, "all"), np.nan)
    out["wait_median_regular_last_year"] = last.get(("wait_months_median", "regular"), np.nan)
    out["evictions_regular"] = total.get(("evictions", "regular"), np.nan)
    out["evictions_homeless"] = total.get(("evictions", "homeless"), np.nan)
    out["measure_cost_meur"] = total.get(("measure_cost", "all"), 0.0) / 1e6
    out["housing_allowance_meur"] = total.get(("housing_allowance", "all"), 0.0) / 1e6
    out["social_homes_taken_out"] = sum(total.get((k, "all"), 0.0) for k in ("social_sold", "social_liberalised", "social_demolished"))
    out["homeless_inflow_left_home"] = total.get(("homeless_inflow_left_home", "all"), np.nan)
    out["renewal_notices"] = total.get(("social_renewal_notices", "all"), np.nan)
    out["womens_shelter_places"] = float(m.capacity[InstitutionKind.WOMENS_SHELTER].sum())
    out["womens_shelter_max_over_capacity"] = womens_over
    return {k: float(v) for k, v in out.items()}


def main() -> None:
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--seeds", type=int, default=3)
    a.add_argument("--years", type=int, default=10)
    a.add_argument("--households", type=int, default=60000)
    a.add_argument("--scenarios", default=",".join(SCENARIOS))
    a.add_argument("--out", type=Path, required=True)
    args = a.parse_args()
    results: dict[str, dict[str, float]] = {}
    for name in args.scenarios.split(","):
        t = time.perf_counter()
        runs = [run(name, s, args.years * 12, args.households) for s in range(1, args.seeds + 1)]
        results[name] = {k: float(np.median([r[k] for r in runs])) for k in runs[0]}
        print(f"{name}: {time.perf_counter() - t:.0f} s", flush=True)
    args.out.write_text(json.dumps({"seeds": args.seeds, "years": args.years, "households": args.households, "median": results}, indent=1))
    keys = list(next(iter(results.values())))
    print("figure".ljust(34) + "".join(n[:14].rjust(15) for n in results))
    for k in keys:
        print(k.ljust(34) + "".join(f"{results[n][k]:15.1f}" for n in results))


if __name__ == "__main__":
    main()
