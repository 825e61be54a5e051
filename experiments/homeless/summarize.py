"""Table of experiments/homeless/results/*.json (means over seeds): python experiments/homeless/summarize.py"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent / "results"


def row(d: dict) -> str:
    runs = d["runs"].values()
    years = sorted(int(y) for y in next(iter(runs))["years"])
    last = years[-1]

    def mean(key: str, y: int) -> float:
        return float(np.mean([r["years"][str(y)][key] for r in runs]))

    def ratio(y: int) -> str:
        return f"{np.mean([r['years'][str(y)]['cbs'] / r['years']['0']['cbs'] for r in runs]):.2f}" if y <= last else "–"

    seeds = ",".join(d["runs"])
    return (
        f"| {d['label']} | {d['commit']} | {d['region']} | {d['households']:,} | {seeds} | "
        f"{mean('roofless', 0):.0f} + {mean('shelter', 0):.0f} = {mean('cbs', 0):.0f} | {mean('cbs_per_10k_housed', 0):.1f} | "
        f"{ratio(1)} | {ratio(2)} | {ratio(3)} | {ratio(last)} (y{last}) | {mean('g4_share', 0):.2f} → {mean('g4_share', last):.2f} |"
    )


def main() -> None:
    print(
        "| run | commit | region | households | seeds | CBS count y0: roofless + MO shelter | per 10k housed y0 | y1/y0 | y2/y0 | y3/y0 | "
        "last/y0 | G4 share y0 → last |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for f in sorted(HERE.glob("*.json")):
        print(row(json.loads(f.read_text())))


if __name__ == "__main__":
    main()
