"""What a workshop participant chooses (region, seed, measures with their start year and size,
allocation rules) and the model built from it.

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
from ..policies import REGISTRY, measure_from_dict
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


#: the latest start year a participant can choose (year 0 = from the start, January 2021)
MAX_START_YEAR = 9


@dataclass(frozen=True)
class Size:
    """The one size parameter of a measure the app lets participants set: the measure's field and
    the slider in display units (display = field value × ``scale``, e.g. 100 for a share in %).
    ``unit`` says how texts show it: 'per_year', 'percent', 'euro' or 'times'."""

    field: str
    lo: float
    hi: float
    step: float
    unit: str
    scale: float = 1.0

    def clamp(self, value: float) -> float:
        """``value`` (field units) moved into the slider's range and onto its steps."""
        shown = min(max(float(value) * self.scale, self.lo), self.hi)
        shown = self.lo + round((shown - self.lo) / self.step) * self.step
        return round(min(shown, self.hi) / self.scale, 10)


#: measure type -> its size parameter (at most one; measures without one get only a start year).
#: Every range lies within the field's bounds in ``abm.policies`` (tests/test_app_series.py checks).
SIZES: dict[str, Size] = {
    "early_warning": Size("effect", 0, 100, 10, "percent", 100),
    "last_chance": Size("effect", 0, 100, 10, "percent", 100),
    "rent_during_detention": Size("effect", 0, 90, 10, "percent", 100),  # the measure caps it at 95 %
    "warm_outflow": Size("extra_share", 0, 20, 1, "percent", 100),
    "welfare_work": Size("effect", 0, 100, 10, "percent", 100),
    "flex_housing": Size("units_per_year", 0, 40_000, 1_000, "per_year"),
    "iron_stock": Size("share", 0, 20, 1, "percent", 100),
    "split_homes": Size("units_per_year", 0, 40_000, 1_000, "per_year"),
    "transformation": Size("units_per_year", 0, 20_000, 1_000, "per_year"),
    "social_construction": Size("homes_per_year", 0, 50_000, 1_000, "per_year"),
    "affordable_minimum": Size("min_share", 10, 50, 5, "percent", 100),
    "senior_move_on": Size("seek_rate", 0, 20, 1, "percent", 100),
    "middle_income_move_on": Size("factor", 1, 5, 0.5, "times"),
    "fewer_regional_barriers": Size("regional_share", 0, 100, 10, "percent", 100),
    "abolish_landlord_levy": Size("effect", 0, 200, 10, "percent", 100),
    "municipal_bonus": Size("per_place", 0, 20_000, 1_000, "euro"),
    "smart_allocation": Size("mixing", 0, 100, 10, "percent", 100),
    "care_cost_compensation": Size("share", 0, 100, 10, "percent", 100),
    "devils_dilemma": Size("budget_per_inhabitant", 0, 100, 5, "euro"),
    "no_cost_sharing": Size("pair_rate", 0, 10, 1, "percent", 100),
    "more_rooms": Size("units_per_year", 0, 20_000, 1_000, "per_year"),
    "friends_contracts": Size("share", 0, 50, 5, "percent", 100),
    "quota_by_pressure": Size("weight", 0, 100, 10, "percent", 100),
    "quota_trading": Size("max_share", 0, 100, 10, "percent", 100),
    "transitional_housing": Size("units_per_year", 0, 10_000, 500, "per_year"),
    "refugees_with_students": Size("share", 0, 50, 5, "percent", 100),
    "housing_first": Size("extra_share", 0, 20, 1, "percent", 100),
}


def default_size(kind: str) -> float | None:
    """The measure's own default for its size parameter (None: it has none in the app)."""
    size = SIZES.get(kind)
    return None if size is None else float(REGISTRY[kind].model_fields[size.field].default)


#: one measure's choices: (type, start year, size in field units or None for the default)
Option = tuple[str, int, float | None]


