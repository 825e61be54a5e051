"""Validation report: the baseline against the observed figures of ``abm/data/targets.csv``.

``abm validate`` runs the baseline (today's rules, no measures) of several regions and of the
whole country over a few seeds, computes every target's metric per run, and writes
``validation.md`` (target, source, model median, 10-90 % band over seeds, tolerance, within
tolerance), plots in ``validation/`` and the same numbers as ``validation/validation.json``.

Targets come from ``../shared/data/FACTS.md`` (status V verified or D derived only; the
provenance of each is in its row). Those with ``used_for_calibration`` true were fitted to: by
``abm calibrate`` (docs/calibration.md) or, for the homeless trend, by the ``new_homeless_rate`` driver
series (experiments/homeless); the report names them and the ones never fitted to. The figures
are for 2019-2021; the model starts on 1 Jan 2021 (month 0), so flows are compared over its
first year (months 1-12) and the last year is reported alongside to show drift.

Little's law (L = lambda W) is checked per group for the waiting list (registered seekers
actively seeking, the ``waiting`` indicator), counting every exit: a social letting, a move to
another home, entering an institution, death or nursing home, leaving the region, joining
another household, giving up, and for a group also leaving the group. The exits are observed
from outside the model: households are followed by their stable ``hid`` from month end to month
end, and ``World.remove`` is wrapped on the instance to learn why a household left. Nothing in
the model's draws or behaviour changes (the indicators of a validated run are byte-identical to
an ordinary run, see ``tests/test_validate.py``).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .codes import GROUPS, Place
from .households import NEVER
from .indicators import INDICATOR_NAMES

#: The regions of the report, as CBS codes (with ``households=`` every municipality is scaled
#: by the same factor, so a scaled region keeps its municipalities and their shares).
HAAGLANDEN = ["GM0518", "GM0503", "GM1916", "GM1842", "GM1926", "GM0603", "GM0629", "GM1783", "GM0637"]
G4 = ["GM0363", "GM0599", "GM0518", "GM0344"]
REGION_NAMES = {
    "national": "the Netherlands (352 municipalities)",
    "utrecht_city": "Utrecht (city, GM0344)",
    "u16": "Utrecht region U16 (woningmarktregio, 16 municipalities)",
    "amsterdam": "Amsterdam (city, GM0363)",
    "rotterdam": "Rotterdam (city, GM0599)",
    "haaglanden": "Haaglanden (9 municipalities)",
    "holland_rijnland": "Holland Rijnland (woningmarktregio, 13 municipalities)",
}
REGIONS = list(REGION_NAMES)
QUICK_HOUSEHOLDS = 20_000
ROUTES_PRIORITY = ("urgency", "mover_priority", "direct_refugee", "direct_institution", "direct_homeless")
EXIT_KINDS = (
    "letting",
    "moved_elsewhere",
    "institution",
    "death_or_nursing_home",
    "left_region",
    "joined_household",
    "gave_up",
    "left_group",
)
LITTLE_TOLERANCE = 0.15  # relative gap |L - lambda W| / L accepted as steady state


def region_codes(name: str) -> list[str]:
    """CBS codes of a report region (main city first)."""
    from .region import municipalities

    df = municipalities()
    if name == "national":
        return list(df["gm_code"])
    if name == "utrecht_city":
        return ["GM0344"]
    if name == "amsterdam":
        return ["GM0363"]
    if name == "rotterdam":
        return ["GM0599"]
    if name == "haaglanden":
        return list(HAAGLANDEN)
    wmr = {"u16": ("U16", "GM0344"), "holland_rijnland": ("Holland Rijnland", "GM0546")}[name]
    codes = list(df.loc[df["woningmarktregio"] == wmr[0], "gm_code"])
    return [wmr[1], *(c for c in codes if c != wmr[1])]


def load_targets() -> pd.DataFrame:
    """The targets table (``abm/data/targets.csv``), one row per target."""
    with resources.files("abm.data").joinpath("targets.csv").open("rb") as f:
        return pd.read_csv(f, dtype={"year": str})


def tolerance(value: float, tol: str) -> float:
    """Absolute tolerance: ``'25%'`` is relative to the target, a plain number is absolute."""
    tol = str(tol).strip()
    return abs(value) * float(tol[:-1]) / 100 if tol.endswith("%") else float(tol)


# -- following the waiting list ---------------------------------------------------------------
class WaitingListTracker:
    """Follows the waiting list per group by ``hid`` at each month end (see the module docstring).

    For group ``g`` the system is "waiting and in group g at the month end", exactly what the
    ``waiting`` indicator counts. Each month: entries, exits by kind and the time in the system
    of those leaving (months since they entered; for those on the list at month 0, since
    ``seek_since``). Also the registration time at letting (sum and count, all and regular).
    """

    def __init__(self, model) -> None:
        self.model = model
        self.n_groups = 1 + len(GROUPS)
        self.entry = np.zeros((self.n_groups, 0), dtype=np.int32)  # month entered (may be < 0: before the start)
        self.inside = np.zeros((self.n_groups, 0), dtype=bool)  # on the group's list at the last month end
        self.removed: dict[int, str] = {}
        w = model.world
        original = w.remove

        def remove(rows, cause, *args, **kwargs):  # record why, then do exactly what World.remove does
            r = np.asarray(rows, dtype=np.int64)
            for h in w.hh.hid[r].tolist():
                self.removed[h] = cause
            return original(rows, cause, *args, **kwargs)

        w.remove = remove
        self.counts: list[np.ndarray] = []  # per month: L per group
        self.exits: list[np.ndarray] = []  # per month: [group, kind] counts
        self.sojourn: list[np.ndarray] = []  # per month: summed months in system of those exiting, per group
        self.entries: list[np.ndarray] = []
        self.reg_sum: list[np.ndarray] = []  # per month: [all, regular] summed registration months at letting
        self.reg_n: list[np.ndarray] = []
        self.observe(initial=True)

    def _state(self):
        hh, month = self.model.world.hh, self.model.world.month
        n = hh.n
        rows = np.flatnonzero(hh.seeking[:n] & (hh.registered[:n] != NEVER) & (hh.place[:n] != Place.GONE))
        combo = hh.group_combo(month, rows).astype(np.int64)
        member = np.column_stack([np.ones(rows.size, bool), ((combo[:, None] >> np.arange(len(GROUPS))[None, :]) & 1).astype(bool)])
        return rows, hh.hid[rows].astype(np.int64), member

    def observe(self, initial: bool = False) -> None:
        m = self.model
        w = m.world
        hh, month = w.hh, w.month
        rows, hids, member = self._state()
        size = max(int(w.next_hid), int(hids.max()) + 1 if hids.size else 0)
        if self.entry.shape[1] < size:
            new = max(size, int(self.entry.shape[1] * 1.5))
            grown = np.zeros((self.n_groups, new), dtype=np.int32)
            grown[:, : self.entry.shape[1]] = self.entry
            inside = np.zeros((self.n_groups, new), dtype=bool)
            inside[:, : self.inside.shape[1]] = self.inside
            self.entry, self.inside = grown, inside
        exits = np.zeros((self.n_groups, len(EXIT_KINDS)))
        sojourn = np.zeros(self.n_groups)
        entries = np.zeros(self.n_groups)
        if initial:
            since = hh.seek_since[rows].astype(np.int64)
            for g in range(self.n_groups):
                self.entry[g, hids[member[:, g]]] = np.minimum(since[member[:, g]], month)
                self.inside[g, hids[member[:, g]]] = True
        else:
            n = hh.n
            hid_to_row = np.full(self.entry.shape[1], -1, dtype=np.int64)
            hid_to_row[hh.hid[:n]] = np.arange(n)
            let_rows = m.last_allocations[0]
            c = w.counters
            moved = np.concatenate(c.moves) if c.moves else np.empty(0, dtype=np.int64)
            let_h = set(hh.hid[let_rows].tolist())
            moved_h = set(hh.hid[moved].tolist())
            now_all = np.zeros(self.entry.shape[1], dtype=bool)
            now_all[hids] = True
            for g in range(self.n_groups):
                now = np.zeros(self.entry.shape[1], dtype=bool)
                now[hids[member[:, g]]] = True
                was = self.inside[g]
                out = np.flatnonzero(was & ~now)
                inn = np.flatnonzero(now & ~was)
                sojourn[g] = float((month - self.entry[g, out]).sum())
                for h in out.tolist():
                    exits[g, EXIT_KINDS.index(self._kind(h, hid_to_row, let_h, moved_h, now_all))] += 1
                self.inside[g, out] = False
                self.inside[g, inn] = True
                self.entry[g, inn] = month
                entries[g] = inn.size
            self.removed.clear()
            reg = m.last_allocations[1].astype(np.int64)
            res = getattr(m.allocator, "last_result", None)
            groups = np.concatenate(res.groups).astype(np.int64) if res is not None and res.groups else np.zeros(reg.size, np.int64)
            ok = reg != NEVER
            wait = (month - reg)[ok]
            regular = ((groups[ok] >> GROUPS.index("regular")) & 1).astype(bool)
            self.reg_sum.append(np.array([wait.sum(), wait[regular].sum()], dtype=float))
            self.reg_n.append(np.array([wait.size, regular.sum()], dtype=float))
        self.counts.append(member.sum(axis=0).astype(float))
        self.exits.append(exits)
        self.sojourn.append(sojourn)
        self.entries.append(entries)

    def _kind(self, h: int, hid_to_row, let_h: set, moved_h: set, now_all: np.ndarray) -> str:
        if now_all[h]:
            return "left_group"
        if h in let_h:
            return "letting"
        cause = self.removed.get(h)
        if cause is not None:
            return {"death": "death_or_nursing_home", "nursing_home": "death_or_nursing_home", "joined_household": "joined_household"}.get(
                cause, "left_region"
            )
        if h in moved_h:
            return "moved_elsewhere"
        row = hid_to_row[h]
        if row >= 0 and self.model.world.hh.place[row] == Place.INSTITUTION:
            return "institution"
        return "gave_up"


# -- one run ----------------------------------------------------------------------------------
SERIES = (
    "households",
    "homeless",
    "homeless_cbs",
    "households_housed",
    "waiting",
    "allocations",
    "social_stock",
    "evictions",
    "in_arrears",
    "in_womens_shelter",
    "moves",
    "allocations_urgency",
    *(f"allocations_{r}" for r in ROUTES_PRIORITY if r != "urgency"),
    "housing_allowance",
    "housing_allowance_recipients",
)


def run_baseline(
    region: str, seed: int, months: int, households: int | None = None, track: bool = True, params: dict | None = None
) -> dict:
    """Run one region's baseline for ``months`` and return its series, Little's law data and timing
    (``params``: parameter overrides, as ``abm calibrate`` tries them)."""
    from . import HousingModel

    t0 = time.perf_counter()
    codes = region_codes(region)
    if region == "national" and households is None:
        model = HousingModel(scenario="national", rng=seed, params=params)
    else:
        model = HousingModel(municipalities=codes, households=households, rng=seed, params=params)
    tracker = WaitingListTracker(model) if track else None
    built = time.perf_counter() - t0
    for _ in range(months):
        model.step()
        if tracker is not None:
            tracker.observe()
    rec = model.recorder
    series = {name: rec.series(name)[1] for name in SERIES}
    series["waiting_regular"] = rec.series("waiting", "regular")[1]
    series["allocations_regular"] = rec.series("allocations", "regular")[1]
    codes_in = model.region.codes
    g4 = [codes_in.index(c) for c in G4 if c in codes_in]
    homeless_i = INDICATOR_NAMES.index("homeless_cbs")  # the G4 share of the CBS count (FACTS D)
    series["homeless_g4"] = np.array([float(v[homeless_i, g4, 0].sum()) for _, v in rec.blocks])
    out = {"region": region, "seed": seed, "months": months, "households_setting": households, "series": series}
    if tracker is not None:
        series["registration_sum"] = np.array([0.0, *(s[0] for s in tracker.reg_sum)])
        series["registration_n"] = np.array([0.0, *(s[0] for s in tracker.reg_n)])
        series["registration_sum_regular"] = np.array([0.0, *(s[1] for s in tracker.reg_sum)])
        series["registration_n_regular"] = np.array([0.0, *(s[1] for s in tracker.reg_n)])
        waiting_ind = np.stack([rec.series("waiting", g)[1] for g in ["all", *GROUPS]], axis=1)
        out["little"] = {
            "counts": np.stack(tracker.counts).tolist(),
            "exits": np.stack(tracker.exits).tolist(),
            "sojourn": np.stack(tracker.sojourn).tolist(),
            "entries": np.stack(tracker.entries).tolist(),
            "matches_indicator": bool(np.array_equal(np.stack(tracker.counts), waiting_ind)),
        }
    out["chains"] = chain_metrics(model, months)
    out["seconds"] = {"build": built, "total": time.perf_counter() - t0}
    out["households_start"] = float(series["households"][0])
    return out


#: Vacancy-chain metrics (CBS *Verhuisketens*, news release 2025/21): the new builds of year 1
#: (2021) followed to the end of year 4 (CBS follows 2019's new builds through 2022), per new
#: build: dwellings vacated and re-occupied, at link 1, and the share of starters among the
#: households moving in along the chains (``abm.chains.cohort_summary``).
CHAIN_METRICS = {
    "chain_vacated_per_new_build": "vacated_per_start",
    "chain_first_link_per_new_build": "first_link_reoccupied_per_start",
    "chain_mover_share_starter": "mover_share_starter",
}


def chain_metrics(model, months: int) -> dict[str, float]:
    """``CHAIN_METRICS`` of a finished run (NaN before three years: the chains are still young)."""
    from .chains import cohort_summary

    if months < 36:
        return {m: float("nan") for m in CHAIN_METRICS}
    summary = cohort_summary(model, year=1, until=min(months, 48))
    return {m: float(summary.get(k, float("nan"))) for m, k in CHAIN_METRICS.items()}


# -- metrics ----------------------------------------------------------------------------------
def metrics(s: dict[str, np.ndarray], window: slice) -> dict[str, float]:
    """Every target metric from (possibly pooled) region-total series over ``window`` (a year)."""

    def total(name: str) -> float:
        return float(np.nansum(s[name][window]))

    def mean(name: str) -> float:
        return float(np.nanmean(s[name][window]))

    def ratio(a: float, b: float) -> float:
        return a / b if b else float("nan")

    start = window.start - 1  # the stock at the start of the year
    end = window.stop - 1
    lettings = total("allocations")
    prio = sum(total(f"allocations_{r}") for r in ROUTES_PRIORITY)
    out = {
        "turnover": ratio(lettings, s["social_stock"][start]),
        "seekers_per_household": ratio(mean("waiting"), s["households"][start]),
        "success_rate": ratio(lettings, mean("waiting")),
        "success_rate_regular": ratio(total("allocations_regular"), mean("waiting_regular")),
        "priority_share": ratio(prio, lettings),
        "urgency_share": ratio(total("allocations_urgency"), lettings),
        # Homeless targets: the CBS count (homeless_cbs, persons 18-65) per CBS private household
        # (households in a dwelling), not per household row (rows include young adults living in).
        "homeless_per_10k_households": ratio(1e4 * s["homeless_cbs"][start], s["households_housed"][start]),
        "homeless_change_12m": ratio(s["homeless_cbs"][start + 12], s["homeless_cbs"][start])
        if start + 12 < len(s["homeless_cbs"])
        else float("nan"),
        "homeless_change_36m": ratio(s["homeless_cbs"][start + 36], s["homeless_cbs"][start])
        if start + 36 < len(s["homeless_cbs"])
        else float("nan"),
        "homeless_g4_share": ratio(s["homeless_g4"][start], s["homeless_cbs"][start]),
        "evictions_per_1000_social": ratio(1e3 * total("evictions"), s["social_stock"][start]),
        "arrears_share": ratio(s["in_arrears"][end], s["social_stock"][end]),
        "womens_shelter_per_100k_households": ratio(1e5 * mean("in_womens_shelter"), s["households"][start]),
        "household_growth_12m": ratio(s["households"][end], s["households"][start]) - 1,
        "social_stock_growth_12m": ratio(s["social_stock"][end], s["social_stock"][start]) - 1,
        "moves_per_household": ratio(total("moves"), s["households"][start]),
    }
    if "housing_allowance" in s:  # housing allowance (2021 rules, abm/income_rules.py): recipients per housed household, EUR a month each
        out["allowance_share"] = ratio(mean("housing_allowance_recipients"), mean("households_housed"))
        out["allowance_per_recipient"] = ratio(total("housing_allowance"), total("housing_allowance_recipients"))
    if "registration_sum" in s:
        out["registration_years_mean"] = ratio(total("registration_sum"), 12 * total("registration_n"))
        out["registration_years_mean_regular"] = ratio(total("registration_sum_regular"), 12 * total("registration_n_regular"))
    return out


def little(run: dict) -> dict[str, dict]:
    """Little's law per group over months 1..T: L (mean waiting), lambda (exits a month), W (mean
    months in the system of those leaving), the relative gap |L - lambda W| / L, exits by kind,
    and whether the followed list equals the ``waiting`` indicator every month."""
    li = run["little"]
    counts, exits, sojourn = np.array(li["counts"]), np.array(li["exits"]), np.array(li["sojourn"])
    entries = np.array(li["entries"])
    out = {}
    for g, name in enumerate(["all", *GROUPS]):
        L = counts[1:, g].mean()
        n_exit = exits[1:, g].sum()
        lam = n_exit / (counts.shape[0] - 1)
        W = sojourn[1:, g].sum() / n_exit if n_exit else float("nan")
        balance = np.array_equal(np.diff(counts[:, g]), entries[1:, g] - exits[1:, g].sum(axis=1))
        out[name] = {
            "L": L,
            "lambda": lam,
            "W": W,
            "lambda_W": lam * W,
            "gap": abs(L - lam * W) / L if L else float("nan"),
            "growth": counts[-1, g] / counts[0, g] if counts[0, g] else float("nan"),
            "exits": dict(zip(EXIT_KINDS, exits[1:, g].sum(axis=0).tolist(), strict=True)),
            "flow_balance": bool(balance),
        }
    return out


# -- the whole report -------------------------------------------------------------------------
@dataclass
class Plan:
    regions: list[str]
    seeds: int
    years: int
    households: int | None  # None = every household at 1:1
    national: bool


def _job(args: tuple) -> dict:
    region, seed, months, households = args
    return run_baseline(region, seed, months, households, track=region != "national")


def run_all(plan: Plan, jobs: int = 1, progress=print) -> list[dict]:
    """Every (region, seed) run of the plan; national first (the largest)."""
    tasks = []
    if plan.national:
        tasks += [("national", s, 12 * plan.years, None) for s in range(1, plan.seeds + 1)]
    tasks += [(r, s, 12 * plan.years, plan.households) for r in plan.regions for s in range(1, plan.seeds + 1)]
    runs = []
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as ex:
            for r in ex.map(_job, tasks):
                progress(f"  {r['region']} seed {r['seed']}: {r['seconds']['total']:.0f} s")
                runs.append(r)
    else:
        for t in tasks:
            r = _job(t)
            progress(f"  {r['region']} seed {r['seed']}: {r['seconds']['total']:.0f} s")
            runs.append(r)
    return runs


def evaluate(runs: list[dict], targets: pd.DataFrame) -> pd.DataFrame:
    """One row per target: model median and 10-90 % band over seeds, first and last year."""
    by_region: dict[str, list[dict]] = {}
    for r in runs:
        by_region.setdefault(r["region"], []).append(r)
    if "national" not in by_region:  # pooled regions as a stand-in for the country (said in the table)
        pooled: dict[int, dict] = {}
        for r in runs:
            p = pooled.setdefault(r["seed"], {})
            for k, v in r["series"].items():
                p[k] = p.get(k, 0) + np.asarray(v, dtype=float)
        by_region["national_proxy"] = [{"series": v, "months": runs[0]["months"]} for v in pooled.values()]
    rows = []
    for _, t in targets.iterrows():
        region = t["region"]
        evaluated = (
            region if region in by_region else ("national_proxy" if region == "national" and "national_proxy" in by_region else None)
        )
        if evaluated == "national_proxy" and (t["metric"] == "homeless_g4_share" or t["metric"] in CHAIN_METRICS):
            evaluated = None  # a share of the country, and chains that run across the country, need the country
        row = {**t.to_dict(), "evaluated_on": evaluated or "not run"}
        vals, last = [], []
        for r in by_region.get(evaluated, []) if evaluated else []:
            T = r["months"]
            if t["metric"] in CHAIN_METRICS:  # one cohort per run: no "last year"
                vals.append(r.get("chains", {}).get(t["metric"], float("nan")))
                last.append(float("nan"))
                continue
            vals.append(metrics(r["series"], slice(1, 13)).get(t["metric"], float("nan")))
            last.append(metrics(r["series"], slice(T - 11, T + 1)).get(t["metric"], float("nan")) if T >= 24 else float("nan"))
        vals_a = np.array(vals, dtype=float)
        ok = vals_a[~np.isnan(vals_a)]
        tol = tolerance(float(t["value"]), t["tolerance"])
        row.update(
            model_median=float(np.median(ok)) if ok.size else float("nan"),
            model_p10=float(np.quantile(ok, 0.1)) if ok.size else float("nan"),
            model_p90=float(np.quantile(ok, 0.9)) if ok.size else float("nan"),
            last_year_median=float(np.nanmedian(last)) if last and not np.all(np.isnan(last)) else float("nan"),
            seeds=int(ok.size),
            tolerance_abs=tol,
        )
        row["within_tolerance"] = bool(ok.size and abs(row["model_median"] - float(t["value"])) <= tol)
        rows.append(row)
    return pd.DataFrame(rows)


def little_table(runs: list[dict]) -> pd.DataFrame:
    """Little's law per region and group: medians over seeds."""
    rows = []
    for r in runs:
        if "little" not in r:
            continue
        for g, v in little(r).items():
            rows.append(
                {
                    "region": r["region"],
                    "seed": r["seed"],
                    "group": g,
                    **{k: v[k] for k in ("L", "lambda", "W", "lambda_W", "gap", "growth", "flow_balance")},
                    **{f"exit_{k}": n for k, n in v["exits"].items()},
                    "matches_indicator": r["little"]["matches_indicator"],
                }
            )
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    num = [c for c in df.columns if c not in ("region", "seed", "group", "flow_balance", "matches_indicator")]
    agg = df.groupby(["region", "group"], sort=False)[num].median().reset_index()
    flags = df.groupby(["region", "group"], sort=False)[["flow_balance", "matches_indicator"]].all().reset_index()
    agg = agg.merge(flags, on=["region", "group"])
    agg["within_tolerance"] = agg["gap"] <= LITTLE_TOLERANCE
    return agg


