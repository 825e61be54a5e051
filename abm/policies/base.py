"""Measures (*maatregelen*) as objects with a timeline, validated parameters and a phase.

A measure is active from month ``start`` (inclusive) to ``end`` (exclusive; ``None`` = to the
end of the run). While active it may (a) adjust model parameters (``params``), (b) adjust the
allocation policy (``allocation``) and (c) act at its named phase of the month (``act``),
``before`` or ``after`` that phase's processes (``timing``; the phases are those of
``abm.schedule.SCHEDULE``, and a class naming another phase or timing is an error when it is
defined). ``act`` receives the model's measure interface (``abm.measures_runtime.MeasureView``):
what measures may read, and the levers and actions they may use.
Outside its window it does nothing. Measures stack: their adjustments apply in list order,
multiplicative effects multiply. Every measure round-trips through a plain dict
(``to_dict`` / ``measure_from_dict``), which is how scenario files hold them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..schedule import PHASES, check_timing  # noqa: F401 (PHASES: re-exported by abm.policies)

if TYPE_CHECKING:
    import numpy as np

    from ..measures_runtime import MeasureView
    from ..params import Params


class Measure(BaseModel):
    """Base class: a timeline (months since the start) and the hooks a measure may use."""

    model_config = ConfigDict(extra="forbid")
    type: str
    start: int = Field(default=0, ge=0, le=600, description="first month the measure is active")
    end: int | None = Field(default=None, ge=1, le=600, description="first month it is no longer active (none: to the end)")
    phase: ClassVar[str] = "construction"  # the phase of the month where ``act`` runs
    timing: ClassVar[str] = "after"  # ``before`` or ``after`` that phase's processes
    category: ClassVar[str] = ""  # the spoedpakket heading it belongs to
    target: ClassVar[str] = ""  # the indicator it should move (for the tests and the report)
    direction: ClassVar[int] = 0  # +1 if the target should rise, -1 if it should fall

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        check_timing(cls.phase, cls.timing, f"measure class {cls.__name__}")

    @model_validator(mode="after")
    def _window(self) -> Measure:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self

    def active(self, month: int) -> bool:
        return month >= self.start and (self.end is None or month < self.end)

    def params(self, p: Params) -> dict[str, Any]:
        """Parameter overrides while active (computed from the current values ``p``)."""
        return {}

    def allocation(self, policy: dict[str, Any]) -> dict[str, Any]:
        """Allocation-policy changes while active: a nested dict merged over ``policy``."""
        return {}

    def act(self, model: MeasureView, rng: np.random.Generator) -> None:
        """What the measure does at its phase each active month, through the measure interface."""

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump()


REGISTRY: dict[str, type[Measure]] = {}


def register(cls: type[Measure]) -> type[Measure]:
    """Class decorator: make a measure known by its ``type`` name."""
    REGISTRY[cls.model_fields["type"].default] = cls
    return cls


def markdown_table() -> str:
    """The measures table of ``docs/ODD.md``: measure, heading, phase (timing), target, parameters."""
    lines = ["| measure | heading | phase | target (direction) | parameters (default) | what it does |", "|---|---|---|---|---|---|"]
    for kind in sorted(REGISTRY):
        cls = REGISTRY[kind]
        params = ", ".join(
            f"`{n}` ({f.default}{': ' + f.description if f.description else ''})"
            for n, f in cls.model_fields.items()
            if n not in ("type", "start", "end")
        )
        doc = " ".join((cls.__doc__ or "").split())
        sign = {1: "↑", -1: "↓"}.get(cls.direction, "")
        lines.append(f"| `{kind}` | {cls.category} | {cls.phase} ({cls.timing}) | {cls.target} {sign} | {params or '—'} | {doc} |")
    return "\n".join(lines)


def measure_from_dict(d: dict[str, Any]) -> Measure:
    """Build a measure from a plain dict with a ``type`` key (validated)."""
    import difflib

    kind = d.get("type")
    if kind not in REGISTRY:
        near = difflib.get_close_matches(str(kind), list(REGISTRY), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else f"; known: {', '.join(sorted(REGISTRY))}"
        raise ValueError(f"unknown measure type '{kind}'{hint}")
    return REGISTRY[kind].model_validate(d)
