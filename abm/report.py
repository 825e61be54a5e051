"""One self-contained HTML report of a scenario comparison (``abm compare``).

Charts are inline SVG drawn with matplotlib's object API (``Figure``, not pyplot, with the report's
style in an ``rc_context``: the caller's backend and rcParams are left alone; text kept as text so
the file stays light); nothing is loaded from elsewhere. Lines are medians over seeds, bands the
10-90 % range over seeds; differences are paired by seed (common random numbers).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

GROUP_PANELS = ["regular", "senior", "homeless", "refugee", "institution_leaver", "young_adult", "social_urgent"]
GROUP_LABELS = {
    "all": "all households",
    "regular": "regular (regulier)",
    "senior": "seniors (ouderen)",
    "homeless": "homeless (dakloos)",
    "refugee": "permit holders (statushouders)",
    "institution_leaver": "institution leavers (uitstroom)",
    "young_adult": "young adults (jongeren)",
    "social_urgent": "social urgency (urgent)",
}
BLOCKED = [
    ("blocked_in_institution", "all institutions"),
    ("blocked_shelter", "shelter (MO)"),
    ("blocked_womens_shelter", "women's shelter"),
    ("blocked_protected_housing", "protected housing (BW)"),
    ("blocked_asylum_centre", "asylum centre (AZC)"),
    ("blocked_detention", "detention"),
    ("blocked_youth_care", "youth care"),
]
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]
START_YEAR = 2021

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;max-width:1100px;margin:1.5em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ccc}h3{font-size:1.05em}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0}th,td{border:1px solid #ddd;padding:.25em .5em;vertical-align:top}
th{background:#f3f3f3;text-align:left}td.n{text-align:right;white-space:nowrap}tr.total td{font-weight:600;background:#fafafa}
tr.diff td{font-style:italic;background:#f6f9ff}.note{color:#555;font-size:.9em}svg{max-width:100%;height:auto}
.k{font-weight:700}.legend span{display:inline-block;margin-right:1.2em}.sw{display:inline-block;width:1.6em;height:.6em;
margin-right:.3em;vertical-align:middle}code{background:#f3f3f3;padding:0 .2em}
"""


def _e(x: object) -> str:
    return html.escape(str(x), quote=True)


def _fmt(v: float, digits: int = 3) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "–"
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def _eur(v: float) -> str:
    if v is None or np.isnan(v):
        return "–"
    a, sign = abs(v), "−" if v < 0 else ""
    if a >= 1e9:
        return f"{sign}€{a / 1e9:,.2f} bn"
    if a >= 1e6:
        return f"{sign}€{a / 1e6:,.2f} M"
    if a >= 1e4:
        return f"{sign}€{a / 1e3:,.0f} k"
    return f"{sign}€{a:,.0f}"


# -- charts -------------------------------------------------------------------------------------------
# The report's own look, applied only while its figures are drawn and saved (rc_context), on
# figures that are not pyplot's: the caller's backend, pyplot state and rcParams stay as they were.
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "abm-compare",
    "font.size": 8,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "axes.titlesize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": True,
}


def _short_path(d: str) -> str:
    d = re.sub(r"(\d\.\d)\d+", r"\1", d)
    d = re.sub(r"\s+L\s+", " ", d)  # after M, further coordinate pairs are line-tos
    return re.sub(r"\s+", " ", d).strip()


def _svg(fig) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    # Coordinates to 0.1 pt and implicit line-tos (path data and positions only, not opacities): half the size.
    text = re.sub(r'( (?:d|x|y)=")([^"]*)"', lambda m: m.group(1) + _short_path(m.group(2)) + '"', text)
    return re.sub(r" ?\n\s*", "\n", text)


def _series(summary: pd.DataFrame, scenario: str, group: str, indicator: str) -> pd.DataFrame:
    s = summary[(summary["scenario"] == scenario) & (summary["group"] == group) & (summary["indicator"] == indicator)]
    return s.sort_values("month")


