"""``abm sensitivity``: which factors matter, per outcome, with confidence intervals.

Reads a sweep folder, averages the seed replicates of each design point (so that the indices
describe the factors, not the noise of single runs), and computes with SALib:

- ``sobol`` (Sobol/Saltelli designs): first-order ``S1`` and total-order ``ST`` indices (and
  ``S2`` with ``second_order``), bootstrap confidence intervals;
- ``morris`` (Morris designs): ``mu_star`` (mean absolute elementary effect, in the outcome's
  unit) with its bootstrap interval and ``sigma`` (spread: interaction or non-linearity);
- ``delta`` (Latin hypercube or Sobol designs): Borgonovo's moment-independent ``delta`` and a
  first-order ``S1`` estimate, bootstrap intervals.

An outcome is an (indicator, group, statistic) triple of the sweep's outputs. Results go to
``DIR/sensitivity.parquet`` (tidy: indicator, group, statistic, factor, index, value, conf,
low, high) and ``DIR/sensitivity.png``; ``conf`` is the half-width at ``conf_level``.
"""

from __future__ import annotations

import contextlib
import io
import tomllib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .design import Design, DesignError
from .runner import collect, write_atomic
from .sampling import problem

METHODS = {"sobol": ("sobol",), "morris": ("morris",), "delta": ("lhs", "sobol")}
DEFAULT = {"sobol": "sobol", "morris": "morris", "lhs": "delta"}


def load_sweep(folder: str | Path) -> tuple[Design, pd.DataFrame, pd.DataFrame]:
    """The design, the design table and the finished runs of a sweep folder. Raises ``DesignError``."""
    out = Path(folder)
    if not (out / "design.parquet").is_file() or not (out / "design.toml").is_file():
        raise DesignError(f"{folder}: not a sweep folder (no design.parquet or design.toml); run 'abm sweep' first")
    design = Design.model_validate(tomllib.loads((out / "design.toml").read_text(encoding="utf-8")))
    table = pd.read_parquet(out / "design.parquet")
    return design, table, collect(out, table, [f.name for f in design.factors])


def point_means(runs: pd.DataFrame) -> pd.DataFrame:
    """Outcomes averaged over seeds: rows = design points, columns = (indicator, group, statistic)."""
    return runs.pivot_table(index="point", columns=["indicator", "group", "statistic"], values="value", aggfunc="mean", dropna=False)


def _rows(outcome: tuple, factors: list[str], res: dict, indices: list[str]) -> list[dict]:
    rows = []
    for idx in indices:
        vals, confs = np.asarray(res[idx], dtype=float), np.asarray(res.get(f"{idx}_conf", np.full(len(factors), np.nan)), dtype=float)
        for j, f in enumerate(factors):
            v, c = float(vals[j]), float(confs[j])
            rows.append(
                {"indicator": outcome[0], "group": outcome[1], "statistic": outcome[2], "factor": f, "index": idx, "value": v, "conf": c}
            )
    return rows


