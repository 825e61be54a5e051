"""What a workshop participant chooses (region, seed, measures, allocation rules) and the model
built from it.

``Settings`` is an immutable value; the app keeps the current one per browser session and
``WorkshopModel`` reads it when it is (re)built, so Reset starts again with the chosen package.
Importing this module does not import solara (the command line validates ``--region`` with it).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from ..model import HousingModel
from .slots import FairSlots

#: region key -> (Dutch label, English label, HousingModel keyword arguments)
REGIONS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "utrecht": ("COROP Utrecht, 1:1 (alle 614.000 huishoudens)", "COROP Utrecht, 1:1 (all 614,000 households)", {"scenario": "utrecht"}),
    "utrecht_10": (
        "COROP Utrecht, 1:10 (snel)",
        "COROP Utrecht, 1:10 (fast)",
        {"corop": ["CR17"], "households": 61_400},
    ),
    "amsterdam_10": (
        "Groot-Amsterdam, 1:10",
        "Greater Amsterdam, 1:10",
        {"corop": ["CR23"], "households": 70_600},
    ),
    "rijnmond_10": (
        "Groot-Rijnmond, 1:10",
        "Greater Rotterdam, 1:10",
        {"corop": ["CR29"], "households": 68_400},
    ),
    "small": ("Kleine testregio (5.000 huishoudens)", "Small test region (5,000 households)", {"scenario": "small"}),
}
DEFAULT_REGION = "utrecht"
#: at most this many model months are computed at once in the process (one per core): with many
#: sessions playing, the others queue for a slot instead of all fighting for the interpreter, so
#: light actions (a tab, a redraw, a click) still get through quickly
STEP_SLOTS = FairSlots(max(1, os.cpu_count() or 1))
REGION_ENV = "ABM_APP_REGION"


def default_region() -> str:
    """The region the app starts with: ``$ABM_APP_REGION`` (set by ``abm app --region``) or Utrecht."""
    region = os.environ.get(REGION_ENV, DEFAULT_REGION)
    return region if region in REGIONS else DEFAULT_REGION


@dataclass(frozen=True)
class Settings:
    """One participant's package: region, seed, measures switched on and allocation rules."""

    region: str = field(default_factory=default_region)
    seed: int = 1
    measures: frozenset[str] = frozenset()
    homeless_urgency: bool = False
    lottery_share: float = 0.0
    local_ties_share: float = 0.0
    neighbourhood_cap: bool = False

    def with_measure(self, kind: str, on: bool) -> Settings:
        return replace(self, measures=self.measures | {kind} if on else self.measures - {kind})

    def allocation(self) -> dict[str, Any]:
        """The allocation-policy overrides of the chosen rules (empty: today's rules)."""
        out: dict[str, Any] = {}
        if self.homeless_urgency:
            out["urgency"] = {"homeless": True}
        if self.lottery_share > 0:
            out["lottery"] = {"enabled": True, "share": float(self.lottery_share)}
        if self.local_ties_share > 0:
            out["local_ties"] = {"enabled": True, "share": float(self.local_ties_share)}
        if self.neighbourhood_cap:
            out["neighbourhood_cap"] = {"enabled": True}
        return out

    def baseline(self) -> Settings:
        """The same region and seed without measures and with today's allocation rules."""
        return Settings(region=self.region, seed=self.seed)

    def model_kwargs(self) -> dict[str, Any]:
        if self.region not in REGIONS:
            raise ValueError(f"unknown region '{self.region}' (known: {', '.join(REGIONS)})")
        return {
            **REGIONS[self.region][2],
            "measures": [{"type": kind} for kind in sorted(self.measures)],
            "allocation": self.allocation(),
            "rng": int(self.seed),
        }


class WorkshopModel(HousingModel):
    """``HousingModel`` built from ``Settings``; a step is one month and is thread-safe.

    ``settings`` may be a ``Settings`` or anything with a ``.value`` holding one (the session's
    reactive variable), so that Mesa's Reset reads the participant's current choices. Mesa's
    SolaraViz passes a ``scenario`` object of its own on Reset; it is ignored.
    """

    def __init__(self, settings: Any = None, scenario: Any = None, rng: Any = None) -> None:
        chosen = getattr(settings, "value", settings) or Settings()
        if not isinstance(chosen, Settings):
            raise TypeError(f"settings must be a Settings, got {type(chosen).__name__}")
        if rng is not None:
            chosen = replace(chosen, seed=int(rng))
        super().__init__(**chosen.model_kwargs())
        self.settings = chosen
        self.step_lock = threading.Lock()

    def step(self) -> None:
        # The play loop runs in a thread; the year and month buttons step from another one.
        with self.step_lock, STEP_SLOTS:
            super().step()