@dataclass(frozen=True)
class Settings:
    """One participant's package: region, seed, measures switched on (each with a start year and
    a size) and allocation rules.

    ``options`` holds the measures' choices that differ from their defaults, as a sorted tuple of
    ``(type, start year, size)``; it is normalised on construction (choices of measures that are
    off and default choices are dropped), so two equal packages are equal values. Values out of
    range are rejected here (ValueError); ``with_options``, which the controls use, clamps them.
    The baseline (``baseline()``) never depends on them.
    """

    region: str = field(default_factory=default_region)
    seed: int = 1
    measures: frozenset[str] = frozenset()
    homeless_urgency: bool = False
    lottery_share: float = 0.0
    local_ties_share: float = 0.0
    neighbourhood_cap: bool = False
    options: tuple[Option, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "measures", frozenset(self.measures))
        kept: dict[str, Option] = {}
        for kind, year, size in self.options:
            if kind in kept:
                raise ValueError(f"measure '{kind}' has two sets of options")
            if kind not in REGISTRY:
                measure_from_dict({"type": kind})  # raises, with a hint
            if not isinstance(year, int) or isinstance(year, bool) or not 0 <= year <= MAX_START_YEAR:
                raise ValueError(f"start year of '{kind}' must be a whole number from 0 to {MAX_START_YEAR}, got {year!r}")
            if size is not None:
                if kind not in SIZES:
                    raise ValueError(f"measure '{kind}' has no size the app can set")
                spec, shown = SIZES[kind], float(size) * SIZES[kind].scale
                if not spec.lo - 1e-9 <= shown <= spec.hi + 1e-9:
                    raise ValueError(f"{kind}.{spec.field} must be within {spec.lo / spec.scale:g}..{spec.hi / spec.scale:g}, got {size!r}")
                measure_from_dict({"type": kind, spec.field: float(size)})  # the measure's own bounds
                size = None if float(size) == default_size(kind) else float(size)
            if kind in self.measures and (year or size is not None):
                kept[kind] = (kind, year, size)
        object.__setattr__(self, "options", tuple(kept[k] for k in sorted(kept)))

    def with_measure(self, kind: str, on: bool) -> Settings:
        """The measure switched on (with default options) or off (its options dropped)."""
        return replace(self, measures=self.measures | {kind} if on else self.measures - {kind})

    def _option(self, kind: str) -> Option:
        return next((o for o in self.options if o[0] == kind), (kind, 0, None))

    def start_year(self, kind: str) -> int:
        return self._option(kind)[1]

    def size(self, kind: str) -> float | None:
        """The measure's size parameter in field units (its default unless chosen; None: none)."""
        chosen = self._option(kind)[2]
        return chosen if chosen is not None else default_size(kind)

    def with_options(self, kind: str, start_year: int | None = None, size: float | None = None) -> Settings:
        """The measure's start year and/or size changed, clamped to the controls' ranges (the
        measure must be switched on: choices of a measure that is off are not kept)."""
        year = self.start_year(kind) if start_year is None else min(max(int(round(start_year)), 0), MAX_START_YEAR)
        chosen = self._option(kind)[2]
        if size is not None and kind in SIZES:
            chosen = SIZES[kind].clamp(size)
        others = tuple(o for o in self.options if o[0] != kind)
        return replace(self, options=(*others, (kind, year, chosen)))

    def measure_dicts(self) -> list[dict[str, Any]]:
        """The measures switched on as ``HousingModel`` measure dicts: type, start month (12 ×
        start year) and the size parameter, if the measure has one in the app."""
        out = []
        for kind in sorted(self.measures):
            d: dict[str, Any] = {"type": kind, "start": 12 * self.start_year(kind)}
            if kind in SIZES:
                d[SIZES[kind].field] = self.size(kind)
            out.append(d)
        return out

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
            "measures": self.measure_dicts(),
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
