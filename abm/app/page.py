"""The workshop app's page: Mesa's ``SolaraViz`` (play, step, reset) around one model per
browser session, the participant's controls in the sidebar and the views in the main area.

Solara imports the app module once for all sessions, so nothing here holds a model at module
level: ``Page`` builds the session's settings and model with ``solara.use_memo``.
"""

from __future__ import annotations

import solara
from mesa.visualization import SolaraViz

from .controls import LanguageToggle, PackageControls, RunControls
from .settings import Settings, WorkshopModel
from .state import LANG
from .texts import t
from .views import Views

#: months per press of Mesa's Step button and per redraw while playing (one year)
MONTHS_PER_STEP = 12


@solara.component
def Page() -> None:
    settings = solara.use_reactive(solara.use_memo(Settings, []))
    model = solara.use_reactive(solara.use_memo(lambda: WorkshopModel(settings.value), []))
    SolaraViz(
        model,
        components=[],
        model_params={"settings": settings},
        name=t("title", LANG.value),
        play_interval=50,
        render_interval=MONTHS_PER_STEP,
    )
    SideControls(model, settings)
    Views(model.value)


@solara.component
def SideControls(model: solara.Reactive, settings: solara.Reactive[Settings]) -> None:
    _SideControls(model, settings)


@solara.component
def _SideControls(model: solara.Reactive, settings: solara.Reactive[Settings]) -> None:
    # Two levels below Page, so that Solara places these cards after SolaraViz's play/step/reset card.
    with solara.Sidebar():
        LanguageToggle()
        RunControls(model, settings)
        PackageControls(settings)
