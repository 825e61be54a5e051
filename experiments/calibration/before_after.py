"""Before/after table of `abm validate` at the calibration's scale: validate_before.json (M defaults)
against validate_after.json (fitted C defaults). Run: python experiments/calibration/before_after.py"""

import json
from pathlib import Path

import pandas as pd

here = Path(__file__).parent
before, after = (pd.DataFrame(json.loads((here / f"validate_{k}.json").read_text())["targets"]) for k in ("before", "after"))
t = before[["target_id", "evaluated_on", "value", "model_median", "within_tolerance"]].merge(
    after[["target_id", "model_median", "within_tolerance", "used_for_calibration"]], on="target_id", suffixes=("_before", "_after")
)
print("| target | fitted | evaluated on | observed | before | after | within before | within after |")
print("|---|---|---|---|---|---|---|---|")
for _, r in t.iterrows():
    print(
        f"| `{r['target_id']}` | {'yes' if r['used_for_calibration'] else 'no'} | {r['evaluated_on']} | {r['value']:.4g} | "
        f"{r['model_median_before']:.4g} | {r['model_median_after']:.4g} | {'yes' if r['within_tolerance_before'] else 'no'} | "
        f"{'yes' if r['within_tolerance_after'] else 'no'} |"
    )
for fitted, part in t.groupby("used_for_calibration"):
    print(
        f"\n{'fitted' if fitted else 'never fitted'}: within tolerance {int(part['within_tolerance_before'].sum())} -> "
        f"{int(part['within_tolerance_after'].sum())} of {len(part)} (evaluated: {int(part['model_median_after'].notna().sum())})"
    )
