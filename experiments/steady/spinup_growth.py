"""Where the spin-up's growth comes from (issue 11, section 1): the stock at the snapshot
(month -N, the synthetic 2021 state) and at month 0, with the spin-up's household inflow by
source, outflow by cause, homes completed and removed.

    PYTHONPATH=. python experiments/steady/spinup_growth.py --corop CR17 --households 15000 --seed 1
    PYTHONPATH=. python experiments/steady/spinup_growth.py --scenario national --households 50000 --seed 1 --national
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from abm import HousingModel
from abm.codes import Place, Tenure
from abm.schedule import run_month


def state(m: HousingModel) -> dict:
    hh, dw = m.world.hh, m.world.dw
    ex = dw.exists
    out = {"month": int(m.month)}
    for t in Tenure:
        out[f"dwellings_{t.name.lower()}"] = int((ex & (dw.tenure == t)).sum())
        out[f"vacant_{t.name.lower()}"] = int((ex & (dw.tenure == t) & (dw.occupant < 0)).sum())
    out["dwellings"] = int(ex.sum())
    out["occupied"] = int((ex & (dw.occupant >= 0)).sum())
    out["vacant"] = out["dwellings"] - out["occupied"]
    present = hh.place != Place.GONE
    out["rows"] = int(present.sum())
    for p in (Place.DWELLING, Place.LIVING_IN, Place.INSTITUTION, Place.HOMELESS):
        out[f"rows_{p.name.lower()}"] = int((hh.place == p).sum())
    out["persons"] = int(hh.size[present].sum())
    out["seekers"] = int((hh.seeking & present).sum())
    return out


def run(scenario: str, corop: list[str] | None, households: int, seed: int, months: int, national: bool, params: dict) -> dict:
    m = HousingModel(scenario=scenario, corop=corop, households=households, rng=seed, params={**params, "spinup_months": 0})
    if national:  # a scaled national run is not flagged national (abm/model.py); the 1:1 run is
        m.national = True
    before = state(m)
    cells = m._stock_cells() if hasattr(m, "_stock_cells") else None  # as HousingModel._spin_up does
    m._shift_dates(-months)
    before["month"] = -months
    m.spinning_up = True
    inflow, outflow = Counter(), Counter()
    completions = removed = 0
    for _ in range(months):
        c0, r0 = m.world.totals["completions"], m.world.totals["removed"]
        run_month(m)
        inflow.update(m.world.counters.inflow)
        outflow.update(m.world.counters.outflow)
        completions += m.world.totals["completions"] - c0
        removed += m.world.totals["removed"] - r0
    m.spinning_up = False
    at_end = state(m)  # before the spin-up's extra homes are taken out (the code before stopped here)
    if cells is not None:
        m._back_to_snapshot(cells, -months)
    after = state(m)
    return {
        "scenario": scenario,
        "corop": corop,
        "households": households,
        "seed": seed,
        "spinup_months": months,
        "national_flag": national,
        "params": params,
        "snapshot": before,
        "end_of_spinup": at_end,
        "month0": after,
        "ratio": {k: round(after[k] / before[k], 3) if before[k] else None for k in before if k != "month"},
        "spinup_inflow": dict(inflow.most_common()),
        "spinup_outflow": dict(outflow.most_common()),
        "spinup_completions": int(completions),
        "spinup_removed": int(removed),
    }


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="utrecht")
    ap.add_argument("--corop", nargs="*")
    ap.add_argument("--households", type=int, default=15000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--months", type=int, default=60)
    ap.add_argument("--national", action="store_true")
    ap.add_argument("--params", default="{}")
    ap.add_argument("--out")
    a = ap.parse_args()
    r = run(a.scenario, a.corop, a.households, a.seed, a.months, a.national, json.loads(a.params))
    print(json.dumps(r, indent=1))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(r, f, indent=1)
