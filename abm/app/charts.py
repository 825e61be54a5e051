"""The app's charts as small matplotlib figures (object API, no pyplot: safe in threads).

Every function takes the recorder blocks of the participant's model (and, where it compares,
those of the baseline) and the language, and returns a ``Figure``. Figures are small and drawn
only for the visible tab, so a redraw costs tens of milliseconds.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..allocation import ROUTES
from ..codes import GROUPS, ChainEnd, HomelessCause
from ..indicators import KIND_INDICATOR
from . import series as s
from .texts import CHAIN_LABELS, GROUP_LABELS, INSTITUTION_LABELS, ROUTE_LABELS, pick, t

WIDE = (9.0, 4.0)
DPI = 80
BASE_COLOUR = "#9e9e9e"
PACKAGE_COLOUR = "#1565c0"
#: the groups shown in the waiting-time chart (the largest or most discussed)
WAIT_GROUPS = ("regular", "senior", "homeless", "social_urgent", "refugee", "young_adult", "institution_leaver", "student")


def _figure(size: tuple[float, float] = WIDE, ncols: int = 1) -> tuple[Figure, list]:
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    for ax in axes:
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    return fig, list(axes)


def _years(blocks: s.Blocks) -> np.ndarray:
    return s.months(blocks) / 12.0


def waiting(blocks: s.Blocks, lang: str) -> Figure:
    fig, (ax,) = _figure()
    x = _years(blocks)
    for g in WAIT_GROUPS:
        y = s.rolling_mean(s.total(blocks, "wait_months_median", g))
        if np.isfinite(y).any():
            ax.plot(x, y, label=pick(GROUP_LABELS[g], lang), lw=1.5)
    ax.set_title(t("waiting_title", lang), fontsize=10)
    ax.set_xlabel(t("year", lang), fontsize=8)
    ax.set_ylabel(t("months", lang), fontsize=8)
    if ax.lines:
        ax.legend(fontsize=7, ncols=2, loc="upper left")
    return fig


def institutions(blocks: s.Blocks, lang: str) -> Figure:
    fig, (a1, a2) = _figure((9.6, 4.0), ncols=2)
    x = _years(blocks)
    for kind, name in KIND_INDICATOR.items():
        key = kind.name.lower()
        a1.plot(x, s.total(blocks, name), label=pick(INSTITUTION_LABELS[key], lang), lw=1.5)
        a2.plot(x, s.total(blocks, f"blocked_{key}"), lw=1.5)
    a1.set_title(t("occupancy_title", lang), fontsize=9)
    a2.set_title(t("blocked_title", lang), fontsize=9, wrap=True)
    for ax in (a1, a2):
        ax.set_xlabel(t("year", lang), fontsize=8)
        ax.set_ylim(bottom=0)
    a1.set_ylabel(t("households", lang), fontsize=8)
    a1.legend(fontsize=6)
    return fig


def homelessness(blocks: s.Blocks, lang: str, base: s.Blocks | None = None) -> Figure:
    fig, (ax,) = _figure()
    for b, style, who in ((base, "--", "baseline"), (blocks, "-", "package")):
        if b is None:
            continue
        x = _years(b)
        homeless = s.total(b, "homeless")
        shelter = s.total(b, "in_shelter") + s.total(b, "in_womens_shelter")
        suffix = f" ({t(who, lang)})" if base is not None else ""
        ax.plot(x, homeless, style, color="#c62828", label=t("homeless_total", lang) + suffix, lw=1.5)
        ax.plot(x, shelter, style, color="#6a1b9a", label=t("in_shelter", lang) + suffix, lw=1.2)
        ax.plot(x, np.maximum(homeless - shelter, 0), style, color="#ef6c00", label=t("roofless", lang) + suffix, lw=1.2)
    ax.set_title(t("homeless_title", lang), fontsize=10)
    ax.set_xlabel(t("year", lang), fontsize=8)
    ax.set_ylabel(t("households", lang), fontsize=8)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, ncols=2)
    return fig


def _paired_bars(ax, labels: list[str], package: np.ndarray, base: np.ndarray | None, lang: str) -> None:
    y = np.arange(len(labels))
    h = 0.4 if base is not None else 0.8
    ax.barh(y - (h / 2 if base is not None else 0), package, height=h, color=PACKAGE_COLOUR, label=t("package", lang))
    if base is not None:
        ax.barh(y + h / 2, base, height=h, color=BASE_COLOUR, label=t("baseline", lang))
        ax.legend(fontsize=7)
    ax.set_yticks(y, labels, fontsize=7)
    ax.invert_yaxis()


def vacancies(blocks: s.Blocks, lang: str, base: s.Blocks | None = None) -> Figure:
    fig, (a1, a2) = _figure((9.6, 4.2), ncols=2)
    groups = list(GROUPS)
    pg = np.array([s.last_year_sum(blocks, "allocations", g) for g in groups])
    bg = np.array([s.last_year_sum(base, "allocations", g) for g in groups]) if base else None
    _paired_bars(a1, [pick(GROUP_LABELS[g], lang) for g in groups], pg, bg, lang)
    pr = np.array([s.last_year_sum(blocks, f"allocations_{r}") for r in ROUTES])
    br = np.array([s.last_year_sum(base, f"allocations_{r}") for r in ROUTES]) if base else None
    _paired_bars(a2, [pick(ROUTE_LABELS[r], lang) for r in ROUTES], pr, br, lang)
    a1.set_title(t("by_group_title", lang), fontsize=9)
    a2.set_title(t("by_route_title", lang), fontsize=9)
    for ax in (a1, a2):
        ax.set_xlabel(t("lettings", lang), fontsize=8)
    return fig


def chains(blocks: s.Blocks, lang: str) -> Figure:
    fig, (a1, a2) = _figure((9.6, 4.0), ncols=2)
    x = _years(blocks)
    a1.plot(x, s.rolling_mean(s.total(blocks, "chain_moves_mean")), color="k", lw=2, label="totaal" if lang == "nl" else "all")
    for c in ("new_build", "death", "senior_move", "flex"):
        y = s.rolling_mean(s.total(blocks, f"chain_moves_mean_{c}"))
        if np.isfinite(y).any():
            a1.plot(x, y, lw=1.2, label=f"{t('chains_start', lang)} {pick(CHAIN_LABELS[c], lang)}")
    a1.set_title(t("chains_title", lang), fontsize=9)
    a1.set_xlabel(t("year", lang), fontsize=8)
    a1.legend(fontsize=6)
    ends = [e.name.lower() for e in ChainEnd]
    vals = [s.last_year_sum(blocks, f"chains_ended_{e}") for e in ends]
    names = {"starter": ("starter (inwonend)", "starter (living in)"), "institution": ("uit instelling", "from an institution")}
    names |= {"homeless": ("dakloos", "roofless"), "newcomer": ("van buiten de regio", "from outside the region")}
    labels = [pick(names.get(e, (e, e)), lang) for e in ends]
    a2.barh(np.arange(len(ends)), vals, color=PACKAGE_COLOUR)
    a2.set_yticks(np.arange(len(ends)), labels, fontsize=7)
    a2.set_title(t("chains_end_title", lang), fontsize=9)
    return fig


COMPARE = (
    ("waiting", "waiting", 1.0),
    ("wait_median", "wait_months_median", 1.0),
    ("homeless", "homeless", 1.0),
    ("blocked_total", "blocked_in_institution", 1.0),
    ("social_stock", "social_stock", 1.0),
    ("measure_cost_cum", "measure_cost", 1e-6),
)


def compare(blocks: s.Blocks, base: s.Blocks, lang: str) -> Figure:
    fig = Figure(figsize=(9.6, 5.2), dpi=DPI, layout="constrained")
    axes = fig.subplots(2, 3).ravel()
    for ax, (label, name, scale) in zip(axes, COMPARE, strict=True):
        for b, colour, who in ((base, BASE_COLOUR, "baseline"), (blocks, PACKAGE_COLOUR, "package")):
            y = s.total(b, name) * scale
            if name == "measure_cost":
                y = np.cumsum(np.nan_to_num(y))
            elif name == "wait_months_median":
                y = s.rolling_mean(y)
            ax.plot(_years(b), y, color=colour, lw=1.6, label=t(who, lang))
        ax.set_title(t(label, lang), fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    return fig


def monitor(blocks: s.Blocks, lang: str) -> Figure:
    """What the report asks to monitor, and the municipalities' decisions (issue 16 §2, §5)."""
    fig = Figure(figsize=(9.6, 5.4), dpi=DPI, layout="constrained")
    axes = fig.subplots(2, 3).ravel()
    x = _years(blocks)
    axes[0].plot(x, s.total(blocks, "homes_needed"), color=PACKAGE_COLOUR, lw=1.6)
    axes[0].set_ylabel(t("households", lang), fontsize=7)
    for cause in HomelessCause:
        name = cause.name.lower()
        y = s.total(blocks, f"homeless_inflow_{name}")
        axes[1].plot(x, np.convolve(np.nan_to_num(y), np.ones(12), mode="full")[: y.size], lw=1.4, label=t(f"cause_{name}", lang))
    axes[1].legend(fontsize=6)
    axes[2].plot(x, s.total(blocks, "quota_realised"), color=PACKAGE_COLOUR, lw=1.4)
    axes[3].plot(x, s.total(blocks, "social_share"), color=PACKAGE_COLOUR, lw=1.6)
    axes[3].axhline(0.3, color=BASE_COLOUR, ls="--", lw=1)
    for name, label in (("municipal_effort", "effort"), ("permit_factor", "permits"), ("flex_factor", "flex_sites")):
        axes[4].plot(x, s.total(blocks, name), lw=1.4, label=t(label, lang))
    axes[4].legend(fontsize=6)
    for name, label in (("agreement_letting_met", "letting_commitment"), ("agreement_build_met", "build_commitment")):
        axes[5].plot(x, s.total(blocks, name), lw=1.4, label=t(label, lang))
    axes[5].set_ylim(-0.05, 1.05)
    axes[5].legend(fontsize=6)
    titles = ("monitor_homes_needed", "monitor_inflow", "monitor_quota", "monitor_social_share", "monitor_decisions", "monitor_agreements")
    for ax, title in zip(axes, titles, strict=True):
        ax.set_title(t(title, lang), fontsize=8, wrap=True)
        ax.set_xlabel(t("year", lang), fontsize=7)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in (axes[2], axes[3]):
        ax.set_ylabel(t("share", lang), fontsize=7)
    return fig


