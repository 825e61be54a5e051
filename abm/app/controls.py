"""The participant's controls: language, region, seed, the measures grouped like the emergency
package (each with a short explanation; a measure that is on also gets a start-year slider and,
if it has one, a slider for its size), allocation rules, and stepping by month or year.

Choices go into the session's ``Settings``; they take effect when the model is rebuilt (the
'Apply' button here, or Mesa's Reset), so a run never mixes two packages.
"""

from __future__ import annotations

from dataclasses import replace

import solara
from mesa.visualization.utils import force_update

from .settings import MAX_START_YEAR, REGIONS, SIZES, Settings, WorkshopModel
from .state import LANG
from .texts import LANGS, MEASURE_GROUPS, MEASURES, SIZE_LABELS, calendar, pick, size_text, t

SMALL = {"font-size": "0.8em", "color": "#616161", "line-height": "1.25", "margin-top": "-8px", "margin-bottom": "6px", "display": "block"}
OPTIONS = {"margin-left": "32px", "margin-top": "-4px", "margin-bottom": "8px"}
#: a measure's sliders are narrow (in the sidebar): their label goes on its own line above them
OPTIONS_CSS = """
.abm-options .v-input__slot { flex-wrap: wrap; }
.abm-options .v-input__slot > .v-label { flex: 0 0 100%; max-width: 100%; white-space: normal; height: auto;
  font-size: 0.8rem; line-height: 1.2; margin: 0 0 -6px 0; }
"""


@solara.component
def RunControls(model: solara.Reactive, settings: solara.Reactive[Settings]) -> None:
    lang = LANG.value

    def run(months: int) -> None:
        model.value.run(months)
        force_update()

    # In a thread, so that the page shows the step is busy (buttons disabled, a progress bar)
    # instead of taking a second click while a simulated year is computed.
    step = solara.lab.use_task(run, dependencies=None)
    busy = step.pending

    def apply() -> None:
        model.value = WorkshopModel(settings.value)
        force_update()

    with solara.Card(t("run", lang)):
        with solara.Row():
            solara.Button(t("step_month", lang), on_click=lambda: step(1), color="primary", outlined=True, disabled=busy)
            solara.Button(t("step_year", lang), on_click=lambda: step(12), color="primary", disabled=busy)
        solara.Button(t("apply", lang), on_click=apply, color="secondary", style={"margin-top": "8px"}, disabled=busy)
        if busy:
            solara.ProgressLinear(True)
            solara.Text(t("busy", lang), style=SMALL | {"margin-top": "2px"})
        if settings.value != model.value.settings:
            solara.Warning(t("pending", lang), dense=True)


@solara.component
def MeasureGroup(group: str, settings: solara.Reactive[Settings], lang: str) -> None:
    kinds = [k for k, v in MEASURES.items() if v[0] == group]
    on = sum(k in settings.value.measures for k in kinds)
    with solara.Details(summary=f"{pick(MEASURE_GROUPS[group], lang)} ({on}/{len(kinds)})"):
        for kind in kinds:
            _, nl, en, help_nl, help_en = MEASURES[kind]
            solara.Checkbox(
                label=pick((nl, en), lang),
                value=kind in settings.value.measures,
                on_value=lambda v, kind=kind: settings.set(settings.value.with_measure(kind, v)),
            )
            solara.Text(pick((help_nl, help_en), lang), style=SMALL)
            if kind in settings.value.measures:  # only measures that are on get (and render) options
                MeasureOptions(kind, settings, lang)


def MeasureOptions(kind: str, settings: solara.Reactive[Settings], lang: str) -> None:
    """Start year and (if the measure has one) size of a switched-on measure, as two sliders
    whose labels show the chosen value (so a screenshot of the sidebar tells it too)."""
    s = settings.value
    year = s.start_year(kind)
    with solara.Column(style=OPTIONS, gap="0px", classes=["abm-options"]):
        solara.SliderInt(
            t("start_year", lang, year=year, date=calendar(12 * year, lang)),
            value=year,
            min=0,
            max=MAX_START_YEAR,
            on_value=lambda v: settings.set(settings.value.with_options(kind, start_year=v)),
        )
        spec = SIZES.get(kind)
        if spec is None:
            return
        shown = round(s.size(kind) * spec.scale, 6)
        label = f"{pick(SIZE_LABELS[kind], lang)}: {size_text(shown, spec.unit, lang)}"
        put = lambda v: settings.set(settings.value.with_options(kind, size=float(v) / spec.scale))  # noqa: E731
        if float(spec.step).is_integer():
            solara.SliderInt(label, value=int(round(shown)), min=int(spec.lo), max=int(spec.hi), step=int(spec.step), on_value=put)
        else:
            solara.SliderFloat(label, value=shown, min=spec.lo, max=spec.hi, step=spec.step, on_value=put)


@solara.component
def AllocationGroup(settings: solara.Reactive[Settings], lang: str) -> None:
    s = settings.value

    def put(**changes) -> None:
        settings.set(replace(settings.value, **changes))

    with solara.Details(summary=pick(MEASURE_GROUPS["allocation_settings"], lang)):
        solara.Checkbox(label=t("homeless_urgency", lang), value=s.homeless_urgency, on_value=lambda v: put(homeless_urgency=v))
        solara.Text(t("homeless_urgency_help", lang), style=SMALL)
        solara.SliderFloat(
            t("lottery_share", lang), value=s.lottery_share, min=0, max=0.5, step=0.05, on_value=lambda v: put(lottery_share=v)
        )
        solara.Text(t("lottery_share_help", lang), style=SMALL)
        solara.SliderFloat(
            t("local_ties_share", lang), value=s.local_ties_share, min=0, max=0.5, step=0.05, on_value=lambda v: put(local_ties_share=v)
        )
        solara.Text(t("local_ties_share_help", lang), style=SMALL)
        solara.Checkbox(label=t("neighbourhood_cap", lang), value=s.neighbourhood_cap, on_value=lambda v: put(neighbourhood_cap=v))
        solara.Text(t("neighbourhood_cap_help", lang), style=SMALL)


@solara.component
def PackageControls(settings: solara.Reactive[Settings]) -> None:
    lang = LANG.value
    s = settings.value
    names = {pick(v[:2], lang): k for k, v in REGIONS.items()}
    with solara.Card(t("package", lang)):
        solara.Style(OPTIONS_CSS)
        solara.Select(
            t("region", lang),
            values=list(names),
            value=pick(REGIONS[s.region][:2], lang),
            on_value=lambda v: settings.set(replace(settings.value, region=names[v])),
        )
        solara.InputInt(t("seed", lang), value=s.seed, on_value=lambda v: settings.set(replace(settings.value, seed=max(0, int(v)))))
        for group in MEASURE_GROUPS:
            if group == "allocation_settings":
                AllocationGroup(settings, lang)
            else:
                MeasureGroup(group, settings, lang)


@solara.component
def LanguageToggle() -> None:
    with solara.Row():
        solara.Text(t("language", LANG.value) + ":")
        solara.ToggleButtonsSingle(value=LANG.value, values=list(LANGS), on_value=LANG.set)
