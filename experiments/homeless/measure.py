"""Homelessness as CBS counts it (issue 11 section 3): the baseline's homeless stocks by year.

    python experiments/homeless/measure.py --region CR17 --households 60000 --seeds 1 2 3 --years 10 --out after_cr17.json
    python experiments/homeless/measure.py --region national --households 200000 --seeds 1 2 3 --years 4 --out after_nl.json

Figures are computed from the world's state at month 0 and every December, so the script runs on
the code before and after the change alike:
- ``roofless``: households with place HOMELESS (sleeping rough, night shelter, staying irregularly
  with others);
- ``shelter`` / ``womens_shelter``: residents of homeless (MO) and women's shelters;
- ``broad``: the sum of the three (the ``homeless`` indicator);
- ``cbs``: persons CBS counts as homeless (18-65: roofless plus MO shelter residents; docs/ODD.md);
- ``housed``: households in a dwelling (the CBS private-household count, the per-10k denominator);
- ``g4_share``: the G4's share of ``cbs`` (national runs).
"""

from __future__ import annotations

import argparse
import json
import time

G4 = ["GM0363", "GM0599", "GM0518", "GM0344"]


def snapshot(m) -> dict[str, float]:
    import numpy as np

    from abm.codes import InstitutionKind, Place

    hh = m.world.hh
    adult = (hh.age >= 18 * 12) & (hh.age < 65 * 12)
    roofless = hh.place == Place.HOMELESS
    inst = hh.place == Place.INSTITUTION
    shelter = inst & (hh.institution == InstitutionKind.SHELTER)
    womens = inst & (hh.institution == InstitutionKind.WOMENS_SHELTER)
    cbs = (roofless | shelter) & adult
    codes = m.region.codes
    g4 = np.isin(np.array(codes)[hh.municipality], G4)
    housed = float((hh.place == Place.DWELLING).sum())
    n_cbs = float(cbs.sum())
    return {
        "roofless": float(roofless.sum()),
        "shelter": float(shelter.sum()),
        "womens_shelter": float(womens.sum()),
        "broad": float((roofless | shelter | womens).sum()),
        "cbs": n_cbs,
        "housed": housed,
        "cbs_per_10k_housed": 1e4 * n_cbs / housed,
        "g4_share": float((cbs & g4).sum()) / n_cbs if n_cbs else float("nan"),
    }


def run(region: str, seed: int, years: int, households: int, params: dict, drivers: bool = False) -> dict:
    from abm import HousingModel
    from abm.scenarios import load_scenario
    from abm.validate import region_codes

    t0 = time.perf_counter()
    spec = load_scenario("utrecht")
    if drivers:  # the built-in driver series (abm/data/drivers.csv), as in scenario baseline_drivers
        spec = spec.model_copy(update={"drivers": {"use": "default"}})
    if region == "national":
        m = HousingModel(scenario=spec, municipalities=region_codes("national"), households=households, rng=seed, params=params)
    else:
        m = HousingModel(scenario=spec, corop=[region], households=households, rng=seed, params=params)
    snaps = {0: snapshot(m)}
    for month in range(1, years * 12 + 1):
        m.step()
        if month % 12 == 0:
            snaps[month // 12] = snapshot(m)
    return {"seconds": time.perf_counter() - t0, "years": snaps}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--region", default="CR17", help="a COROP code or 'national'")
    ap.add_argument("--households", type=int, default=60000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--label", default="")
    ap.add_argument("--spinup", type=int, default=None, help="spinup_months (default: the model's)")
    ap.add_argument("--drivers", action="store_true", help="use the built-in driver series (new_homeless_rate by year)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    runs = {}
    for s in a.seeds:  # one run at a time (shared machine)
        runs[s] = run(a.region, s, a.years, a.households, {} if a.spinup is None else {"spinup_months": a.spinup}, a.drivers)
        y = runs[s]["years"]
        print(s, {k: round(v["cbs"]) for k, v in y.items()}, f"{runs[s]['seconds']:.0f}s", flush=True)
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    out = {
        "label": a.label,
        "commit": commit,
        "drivers": a.drivers,
        "spinup_months": a.spinup,
        "region": a.region,
        "households": a.households,
        "years": a.years,
        "runs": runs,
    }
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
