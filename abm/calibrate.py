"""``abm calibrate``: fit the uncertain parameters that matter most to the calibration targets.

Issue 11, section 5. Two stages, both on the validation baseline of ``abm.validate`` (today's
rules, no measures; the same metrics and the same targets, ``abm/data/targets.csv``):

1. **Rank.** A Morris screening (``abm.sweep.sampling`` with a Morris design, SALib's
   ``morris.analyze`` as in ``abm sensitivity``) of the candidate status-M parameters over the
   calibration loss, and over each target's error. The ``k`` with the largest ``mu_star`` of the
   loss are fitted; the ranking is written to ``OUT/morris.csv`` and the calibration record.
2. **Fit.** An Optuna study (TPE sampler) over those ``k`` parameters within their search box
   (inside their ``_p`` bounds, see ``search_box``). Trial 0 is the current defaults, so the
   loss before calibration is measured exactly as the loss after.

The loss of a parameter set is ``sum_t z_t**2`` with ``z_t = (median over seeds of the model's
metric - observed) / tolerance`` over the calibration targets ``t`` (the tolerance is the
target's own, ``abm.validate.tolerance``); a metric the model cannot compute (no lettings, no
seekers) counts as ``z = NAN_Z``. Every trial runs every calibration region with the same seeds
(common random numbers), each region scaled to about ``--households`` households.

Resumable: the study lives in ``OUT/study.db`` (SQLite) and the Morris runs in
``OUT/morris_points.json``; calling the same command again continues (``--trials`` is the total
number of finished trials wanted). The settings that define the loss are kept in
``OUT/settings.json``; a second call with other settings is refused (one line, exit 2).
Model runs go through the sweep executors (``abm.sweep.executors``) with ``--jobs``.

``--apply`` writes the record into the source tree: ``abm/data/calibration.csv``,
``docs/calibration.md``, the fitted values as the parameters' defaults with status C in
``abm/params.py``, ``used_for_calibration`` in ``abm/data/targets.csv`` and the parameter table
of ``docs/ODD.md``.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd

from . import steady
from . import validate as V
from .params import RANGES, Params
from .sweep.runner import write_atomic

#: Metrics fitted to (see ``abm.validate.metrics``): the social market of each region and the
#: national flows of homelessness, arrears, evictions and women's shelters (evaluated on the
#: pooled calibration regions, the validation report's ``national_proxy``).
CAL_METRICS = (
    "turnover",
    "registration_years_mean",
    "registration_years_mean_regular",
    "seekers_per_household",
    "success_rate",
    "success_rate_regular",
    "priority_share",
    "urgency_share",
    "homeless_per_10k_households",
    "homeless_change_12m",
    "homeless_change_36m",
    "evictions_per_1000_social",
    "arrears_share",
    "womens_shelter_per_100k_households",
)
#: National targets never fitted to: the country's turnover, demography, moves and the big-city
#: share of homelessness need a national run (pooled urban regions are no stand-in for them).
NEVER_FITTED_NATIONAL = ("turnover", "household_growth_12m", "social_stock_growth_12m", "moves_per_household", "homeless_g4_share")
REGIONS = ["utrecht_city", "u16", "amsterdam", "rotterdam", "haaglanden", "holland_rijnland"]

#: Status-M parameters screened by default: those that act on seeking, letting, turnover,
#: arrears, evictions, homelessness and shelters (the calibration targets). ``--candidates all``
#: screens every status-M float parameter instead.
CANDIDATES = (
    "seek_give_up_rate",
    "living_in_other_solution_rate",
    "initial_registered_share",
    "initial_living_in_seeking",
    "register_at_18_share",
    "newcomer_register_share",
    "regional_search_share",
    "crowded_seek_rate",
    "buy_rate",
    "market_fill_rate",
    "leave_region_share",
    "medical_urgency_share",
    "separation_urgent_share",
    "separation_womens_shelter_share",
    "income_shock_rate",
    "arrears_shock_multiplier",
    "arrears_exit_rate",
    "evicted_homeless_share",
    "homeless_other_exit_rate",
    "shelter_entry_rate",
)
CALIBRATED = "calibrated by abm calibrate"  # how the source of a parameter fitted by --apply begins
NAN_Z = 10.0  # z of a target whose metric is undefined in a trial (no lettings, no seekers)
STUDY = "calibration"
RECORD_CSV = "calibration.csv"


class CalibrationError(ValueError):
    """A user-facing input error: one line naming the field and the allowed values (exit 2)."""


@dataclass
class Settings:
    """What defines the loss and the search; kept in ``OUT/settings.json`` (a resumed study must match)."""

    regions: list[str]
    households: int
    seeds: int
    years: int
    k: int
    candidates: list[str]
    span: float
    trajectories: int
    levels: int
    sampler_seed: int
    #: The drift term (``abm.steady``): every trial also runs ``drift_region`` (a COROP code) at
    #: ``drift_households`` households for ``drift_years`` years with the driver series held, seeds
    #: 1..``seeds``; its yearly drift of the waiting list, rows living in, household rows and
    #: registration time at letting enters the loss as four more z² (|z| <= 1: within the
    #: steady-state test's band). 0 years switches it off.
    drift_years: int = 10
    drift_households: int = 15000
    drift_region: str = "CR17"
    #: The fitted point must keep every drift term within |z| <= ``drift_limit`` (a constraint of the
    #: sampler and of the choice of the best trial); below 1 because the drift is estimated on
    #: ``seeds`` seeds and the steady-state test pools three. 0: no constraint (the z² stay in the loss).
    drift_limit: float = 0.8
    #: Search box and default of each candidate when the study began (kept on resume, so that
    #: ``--apply``, which moves the defaults, does not move the box of a study in progress).
    boxes: dict[str, list[float]] = field(default_factory=dict)
    defaults: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for n in self.candidates:
            self.boxes.setdefault(n, list(search_box(n, self.span)))
            self.defaults.setdefault(n, float(_meta(n)[0]))


#: Settings keys that a resumed study takes from its folder instead of comparing.
KEPT = ("boxes", "defaults")


# -- the objective ----------------------------------------------------------------------------
def calibration_targets(targets: pd.DataFrame, regions: list[str], years: int) -> pd.DataFrame:
    """The targets fitted to: a calibration metric on a calibration region or national (pooled),
    computable in ``years`` (the 36-month change needs four)."""
    keep = targets["metric"].isin(CAL_METRICS) & (targets["region"].isin(regions) | (targets["region"] == "national"))
    keep &= ~((targets["region"] == "national") & targets["metric"].isin(NEVER_FITTED_NATIONAL))
    if years < 4:
        keep &= targets["metric"] != "homeless_change_36m"
    return targets[keep].reset_index(drop=True)


def score(runs: list[dict], used: pd.DataFrame, drift: list[dict] | None = None, drift_years: int = 0) -> dict[str, dict[str, float]]:
    """Per target: ``z`` = (model median over seeds - observed) / tolerance (``NAN_Z`` if the
    metric is undefined) and ``model`` = the median itself; with ``drift`` (yearly means of
    ``abm.steady.yearly_means``, one per seed) also the drift terms ``drift_<series>``: z from
    ``abm.steady.drift_z`` and ``model`` = the pooled ratio last year / first year."""
    table = V.evaluate(runs, used)
    z = (table["model_median"] - table["value"].astype(float)) / table["tolerance_abs"]
    out = {
        "z": {t: (float(v) if math.isfinite(v) else NAN_Z) for t, v in zip(table["target_id"], z, strict=True)},
        "model": {t: float(v) for t, v in zip(table["target_id"], table["model_median"], strict=True)},
    }
    if drift:
        r = steady.ratios(drift)
        for k, v in steady.drift_z(r, drift_years).items():
            out["z"][f"drift_{k}"] = v if math.isfinite(v) else NAN_Z
            out["model"][f"drift_{k}"] = r[k]
    return out


def drift_constraints(z: dict[str, float], s: Settings) -> list[float]:
    """|z| - ``drift_limit`` for every drift term (<= 0: within the limit); none without a drift term.

    A constraint, not only a term of the loss: a structural miss such as Rotterdam's success rate
    (z ~ 40) outweighs any z² of drift, so a soft term alone let every fit buy the 2021 levels with a
    waiting list that grows 20 % in ten years (experiments/calibration)."""
    if s.drift_years < 2 or s.drift_limit <= 0:
        return []
    return [abs(v) - s.drift_limit for k, v in z.items() if k.startswith("drift_")]


def drift_rows(s: Settings) -> pd.DataFrame:
    """The drift terms as rows like the targets': the band's centre and half-width as a ratio over
    the run's ``drift_years`` (the ten-year band of ``abm.steady.BANDS`` per year)."""
    if s.drift_years < 2:
        return pd.DataFrame(columns=["target_id", "region", "metric", "value", "tolerance_abs"])
    rows = []
    n = (s.drift_years - 1) / (steady.BAND_YEARS - 1)
    for k in steady.DRIFT_SERIES:
        lo, hi = (b**n for b in steady.BANDS[k])
        rows.append(
            {
                "target_id": f"drift_{k}",
                "region": s.drift_region,
                "metric": f"{k}: year {s.drift_years} / year 1 (drivers held)",
                "value": math.sqrt(lo * hi),
                "tolerance_abs": (hi - lo) / 2,
            }
        )
    return pd.DataFrame(rows)


