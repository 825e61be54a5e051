"""The app's views: one tab each, only the visible tab is drawn, and a chart is redrawn only
when the month, the model, the language or its own choice changed (``solara.use_memo``).

Text is drawn with plain HTML elements (``solara.v.Html``), never ``solara.Markdown``: Solara's
Markdown loads KaTeX and Mermaid from its CDN in the browser, which fails offline (see viz/README.md).
Strings passed as children are text nodes, so no text needs escaping."""

from __future__ import annotations

import solara
from mesa.visualization.utils import update_counter

from ..costs import unit_costs
from . import charts, network
from .series import baseline_blocks, warm_baseline
from .settings import SIZES, Settings
from .state import LANG
from .texts import LABELS, MEASURES, calendar, pick, size_text, t

TABS = (
    "tab_waiting",
    "tab_institutions",
    "tab_homeless",
    "tab_vacancies",
    "tab_network",
    "tab_chains",
    "tab_compare",
    "tab_costs",
    "tab_monitor",
)


@solara.component
def Chart(make, dependencies: list) -> None:
    """A matplotlib figure as a PNG, rebuilt only when ``dependencies`` change."""
    figure = solara.use_memo(make, dependencies)
    solara.FigureMatplotlib(figure, dependencies=dependencies, format="png")


def package_text(settings: Settings, lang: str) -> str:
    """The measures of ``settings`` with their start year and size, e.g. 'Flexwonen (vanaf jaar
    2; 20.000 per jaar)', so that a screenshot of the status line tells what was run."""
    parts = []
    for kind in sorted(settings.measures):
        details = [t("from_year", lang, year=settings.start_year(kind))]
        if kind in SIZES:
            spec = SIZES[kind]
            details.append(size_text(round(settings.size(kind) * spec.scale, 6), spec.unit, lang))
        parts.append(f"{pick(MEASURES[kind][1:3], lang)} ({'; '.join(details)})")
    return ", ".join(parts) or t("none", lang)


def rules_text(settings: Settings, lang: str) -> str:
    """The allocation rules of ``settings`` that differ from today's ('' if none)."""
    rules = []
    if settings.homeless_urgency:
        rules.append(t("homeless_urgency_short", lang))
    if settings.lottery_share > 0:
        rules.append(t("lottery_short", lang, v=round(100 * settings.lottery_share)))
    if settings.local_ties_share > 0:
        rules.append(t("local_ties_short", lang, v=round(100 * settings.local_ties_share)))
    if settings.neighbourhood_cap:
        rules.append(t("neighbourhood_cap_short", lang))
    return f" — {t('rules_on', lang)}: {', '.join(rules)}" if rules else ""


def _baseline(model):
    return baseline_blocks(model.settings, model.month)


@solara.component
def NetworkView(model, lang: str) -> None:
    metric, set_metric = solara.use_state("pressure")
    with solara.Row():
        solara.Text(t("colour_by", lang) + ":")
        for m in network.METRICS:
            solara.Button(t(f"{m}_short", lang), on_click=lambda m=m: set_metric(m), outlined=m != metric, color="primary", small=True)
    Chart(lambda: network.figure(model, model.settings.region, metric, lang), [id(model), model.month, lang, metric])
    solara.Text(t("network_note", lang), style={"font-size": "0.8em"})


@solara.component
def CostsView(model, lang: str) -> None:
    deps = [id(model), model.month, lang]
    Chart(lambda: charts.costs(model.recorder.blocks, _baseline(model), unit_costs(), lang), deps)

    def rows() -> list[tuple[str, float, float]]:
        p = charts.cost_totals(model.recorder.blocks, unit_costs())
        b = charts.cost_totals(_baseline(model), unit_costs())
        out = []
        for kind in ("care", "housing"):
            pk = sum(v for k, v in p.values() if k == kind) / 1e6
            bk = sum(v for k, v in b.values() if k == kind) / 1e6
            out.append((kind, pk, bk))
        return out

    CostTable(solara.use_memo(rows, deps), lang)
    solara.Text(t("costs_note", lang), style={"font-size": "0.8em"})


def _cell(tag: str, text: str, right: bool = True):
    return solara.v.Html(tag=tag, children=[text], style_="text-align: right" if right else "text-align: left")


@solara.component
def CostTable(rows: list[tuple[str, float, float]], lang: str) -> None:
    """The costs in EUR million a year of the package and the baseline, by kind (``care``,
    ``housing``), and their difference: a plain HTML table."""
    head = [_cell("th", "", False)] + [_cell("th", t(k, lang)) for k in ("package", "baseline", "difference")]
    body = [
        solara.v.Html(
            tag="tr",
            children=[
                _cell("td", t(kind, lang), False),
                _cell("td", f"{pk:,.1f}"),
                _cell("td", f"{bk:,.1f}"),
                _cell("td", f"{pk - bk:+,.1f}"),
            ],
        )
        for kind, pk, bk in rows
    ]
    solara.v.SimpleTable(
        dense=True,
        class_="abm-costs",
        children=[solara.v.Html(tag="thead", children=[solara.v.Html(tag="tr", children=head)]), solara.v.Html(tag="tbody", children=body)],
    )


def _view(name: str, model, lang: str) -> None:
    deps = [name, id(model), model.month, lang]  # the tab's name too: tabs share the Chart slot
    blocks = model.recorder.blocks
    if name == "tab_waiting":
        Chart(lambda: charts.waiting(blocks, lang), deps)
    elif name == "tab_institutions":
        Chart(lambda: charts.institutions(blocks, lang), deps)
    elif name == "tab_homeless":
        Chart(lambda: charts.homelessness(blocks, lang, _baseline(model)), deps)
    elif name == "tab_vacancies":
        Chart(lambda: charts.vacancies(blocks, lang, _baseline(model)), deps)
    elif name == "tab_network":
        NetworkView(model, lang)
    elif name == "tab_chains":
        Chart(lambda: charts.chains(blocks, lang), deps)
    elif name == "tab_compare":
        Chart(lambda: charts.compare(blocks, _baseline(model), lang), deps)
        solara.Text(t("compare_note", lang), style={"font-size": "0.8em"})
    elif name == "tab_costs":
        CostsView(model, lang)
    elif name == "tab_monitor":
        Chart(lambda: charts.monitor(blocks, lang), deps)


@solara.component
def Views(model) -> None:
    """Status line, tabs, and the visible tab's view of ``model``."""
    update_counter.get()  # Mesa's Step, Play and Reset bump it: redraw
    lang = LANG.value
    tab, set_tab = solara.use_state(0)
    # Keep the shared baseline a year ahead of this session (computed once for all sessions).
    solara.use_effect(
        lambda: warm_baseline(model.settings, max(120, model.month + 12)), [model.settings.region, model.settings.seed, model.month // 12]
    )
    year, month = divmod(model.month, 12)
    active = package_text(model.settings, lang)
    now = t("now", lang, year=year, month=month, date=calendar(model.month, lang))
    rest = f" — {t('active', lang, n=len(model.settings.measures))}: {active}{rules_text(model.settings, lang)}"
    solara.v.Html(tag="p", class_="abm-status", children=[solara.v.Html(tag="strong", children=[now]), rest])
    with solara.v.Tabs(v_model=tab, on_v_model=set_tab, show_arrows=True):
        for key in TABS:
            solara.v.Tab(children=[pick(LABELS[key], lang)])
    with solara.Column(classes=["abm-view"]):
        _view(TABS[tab], model, lang)
