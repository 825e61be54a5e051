"""Steady-state check for issue 11 section 1: the baseline's series at years 0, 1, 5, 10.

    python experiments/steady/measure.py --households 60000 --seeds 1 2 3 --years 10 --out x.json

Series (region totals): waiting list, living-in rows, household rows, vacant social homes
(all, and with 4+ rooms), median registration time at letting of regular seekers (mean over the
year's months), homeless people, mean household size of seekers, share of heads 65+.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np


def snapshot(m) -> dict[str, float]:
    from abm.codes import Place, Tenure
    from abm.households import NEVER

    hh, dw = m.world.hh, m.world.dw
    present = hh.place != Place.GONE
    seek = present & hh.seeking
    social = dw.exists & (dw.tenure == Tenure.SOCIAL)
    vac = social & (dw.occupant < 0)
    return {
        "waiting": float((seek & (hh.registered != NEVER)).sum()),
        "living_in": float((hh.place == Place.LIVING_IN).sum()),
        "households": float(present.sum()),
        "vacant_social": float(vac.sum()),
        "vacant_social_4plus": float((vac & (dw.rooms >= 4)).sum()),
        "homeless": float((hh.place == Place.HOMELESS).sum()),
        "seeker_size": float(hh.size[seek].mean()),
        "living_in_seeking": float((seek & (hh.place == Place.LIVING_IN)).sum()),
        "share_65plus": float((hh.age[present & (hh.place == Place.DWELLING)] >= 65 * 12).mean()),
    }


def run(seed: int, years: int, households: int, params: dict) -> dict:
    from abm import HousingModel

    t0 = time.perf_counter()
    m = HousingModel(corop=["CR17"], households=households, rng=seed, params=params)
    t_init = time.perf_counter() - t0
    snaps = {0: snapshot(m)}
    waits: dict[int, list[float]] = {}
    for month in range(1, years * 12 + 1):
        m.step()
        _, v = m.recorder.series("wait_months_median", "regular")
        waits.setdefault((month - 1) // 12 + 1, []).append(float(v[-1]))
        if month % 12 == 0:
            snaps[month // 12] = snapshot(m)
    for y, s in snaps.items():
        s["wait_regular_median"] = float(np.nanmean(waits.get(max(y, 1), [np.nan])))
    return {"seconds_init": t_init, "seconds": time.perf_counter() - t0, "years": snaps}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=60000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--param", action="append", default=[], help="name=value")
    ap.add_argument("--out")
    a = ap.parse_args()
    params = {k: float(v) for k, v in (s.split("=") for s in a.param)}
    res = {s: run(s, a.years, a.households, params) for s in a.seeds}
    keys = list(res[a.seeds[0]]["years"][0])
    show = [0, 1, 5, a.years] if a.years >= 5 else sorted(res[a.seeds[0]]["years"])
    print("seconds:", {s: (round(r["seconds_init"], 1), round(r["seconds"], 1)) for s, r in res.items()})
    print(f"{'series':22s} " + " ".join(f"{'y' + str(y):>9s}" for y in show))
    for k in keys:
        vals = [np.median([res[s]["years"][y][k] for s in a.seeds]) for y in show if y in res[a.seeds[0]]["years"]]
        print(f"{k:22s} " + " ".join(f"{v:9.2f}" for v in vals))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
