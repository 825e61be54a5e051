"""Before/after of issue 11 section 4 (the baseline follows the driver series): per year, the
drivers' values and what the model does with them.

    python experiments/drivers/measure.py --households 15000 --seeds 1 2 3 --years 10 --out after.json
    python experiments/drivers/measure.py --use none ... --out constant.json   # series switched off

Region: COROP Utrecht (CR17) scaled to ``--households``. ``--use`` sets ``[drivers] use`` (leave
it out for the model's default: the constant parameters before this change, the built-in series
after it). Per year (region totals): permit-holder quota received by the region, permit holders
housed (social lettings and all moves into a dwelling of recent permit holders), permit holders
in the asylum centre at year end, students and labour-migrant households present at year end,
students arriving in September, heads 75+ present, the waiting list and the regular seekers'
median registration time at letting (mean over the year's months).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np


def present(m, flag) -> int:
    from abm.codes import Place

    hh = m.world.hh
    return int(((hh.labels & flag) != 0)[hh.place != Place.GONE].sum())


def run(seed: int, years: int, households: int, use: str | None) -> dict:
    from abm import HousingModel
    from abm.codes import Flag, Place
    from abm.scenarios import parse_scenario

    data: dict = {"name": "drivers_measure", "region": {"corop": ["CR17"], "households": households}, "years": years}
    if use is not None:
        data["drivers"] = {"use": use}
    t0 = time.perf_counter()
    m = HousingModel(parse_scenario(data, "measure"), rng=seed)
    out: dict[int, dict[str, float]] = {}
    students_before = present(m, Flag.STUDENT)
    for month in range(1, years * 12 + 1):
        y = (month - 1) // 12 + 1
        row = out.setdefault(y, {"refugee_lettings": 0.0, "refugee_moves": 0.0, "wait_regular": []})
        m.step()
        if month % 6 == 1:  # the half year's national quota as the model read it, scaled to the region
            row.setdefault("quota_national", []).append(float(m.params.refugee_quota_half_year))
            row.setdefault("quota_region", []).append(float(m.params.refugee_quota_half_year * m.region.population_share.sum()))
        row["refugee_lettings"] += float(m.recorder.series("allocations", "refugee")[1][-1])
        row["refugee_moves"] += float(m.recorder.series("moves", "refugee")[1][-1])
        row["wait_regular"].append(float(m.recorder.series("wait_months_median", "regular")[1][-1]))
        if month % 12 == 9:
            row["students_september_intake"] = float(present(m, Flag.STUDENT) - students_before)
        if month % 12 == 8:
            students_before = present(m, Flag.STUDENT)
        if month % 12 == 0:
            hh = m.world.hh
            alive = hh.place != Place.GONE
            row["students"] = float(present(m, Flag.STUDENT))
            row["labour_migrants"] = float(present(m, Flag.LABOUR_MIGRANT))
            row["in_asylum_centre"] = float(m.recorder.series("in_asylum_centre")[1][-1])
            row["heads_75_plus"] = float(((hh.age >= 75 * 12) & alive).sum())
            row["waiting"] = float(m.recorder.series("waiting")[1][-1])
            row["labour_migrant_stock_param"] = float(m.params.labour_migrant_stock)
            row["student_intake_factor_param"] = float(m.params.student_intake_factor)
            row["quota_national_half_years"] = row.pop("quota_national")
            row["quota_region_year"] = float(sum(row.pop("quota_region")))
            row["wait_regular_median"] = float(np.nanmean(row.pop("wait_regular")))
    return {"seconds": time.perf_counter() - t0, "years": out}


KEYS = (
    "quota_region_year",
    "refugee_lettings",
    "refugee_moves",
    "in_asylum_centre",
    "students",
    "students_september_intake",
    "labour_migrants",
    "heads_75_plus",
    "waiting",
    "wait_regular_median",
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=15000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--use", choices=["default", "none"], default=None)
    ap.add_argument("--out")
    a = ap.parse_args()
    res = {s: run(s, a.years, a.households, a.use) for s in a.seeds}
    print("seconds:", {s: round(r["seconds"], 1) for s, r in res.items()})
    print(f"{'median over seeds':26s} " + " ".join(f"{'y' + str(y):>7s}" for y in range(1, a.years + 1)))
    for k in KEYS:
        vals = [np.median([res[s]["years"][y][k] for s in a.seeds]) for y in range(1, a.years + 1)]
        print(f"{k:26s} " + " ".join(f"{v:7.1f}" for v in vals))
    if a.out:
        with open(a.out, "w") as f:
            json.dump({"households": a.households, "seeds": a.seeds, "years": a.years, "use": a.use, "runs": res}, f, indent=1)


if __name__ == "__main__":
    main()
