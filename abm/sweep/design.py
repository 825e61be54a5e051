"""Sweep designs: which scenario, which factors over which ranges, how sampled, what to keep.

A design file is TOML (data, never code), validated like scenario files: a mistake gives one
line naming the file and the key. Example (``experiments/urgency_flex/design.toml``)::

    name = "urgency_flex"
    base = "small"                 # built-in scenario or a TOML path (relative to this file)
    years = 10                     # default: the base scenario's years
    seeds = 3                      # replicates per design point: seeds 1..3 (or a list)

    [sampling]
    method = "grid"                # grid | lhs | sobol | morris
    samples = 64                   # lhs: points; sobol: base samples N (a power of 2); morris: trajectories
    levels = 4                     # grid: values per continuous factor; morris: grid levels
    seed = 1                       # the sampler's seed

    [[factors]]
    name = "urgency_share"
    target = "allocation.urgency.vacancy_share"
    low = 0.0
    high = 1.0

    [[factors]]
    name = "flex_per_year"
    target = "measures.flex_housing.units_per_year"
    values = [0, 10000, 20000]

    [outputs]
    indicators = ["wait_months_median", "blocked_in_institution"]
    groups = ["all", "regular"]
    statistics = ["final", "mean"]

A factor's ``target`` is ``params.NAME`` (a model parameter, ``abm params``),
``allocation.RULE.FIELD`` (an allocation setting), ``measures.TYPE.FIELD`` (a field of a
measure, added to the scenario if the base has none of that type) or ``measures.TYPE`` with
``values = [false, true]`` (switch a measure off or on: a lever).
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..codes import GROUPS
from ..indicators import INDICATORS
from ..scenarios import Scenario, ScenarioError, _first_error, load_scenario, to_toml

STATISTICS = {
    "final": "value in the last month",
    "initial": "value in month 0 (before the first step)",
    "mean": "mean over months 1..end (NaN months ignored)",
    "mean_last_year": "mean over the last 12 months",
    "max": "maximum over months 1..end",
    "min": "minimum over months 1..end",
    "total": "sum over months 1..end (for flows: lettings, evictions, costs)",
}
MAX_RUNS = 1_000_000


class DesignError(ValueError):
    """A design that cannot be used; the message is one line naming the file and the key."""


class Factor(BaseModel):
    """One varied input: a parameter (uncertainty) or a measure setting (lever)."""

    model_config = ConfigDict(extra="forbid")
    name: str = ""
    target: str
    low: float | None = None
    high: float | None = None
    values: list[bool | int | float | str] | None = None
    integer: bool = Field(default=False, description="round sampled values to whole numbers")

    @model_validator(mode="after")
    def _range(self) -> Factor:
        if not self.name:
            self.name = self.target.split(".")[-1] if self.target.count(".") >= 1 else self.target
        if self.values is not None:
            if self.low is not None or self.high is not None:
                raise ValueError("give either low and high or values, not both")
            if not self.values:
                raise ValueError("values: give at least one value")
            if len(set(map(repr, self.values))) != len(self.values):
                raise ValueError("values: each value at most once")
        else:
            if self.low is None or self.high is None:
                raise ValueError("give low and high (a range) or values (a list)")
            if not (math.isfinite(self.low) and math.isfinite(self.high)) or self.low >= self.high:
                raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        kind = self.target.split(".")[0]
        if kind not in ("params", "allocation", "measures"):
            raise ValueError(f"target '{self.target}' must start with params., allocation. or measures.")
        parts = self.target.split(".")
        if kind == "measures" and len(parts) == 2 and (self.values is None or not all(isinstance(v, bool) for v in self.values)):
            raise ValueError(f"target '{self.target}' switches a measure: give values = [false, true]")
        if (kind == "params" and len(parts) != 2) or (kind == "allocation" and len(parts) < 3) or len(parts) < 2:
            raise ValueError(f"target '{self.target}' is incomplete (e.g. params.seek_rate, allocation.urgency.vacancy_share)")
        return self

    @property
    def continuous(self) -> bool:
        return self.values is None

    def from_unit(self, u: float) -> Any:
        """The factor's value at position ``u`` in [0, 1] of its range (or its list of values)."""
        if self.values is not None:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        x = self.low + u * (self.high - self.low)
        return int(round(x)) if self.integer else float(x)


class Sampling(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    samples: int = Field(default=16, ge=1, le=1_000_000)
    levels: int = Field(default=4, ge=2, le=1000)
    seed: int = Field(default=1, ge=0, le=2**32 - 1)
    second_order: bool = Field(default=False, description="sobol: also second-order indices (more runs)")

    @model_validator(mode="after")
    def _method(self) -> Sampling:
        if self.method == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"samples: sobol needs a power of 2 (e.g. 32, 64, 128), got {self.samples}")
        if self.method == "morris" and self.samples < 2:
            raise ValueError("samples: morris needs at least 2 trajectories")
        if self.method == "morris" and self.levels % 2:
            raise ValueError(f"levels: morris needs an even number of levels, got {self.levels}")
        return self