def analyse(
    folder: str | Path,
    method: str | None = None,
    outcomes: list[tuple[str, str, str]] | None = None,
    conf_level: float = 0.95,
    resamples: int = 1000,
    seed: int = 1,
) -> tuple[pd.DataFrame, list[str]]:
    """Sensitivity indices of every outcome (or of ``outcomes``); returns (table, notes)."""
    design, table, runs = load_sweep(folder)
    sampling = design.sampling.method
    method = method or DEFAULT.get(sampling)
    if method is None:
        raise DesignError(f"{folder}: a {sampling} design has no sensitivity method; use sobol, morris or lhs sampling")
    if sampling not in METHODS[method]:
        raise DesignError(f"--method {method} needs a {' or '.join(METHODS[method])} design; this sweep used {sampling}")
    means = point_means(runs) if len(runs) else pd.DataFrame()
    n_points = int(table["point"].nunique())
    missing = n_points - len(means.index)
    if missing:
        raise DesignError(
            f"{folder}: {missing} of {n_points} design points have no finished run; finish the sweep (re-run 'abm sweep') first"
        )
    if outcomes:
        unknown = [o for o in outcomes if o not in means.columns]
        if unknown:
            raise DesignError(
                f"--outcome {':'.join(unknown[0])}: not in this sweep (kept: {', '.join(':'.join(c) for c in means.columns[:6])} ...)"
            )
        means = means[outcomes]
    prob = problem(design)
    names = prob["names"]
    x = table.drop_duplicates("point").sort_values("point")[[f"u_{n}" for n in names]].to_numpy()
    rows, notes = [], []
    for outcome in means.columns:
        y = means[outcome].to_numpy(dtype=float)
        label = ":".join(outcome)
        if np.isnan(y).any():
            notes.append(f"{label}: skipped, undefined (NaN) at {int(np.isnan(y).sum())} design points")
            continue
        if np.ptp(y) == 0:
            notes.append(f"{label}: no variation across the design (every point gives {y[0]:g})")
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method == "sobol":
                from SALib.analyze import sobol

                res = sobol.analyze(
                    prob, y, calc_second_order=design.sampling.second_order, num_resamples=resamples, conf_level=conf_level, seed=seed
                )
                rows += _rows(outcome, names, res, ["S1", "ST"])
            elif method == "morris":
                from SALib.analyze import morris

                res = morris.analyze(
                    prob, x, y, num_resamples=resamples, conf_level=conf_level, num_levels=design.sampling.levels, seed=seed
                )
                rows += _rows(outcome, names, res, ["mu_star", "sigma", "mu"])
            else:
                from SALib.analyze import delta

                with contextlib.redirect_stdout(io.StringIO()):  # SALib prints bin-merge notices
                    res = dict(delta.analyze(prob, x, y, num_resamples=resamples, conf_level=conf_level, seed=seed))
                if "delta" not in res:  # SALib >= 1.6 names the classic estimator 'delta_raw'
                    res["delta"], res["delta_conf"] = res["delta_raw"], res["delta_raw_conf"]
                rows += _rows(outcome, names, res, ["delta", "S1"])
    frame = pd.DataFrame(rows, columns=["indicator", "group", "statistic", "factor", "index", "value", "conf"])
    frame["low"], frame["high"] = frame["value"] - frame["conf"], frame["value"] + frame["conf"]
    frame["conf_level"] = conf_level
    frame["method"] = method
    return frame, notes


def text_table(frame: pd.DataFrame) -> str:
    """One block per outcome: factor, then each index as 'value ± conf'."""
    out = []
    for (ind, grp, stat), part in frame.groupby(["indicator", "group", "statistic"], sort=False):
        wide = part.assign(
            cell=[f"{v:8.3f} ± {c:.3f}" if np.isfinite(c) else f"{v:8.3f}" for v, c in zip(part["value"], part["conf"], strict=True)]
        )
        wide = wide.pivot(index="factor", columns="index", values="cell")
        order = [i for i in ("S1", "ST", "delta", "mu_star", "sigma", "mu") if i in wide.columns]
        out.append(f"{ind} ({grp}, {stat}):\n" + wide[order].to_string())
    return "\n\n".join(out)


def plot(frame: pd.DataFrame, path: Path) -> None:
    """Horizontal bars with confidence intervals: one panel per outcome, one bar group per factor."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outcomes = list(frame.groupby(["indicator", "group", "statistic"], sort=False).groups)
    main = {"sobol": ["S1", "ST"], "morris": ["mu_star", "sigma"], "delta": ["delta", "S1"]}[frame["method"].iloc[0]]
    cols = min(3, len(outcomes))
    rows = -(-len(outcomes) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 0.5 + 0.45 * frame["factor"].nunique() * rows + 0.9 * rows), squeeze=False)
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        part = frame[(frame["indicator"] == outcome[0]) & (frame["group"] == outcome[1]) & (frame["statistic"] == outcome[2])]
        factors = list(dict.fromkeys(part["factor"]))
        h = 0.8 / len(main)
        for k, idx in enumerate(main):
            sub = part[part["index"] == idx].set_index("factor").reindex(factors)
            pos = np.arange(len(factors)) + k * h
            xerr = None if sub["conf"].isna().all() else sub["conf"].fillna(0)  # sigma has no interval
            ax.barh(pos, sub["value"], height=h, xerr=xerr, label=idx, capsize=2)
        ax.set_yticks(np.arange(len(factors)) + h * (len(main) - 1) / 2, factors, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"{outcome[0]}\n({outcome[1]}, {outcome[2]})", fontsize=9)
        ax.axvline(0, color="grey", lw=0.5)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(outcomes) :]:
        ax.axis("off")
    fig.tight_layout()
    write_atomic(path, lambda p: fig.savefig(p, format=path.suffix.lstrip(".") or "png", dpi=110))
    plt.close(fig)