# -- writing ----------------------------------------------------------------------------------
def _fmt(v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    a = abs(v)
    return f"{v:,.0f}" if a >= 100 else f"{v:.1f}" if a >= 10 else f"{v:.2f}" if a >= 1 else f"{v:.3f}"


def plot_targets(table: pd.DataFrame, path: Path) -> None:
    """Model / target per target (log scale): median, 10-90 % band and the tolerance band."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = table[table["seeds"] > 0].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(t) + 1.6))
    y = np.arange(len(t))[::-1]
    v = t["value"].to_numpy(float)
    lo_lim, hi_lim = 0.05, 30.0
    with np.errstate(divide="ignore", invalid="ignore"):
        rel, lo, hi = (np.clip(t[c].to_numpy(float) / v, lo_lim, hi_lim) for c in ("model_median", "model_p10", "model_p90"))
        tol = t["tolerance_abs"].to_numpy(float) / np.abs(v)
    left = np.maximum(1 - tol, lo_lim)
    ax.barh(y, np.minimum(1 + tol, hi_lim) - left, left=left, color="#dfe8d8", label="target ± tolerance")
    ax.hlines(y, np.minimum(lo, hi), np.maximum(lo, hi), color="#555", lw=2, label="model 10–90 % band")
    within = t["within_tolerance"].to_numpy(bool)
    ax.plot(rel[within], y[within], "o", color="#2a7", ms=4, label="model median, within tolerance")
    ax.plot(rel[~within], y[~within], "o", color="#c33", ms=4, label="model median, outside")
    ax.axvline(1, color="#2a7", lw=0.8)
    ax.set_yticks(y, t["target_id"])
    ax.set_xscale("log")
    ax.set_xlim(lo_lim, hi_lim)
    ax.set_xlabel("model / target (1 = on target; log scale, clipped to 0.05–30)")
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plots(table: pd.DataFrame, runs: list[dict], lt: pd.DataFrame, folder: Path) -> list[str]:
    """targets.png (model / target with band and tolerance), series.png (waiting list, lettings,
    homeless per region), little.png (L against lambda W per group)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plot_targets(table, folder / "targets.png")
    names = ["targets.png"]

    regions = list(dict.fromkeys(r["region"] for r in runs))
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    for region in regions:
        rs = [r for r in runs if r["region"] == region]
        for ax, (name, label, f) in zip(
            axes,
            (
                ("waiting", "waiting list / households at start", lambda s: s["waiting"] / s["households"][0]),
                ("allocations", "lettings a year / social stock", lambda s: 12 * s["allocations"] / s["social_stock"][0]),
                ("homeless_cbs", "homeless (CBS count) / at start", lambda s: s["homeless_cbs"] / max(s["homeless_cbs"][0], 1)),
            ),
            strict=True,
        ):
            arr = np.stack([f(r["series"]) for r in rs])
            months = np.arange(arr.shape[1])
            if name == "allocations":
                arr = pd.DataFrame(arr.T).rolling(12, min_periods=1).mean().to_numpy().T.copy()
                arr[:, 0] = np.nan
            with warnings.catch_warnings():  # month 0 has no lettings: an all-NaN column
                warnings.simplefilter("ignore", RuntimeWarning)
                mid, lo, hi = (np.nanquantile(arr, q, axis=0) for q in (0.5, 0.1, 0.9))
            ax.plot(months, mid, label=region, lw=1.2)
            ax.fill_between(months, lo, hi, alpha=0.15)
            ax.set_title(label, fontsize=9)
            ax.set_xlabel("month")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(folder / "series.png", dpi=110)
    plt.close(fig)
    names.append("series.png")

    if not lt.empty:
        fig, ax = plt.subplots(figsize=(5, 5))
        d = lt[lt["L"] > 0]
        ax.loglog(d["L"], d["lambda_W"], "o", ms=3, color="#357")
        lim = [max(d[["L", "lambda_W"]].min().min(), 0.1), d[["L", "lambda_W"]].max().max() * 1.2]
        ax.plot(lim, lim, color="#999", lw=0.8)
        ax.fill_between(lim, [x * (1 - LITTLE_TOLERANCE) for x in lim], [x * (1 + LITTLE_TOLERANCE) for x in lim], color="#ddd", alpha=0.5)
        ax.set_xlabel("L: mean waiting list (households)")
        ax.set_ylabel("λ W: exits a month × mean months on the list")
        ax.set_title("Little's law per region and group", fontsize=9)
        fig.tight_layout()
        fig.savefig(folder / "little.png", dpi=110)
        plt.close(fig)
        names.append("little.png")
    return names


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True, cwd=Path(__file__).parent
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _fitted_text(table: pd.DataFrame) -> list[str]:
    """Which targets the model was fitted to (``used_for_calibration``, see docs/calibration.md) and which never."""
    used = table.loc[table["used_for_calibration"].astype(bool), "target_id"]
    never = table.loc[~table["used_for_calibration"].astype(bool), "target_id"]
    if used.empty:
        return ["**Nothing in this model has been calibrated**: every comparison below is out of sample (never fitted to)."]
    return [
        f"**Fitted to ({len(used)} targets, `used_for_calibration = true`; the homeless trend is fitted by the `new_homeless_rate` driver series, experiments/homeless; fits by `abm calibrate` are marked when applied, docs/calibration.md):** "
        + ", ".join(f"`{t}`" for t in used)
        + ". These are in-sample: being near them shows the fit, not the model's validity.",
        f"**Out of sample: the model was never fitted to these {len(never)} targets:** " + ", ".join(f"`{t}`" for t in never) + ".",
    ]


def markdown(table: pd.DataFrame, lt: pd.DataFrame, runs: list[dict], plan: Plan, command: str, pictures: list[str]) -> str:
    scale = "every household at 1:1" if plan.households is None else f"scaled synthetic regions of about {plan.households:,} households"
    secs = sum(r["seconds"]["total"] for r in runs)
    sizes = {}
    for r in runs:
        sizes.setdefault(r["region"], r["households_start"])
    n_in = int(table["within_tolerance"].sum())
    n_eval = int((table["seeds"] > 0).sum())
    lines = [
        "# Validation report: the baseline against observed figures",
        "",
        f"Generated by `{command}` (code {_commit()}, {time.strftime('%Y-%m-%d')}). What was run: the baseline (today's rules,",
        f"no measures) of {', '.join(dict.fromkeys(r['region'] for r in runs))}; {scale}"
        + ("" if plan.national else "; **no national run** (national targets are evaluated on the pooled regions, marked `national_proxy`)")
        + f"; seeds 1..{plan.seeds}; {plan.years} years from 1 Jan 2021; {secs / 60:.1f} minutes of compute in all.",
        "Households at month 0 (seed 1): " + ", ".join(f"{k} {v:,.0f}" for k, v in sizes.items()) + ".",
        "",
        *_fitted_text(table),
        "Targets are copied with their sources from `../shared/data/FACTS.md` (status V verified, D derived there or here)",
        "into `abm/data/targets.csv`.",
        "The model is compared over its first year (months 1–12, i.e. 2021; stocks at month 0 or 12); the median of the",
        "last simulated year is shown as well, to show drift (the baseline starts after a 60-month spin-up and follows the driver series).",
        f"**{n_in} of {n_eval} evaluated targets are within tolerance.** Regenerate with `abm validate` (see README).",
        "",
        "| target | region | source (status, year) | observed | model median | band 10–90 % | tolerance | within | last year |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for _, t in table.iterrows():
        lines.append(
            f"| `{t['target_id']}`{' (fitted)' if t['used_for_calibration'] else ''}: {t['description']} | {t['evaluated_on']} | {t['source']} ({t['status']}, {t['year']}) | "
            f"{_fmt(t['value'])} {t['unit']} | {_fmt(t['model_median'])} | {_fmt(t['model_p10'])} – {_fmt(t['model_p90'])} | "
            f"± {t['tolerance']} | {'yes' if t['within_tolerance'] else 'no' if t['seeds'] else 'not run'} | {_fmt(t['last_year_median'])} |"
        )
    lines += [
        "",
        "Metrics (per run, then the median and 10–90 % band over seeds): `turnover` lettings in the year / social stock at its",
        "start; `seekers_per_household` mean `waiting` / households; `success_rate` lettings / mean `waiting` (the `_regular`",
        "variant: regular seekers' lettings / regular seekers waiting); `registration_years_mean` mean registration time at",
        "letting over the year's lettings (followed per letting; the indicator table has only the monthly median);",
        "`priority_share` lettings by urgency, mover priority or direct placement / lettings; `urgency_share` by urgency;",
        "`homeless_per_10k_households` `homeless_cbs` (persons 18–65 roofless or in a homeless shelter, as CBS counts them) at",
        "month 0 per 10,000 households in a dwelling (`households_housed`); `homeless_change_12m`/`_36m` `homeless_cbs` at month",
        "12/36 over month 0; `homeless_g4_share` the G4's part of `homeless_cbs` at month 0; `evictions_per_1000_social`,",
        "`arrears_share` (tenants in arrears at month 12 / social stock), `womens_shelter_per_100k_households` (mean residents;",
        "observed: places, assumed full), `household_growth_12m`, `social_stock_growth_12m`, `moves_per_household`",
        '(household moves; observed: persons). "Households" are the model\'s household rows present in the region, which include',
        "young adults living in with their parents (about 16 % more rows than CBS private households at month 0), so per-household",
        "ratios are biased down by that much.",
        "",
        "![model / target per target](validation/targets.png)",
        "",
        "![waiting list, lettings and homelessness over time](validation/series.png)",
        "",
        "## Little's law on the waiting list, per group",
        "",
        "For each region and group the waiting list (registered seekers actively seeking, at month end — the `waiting`",
        "indicator) is followed household by household. L is its mean over months 1..T, λ the exits per month counting",
        "**every** exit (letting, move to another home, institution, death or nursing home, leaving the region, joining",
        "another household, giving up, and for a group leaving the group), W the mean months on the list of those leaving",
        "(since `seek_since` for those already on the list at month 0). In a steady state L = λ W; the tolerance is",
        f"{LITTLE_TOLERANCE:.0%}. `growth` is L at the end over L at the start: where the list drifts or long waiters",
        "are still on it at the end (W of leavers is then biased down), L ≠ λ W shows that the baseline is not",
        "stationary, not a bookkeeping error. The bookkeeping itself is checked exactly: `followed = indicator` says the",
        "followed list equals the `waiting` indicator of every group in every month, and `balance` that L(t) − L(t−1) =",
        "entries − exits every month. Medians over seeds; exits are totals over the run (median over seeds).",
        "",
        "| region | group | L | λ (/month) | W (months) | λ W | gap | within | growth | letting | moved | institution | died | left region | joined | gave up | left group | followed = indicator | balance |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for _, r in lt.iterrows():
        if r["L"] < 1:
            continue
        ex = [r[f"exit_{k}"] for k in EXIT_KINDS]
        lines.append(
            f"| {r['region']} | {r['group']} | {_fmt(r['L'])} | {_fmt(r['lambda'])} | {_fmt(r['W'])} | {_fmt(r['lambda_W'])} | "
            f"{r['gap']:.0%} | {'yes' if r['within_tolerance'] else 'no'} | {_fmt(r['growth'])} | "
            + " | ".join(_fmt(x) for x in ex)
            + f" | {'yes' if r['matches_indicator'] else 'NO'} | {'yes' if r['flow_balance'] else 'NO'} |"
        )
    if "little.png" in pictures:
        lines += ["", "![Little's law](validation/little.png)"]
    lines += [
        "",
        "## Stylised facts (tests over paired seeds)",
        "",
        "The report's qualitative claims are tests in `tests/test_stylised_facts.py` (small synthetic regions, paired seeds,",
        "pooled: paired t of at least 2), next to `tests/test_emergent.py`: more urgency displaces regular seekers (fewer",
        "regular lettings, longer waits); less outflow blocks institutions and shelters; seniors moving on lengthen vacancy",
        "chains, overall and those started by new build (dwellings vacated per new build, CBS's *Verhuisketens* definition);",
        "flex housing targeted at homeless people and institution leavers reduces homelessness and blocked outflow;",
        "distributing the permit-holder quota by market pressure (seekers per letting) moves placements away from the",
        "tightest markets. Effect sizes: `experiments/facts/`.",
        "",
    ]
    return "\n".join(lines)


def write_report(runs: list[dict], plan: Plan, out: Path, command: str) -> pd.DataFrame:
    """Write ``out/validation.md``, ``out/validation/*.png`` and ``out/validation/validation.json``."""
    targets = load_targets()
    table = evaluate(runs, targets)
    lt = little_table(runs)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".validation-", dir=out))
    try:
        (tmp / "validation").mkdir()
        pictures = plots(table, runs, lt, tmp / "validation")
        payload = {
            "command": command,
            "plan": plan.__dict__,
            "commit": _commit(),
            "targets": json.loads(table.to_json(orient="records")),
            "little": json.loads(lt.to_json(orient="records")),
            "runs": [{k: r[k] for k in ("region", "seed", "months", "households_setting", "households_start", "seconds")} for r in runs],
        }
        (tmp / "validation" / "validation.json").write_text(json.dumps(payload, indent=1))
        (tmp / "validation.md").write_text(markdown(table, lt, runs, plan, command, pictures))
        if (out / "validation").exists():
            shutil.rmtree(out / "validation")
        (tmp / "validation").rename(out / "validation")
        (tmp / "validation.md").replace(out / "validation.md")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return table


# -- command line -----------------------------------------------------------------------------
def add_parser(sub, positive_int) -> None:
    v = sub.add_parser(
        "validate",
        help="compare the baseline with observed figures; write validation.md, plots and JSON",
        description="Run the national and regional baselines over several seeds, compare every target of abm/data/targets.csv "
        "(median and 10-90 %% band), check Little's law on the waiting list per group, and write OUT/validation.md, "
        "OUT/validation/*.png and OUT/validation/validation.json.",
    )
    v.add_argument("--regions", default=",".join(r for r in REGIONS if r != "national"), help=f"comma-separated: {', '.join(REGIONS)}")
    v.add_argument("--seeds", type=positive_int("--seeds", 1, 50), default=None, help="seeds 1..N (default 3; --quick 2)")
    v.add_argument("--years", type=positive_int("--years", 1, 50), default=None, help="years (default 5; --quick 3)")
    v.add_argument(
        "--households",
        type=positive_int("--households", 1000, 10_000_000),
        default=None,
        help="scaled synthetic regions of about this many households (default: 1:1)",
    )
    v.add_argument("--out", default="docs", help="folder for validation.md and validation/ (default: docs)")
    v.add_argument(
        "--quick",
        action="store_true",
        help=f"CI variant: regions of about {QUICK_HOUSEHOLDS:,} households, 2 seeds, 3 years, no national run",
    )
    v.add_argument("--jobs", type=positive_int("--jobs", 1, 64), default=1, help="parallel processes (default 1)")


def cmd_validate(args: argparse.Namespace, usage_error) -> int:
    import sys

    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    bad = [r for r in regions if r not in REGIONS]
    if bad or not regions:
        raise usage_error(f"--regions: unknown region '{bad[0] if bad else ''}' (choose from {', '.join(REGIONS)})")
    from .cli import _output_folder

    out, _ = _output_folder(args.out)
    national = "national" in regions and not args.quick
    plan = Plan(
        regions=[r for r in regions if r != "national"],
        seeds=args.seeds or (2 if args.quick else 3),
        years=args.years or (3 if args.quick else 5),
        households=args.households or (QUICK_HOUSEHOLDS if args.quick else None),
        national=national,
    )
    command = "abm validate " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["validate"] else "abm validate"
    print(f"validate: {len(plan.regions)} region(s){' + national' if plan.national else ''}, {plan.seeds} seed(s), {plan.years} year(s)")
    runs = run_all(plan, args.jobs)
    table = write_report(runs, plan, out, command)
    print(
        f"{int(table['within_tolerance'].sum())} of {int((table['seeds'] > 0).sum())} targets within tolerance; wrote {out / 'validation.md'}"
    )
    return 0