def loss(z: dict[str, float]) -> float:
    return float(sum(v * v for v in z.values()))


def _run(task: dict) -> dict:
    """One (point, region, seed) baseline run on a worker; plain picklable values in and out.
    A ``drift`` task runs ``abm.steady.yearly_means`` instead (driver series held)."""
    t0 = time.perf_counter()
    try:
        if task.get("drift"):
            means = steady.yearly_means(task["seed"], task["years"], task["households"], task["region"], task["params"])
            return {
                "key": task["key"],
                "ok": True,
                "point": task["point"],
                "seed": task["seed"],
                "drift": {k: v.tolist() for k, v in means.items()},
                "seconds": time.perf_counter() - t0,
            }
        r = V.run_baseline(task["region"], task["seed"], task["months"], task["households"], track=True, params=task["params"])
        slim = {"region": r["region"], "seed": r["seed"], "months": r["months"], "series": r["series"]}
        return {
            "key": task["key"],
            "ok": True,
            "point": task["point"],
            "seed": task["seed"],
            "run": slim,
            "seconds": time.perf_counter() - t0,
        }
    except Exception as e:  # reported, not raised: the caller names the failing point
        return {"key": task["key"], "ok": False, "point": task["point"], "seed": task["seed"], "error": f"{type(e).__name__}: {e}"}


