"""Scenario files: TOML data (never code) naming a region, a horizon, a seed and parameter
overrides, validated with pydantic so that a mistake gives one line naming the file and key.

Built-in scenarios live in ``abm/scenario_files``; ``abm scenarios`` lists them.
"""

from __future__ import annotations

import difflib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import first_error
from .params import Params
from .region import select

SCALED_COLUMNS = (
    "inhabitants",
    "households",
    "dwellings",
    "est_corporation_dwellings",
    "est_other_rental_dwellings",
    "est_owner_occupied_dwellings",
)


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message is one line naming the file and the key."""


class RegionSpec(BaseModel):
    """Which municipalities to model: CBS codes, COROP codes, provinces, or the whole country.

    ``households`` scales the selection to about that many households (all counts scaled
    alike, shares kept): a synthetic region for tests and benchmarks.
    """

    model_config = ConfigDict(extra="forbid")
    municipalities: list[str] = []
    corop: list[str] = []
    province: list[str] = []
    national: bool = False
    households: int | None = Field(default=None, ge=200, le=20_000_000)

    @model_validator(mode="after")
    def _one_kind(self) -> RegionSpec:
        named = bool(self.municipalities or self.corop or self.province)
        if named == self.national:
            raise ValueError("give exactly one of municipalities, corop, province, or national = true")
        select(self.municipalities, self.corop, self.province)  # raises on an unknown code
        return self

    def table(self) -> pd.DataFrame:
        df = select(self.municipalities, self.corop, self.province)
        if self.households is not None:
            f = self.households / df["households"].sum()
            df = df.copy()
            for c in SCALED_COLUMNS:
                df[c] = np.maximum(np.round(df[c] * f), 0).astype(int)
            df = df[df["households"] > 0].reset_index(drop=True)
        return df


class UrgencySettings(BaseModel):
    """A municipality's own urgency criteria (*urgentieverordening*, art. 12-13 Huisvestingswet:
    each municipality decides who qualifies and for how long); unset keys follow the region's
    ``[allocation.urgency]`` (and the measures that change it)."""

    model_config = ConfigDict(extra="forbid")
    separation_with_children: bool | None = Field(default=None, description="separation with children is a ground")
    medical: bool | None = Field(default=None, description="a care need the home does not meet is a ground")
    homeless: bool | None = Field(default=None, description="homeless people ready to move (shelter or roofless) qualify")
    months: int | None = Field(default=None, ge=1, le=60, description="how long the status lasts")


class DirectPlacementSettings(BaseModel):
    """A municipality's own direct-placement shares: the share of its social vacancies offered
    directly to the group, replacing the region's share where the region lets that group by
    share (``[allocation.homeless]`` / ``[allocation.institution_leavers]``, mode ``share``)."""

    model_config = ConfigDict(extra="forbid")
    homeless: float | None = Field(default=None, ge=0, le=1, description="share of vacancies for homeless people")
    institution_leavers: float | None = Field(default=None, ge=0, le=1, description="share of vacancies for institution leavers")


class CorporationSettings(BaseModel):
    """Settings of the municipality's corporations (every corporation working there)."""

    model_config = ConfigDict(extra="forbid")
    investment_capacity: float | None = Field(default=None, ge=0, le=10, description="factor on the model's build rate")
    eviction_factor: float | None = Field(default=None, ge=0, le=10, description="factor on the eviction share of court rulings")


class MunicipalitySettings(BaseModel):
    """One ``[municipalities.GMxxxx]`` table: a municipality's own policy (unset: the region's)."""

    model_config = ConfigDict(extra="forbid")
    urgency: UrgencySettings = UrgencySettings()
    direct_placement: DirectPlacementSettings = DirectPlacementSettings()
    corporation: CorporationSettings = CorporationSettings()
    flex_share: float | None = Field(
        default=None, ge=0, le=1, description="share of the national flex-home programme it builds (default: its population share)"
    )
    decides: bool | None = Field(
        default=None, description="false: it keeps the scenario's policy (no yearly decisions, abm.decisions); default: the rule"
    )
    effort: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="its effort for homeless people and institution leavers, fixed (0..1; default: decided yearly)",
    )
    permit_factor: float | None = Field(
        default=None, ge=0, le=10, description="factor on its corporations' build plans, fixed (default: decided yearly)"
    )
    support_places: int | None = Field(
        default=None, ge=0, le=1_000_000, description="its Wmo support places, fixed (default: its population share, decided yearly)"
    )
    build_mixing: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="where it puts new homes: 0 social homes in its weak neighbourhoods, 1 in its strong ones (default: new_build_mixing)",
    )


