"""Figures and a table for the worked example (urgency share x flex-housing programme).

Usage (after ``abm sweep experiments/urgency_flex/design.toml --out sweeps/urgency_flex``)::

    .venv/bin/python experiments/urgency_flex/analyse.py sweeps/urgency_flex

Writes ``experiments/urgency_flex/figures/*.png`` and prints a Markdown table of the outcomes
(mean over the last year of the ten, mean and 10-90 % range over seeds) per design point.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

HERE = Path(__file__).resolve().parent
OUTCOMES = {
    ("wait_months_median", "regular"): "regular seekers: median registration time at letting (months)",
    ("blocked_in_institution", "all"): "ready to leave an institution but no home (households)",
    ("homeless", "all"): "homeless, incl. shelters (households)",
    ("allocations", "regular"): "lettings to regular seekers per month",
}


def load(folder: Path) -> pd.DataFrame:
    r = pd.read_parquet(folder / "results.parquet")
    return r[r["statistic"] == "mean_last_year"]


def table(r: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for ind, grp in OUTCOMES:
        part = r[(r["indicator"] == ind) & (r["group"] == grp)]
        g = part.groupby(["urgency_share", "flex_per_year"])["value"]
        s = pd.DataFrame({"mean": g.mean(), "p10": g.quantile(0.1), "p90": g.quantile(0.9)}).reset_index()
        s["outcome"] = f"{ind} ({grp})"
        rows.append(s)
    return pd.concat(rows, ignore_index=True)


def figures(r: pd.DataFrame, out: Path) -> None:
    out.mkdir(exist_ok=True)
    stats = table(r)
    fig, axes = plt.subplots(1, len(OUTCOMES), figsize=(4.6 * len(OUTCOMES), 3.8))
    for ax, ((ind, grp), label) in zip(axes, OUTCOMES.items(), strict=True):
        s = stats[stats["outcome"] == f"{ind} ({grp})"]
        for flex, part in s.groupby("flex_per_year"):
            ax.plot(part["urgency_share"], part["mean"], marker="o", label=f"flex {flex:,}/yr")
            ax.fill_between(part["urgency_share"], part["p10"], part["p90"], alpha=0.15)
        ax.set_xlabel("urgency share of vacancies")
        ax.set_title(label, fontsize=9)
    axes[0].legend(fontsize=8, title="national flex programme", title_fontsize=8)
    fig.suptitle("Last year of ten, COROP Utrecht scaled to 60k households: mean over 4 seeds, band = 10-90 % of seeds", fontsize=10)
    fig.tight_layout()
    fig.savefig(out / "urgency_flex_lines.png", dpi=100)
    plt.close(fig)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    for ax, key in zip(axes, [("wait_months_median", "regular"), ("blocked_in_institution", "all")], strict=True):
        s = stats[stats["outcome"] == f"{key[0]} ({key[1]})"].pivot(index="flex_per_year", columns="urgency_share", values="mean")
        im = ax.imshow(s.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(len(s.columns)), [f"{c:.2f}" for c in s.columns])
        ax.set_yticks(range(len(s.index)), [f"{i:,}" for i in s.index])
        ax.set_xlabel("urgency share of vacancies")
        ax.set_ylabel("flex homes per year (national)")
        ax.set_title(OUTCOMES[key], fontsize=9)
        for (i, j), v in pd.DataFrame(s.to_numpy()).stack().items():
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", color="white", fontsize=8)
        fig.colorbar(im, ax=ax)
    fig.tight_layout()
    fig.savefig(out / "urgency_flex_heatmaps.png", dpi=100)
    plt.close(fig)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "results.parquet").is_file():
        print("usage: analyse.py SWEEP_FOLDER (a folder written by 'abm sweep' with results.parquet)", file=sys.stderr)
        return 2
    r = load(Path(argv[0]))
    figures(r, HERE / "figures")
    stats = table(r)
    wide = stats.pivot_table(index=["urgency_share", "flex_per_year"], columns="outcome", values="mean").round(1)
    try:
        print(wide.to_markdown())
    except ImportError:  # pandas needs 'tabulate' for Markdown
        print(wide.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