def _panels(
    summary: pd.DataFrame,
    scenarios: Sequence[str],
    panels: Sequence[tuple[str, str, str]],
    ncols: int = 4,
    ylabel: str = "",
    from_month: int = 0,
    block: int = 1,
) -> str:
    """A grid of small panels (title, group, indicator): median line and 10-90 % band per scenario."""
    with matplotlib.rc_context(STYLE):
        return _draw_panels(summary, scenarios, panels, ncols, ylabel, from_month, block)


def _draw_panels(
    summary: pd.DataFrame,
    scenarios: Sequence[str],
    panels: Sequence[tuple[str, str, str]],
    ncols: int,
    ylabel: str,
    from_month: int,
    block: int,
) -> str:
    n = len(panels)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig = Figure(figsize=(2.6 * ncols, 1.9 * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, (title, group, indicator) in enumerate(panels):
        ax = axes[k // ncols][k % ncols]
        drawn = False
        for i, sc in enumerate(scenarios):
            s = _series(summary, sc, group, indicator)
            s = s[s["month"] >= from_month]
            if s.empty:
                continue
            if block > 1:  # long runs: means over blocks of months keep the file light
                s = s.groupby((s["month"] - from_month) // block, sort=True)[["month", "median", "p10", "p90"]].mean()
            x = START_YEAR + s["month"].to_numpy() / 12.0
            c = COLOURS[i % len(COLOURS)]
            ax.fill_between(x, s["p10"].to_numpy(float), s["p90"].to_numpy(float), color=c, alpha=0.18, linewidth=0)
            med = s["median"].to_numpy(float)
            sparse = np.isnan(med).mean() > 0.2  # isolated months would not show as a line
            ax.plot(x, med, color=c, linewidth=1.2, marker="." if sparse else None, markersize=2.5)
            drawn = drawn or bool(np.isfinite(med).any())
        ax.set_title(title, loc="left")
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.25, linewidth=0.5)
        ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        if not drawn:
            ax.text(0.5, 0.5, "no observations", transform=ax.transAxes, ha="center", va="center", color="#888")
            ax.set_xticks([])
            ax.set_yticks([])
        if k % ncols == 0 and ylabel:
            ax.set_ylabel(ylabel)
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].axis("off")
    fig.tight_layout()
    return _svg(fig)


def _legend(scenarios: Sequence[str], block: int = 1) -> str:
    items = "".join(
        f'<span><span class="sw" style="background:{COLOURS[i % len(COLOURS)]}"></span>{_e(s)}</span>' for i, s in enumerate(scenarios)
    )
    avg = f"; means over blocks of {block} months" if block > 1 else ""
    return f'<p class="legend">{items} <span class="note">line: median over seeds; band: 10–90 % of seeds{avg}</span></p>'


def _shares_from_means(summary: pd.DataFrame, window: int = 12) -> pd.DataFrame:
    """Allocation shares from the mean allocations over seeds (no bands), when per-seed shares are not given."""
    sub = summary[(summary["indicator"] == "allocations") & (summary["month"] >= 1)]
    wide = sub.set_index(["scenario", "group", "month"])["mean"].unstack("month").sort_index()
    rolled = wide.T.rolling(window, min_periods=1).sum().T
    den = rolled.xs("all", level="group").reindex(rolled.index.droplevel("group")).to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(den > 0, rolled.to_numpy(float) / np.where(den > 0, den, 1), np.nan)
    out = pd.DataFrame(share, index=rolled.index, columns=rolled.columns)
    out.columns.name = "month"
    out = out.stack(future_stack=True).rename("median").reset_index()
    out["p10"] = out["p90"] = out["mean"] = out["median"]
    out["indicator"] = "allocation_share"
    return out


# -- tables -------------------------------------------------------------------------------------------
def _diff_tables(diffs: pd.DataFrame, summary: pd.DataFrame) -> str:
    from .compare import headline
    from .indicators import INDICATORS

    if diffs is None or diffs.empty:
        return "<p>No other scenario than the reference.</p>"
    rows = headline(diffs)
    out = []
    for sc in dict.fromkeys(rows["scenario"]):
        part = rows[rows["scenario"] == sc]
        ref = str(part["reference"].iloc[0])
        last_ref = int(summary.loc[summary["scenario"] == ref, "month"].max())
        out.append(f"<h3>{_e(sc)} minus {_e(ref)}</h3>")
        out.append(
            "<table><tr><th>indicator</th><th>group</th><th>unit</th><th>reference, last month<br>(median)</th>"
            "<th>end of run: median [p10, p90]</th><th>share &gt; 0</th><th>run mean: median [p10, p90]</th><th>share &gt; 0</th></tr>"
        )
        for (group, ind), g in part.groupby(["group", "indicator"], sort=False):
            cells = []
            for stat in ("end", "mean"):
                r = g[g["statistic"] == stat]
                if r.empty:
                    cells += ["<td>–</td>", "<td>–</td>"]
                    continue
                r = r.iloc[0]
                clear = (r["p10"] > 0) or (r["p90"] < 0)
                cls = ' class="n k"' if clear else ' class="n"'
                cells.append(f"<td{cls}>{_fmt(r['median'])} [{_fmt(r['p10'])}, {_fmt(r['p90'])}]</td>")
                cells.append(
                    f'<td class="n">{_fmt(r["share_positive"] * 100, 3)} %</td>' if not np.isnan(r["share_positive"]) else "<td>–</td>"
                )
            lvl = _series(summary, ref, group, ind)
            lvl = lvl[lvl["month"] == last_ref]["median"]
            unit = INDICATORS.get(ind, ("", "", False))[1]
            out.append(
                f"<tr><td><code>{_e(ind)}</code></td><td>{_e(group)}</td><td>{_e(unit)}</td>"
                f'<td class="n">{_fmt(float(lvl.iloc[0]) if len(lvl) else np.nan)}</td>{"".join(cells)}</tr>'
            )
        out.append("</table>")
    out.append(
        '<p class="note">Differences are scenario minus reference for the same seed (common random numbers). '
        "<em>End of run</em>: the value in the last month; <em>run mean</em>: the mean over months 1 to the last. "
        "Bold: the 10–90 % band of the paired differences excludes 0. <em>Share &gt; 0</em>: share of seeds in which the "
        "scenario's value is higher. Whether higher is better depends on the indicator (more homeless is worse, more "
        "allocations is better).</p>"
    )
    return "\n".join(out)


def _cost_tables(costs: pd.DataFrame, unit_costs: pd.DataFrame | None) -> str:
    if costs is None or costs.empty:
        return "<p>No cost table.</p>"
    scenarios = list(dict.fromkeys(costs["scenario"]))
    head = "".join(f"<th>{_e(s)}<br>median [p10–p90]</th>" for s in scenarios)
    out = [
        f"<table><tr><th>item</th><th>kind</th><th>unit cost</th><th>source</th><th>status</th><th>quantity (median, {_e(scenarios[0])})</th>"
        f"{head}</tr>"
    ]
    for item, g in costs.groupby("item", sort=False):
        first = g.iloc[0]
        is_total = first["key"] == "" and "difference" not in item
        is_diff = "difference" in item
        cls = ' class="diff"' if is_diff else (' class="total"' if is_total else "")
        cells = []
        for s in scenarios:
            r = g[g["scenario"] == s]
            if r.empty:
                cells.append('<td class="n">–</td>')
            else:
                r = r.iloc[0]
                cells.append(f'<td class="n">{_eur(r["median"])} [{_eur(r["p10"])} – {_eur(r["p90"])}]</td>')
        if first["key"]:
            unit = f"{_eur(first['unit_cost'])} ({_e(first['unit'])})<br><code>{_e(first['key'])}</code>"
        elif not is_total and not is_diff:
            unit = _e(first["unit"])
        else:
            unit = ""
        q0 = g[g["scenario"] == scenarios[0]]
        qty = (
            f"{_fmt(float(q0['quantity'].iloc[0]))} {_e(q0['quantity_unit'].iloc[0])}"
            if len(q0) and not np.isnan(q0["quantity"].iloc[0])
            else ""
        )
        out.append(
            f"<tr{cls}><td>{_e(item)}</td><td>{_e(first['kind'])}</td><td>{unit}</td><td>{_e(first['source'])}</td>"
            f'<td>{_e(first["status"])}</td><td class="n">{qty}</td>{"".join(cells)}</tr>'
        )
    out.append("</table>")
    out.append(
        '<p class="note">Totals over the whole run in euros of the price year of each unit cost, not discounted. Residents are '
        "priced per person-month at the yearly cost / 12, evictions per eviction, completions per dwelling; measures at "
        "their own spending. Care costs are running societal costs; housing costs are gross investments (a home built "
        "is an asset that earns rent, not a loss), so the two are not one balance. Status: <b>V</b> verified in a public "
        "source, <b>D</b> derived from model or shipped data, <b>M</b> an assumption or placeholder that still needs a "
        "source, <b>C</b> calibrated. Absolute amounts scale with the number of households in the modelled region.</p>"
    )
    if unit_costs is not None and len(unit_costs):
        from .compare import COST_ITEMS

        used = {key: item for item, _, key, *_ in COST_ITEMS if key}
        out.append("<h3>All unit costs on file (<code>abm/data/costs.csv</code>)</h3>")
        out.append("<table><tr><th>key</th><th>value</th><th>unit</th><th>year</th><th>source</th><th>status</th><th>used for</th></tr>")
        for _, r in unit_costs.iterrows():
            out.append(
                f'<tr><td><code>{_e(r["key"])}</code></td><td class="n">{_eur(float(r["value"]))}</td><td>{_e(r["unit"])}</td>'
                f"<td>{_e(r['year'])}</td><td>{_e(r['source'])}</td><td>{_e(r['status'])}</td><td>{_e(used.get(r['key'], '—'))}</td></tr>"
            )
        out.append("</table>")
    return "\n".join(out)


def _run_info(meta: dict, scenarios: Sequence[str]) -> str:
    seeds = meta.get("seeds", [])
    seed_txt = (
        f"{len(seeds)} seeds ({seeds[0]}–{seeds[-1]})"
        if seeds and list(seeds) == list(range(seeds[0], seeds[0] + len(seeds)))
        else str(seeds)
    )
    rows = [
        ("scenarios", ", ".join(scenarios)),
        ("reference", meta.get("reference", scenarios[0])),
        ("seeds (the same for every scenario)", seed_txt),
        ("years", meta.get("years", "")),
        ("model version", meta.get("version", "")),
    ]
    if meta.get("seconds") is not None:
        rows.append(("run time", f"{meta['seconds']:.0f} s"))
    out = ["<table>", *(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows), "</table>"]
    out += [f'<p class="k">Warning: {_e(w)}.</p>' for w in meta.get("warnings") or []]
    details = meta.get("scenario_details") or []
    if details:
        out.append("<table><tr><th>scenario</th><th>given as</th><th>description</th></tr>")
        for d in details:
            out.append(
                f"<tr><td>{_e(d.get('label', ''))}</td><td><code>{_e(d.get('source', ''))}</code></td><td>{_e(d.get('description', ''))}</td></tr>"
            )
        out.append("</table>")
    return "\n".join(out)


def write_html(
    path: str | Path,
    summary: pd.DataFrame,
    diffs: pd.DataFrame,
    costs: pd.DataFrame,
    meta: dict,
    shares: pd.DataFrame | None = None,
) -> Path:
    """Write the comparison report to ``path`` (one self-contained HTML file) and return the path.

    ``summary``, ``diffs`` and ``costs`` are the outputs of ``abm.compare.summarise``,
    ``differences`` and ``cost_table``. ``meta`` describes the run: ``seeds``, ``years``,
    ``version``, ``reference``, optionally ``scenario_details`` (label, source, description),
    ``unit_costs`` (``abm.costs.load_costs()``) and ``seconds``. ``shares`` is the summarised
    ``abm.compare.allocation_shares`` (per-seed bands); without it the shares of the mean
    allocations are drawn.
    """
    scenarios = [str(s) for s in dict.fromkeys(summary["scenario"])]
    last = int(summary["month"].max()) if len(summary) else 0
    block = max(1, int(np.ceil(last / 150)))  # at most ~150 points per line
    panels = partial(_panels, block=block)
    legend = _legend(scenarios, block)
    title = f"Scenario comparison: {' vs '.join(scenarios)}"
    sec: list[str] = []
    sec.append(f"<h1>{_e(title)}</h1>")
    sec.append(
        '<p class="note">Aandachtsgroepen ABM — Dutch social housing through the eyes of its priority groups '
        "(aandachtsgroepen). Region totals; month 0 is 1 January 2021.</p>"
    )
    sec.append("<h2>What was run</h2>")
    sec.append(_run_info(meta, scenarios))

    sec.append("<h2>Waiting time at letting, by group (wachttijd)</h2>")
    sec.append(legend)
    sec.append(
        panels(
            summary, scenarios, [(GROUP_LABELS[g], g, "wait_months_median") for g in GROUP_PANELS], ylabel="months (median)", from_month=1
        )
    )
    sec.append('<p class="note">Median registration time of those housed in the month; gaps are months without lettings to the group.</p>')

    sec.append("<h2>Blocked flow out of institutions (doorstroom)</h2>")
    sec.append(legend)
    sec.append(panels(summary, scenarios, [(label, "all", ind) for ind, label in BLOCKED], ylabel="households"))
    sec.append('<p class="note">Residents ready to leave an institution but without a home, at the end of each month.</p>')

    sec.append("<h2>Homelessness (dak- en thuisloosheid)</h2>")
    sec.append(legend)
    sec.append(
        panels(
            summary,
            scenarios,
            [("homeless: roofless and in shelters", "all", "homeless"), ("in homeless shelters (MO)", "all", "in_shelter")],
            ncols=2,
            ylabel="households",
        )
    )

    sec.append("<h2>Who gets the vacancies (verdeling van vrijkomende woningen)</h2>")
    sec.append(legend)
    sh = shares if shares is not None else _shares_from_means(summary)
    sec.append(
        panels(sh, scenarios, [(GROUP_LABELS[g], g, "allocation_share") for g in GROUP_PANELS], ylabel="share of lettings", from_month=1)
    )
    sec.append(
        '<p class="note">Lettings to the group over all lettings, both summed over the last 12 months. A household may be '
        "in several groups, so shares need not add up to 1."
        + ("" if shares is not None else " Drawn from the mean lettings over seeds (no bands).")
        + "</p>"
    )

    sec.append("<h2>Concentration of vulnerable households (concentratie)</h2>")
    sec.append(legend)
    sec.append(
        panels(
            summary,
            scenarios,
            [
                ("dissimilarity index (0 even … 1 apart)", "all", "dissimilarity_index"),
                ("vulnerable in the weakest third of neighbourhoods", "all", "vulnerable_in_weak_neighbourhoods"),
            ],
            ncols=2,
        )
    )

    sec.append("<h2>Vacancy chains (verhuisketens)</h2>")
    sec.append(legend)
    sec.append(
        panels(summary, scenarios, [("mean moves per chain ended", "all", "chain_moves_mean")], ncols=1, ylabel="moves", from_month=1)
    )

    sec.append("<h2>Differences versus the reference</h2>")
    sec.append(_diff_tables(diffs, summary))

    sec.append("<h2>Social costs (maatschappelijke kosten)</h2>")
    unit_costs = meta.get("unit_costs")
    if unit_costs is not None and not isinstance(unit_costs, pd.DataFrame):
        unit_costs = pd.DataFrame(unit_costs)
    sec.append(_cost_tables(costs, unit_costs))

    sec.append(
        '<h2>How to read this</h2><p class="note">Every scenario ran with the same seeds (common random numbers): for one '
        "seed the households, homes and chance events start the same, and each phase of the month draws from its own "
        "random stream, so a difference between scenarios for one seed is mostly the effect of the scenario. Bands show "
        "the spread over seeds (10th to 90th percentile), not a confidence interval of the mean; with few seeds they are "
        "rough. The model is described in <code>docs/ODD.md</code>; parameters with status M are assumptions.</p>"
    )
    doc = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>\n" + "\n".join(sec) + "\n</body></html>\n"
    )
    path = Path(path)
    path.write_text(doc, encoding="utf-8")
    return path