def evaluate_points(points: list[dict], s: Settings, used: pd.DataFrame, executor: str, jobs: int, bar=None) -> list[dict]:
    """``score`` of each parameter set in ``points`` (every region and seed of each)."""
    from .sweep.executors import execute

    tasks = [
        {"key": f"{i}/{r}/{seed}", "point": i, "seed": seed, "region": r, "months": 12 * s.years, "households": s.households, "params": p}
        for i, p in enumerate(points)
        for r in s.regions
        for seed in range(1, s.seeds + 1)
    ]
    if s.drift_years >= 2:  # the long runs first: they set the wall time
        tasks[:0] = [
            {
                "key": f"{i}/drift/{seed}",
                "drift": True,
                "point": i,
                "seed": seed,
                "region": s.drift_region,
                "years": s.drift_years,
                "households": s.drift_households,
                "params": p,
            }
            for i, p in enumerate(points)
            for seed in range(1, s.seeds + 1)
        ]
    by_point: dict[int, list[dict]] = {i: [] for i in range(len(points))}
    drift: dict[int, list[dict]] = {i: [] for i in range(len(points))}
    for res in execute(_run, tasks, executor, jobs):
        if not res["ok"]:
            raise RuntimeError(f"run {res['key']} failed: {res['error']}")
        if "drift" in res:
            drift[res["point"]].append({k: np.array(v) for k, v in res["drift"].items()})
        else:
            by_point[res["point"]].append(res["run"])
        if bar is not None:
            bar.update(1)
    return [score(by_point[i], used, drift[i], s.drift_years) for i in range(len(points))]


# -- the search box ---------------------------------------------------------------------------
def _meta(name: str):
    f = {f.name: f for f in fields(Params)}[name]
    return f.default, f.metadata


def search_box(name: str, span: float) -> tuple[float, float]:
    """The range searched for ``name``: its ``_p`` bounds, narrowed to [default / span, default *
    span] when ``span`` > 1 and the default is positive (keeps the fit near plausible values)."""
    default, m = _meta(name)
    lo, hi = float(m["lo"]), float(m["hi"])
    if span > 1 and default > 0:
        lo, hi = max(lo, default / span), min(hi, default * span)
    return lo, hi


def screenable() -> list[str]:
    """Every status-M float parameter with finite bounds (``--candidates all``), and those an
    earlier ``abm calibrate --apply`` set to status C (so that re-running the calibration after
    the model changed screens and fits them again)."""
    pairs = {n for pair in RANGES for n in pair}
    return [
        f.name
        for f in fields(Params)
        if (f.metadata.get("status") == "M" or str(f.metadata.get("source", "")).startswith(CALIBRATED))
        and f.type in (float, "float")
        and f.metadata.get("lo") is not None
        and f.metadata.get("hi") is not None
        and f.name not in pairs
        and f.name != "spinup_months"
    ]


# -- stage 1: Morris ranking ------------------------------------------------------------------
def morris_design(s: Settings):
    from .sweep.design import Design, Factor, Sampling

    factors = []
    for n in s.candidates:
        lo, hi = s.boxes[n]
        factors.append(Factor(name=n, target=f"params.{n}", low=lo, high=hi))
    return Design.model_construct(
        name="calibration_screening",
        factors=factors,
        sampling=Sampling(method="morris", samples=s.trajectories, levels=s.levels, seed=s.sampler_seed),
    )