class Outputs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    indicators: list[str] = Field(default=["wait_months_median", "homeless", "blocked_in_institution"], min_length=1)
    groups: list[str] = ["all"]
    statistics: list[str] = Field(default=["final", "mean"], min_length=1)
    series: bool = Field(default=False, description="also keep the monthly series of these indicators")

    @field_validator("indicators")
    @classmethod
    def _indicators(cls, v: list[str]) -> list[str]:
        return _known(v, INDICATORS, "indicator", "see the README's indicators table")

    @field_validator("groups")
    @classmethod
    def _groups(cls, v: list[str]) -> list[str]:
        return _known(v, ("all", *GROUPS), "group")

    @field_validator("statistics")
    @classmethod
    def _statistics(cls, v: list[str]) -> list[str]:
        return _known(v, STATISTICS, "statistic")


def _known(values: list[str], allowed, what: str, hint: str | None = None) -> list[str]:
    """``values`` if every one is in ``allowed``, else a ValueError naming the first that is not."""
    bad = [x for x in values if x not in allowed]
    if bad:
        raise ValueError(f"unknown {what} '{bad[0]}' ({hint or 'allowed: ' + ', '.join(allowed)})")
    return values


def parse_outcome(spec: str) -> tuple[str, str, str]:
    """``INDICATOR:GROUP:STATISTIC`` -> its three validated parts (ValueError with one line if not)."""
    parts = spec.split(":")
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"outcome '{spec}' must be INDICATOR:GROUP:STATISTIC, e.g. wait_months_median:regular:mean")
    try:
        Outputs(indicators=[parts[0]], groups=[parts[1]], statistics=[parts[2]])
    except ValidationError as e:
        raise ValueError(f"outcome '{spec}': {_first_error(e, Outputs)}") from None
    return parts[0], parts[1], parts[2]


class Design(BaseModel):
    """A sweep design file (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    description: str = ""
    base: str = "small"
    years: int | None = Field(default=None, ge=1, le=50)
    seeds: int | list[int] = 1
    sampling: Sampling = Sampling()
    factors: list[Factor] = Field(min_length=1)
    outputs: Outputs = Outputs()

    @field_validator("seeds")
    @classmethod
    def _seeds(cls, v: int | list[int]) -> int | list[int]:
        if isinstance(v, int) and not 1 <= v <= 1000:
            raise ValueError(f"must be a number of seeds in [1, 1000] or a list of seeds, got {v}")
        if isinstance(v, list) and (not v or len(set(v)) != len(v) or min(v) < 0):
            raise ValueError("give a non-empty list of distinct seeds >= 0")
        return v

    @model_validator(mode="after")
    def _factors(self) -> Design:
        names = [f.name for f in self.factors]
        dup = next((n for n in names if names.count(n) > 1), None)
        if dup:
            raise ValueError(f"factors: name '{dup}' is used twice")
        targets = [f.target for f in self.factors]
        dup = next((t for t in targets if targets.count(t) > 1), None)
        if dup:
            raise ValueError(f"factors: target '{dup}' is used twice")
        return self

    @property
    def seed_list(self) -> list[int]:
        return list(range(1, self.seeds + 1)) if isinstance(self.seeds, int) else list(self.seeds)


def parse_design(data: dict[str, Any], where: str, folder: Path | None = None) -> tuple[Design, Scenario]:
    """Validate a design given as a dict; returns it with its base scenario. Raises ``DesignError``."""
    from .sampling import check_factor, design_size

    try:
        design = Design.model_validate(data)
    except ValidationError as e:
        raise DesignError(f"{where}: {_first_error(e, Design)}") from None
    if folder is not None and design.base.endswith(".toml") and not Path(design.base).is_absolute():
        design.base = str((folder / design.base).resolve())  # so the copy in the output folder still finds it
    try:
        scenario = load_scenario(design.base)
    except ScenarioError as e:
        raise DesignError(f"{where}: base: {e}") from None
    for i, f in enumerate(design.factors):
        msg = check_factor(f, scenario)
        if msg:
            raise DesignError(f"{where}: factors[{i}] ({f.name}): {msg}")
    n = design_size(design) * len(design.seed_list)
    if n > MAX_RUNS:
        raise DesignError(f"{where}: the design has {n:,} runs; at most {MAX_RUNS:,} (fewer samples, levels or seeds)")
    return design, scenario


def load_design(path: str | Path) -> tuple[Design, Scenario]:
    """Read and validate a design file. Raises ``DesignError`` with one line naming the key."""
    p = Path(path)
    if not p.is_file():
        raise DesignError(f"{path}: no such design file")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise DesignError(f"{path}: not valid TOML ({e})") from None
    return parse_design(data, str(path), p.resolve().parent)


def design_to_toml(design: Design) -> str:
    """The design as TOML that ``load_design`` reads back to the same design."""
    return to_toml(design.model_dump())
