"""Before/after figures for the market turnover (issue 11 section 2): CR17 scaled to 60,000
households, seeds 1-2, 10 years. Usage: python experiments/market/measure.py OUT.json"""

import json
import sys
import time

import numpy as np

from abm.chains import cohort_summary, cohort_table
from abm.codes import Place, Tenure
from abm.model import HousingModel


def run(seed: int, years: int = 10) -> dict:
    m = HousingModel(corop=["CR17"], households=60000, rng=seed)
    w = m.world
    out = {
        "rows": [],
        "present": [],
        "market_vacant": [],
        "social_vacant": [],
        "waiting": [],
        "moves": [],
        "persons_moved": [],
        "social_lettings": [],
        "moves_by_tenure": [],
    }
    t0 = time.time()
    try:
        from abm.processes.market import region_move_rates

        own_rates = region_move_rates(False, m.params.leave_region_share)[0]
    except ImportError:
        own_rates = None
    for y in range(years):
        moves = np.zeros(3)
        origin, expected, stock = np.zeros(3), np.zeros(3), np.zeros(3)
        persons = 0
        lettings = 0
        for _ in range(12):
            hid_dw = np.full(w.next_hid + 1, -1, dtype=np.int64)
            housed = w.hh.place == Place.DWELLING
            hid_dw[w.hh.hid[housed]] = w.hh.dwelling[housed]
            t = w.dw.tenure[np.maximum(w.hh.dwelling, 0)]
            for k in (0, 1, 2):
                sel = housed & (t == k)
                if own_rates is not None:
                    expected[k] += float(own_rates[np.minimum(w.hh.age[sel] // 12, 120)].sum()) / 12
                stock[k] += sel.sum() / 12
            m.step()
            c = w.counters
            if c.moves:
                rows = np.concatenate(c.moves)
                d = w.hh.dwelling[rows]
                moves += np.bincount(w.dw.tenure[d], minlength=3)
                hid = w.hh.hid[rows]
                old = np.where(hid < hid_dw.size, hid_dw[np.minimum(hid, hid_dw.size - 1)], -1)
                o = old[old >= 0]
                origin += np.bincount(w.dw.tenure[o], minlength=3)
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
        out.setdefault("moves_from_tenure_rate", []).append((origin / np.maximum(stock, 1)).round(4).tolist())
        out.setdefault("cbs_rate_expected", []).append((expected / np.maximum(stock, 1)).round(4).tolist())
        persons_present = int(hh.size[present & (hh.place == Place.DWELLING)].sum())
        out["persons_moved"].append(persons / max(persons_present, 1))
        out["social_lettings"].append(lettings)
        if y == 3:
            out["cohort_y3_at_4"] = cohort_summary(m, year=3)
    out["cohort_y3"] = cohort_summary(m, year=3)
    t = cohort_table(m, year=3)
    cols = [c for c in t.columns if c.startswith("mover_share_")] + ["vacated", "reoccupied"]
    out["cohort_y3_links"] = {c: t[c].iloc[:5].round(4).tolist() for c in cols}  # links 0-4
    out["seconds"] = time.time() - t0
    return out


if __name__ == "__main__":
    res = {s: run(s) for s in (1, 2)}
    with open(sys.argv[1], "w") as f:
        json.dump(res, f, indent=1, default=float)
    for s, r in res.items():
        c = r["cohort_y3"]
        print(s, {k: round(v, 3) if isinstance(v, float) else v for k, v in c.items() if not isinstance(v, tuple)})
        for k in (
            "rows",
            "present",
            "market_vacant",
            "social_vacant",
            "waiting",
            "persons_moved",
            "social_lettings",
            "moves_by_tenure",
            "moves_from_tenure_rate",
            "cbs_rate_expected",
        ):
            print(" ", k, r.get(k))