def rank(s: Settings, used: pd.DataFrame, out: Path, executor: str, jobs: int, quiet: bool) -> pd.DataFrame:
    """Morris screening of the candidates over the loss and each target's |z|; cached in ``OUT``."""
    from SALib.analyze import morris

    from .sweep.sampling import design_table, problem

    design = morris_design(s)
    table = design_table(design)
    cache = out / "morris_points.json"
    done: dict[str, dict] = json.loads(cache.read_text()) if cache.exists() else {}
    todo = [i for i in range(len(table)) if str(i) not in done]
    if todo:
        from tqdm import tqdm

        bar = tqdm(
            total=len(todo) * (len(s.regions) + (s.drift_years >= 2)) * s.seeds, desc="ranking (Morris runs)", unit="run", disable=quiet
        )
        batch = max(1, jobs)
        for start in range(0, len(todo), batch):  # a checkpoint after every batch of points
            idx = todo[start : start + batch]
            points = [{n: float(table.loc[i, n]) for n in s.candidates} for i in idx]
            for i, z in zip(idx, evaluate_points(points, s, used, executor, jobs, bar), strict=True):
                done[str(i)] = z
            write_atomic(cache, lambda p: p.write_text(json.dumps(done)))
        bar.close()
    prob = problem(design)
    x = table[[f"u_{n}" for n in s.candidates]].to_numpy()
    zs = [done[str(i)]["z"] for i in range(len(table))]
    outcomes = {"loss": np.array([loss(z) for z in zs])}
    for t in zs[0]:  # every target and drift term
        outcomes[t] = np.array([abs(z[t]) for z in zs])
    rows = []
    for name, y in outcomes.items():
        if np.ptp(y) == 0:
            res = {
                "mu_star": np.zeros(len(s.candidates)),
                "mu_star_conf": np.zeros(len(s.candidates)),
                "sigma": np.zeros(len(s.candidates)),
            }
        else:
            res = morris.analyze(prob, x, y, num_levels=s.levels, num_resamples=200, seed=s.sampler_seed)
        for j, f in enumerate(s.candidates):
            rows.append(
                {
                    "outcome": name,
                    "parameter": f,
                    "mu_star": float(res["mu_star"][j]),
                    "mu_star_conf": float(res["mu_star_conf"][j]),
                    "sigma": float(res["sigma"][j]),
                }
            )
    frame = pd.DataFrame(rows)
    ranking = frame[frame["outcome"] == "loss"].sort_values("mu_star", ascending=False).reset_index(drop=True)
    ranking["rank"] = np.arange(1, len(ranking) + 1)
    ranking["selected"] = ranking["rank"] <= s.k
    per_target = frame[frame["outcome"] != "loss"]
    ranking["main_targets"] = [
        ";".join(per_target[per_target["parameter"] == p].nlargest(3, "mu_star")["outcome"]) for p in ranking["parameter"]
    ]
    write_atomic(out / "morris.csv", lambda p: ranking.drop(columns="outcome").to_csv(p, index=False))
    write_atomic(out / "morris_targets.csv", lambda p: per_target.to_csv(p, index=False))
    return ranking


# -- stage 2: Optuna fit ----------------------------------------------------------------------
def feasible(trial) -> bool:
    """A trial whose constraints (``attrs["constraints"]``, each <= 0 when met) all hold."""
    return all(c <= 0 for c in trial.user_attrs.get("constraints", []))


def best_trial(study):
    """The finished trial with the lowest loss among the feasible ones (the drift constraint met);
    trial 0 (the defaults) if none is feasible."""
    done = [t for t in study.trials if t.state.name == "COMPLETE"]
    ok = [t for t in done if feasible(t)]
    return min(ok, key=lambda t: t.value) if ok else done[0]


def optimise(objective, box: dict[str, tuple[float, float]], trials: int, storage: str, seed: int, start: dict | None = None, bar=None):
    """Run an Optuna (TPE) study in ``storage`` until it has ``trials`` finished trials.

    ``objective(params) -> (loss, attrs)``; ``start`` (e.g. the defaults) is enqueued as the first
    trial of a new study. A second call with the same storage continues the same study. When
    ``attrs`` has ``constraints`` (values <= 0 when met), the TPE sampler is a constrained one
    (``Trial.set_constraint``, c-TPE): it proposes mostly feasible points, and ``best_trial`` picks
    the best feasible trial."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(study_name=STUDY, storage=storage, load_if_exists=True, direction="minimize", sampler=sampler)
    complete = optuna.trial.TrialState.COMPLETE
    if not study.trials and start is not None:
        study.enqueue_trial(start)
    while len(study.get_trials(deepcopy=False, states=(complete,))) < trials:
        trial = study.ask()
        params = {n: trial.suggest_float(n, lo, hi) for n, (lo, hi) in box.items()}
        try:
            value, attrs = objective(params)
        except BaseException:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            raise
        for k, v in attrs.items():
            trial.set_user_attr(k, v)
        for i, c in enumerate(attrs.get("constraints", [])):  # the sampler reads them (Optuna >= 5)
            trial.set_constraint(f"c{i}", float(c))
        study.tell(trial, value)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(best=f"{best_trial(study).value:.1f}")
    return study


# -- the record -------------------------------------------------------------------------------
def _sig(v: float) -> float:
    return float(f"{v:.4g}")


def record_tables(s: Settings, study, ranking: pd.DataFrame, used: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(fitted parameters, loss per target before/after, trials)."""
    trials = [t for t in study.trials if t.state.name == "COMPLETE"]
    first, best = trials[0], best_trial(study)
    selected = ranking[ranking["selected"]]
    params = pd.DataFrame(
        [
            {
                "parameter": p,
                "value": _sig(best.params[p]),
                "before": s.defaults[p],
                "unit": _meta(p)[1]["unit"],
                "search_lo": s.boxes[p][0],
                "search_hi": s.boxes[p][1],
                "morris_rank": int(r["rank"]),
                "mu_star": r["mu_star"],
                "main_targets": r["main_targets"],
                "status": "C",
            }
            for p, r in zip(selected["parameter"], selected.to_dict("records"), strict=True)
        ]
    )
    z0, z1 = first.user_attrs["z"], best.user_attrs["z"]
    dr = drift_rows(s)
    m0, m1 = first.user_attrs["model"], best.user_attrs["model"]
    per_target = pd.DataFrame(
        [
            {
                "target_id": t,
                "region": reg,
                "metric": m,
                "observed": float(v),
                "tolerance_abs": tol,
                "model_before": m0[t],
                "model_after": m1[t],
                "z_before": z0[t],
                "z_after": z1[t],
                "loss_before": z0[t] ** 2,
                "loss_after": z1[t] ** 2,
            }
            for t, reg, m, v, tol in zip(
                [*used["target_id"], *dr["target_id"]],
                [*used["region"], *dr["region"]],
                [*used["metric"], *dr["metric"]],
                [*used["value"], *dr["value"]],
                [*(V.tolerance(float(a), b) for a, b in zip(used["value"], used["tolerance"], strict=True)), *dr["tolerance_abs"]],
                strict=True,
            )
            if t in z0 and t in z1
        ]
    )
    tr = pd.DataFrame([{"trial": t.number, "loss": t.value, "feasible": feasible(t), **{p: t.params[p] for p in t.params}} for t in trials])
    return params, per_target, tr