def cost_totals(blocks: s.Blocks, unit_costs: dict[str, float]) -> dict[str, tuple[str, float]]:
    """Per cost item of ``abm.compare.COST_ITEMS``: (kind, euros so far)."""
    from ..compare import COST_ITEMS

    out = {}
    for item, kind, key, names, per, _ in COST_ITEMS:
        q = sum((-s.total(blocks, n[1:]) if n.startswith("-") else s.total(blocks, n)) for n in names)
        q = np.clip(np.nan_to_num(np.asarray(q, dtype=float))[1:], 0, None)  # months after the start
        price = 1.0 if not key else unit_costs[key] / (12.0 if per == "year" else 1.0)
        out[item] = (kind, float(q.sum() * price))
    return out


def costs(blocks: s.Blocks, base: s.Blocks, unit_costs: dict[str, float], lang: str) -> Figure:
    p, b = cost_totals(blocks, unit_costs), cost_totals(base, unit_costs)
    items = list(p)
    fig, (ax,) = _figure((9.6, 4.2))
    labels = [i.split(" (")[0] if lang == "en" else i.split("(")[-1].rstrip(")") for i in items]
    _paired_bars(ax, labels, np.array([p[i][1] for i in items]) / 1e6, np.array([b[i][1] for i in items]) / 1e6, lang)
    ax.set_title(t("costs_title", lang), fontsize=10)
    return fig
