"""flex_housing at its defaults (the 2021 agreement: 5,000 flex homes a year for two years), targeted
(target_share 0.5, the new default) against untargeted (0, the old behaviour) and against no
programme: CR17 scaled to 30,000 households, 36 months, seeds 1-6, means of the last six months.

    PYTHONPATH=$PWD python experiments/facts/flex_default.py > experiments/facts/flex_default.json
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from conftest import effect, paired_run  # noqa: E402

W = {"households": 30_000, "months": 36}
SEEDS = range(1, 7)
ARMS = {
    "none": {},
    "untargeted": {"measures": [{"type": "flex_housing", "target_share": 0.0}]},
    "targeted": {"measures": [{"type": "flex_housing"}]},
}
INDICATORS = (("homeless", "all"), ("blocked_in_institution", "all"), ("allocations", "regular"), ("wait_months_median", "regular"))


def value(m, indicator, group):
    return float(np.nanmean(m.recorder.series(indicator, group)[1][-6:]))


commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
out = {"commit": commit, "region": "CR17", **W, "seeds": list(SEEDS), "means": {}, "effects": {}}
for ind, grp in INDICATORS:
    runs = {a: np.array([value(paired_run(s, **W, **kw), ind, grp) for s in SEEDS]) for a, kw in ARMS.items()}
    out["means"][f"{ind}/{grp}"] = {a: float(v.mean()) for a, v in runs.items()}
    for low, high in (("none", "targeted"), ("untargeted", "targeted"), ("none", "untargeted")):
        out["effects"][f"{ind}/{grp}: {low} -> {high}"] = effect(np.stack([runs[low], runs[high]], axis=1))
    print(ind, grp, out["means"][f"{ind}/{grp}"], file=sys.stderr, flush=True)
print(json.dumps(out, indent=1))