def markdown(
    s: Settings,
    params: pd.DataFrame,
    per_target: pd.DataFrame,
    trials: pd.DataFrame,
    ranking: pd.DataFrame,
    used: pd.DataFrame,
    targets: pd.DataFrame,
    command: str,
) -> str:
    never = targets[~targets["target_id"].isin(used["target_id"])]
    lines = [
        "# Calibration record",
        "",
        f"Generated by `{command}` (code {V._commit()}, {time.strftime('%Y-%m-%d')}). Re-run the whole calibration with the",
        "same command (it resumes a study in its output folder, or starts a new one in an empty folder); `--apply` writes this",
        "record, `abm/data/calibration.csv`, the fitted defaults (status C) in `abm/params.py`, `used_for_calibration` in",
        "`abm/data/targets.csv` and the parameter table of `docs/ODD.md`. Method: `abm/calibrate.py` (module docstring).",
        "",
        "## Setting",
        "",
        f"- Regions: {', '.join(s.regions)}, each scaled to about {s.households:,} households (every municipality by the same factor);",
        f"  seeds 1..{s.seeds} per trial (common random numbers: every trial uses the same seeds); {s.years} year(s) from 1 Jan 2021;",
        "  metrics over months 1–12 as in `abm validate`.",
        f"- Loss = Σ over the {len(used)} calibration targets of z², z = (median over seeds of the model − observed) / tolerance",
        f"  (the target's own tolerance in `abm/data/targets.csv`); an undefined metric counts as z = {NAN_Z:g}. National",
        "  targets (homelessness, arrears, evictions, women's shelters) are evaluated on the pooled calibration regions.",
        *(
            [
                f"- Drift term: + Σ z² over the {len(steady.DRIFT_SERIES)} `drift_*` rows. Every trial also runs {s.drift_region} at about",
                f"  {s.drift_households:,} households for {s.drift_years} years with the driver series held (`baseline_constant`, seeds 1..{s.seeds}),",
                "  pools the seeds' yearly means and scores the yearly log drift of the waiting list, the rows living in, the",
                "  household rows and the registration time at letting against the steady-state test's ten-year bands",
                "  (`abm.steady`: |z| ≤ 1 is within the band). One-year targets cannot see drift: without this term every fit",
                "  traded the steady state for the 2021 levels (waiting list +19–43 % in ten years).",
                f"  It is also a constraint: the fitted point is the best trial with every drift |z| ≤ {s.drift_limit:g}."
                if s.drift_limit > 0
                else "  No constraint (`--drift-limit 0`): only the z² in the loss.",
            ]
            if s.drift_years >= 2
            else ["- No drift term (`--drift-years 0`): the fit sees only the one-year levels."]
        ),
        f"- Ranking: Morris screening of {len(s.candidates)} status-M candidates, {s.trajectories} trajectories, {s.levels} levels",
        f"  ({(len(s.candidates) + 1) * s.trajectories} parameter sets), over the loss; the {s.k} largest `mu_star` are fitted.",
        f"- Fit: Optuna TPE (seed {s.sampler_seed}), {len(trials)} finished trials; trial 0 = the defaults before calibration.",
        f"  Search box: the `_p` bounds, narrowed to [default / {s.span:g}, default × {s.span:g}]"
        if s.span > 1
        else "  Search box: the `_p` bounds.",
        "",
        "**What scale does.** Every metric is a ratio (per household, per social home, per seeker, a share), so it does not",
        "change with scale in expectation, but small regions make it noisy: shares of lettings (priority, urgency) and the",
        "rare flows (evictions, women's shelter residents, homeless people) rest on tens of events at this scale, and national",
        "institution places scaled down to a region round to few places. The noise is reduced by the median over seeds and",
        "by common random numbers, not removed: the fitted values are conditional on this scale, and the lead re-validates",
        "at 1:1 (`abm validate`).",
        "",
        "## Fitted parameters (status C)",
        "",
        "| parameter | before (M) | fitted (C) | unit | search box | Morris rank | mu* (loss) | targets it acts on most (Morris) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for _, p in params.iterrows():
        lines.append(
            f"| `{p['parameter']}` | {p['before']:.4g} | {p['value']:.4g} | {p['unit']} | {p['search_lo']:.4g} – {p['search_hi']:.4g} | "
            f"{p['morris_rank']} | {p['mu_star']:.1f} | {', '.join(f'`{t}`' for t in str(p['main_targets']).split(';') if t)} |"
        )
    lines += [
        "",
        f"**Loss: {per_target['loss_before'].sum():.1f} before, {per_target['loss_after'].sum():.1f} after**"
        f" ({int((per_target['z_before'].abs() <= 1).sum())} → {int((per_target['z_after'].abs() <= 1).sum())} of {len(per_target)} targets within tolerance at this scale).",
        "",
        "Largest remaining contributions: "
        + ", ".join(f"`{r['target_id']}` (z {r['z_after']:+.1f})" for _, r in per_target.nlargest(4, "loss_after").iterrows())
        + ". A target far outside its tolerance that no candidate moves points at the model's structure (issue 11, sections",
        "1–3), not at a parameter value."
        + (
            " Candidates without any effect on the calibration targets in the screening (mu* = 0): "
            + ", ".join(f"`{p}`" for p in ranking.loc[ranking["mu_star"] == 0, "parameter"])
            + "."
            if (ranking["mu_star"] == 0).any()
            else ""
        ),
        "",
        "## Loss per target, before and after",
        "",
        "| target | region | metric | observed | model before | model after | z before | z after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for _, t in per_target.iterrows():
        lines.append(
            f"| `{t['target_id']}` | {t['region']} | {t['metric']} | {V._fmt(t['observed'])} | {V._fmt(t['model_before'])} | "
            f"{V._fmt(t['model_after'])} | {t['z_before']:+.2f} | {t['z_after']:+.2f} |"
        )
    lines += [
        "",
        "## Targets never fitted to",
        "",
        "These stay out-of-sample checks in `docs/validation.md`: "
        + ", ".join(f"`{t}`" for t in never["target_id"])
        + ". National turnover, household and stock growth, moves and the big-city share of homelessness need a national run;",
        "the 36-month change of homelessness needs runs of four years or more.",
        "",
        "## Earlier fits",
        "",
        "Fits without the drift term (each lowered the one-year loss and made the baseline's waiting list grow 19–43 % in ten",
        "years, so none was applied) and what they taught: `experiments/calibration/README.md`.",
        "",
        "## Morris ranking (loss)",
        "",
        "| rank | parameter | mu* | ± (95 %) | sigma | fitted |",
        "|---|---|---|---|---|---|",
    ]
    for _, r in ranking.iterrows():
        lines.append(
            f"| {r['rank']} | `{r['parameter']}` | {r['mu_star']:.2f} | {r['mu_star_conf']:.2f} | {r['sigma']:.2f} | {'yes' if r['selected'] else ''} |"
        )
    lines.append("")
    return "\n".join(lines)


# -- applying to the source tree --------------------------------------------------------------
def _p_call(name: str, text: str) -> ast.Call:
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "Params":
            for st in node.body:
                if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name) and st.target.id == name:
                    return st.value
    raise CalibrationError(f"abm/params.py: no parameter '{name}'")


def _chunks(s: str, width: int = 100) -> list[str]:
    words, out, cur = s.split(" "), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur + " ")
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    return [*out, cur]


