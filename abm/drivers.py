"""Drivers that change over time: yearly or half-yearly series of model parameters (issue 11, 4).

A scenario's ``[drivers]`` table gives, per driver, a series of values by period, in the unit
of the parameter it drives (``abm params``; ``abm drivers`` lists the built-in series)::

    [drivers]
    use = "default"                 # start from the built-in series (abm/data/drivers.csv)
    interpolation = "step"          # or "linear" (yearly drivers only)
    refugee_quota_half_year = { "2021H1" = 11500, "2021H2" = 11000, "2022H1" = 13500 }
    labour_migrant_stock = { 2021 = 500000, 2025 = 540000 }

Calendar: month 1 of a run is January ``START_YEAR`` (2021: the reference date of the region's
data, CBS KWB 1 Jan 2021). A period is a year (``"2023"``: from January) or a half year
(``"2023H1"``: from January, ``"2023H2"``: from July).

Semantics: before a driver's first period the parameter keeps its own value (default or
``[params]``); from a period's first month on it takes that period's value and keeps it until
the next period (``step``, the default). With ``interpolation = "linear"`` a yearly driver moves
linearly month by month from one period's value to the next (one twelfth of the way per month);
after the last period the last value holds. Half-year drivers (the permit-holder quota, a
number per half year, read in January and July) are always step.

The series set the month's *base* parameters in the opening of the month, before the measures
act; a measure that scales a parameter scales the driver's value of that month. A parameter
driven by a series cannot also be set in ``[params]`` (the file would say two things). The
initial state (month 0) is built from the parameters without the series.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .params import Params, param_specs

if TYPE_CHECKING:
    from .model import HousingModel

#: The calendar year of month 1 (January): the region's data are of 1 January 2021.
START_YEAR = 2021
INTERPOLATIONS = ("step", "linear")
RESERVED = ("use", "interpolation")


@dataclass(frozen=True)
class Driver:
    """A driver: the parameter it sets and its period (``year`` or ``half_year``)."""

    name: str
    period: str
    description: str


#: The drivers a scenario may give a series for (each names the parameter it sets).
DRIVERS: dict[str, Driver] = {
    d.name: d
    for d in (
        Driver(
            "refugee_quota_half_year",
            "half_year",
            "permit-holder quota (taakstelling), national, per half year (report 'Statushouders')",
        ),
        Driver("labour_migrant_stock", "year", "labour migrants present, national (report 'Arbeidsmigranten')"),
        Driver("new_homeless_rate", "year", "new homelessness besides modelled causes, national per year (CBS counts, FACTS D)"),
        Driver("student_intake_factor", "year", "September student intake relative to 2021 (report 'Studenten')"),
    )
}

#: Series in drivers.csv that are listed for comparison but drive no parameter.
REFERENCE = {"population_75_plus": "75+ population, national (report 'Ouderen'); the model ages its own population"}

_PERIOD = re.compile(r"^(\d{4})(?:H([12]))?$")


def period_month(period: str) -> int:
    """The model month (1 = January ``START_YEAR``) at which ``period`` starts; raises ``ValueError``."""
    m = _PERIOD.match(str(period))
    if not m:
        raise ValueError(f"'{period}': not a period (YYYY, YYYYH1 or YYYYH2)")
    year, half = int(m.group(1)), m.group(2)
    return (year - START_YEAR) * 12 + 1 + (6 if half == "2" else 0)


@dataclass(frozen=True)
class Row:
    driver: str
    period: str
    value: float
    unit: str
    source: str
    status: str


@cache
def builtin_rows() -> tuple[Row, ...]:
    """The rows of ``abm/data/drivers.csv`` (driver, period, value, unit, source, status)."""
    text = resources.files("abm.data").joinpath("drivers.csv").read_text(encoding="utf-8")
    return tuple(
        Row(r["driver"], r["period"], float(r["value"]), r["unit"], r["source"], r["status"]) for r in csv.DictReader(text.splitlines())
    )


def default_series() -> dict[str, dict[str, float]]:
    """The built-in series per driver (reference series left out)."""
    out: dict[str, dict[str, float]] = {}
    for r in builtin_rows():
        if r.driver in DRIVERS:
            out.setdefault(r.driver, {})[r.period] = r.value
    return out


def validate(table: dict[str, Any], years: int, params: dict[str, Any]) -> None:
    """Raise ``ValueError`` with a one-line 'drivers.KEY: problem' if the ``[drivers]`` table is
    wrong: unknown driver, bad period, period outside the run, half year for a yearly driver,
    value not a number or outside the parameter's bounds, a driver also set in ``[params]``."""
    use = table.get("use")
    if use is not None and use != "default":
        raise ValueError(f"drivers.use: '{use}' is not a known set of series (use = \"default\" or leave it out)")
    interp = table.get("interpolation", "step")
    if interp not in INTERPOLATIONS:
        raise ValueError(f"drivers.interpolation: '{interp}' is not one of {', '.join(INTERPOLATIONS)}")
    specs = param_specs()
    last_month = years * 12
    for key, series in table.items():
        if key in RESERVED:
            continue
        if key not in DRIVERS:
            import difflib

            near = difflib.get_close_matches(key, list(DRIVERS), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else f"; drivers: {', '.join(DRIVERS)}"
            raise ValueError(f"drivers.{key}: unknown driver{hint}")
        if key in params:
            raise ValueError(f"drivers.{key}: also set in [params]; give the parameter either a value or a series")
        if not isinstance(series, dict) or not series:
            raise ValueError(f"drivers.{key}: give a table of values by period, e.g. {{ 2021 = 1.0, 2022 = 1.1 }}")
        spec = specs[key]
        for period, value in series.items():
            where = f"drivers.{key}.{period}"
            try:
                month = period_month(period)
            except ValueError as e:
                raise ValueError(f"drivers.{key}: {e}") from None
            if DRIVERS[key].period == "year" and "H" in str(period):
                raise ValueError(f"{where}: a yearly driver takes years (YYYY), not half years")
            if not 1 <= month <= last_month:
                raise ValueError(f"{where}: outside the run ({START_YEAR}-{START_YEAR + years - 1})")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{where}: {value!r} is not a number")
            lo, hi = spec["lo"], spec["hi"]
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                raise ValueError(f"{where}: {value} is outside the bounds of {key} ({lo}..{hi} {spec['unit']})")


def resolve(table: dict[str, Any]) -> dict[str, list[tuple[int, float]]]:
    """Per driver, its points as (start month, value), sorted: the built-in series if
    ``use = "default"``, replaced driver by driver by the table's own series."""
    series: dict[str, dict[str, Any]] = dict(default_series()) if table.get("use") == "default" else {}
    for key, s in table.items():
        if key not in RESERVED:
            series[key] = s
    return {k: sorted((period_month(p), float(v)) for p, v in s.items()) for k, s in series.items()}


def value_at(points: list[tuple[int, float]], month: int, linear: bool) -> float | None:
    """The driver's value in ``month`` (None before its first period); see the module docstring."""
    if not points or month < points[0][0]:
        return None
    i = max(j for j, (m, _) in enumerate(points) if m <= month)
    m0, v0 = points[i]
    if not linear or i + 1 == len(points):
        return v0
    m1, v1 = points[i + 1]
    return v0 + (v1 - v0) * (month - m0) / (m1 - m0)


@dataclass
class DriverPlan:
    """The series of one model run and the parameters they act on."""

    base: Params
    points: dict[str, list[tuple[int, float]]]
    linear: bool = False
    last: dict[str, float] = field(default_factory=dict)

    def values(self, month: int) -> dict[str, float]:
        """The driven parameters' values in ``month`` (drivers before their first period left out)."""
        out = {}
        for k, pts in self.points.items():
            v = value_at(pts, month, self.linear and DRIVERS[k].period == "year")
            if v is not None:
                out[k] = v
        return out


def plan_for(table: dict[str, Any], base: Params) -> DriverPlan | None:
    """The run's plan, or None for a scenario without driver series."""
    points = resolve(table)
    if not points:
        return None
    return DriverPlan(base, points, table.get("interpolation", "step") == "linear")


def apply(model: HousingModel) -> None:
    """Set the month's base parameters from the scenario's driver series (opening of the month,
    before the measures); a model without series is left exactly as it was."""
    if not hasattr(model, "_driver_plan"):
        model._driver_plan = plan_for(model.scenario_spec.drivers, model.base_params)
    plan: DriverPlan | None = model._driver_plan
    if plan is None:
        return
    values = plan.values(model.month)
    if values != plan.last:
        plan.last = values
        model.base_params = plan.base.with_overrides(values, where="drivers")
        model._active_key = None  # the measures act again on the new base parameters


def listing() -> list[dict[str, Any]]:
    """Every built-in series row with what it drives (for ``abm drivers`` and the docs)."""
    return [
        {
            "driver": r.driver,
            "parameter": r.driver if r.driver in DRIVERS else "— (reference)",
            "period": r.period,
            "value": r.value,
            "unit": r.unit,
            "source": r.source,
            "status": r.status,
        }
        for r in builtin_rows()
    ]


def markdown_table() -> str:
    """The table of built-in driver series in ``docs/ODD.md`` (generated, tested)."""
    lines = ["| driver (parameter) | period | value | unit | source | status |", "|---|---|---|---|---|---|"]
    for r in listing():
        name = f"`{r['driver']}`" + ("" if r["driver"] in DRIVERS else " (reference, not applied)")
        lines.append(f"| {name} | {r['period']} | {r['value']:.6g} | {r['unit']} | {r['source']} | {r['status']} |")
    return "\n".join(lines)
