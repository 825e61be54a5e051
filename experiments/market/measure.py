"""Before/after figures for the market turnover (issue 11 section 2): CR17 scaled to 60,000
households, seeds 1-2, 10 years. Usage: python experiments/market/measure.py OUT.json"""
import json
import sys
import time

import numpy as np

from abm.chains import cohort_summary
from abm.codes import Place, Tenure
from abm.model import HousingModel


def run(seed: int, years: int = 10) -> dict:
    m = HousingModel(corop=["CR17"], households=60000, rng=seed)
    w = m.world
    out = {"rows": [], "present": [], "market_vacant": [], "social_vacant": [], "waiting": [], "moves": [], "persons_moved": [],
           "social_lettings": [], "moves_by_tenure": []}
    t0 = time.time()
    for y in range(years):
        moves = np.zeros(3)
        persons = 0
        lettings = 0
        for _ in range(12):
            m.step()
            c = w.counters
            if c.moves:
                rows = np.concatenate(c.moves)
                d = w.hh.dwelling[rows]
                moves += np.bincount(w.dw.tenure[d], minlength=3)
                persons += int(w.hh.size[rows].sum())
            lettings += int(len(m.last_allocations[0]))
        hh, dw = w.hh, w.dw
        present = hh.place != Place.GONE
        out["rows"].append(int(hh.n))
        out["present"].append(int(present.sum()))
        vac = dw.vacant
        out["market_vacant"].append(int((vac & (dw.tenure != Tenure.SOCIAL)).sum()))
        out["social_vacant"].append(int((vac & (dw.tenure == Tenure.SOCIAL)).sum()))
        out["waiting"].append(int((present & (hh.registered < 10**9) & hh.seeking).sum()))
        out["moves_by_tenure"].append(moves.tolist())
        persons_present = int(hh.size[present & (hh.place == Place.DWELLING)].sum())
        out["persons_moved"].append(persons / max(persons_present, 1))
        out["social_lettings"].append(lettings)
        if y == 3:
            out["cohort_y3_at_4"] = cohort_summary(m, year=3)
    out["cohort_y3"] = cohort_summary(m, year=3)
    out["seconds"] = time.time() - t0
    return out


if __name__ == "__main__":
    res = {s: run(s) for s in (1, 2)}
    with open(sys.argv[1], "w") as f:
        json.dump(res, f, indent=1, default=float)
    for s, r in res.items():
        c = r["cohort_y3"]
        print(s, {k: round(v, 3) if isinstance(v, float) else v for k, v in c.items() if not isinstance(v, tuple)})
        for k in ("rows", "present", "market_vacant", "social_vacant", "waiting", "persons_moved", "social_lettings", "moves_by_tenure"):
            print(" ", k, r[k])