def set_default(text: str, name: str, value: float, source: str) -> str:
    """``abm/params.py`` with ``name``'s ``_p`` default, source and status (C) replaced."""
    call = _p_call(name, text)
    seg = lambda n: ast.get_source_segment(text, n)  # noqa: E731
    unit, lo, hi = seg(call.args[1]), seg(call.args[4]), seg(call.args[5])
    src = "\n".join(f"        {json.dumps(c, ensure_ascii=False)}" for c in _chunks(source))
    new = f'_p(\n        {value!r},\n        {unit},\n{src},\n        "C",\n        {lo},\n        {hi},\n    )'
    lines = text.splitlines(keepends=True)
    start = sum(len(li) for li in lines[: call.lineno - 1]) + call.col_offset
    end = sum(len(li) for li in lines[: call.end_lineno - 1]) + call.end_col_offset
    return text[:start] + new + text[end:]


def apply_record(root: Path, params: pd.DataFrame, used_ids: list[str], md: str) -> None:
    """Write the record into the source tree at ``root`` (the checkout holding ``abm/`` and ``docs/``)."""
    pfile = root / "abm" / "params.py"
    text = pfile.read_text(encoding="utf-8")
    for _, p in params.iterrows():
        old = _meta(p["parameter"])[1]["source"]
        was = old.split("; was M: ", 1)[1] if "; was M: " in old else old
        src = (
            f"{CALIBRATED} (record: abm/data/calibration.csv, docs/calibration.md) to the used_for_calibration "
            f"targets of abm/data/targets.csv, mainly {', '.join(str(p['main_targets']).split(';'))}; was M: {was}"
        )
        text = set_default(text, p["parameter"], float(p["value"]), src)
    targets_path = root / "abm" / "data" / "targets.csv"
    # Only the last field of each row changes (the rest of the file byte for byte: others edit rows too).
    lines = targets_path.read_text(encoding="utf-8").splitlines()
    if not lines[0].endswith(",used_for_calibration"):
        raise CalibrationError(f"{targets_path}: used_for_calibration is not the last column")
    rows = [lines[0]] + [f"{li.rsplit(',', 1)[0]},{'true' if li.split(',', 1)[0] in used_ids else 'false'}" for li in lines[1:] if li]
    write_atomic(root / "abm" / "data" / RECORD_CSV, lambda f: params.to_csv(f, index=False))
    write_atomic(targets_path, lambda f: f.write_text("\n".join(rows) + "\n", encoding="utf-8"))
    write_atomic(root / "docs" / "calibration.md", lambda f: f.write_text(md, encoding="utf-8"))
    write_atomic(pfile, lambda f: f.write_text(text, encoding="utf-8"))
    ruff = Path(sys.executable).parent / "ruff"
    if ruff.exists():  # the project's formatter: joins or splits the new source strings as it wants them
        subprocess.run([str(ruff), "format", "-q", str(pfile)], check=False)
    sync = root / "scripts" / "sync_odd_params.py"
    if sync.exists():  # a fresh process: it must import the new defaults
        subprocess.run([sys.executable, str(sync)], check=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})


