"""Why student rooms stood empty (issue 11, section 1): per year of the baseline (scenario
baseline_constant, CR17 at 15,000 households, the default 60-month spin-up), the September intake,
the students who leave a room (graduating, or moving away still a student), the students waiting
(living in) who get a room, graduate or leave, the mean vacant student rooms and the vacant social
homes by kind (social student rooms, unlabelled 4+-room homes, others).

    PYTHONPATH=$PWD python experiments/students/student_rooms.py OUT.json [--seeds 1 2 3] [--params JSON]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict

import numpy as np

from abm import HousingModel
from abm.codes import Flag, Label, Place, Tenure


def run(seed: int, years: int = 10, params: dict | None = None) -> dict[str, list[float]]:
    m = HousingModel(scenario="baseline_constant", corop=["CR17"], households=15000, rng=seed, params=params)
    out: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(years))
    for month in range(1, 12 * years + 1):
        hh = m.world.hh
        student = (hh.labels & Flag.STUDENT) != 0
        in_room = hh.hid[(hh.place == Place.DWELLING) & student]
        waiting = hh.hid[(hh.place == Place.LIVING_IN) & student]
        m.step()
        hh, dw = m.world.hh, m.world.dw
        y = (month - 1) // 12
        for name, hids in (("room", in_room), ("wait", waiting)):
            i = np.flatnonzero(np.isin(hh.hid, hids))
            still = (hh.labels[i] & Flag.STUDENT) != 0
            out[f"{name}_graduated"][y] += (~still).sum()
            out[f"{name}_left_region"][y] += (still & (hh.place[i] == Place.GONE)).sum()
            if name == "wait":
                out["wait_got_room"][y] += (still & (hh.place[i] == Place.DWELLING)).sum()
        out["intake"][y] += m.world.counters.inflow.get("student", 0)
        rooms = dw.exists & (dw.label == Label.STUDENT)
        social_vacant = dw.exists & (dw.tenure == Tenure.SOCIAL) & (dw.occupant < 0)
        waiting_now = ((hh.place == Place.LIVING_IN) & ((hh.labels & Flag.STUDENT) != 0)).sum()
        out["students_waiting"][y] += waiting_now / 12
        if month % 12 == 8:  # August, before the intake: students who found no room in a whole year
            out["students_waiting_august"][y] = waiting_now
        out["vacant_student_rooms"][y] += (rooms & (dw.occupant < 0)).sum() / 12
        out["vacant_social_student_rooms"][y] += (social_vacant & rooms).sum() / 12
        out["vacant_social_4plus_unlabelled"][y] += (social_vacant & (dw.label == Label.NONE) & (dw.rooms >= 4)).sum() / 12
        out["vacant_social_other"][y] += (social_vacant & ~rooms & ~((dw.label == Label.NONE) & (dw.rooms >= 4))).sum() / 12
    return {k: [round(float(x), 1) for x in v] for k, v in out.items()}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--params", type=json.loads, default=None)
    a = ap.parse_args()
    runs = {seed: run(seed, params=a.params) for seed in a.seeds}
    pooled = {k: [round(sum(runs[s][k][y] for s in a.seeds), 1) for y in range(10)] for k in runs[a.seeds[0]]}
    with open(a.out, "w") as f:
        json.dump({"seeds": a.seeds, "params": a.params, "pooled": pooled, "runs": runs}, f, indent=1)
    for k, v in pooled.items():
        print(f"{k:32s}", v)
