"""The participant's controls: language, region, seed, the measures grouped like the emergency
package (each with a short explanation), allocation rules, and stepping by month or year.

Choices go into the session's ``Settings``; they take effect when the model is rebuilt (the
'Apply' button here, or Mesa's Reset), so a run never mixes two packages.
"""

from __future__ import annotations

from dataclasses import replace

import solara
from mesa.visualization.utils import force_update

from .settings import REGIONS, Settings, WorkshopModel
from .state import LANG
from .texts import LANGS, MEASURE_GROUPS, MEASURES, pick, t

SMALL = {"font-size": "0.8em", "color": "#616161", "line-height": "1.25", "margin-top": "-8px", "margin-bottom": "6px", "display": "block"}


@solara.component
def RunControls(model: solara.Reactive, settings: solara.Reactive[Settings]) -> None:
    lang = LANG.value

    def step(months: int) -> None:
        model.value.run(months)
        force_update()

    def apply() -> None:
        model.value = WorkshopModel(settings.value)
        force_update()

    with solara.Card(t("run", lang)):
        with solara.Row():
            solara.Button(t("step_month", lang), on_click=lambda: step(1), color="primary", outlined=True)
            solara.Button(t("step_year", lang), on_click=lambda: step(12), color="primary")
        solara.Button(t("apply", lang), on_click=apply, color="secondary", style={"margin-top": "8px"})
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