# -- command line -----------------------------------------------------------------------------
def add_parser(sub, positive_int) -> None:
    c = sub.add_parser(
        "calibrate",
        help="rank the uncertain parameters (Morris), fit the top k to the calibration targets (Optuna); resumable",
        description="Rank the status-M parameters by a Morris screening of the calibration loss, fit the k that matter most "
        "to the calibration targets of abm/data/targets.csv with Optuna over several regions and seeds, and write the record "
        "to OUT (study.db, settings.json, morris.csv, trials.csv, calibration.csv, calibration.md). A second call with the "
        "same OUT continues the study. --apply also writes the record and the fitted defaults (status C) into the source tree.",
    )
    c.add_argument("--regions", default=",".join(REGIONS), help=f"comma-separated, from: {', '.join(REGIONS)} (default: all)")
    c.add_argument(
        "--households", type=positive_int("--households", 500, 1_000_000), default=8_000, help="households per region (default 8000)"
    )
    c.add_argument("--seeds", type=positive_int("--seeds", 1, 50), default=3, help="seeds 1..N per trial (default 3)")
    c.add_argument("--years", type=positive_int("--years", 1, 10), default=1, help="years per run (default 1: the targets are 2020-2021)")
    c.add_argument("--k", type=positive_int("--k", 1, 50), default=6, help="parameters to fit: the k largest Morris mu* (default 6)")
    c.add_argument(
        "--candidates",
        default="default",
        help="'default' (the curated status-M list), 'all' (every status-M float parameter) or comma-separated names",
    )
    c.add_argument(
        "--span",
        type=float,
        default=4.0,
        help="search box: [default/span, default*span] within the _p bounds; 1 = the full bounds (default 4)",
    )
    c.add_argument("--trajectories", type=positive_int("--trajectories", 2, 100), default=4, help="Morris trajectories (default 4)")
    c.add_argument(
        "--trials", type=positive_int("--trials", 1, 100_000), default=130, help="total finished Optuna trials wanted (default 130)"
    )
    c.add_argument(
        "--sampler-seed",
        type=positive_int("--sampler-seed", 0, 2**32 - 1),
        default=1,
        help="seed of the Morris and TPE samplers (default 1)",
    )
    c.add_argument(
        "--drift-years",
        type=positive_int("--drift-years", 0, 30),
        default=10,
        help="years of the drift runs (driver series held) whose drift enters the loss; 0 = no drift term (default 10)",
    )
    c.add_argument(
        "--drift-households",
        type=positive_int("--drift-households", 500, 1_000_000),
        default=15_000,
        help="households of the drift region (default 15000: the steady-state test's)",
    )
    c.add_argument(
        "--drift-limit",
        type=float,
        default=0.8,
        help="the fitted point keeps every drift |z| <= this (1 = the steady-state band's edge); 0 = no constraint (default 0.8)",
    )
    c.add_argument("--drift-region", default="CR17", help="COROP code of the drift region (default CR17, COROP Utrecht)")
    c.add_argument("--executor", default="processes", help="serial, processes or dask (default processes; --jobs 1 runs in this process)")
    c.add_argument("--jobs", type=positive_int("--jobs", 1, 256), default=1, help="parallel model runs (default 1)")
    c.add_argument("--out", default="experiments/calibration", help="output folder (created; default experiments/calibration)")
    c.add_argument("--apply", action="store_true", help="write the record and the fitted defaults into the source tree (a checkout)")
    c.add_argument("--quiet", action="store_true", help="no progress bars")


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Validated settings; raises ``CalibrationError`` with one line naming the field."""
    from .sweep.executors import EXECUTORS

    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    bad = [r for r in regions if r not in REGIONS]
    if bad or not regions:
        raise CalibrationError(f"--regions: unknown region '{bad[0] if bad else ''}' (choose from {', '.join(REGIONS)})")
    if args.executor not in EXECUTORS:
        raise CalibrationError(f"--executor: '{args.executor}' is not one of {', '.join(EXECUTORS)}")
    if not (math.isfinite(args.span) and 1 <= args.span <= 1000):
        raise CalibrationError(f"--span must be a number in [1, 1000], got {args.span}")
    allowed = screenable()
    if args.candidates == "default":
        cands = list(CANDIDATES)
    elif args.candidates == "all":
        cands = allowed
    else:
        cands = [c.strip() for c in args.candidates.split(",") if c.strip()]
        wrong = [c for c in cands if c not in allowed]
        if wrong or len(cands) < 2:
            raise CalibrationError(
                f"--candidates: '{wrong[0] if wrong else args.candidates}' is not a status-M (or earlier calibrated) float parameter (see 'abm params'); give 'default', 'all' or 2+ names"
            )
    if args.k > len(cands):
        raise CalibrationError(f"--k must be at most the number of candidates ({len(cands)}), got {args.k}")
    if not (math.isfinite(args.drift_limit) and 0 <= args.drift_limit <= 10):
        raise CalibrationError(f"--drift-limit must be a number in [0, 10], got {args.drift_limit}")
    if args.drift_years == 1:
        raise CalibrationError("--drift-years must be 0 (no drift term) or at least 2, got 1")
    from .region import municipalities

    corops = sorted(set(municipalities()["corop_code"]))
    if args.drift_region not in corops:
        raise CalibrationError(f"--drift-region: '{args.drift_region}' is not a COROP code (CR01 ... CR40)")
    return Settings(
        regions,
        args.households,
        args.seeds,
        args.years,
        args.k,
        cands,
        float(args.span),
        args.trajectories,
        4,
        args.sampler_seed,
        args.drift_years,
        args.drift_households,
        args.drift_region,
        float(args.drift_limit),
    )


def cmd_calibrate(args: argparse.Namespace, usage_error) -> int:
    try:
        s = settings_from_args(args)
    except CalibrationError as e:
        raise usage_error(str(e)) from None
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise usage_error(f"--out: '{out}' exists and is not a folder")
    root = Path(__file__).resolve().parent.parent
    if args.apply and not ((root / "docs").is_dir() and (root / "abm" / "data" / "targets.csv").is_file()):
        raise usage_error(f"--apply: {root} is not a source checkout (no docs/ folder next to abm/)")
    settings_file = out / "settings.json"
    if settings_file.exists():
        old = json.loads(settings_file.read_text())
        for k, v in asdict(s).items():
            if k in KEPT:
                s.boxes, s.defaults = old.get("boxes", s.boxes), old.get("defaults", s.defaults)
            elif old.get(k) != v:
                raise usage_error(
                    f"--{k.replace('_', '-')}: the study in {out} was made with {old.get(k)!r}, not {v!r}; use the same settings or another --out"
                )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise usage_error(f"--out: cannot create '{out}' ({e.strerror})") from None
    write_atomic(settings_file, lambda p: p.write_text(json.dumps(asdict(s), indent=1)))
    targets = V.load_targets()
    used = calibration_targets(targets, s.regions, s.years)
    command = "abm calibrate " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["calibrate"] else "abm calibrate"
    print(
        f"calibrate: {len(s.candidates)} candidates, k={s.k}; {len(used)} targets; {len(s.regions)} region(s) of ~{s.households:,} households, {s.seeds} seed(s), {s.years} year(s)"
    )
    ranking = rank(s, used, out, args.executor, args.jobs, args.quiet)
    print(
        "ranking (Morris mu* of the loss): "
        + ", ".join(f"{p} {m:.1f}" for p, m in zip(ranking["parameter"][: s.k], ranking["mu_star"][: s.k], strict=True))
    )
    chosen = list(ranking.loc[ranking["selected"], "parameter"])
    box = {n: tuple(s.boxes[n]) for n in chosen}
    start = {n: min(max(s.defaults[n], box[n][0]), box[n][1]) for n in chosen}

    def objective(params: dict) -> tuple[float, dict]:
        sc = evaluate_points([params], s, used, args.executor, args.jobs)[0]
        return loss(sc["z"]), {**sc, "constraints": drift_constraints(sc["z"], s)}

    import optuna
    from tqdm import tqdm

    storage = f"sqlite:///{(out / 'study.db').resolve()}"
    try:
        have = len([t for t in optuna.load_study(study_name=STUDY, storage=storage).trials if t.state.name == "COMPLETE"])
    except KeyError:
        have = 0
    bar = tqdm(total=max(args.trials - have, 0), desc="fitting (Optuna trials)", unit="trial", disable=args.quiet)
    study = optimise(objective, box, args.trials, storage, s.sampler_seed, start, bar)
    bar.close()
    params, per_target, trials = record_tables(s, study, ranking, used)
    md = markdown(s, params, per_target, trials, ranking, used, targets, command)
    write_atomic(out / "trials.csv", lambda p: trials.to_csv(p, index=False))
    write_atomic(out / "loss_by_target.csv", lambda p: per_target.to_csv(p, index=False))
    write_atomic(out / RECORD_CSV, lambda p: params.to_csv(p, index=False))
    write_atomic(out / "calibration.md", lambda p: p.write_text(md, encoding="utf-8"))
    if args.apply:
        apply_record(root, params, list(used["target_id"]), md)
    print(
        f"loss {per_target['loss_before'].sum():.1f} (defaults) -> {per_target['loss_after'].sum():.1f} (best of {len(trials)} trials); "
        f"wrote {out / 'calibration.md'}" + ("; applied to abm/params.py, abm/data, docs" if args.apply else "")
    )
    return 0