class Scenario(BaseModel):
    """A scenario file: region, years, seed and parameter overrides (see ``docs``)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    region: RegionSpec
    years: int = Field(default=10, ge=1, le=50)
    seed: int = Field(default=1, ge=0)
    seeds: int = Field(default=20, ge=1, le=1000, description="seeds a comparison runs (abm compare), 1..seeds")
    params: dict[str, Any] = {}
    allocation: dict[str, Any] = {}
    measures: list[dict[str, Any]] = []
    municipalities: dict[str, MunicipalitySettings] = {}
    drivers: dict[str, Any] = Field(
        default={},
        description="yearly or half-yearly series of parameters; every run follows the built-in series (abm drivers) "
        'unless use = "none"; own series replace them driver by driver (abm.drivers)',
    )

    @model_validator(mode="after")
    def _drivers(self) -> Scenario:
        if self.drivers:
            from .drivers import validate

            validate(self.drivers, self.years, self.params)
        return self

    @model_validator(mode="after")
    def _known_municipalities(self) -> Scenario:
        if self.municipalities:
            r = self.region
            codes = set(select(r.municipalities, r.corop, r.province)["gm_code"])
            for code in self.municipalities:
                if code not in codes:
                    raise ValueError(f"municipalities.{code}: not a municipality of the scenario's region")
        return self

    @field_validator("allocation")
    @classmethod
    def _allocation(cls, v: dict[str, Any]) -> dict[str, Any]:
        msg = policy_error(v)
        if msg:
            raise ValueError(f"allocation.{msg}")
        return v

    @field_validator("measures")
    @classmethod
    def _measures(cls, v: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from .policies import REGISTRY, measure_from_dict

        for i, d in enumerate(v):
            try:
                measure_from_dict(d)
            except ValidationError as e:
                detail = _first_error(e, REGISTRY[d["type"]])
                sep = "." if e.errors()[0]["loc"] else ": "
                raise ValueError(f"measures[{i}] ({d.get('type')}){sep}{detail}") from None
            except ValueError as e:
                raise ValueError(f"measures[{i}]: {e}") from None
        return v

    @field_validator("params")
    @classmethod
    def _params(cls, v: dict[str, Any]) -> dict[str, Any]:
        Params().with_overrides(v)
        return v


def policy_error(settings: dict[str, Any]) -> str | None:
    """None if ``settings`` is a valid allocation policy, else a one-line error (key: problem)."""
    from .allocation import AllocationPolicy

    try:
        AllocationPolicy.model_validate(settings)
    except ValidationError as e:
        return _first_error(e, AllocationPolicy)
    return None


def builtin_names() -> list[str]:
    files = resources.files("abm.scenario_files")
    return sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".toml"))


def _first_error(e: ValidationError, model: type[BaseModel] | None = None) -> str:
    """The first error of ``e`` as 'key: problem' (see ``abm.errors.first_error``); ``model``
    defaults to ``Scenario``."""
    return first_error(e, model or Scenario)


def parse_scenario(data: dict[str, Any], where: str) -> Scenario:
    """Validate a scenario given as a plain dict; ``where`` names it in errors."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as e:
        raise ScenarioError(f"{where}: {_first_error(e)}") from None


def load_scenario(name_or_path: str | Path | Scenario) -> Scenario:
    """A built-in scenario by name, or a TOML file by path (a ``Scenario`` is returned as is). Raises ``ScenarioError``."""
    if isinstance(name_or_path, Scenario):
        return name_or_path
    s = str(name_or_path)
    path = Path(s)
    if s.endswith(".toml") or path.exists():
        if not path.is_file():
            raise ScenarioError(f"{s}: no such scenario file")
        where = s
        text = path.read_text(encoding="utf-8")
    elif s in builtin_names():
        where = f"scenario '{s}'"
        text = resources.files("abm.scenario_files").joinpath(f"{s}.toml").read_text(encoding="utf-8")
    else:
        near = difflib.get_close_matches(s, builtin_names(), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        raise ScenarioError(f"unknown scenario '{s}' (built-in: {', '.join(builtin_names())}){hint}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{where}: not valid TOML ({e})") from None
    return parse_scenario(data, where)


def _plain(v: Any) -> Any:
    """``v`` with None left out of every table (TOML has no null: absent means the default) and
    numpy scalars as Python numbers."""
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items() if x is not None}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    return v


def to_toml(data: dict[str, Any]) -> str:
    """``data`` (e.g. a ``model_dump()``) as TOML text, written by ``tomli_w`` so that every string
    (quotes, backslashes, newlines, control characters, unicode) and every nesting (tables, arrays of
    tables) reads back with ``tomllib`` to the same data; None values are left out."""
    return tomli_w.dumps(_plain(data))


def scenario_to_toml(s: Scenario) -> str:
    """The scenario as a TOML text that ``load_scenario`` reads back to the same scenario. Generic
    over the schema: a new field or table of ``Scenario`` is written without changes here. Settings
    equal to their defaults are left out (a short file a policy team can read), except the
    scenario's identity and horizon; measures are written as the scenario gives them."""
    d = s.model_dump(exclude_defaults=True)
    full = s.model_dump()
    for key in ("name", "description", "years", "seed", "seeds"):
        d[key] = full[key]
    d["region"] = s.region.model_dump(exclude_defaults=True)
    d["measures"] = full["measures"]
    order = ["name", "description", "years", "seed", "seeds"]
    return to_toml({k: d[k] for k in [*order, *(k for k in d if k not in order)] if d[k] not in ({}, [])})
