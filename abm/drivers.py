"""Drivers that change over time: yearly or half-yearly series of model parameters (issue 11, 4).

Every run follows the built-in series (``abm/data/drivers.csv``; ``abm drivers`` lists them with
their sources and status): the permit-holder quota per half year (report 'Statushouders'), the
labour-migrant stock (report 'Arbeidsmigranten'), the student intake (report 'Studenten') and
new homelessness (CBS counts). A scenario's ``[drivers]`` table changes that, in the unit of the
parameter each driver sets (``abm params``)::

    [drivers]
    use = "default"                 # the built-in series (the default); "none": no built-in series
    interpolation = "step"          # or "linear" (yearly drivers only)
    refugee_quota_half_year = { "2021H1" = 11500, "2021H2" = 11000, "2022H1" = 13500 }
    labour_migrant_stock = { 2021 = 500000, 2025 = 540000 }

How to override or switch off:

- a key of the table's own replaces that driver's built-in series;
- ``use = "none"`` switches every built-in series off (the parameters hold their values, as
  before drivers existed); own series in the table still apply;
- a driven parameter set explicitly, in the scenario's ``[params]`` or by the caller
  (``HousingModel(params=...)``, sweeps, calibration), holds that value for the whole run: its
  built-in series is dropped. A ``[params]`` value and an own series for the same driver in one
  file is an error (the file would say two things).

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
act; a measure that scales a parameter scales the driver's value of that month. The initial
state (month 0) and a spin-up before it (months <= 0) use the parameters without the series.

The 75+ population the report cites (1.4 million in 2020, 2.6 million in 2040) is not a driver:
the model's seniors are the households already there growing older, so forcing a series on
them would count the same ageing twice. It is a validation target instead
(``REFERENCE``, ``reference_growth``): the model's own ageing must keep the number of heads 75+
growing at about the report's rate (tests/test_drivers.py).
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
#: Values of ``[drivers] use``: the built-in series (the default when the key is absent), or none.
USES = ("default", "none")


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

#: Series in drivers.csv that drive no parameter: validation targets for the model's own dynamics.
REFERENCE = {
    "population_75_plus": "75+ population, national (report 'Ouderen'): a validation target for the model's own ageing, not applied"
}

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


def reference_growth(name: str = "population_75_plus", first: int = 2020, last: int = 2040) -> float:
    """Yearly growth (a fraction, compound) of a reference series between two of its years, e.g.
    the 75+ population of the report's 'Ouderen' section: 1.4 million (2020) to 2.6 million (2040),
    3.1 %/yr. Raises ``KeyError`` for a year the series does not give."""
    points = {int(r.period): r.value for r in builtin_rows() if r.driver == name}
    return float((points[last] / points[first]) ** (1.0 / (last - first)) - 1.0)


def validate(table: dict[str, Any], years: int, params: dict[str, Any]) -> None:
    """Raise ``ValueError`` with a one-line 'drivers.KEY: problem' if the ``[drivers]`` table is
    wrong: unknown driver, bad period, period outside the run, half year for a yearly driver,
    value not a number or outside the parameter's bounds, a driver also set in ``[params]``."""
    use = table.get("use", "default")
    if use not in USES:
        raise ValueError(f'drivers.use: \'{use}\' is not a known set of series ("default", the built-in series, or "none")')
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


def resolve(table: dict[str, Any], held: frozenset[str] | set[str] = frozenset()) -> dict[str, list[tuple[int, float]]]:
    """Per driver, its points as (start month, value), sorted: the built-in series unless
    ``use = "none"``, replaced driver by driver by the table's own series; drivers of the
    parameters in ``held`` (set explicitly for the run) left out."""
    series: dict[str, dict[str, Any]] = dict(default_series()) if table.get("use", "default") == "default" else {}
    for key, s in table.items():
        if key not in RESERVED:
            series[key] = s
    for key in held:
        series.pop(key, None)
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


def plan_for(table: dict[str, Any], base: Params, held: frozenset[str] | set[str] = frozenset()) -> DriverPlan | None:
    """The run's plan, or None for a run without driver series (``use = "none"``, or every
    driven parameter held)."""
    points = resolve(table, held)
    if not points:
        return None
    return DriverPlan(base, points, table.get("interpolation", "step") == "linear")


def apply(model: HousingModel) -> None:
    """Set the month's base parameters from the scenario's driver series (opening of the month,
    before the measures); a model without series is left exactly as it was."""
    if not hasattr(model, "_driver_plan"):
        held = getattr(model, "held_params", frozenset())  # parameters the run sets explicitly
        model._driver_plan = plan_for(model.scenario_spec.drivers, model.base_params, held)
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
            "parameter": r.driver if r.driver in DRIVERS else "— (validation target)",
            "period": r.period,
            "value": r.value,
            "unit": r.unit,
            "source": r.source,
            "status": r.status,
        }
        for r in builtin_rows()
    ]


def summary() -> list[str]:
    """One line per built-in series: what it drives, its periods and range, its status counts and
    where it comes from (for ``abm params``; ``abm drivers`` lists every value with its source)."""
    lines = []
    for name in [*DRIVERS, *REFERENCE]:
        rows = [r for r in builtin_rows() if r.driver == name]
        if not rows:
            continue
        values = [r.value for r in rows]
        status = ", ".join(f"{s} {sum(r.status == s for r in rows)}" for s in "VDCM" if any(r.status == s for r in rows))
        what = DRIVERS[name].description if name in DRIVERS else REFERENCE[name]
        lines.append(
            f"{name}: {rows[0].period}..{rows[-1].period}, {min(values):.6g}..{max(values):.6g} {rows[0].unit}; status {status}; {what}"
        )
    return lines


def markdown_table() -> str:
    """The table of built-in driver series in ``docs/ODD.md`` (generated, tested)."""
    lines = ["| driver (parameter) | period | value | unit | source | status |", "|---|---|---|---|---|---|"]
    for r in listing():
        name = f"`{r['driver']}`" + ("" if r["driver"] in DRIVERS else " (validation target, not applied)")
        lines.append(f"| {name} | {r['period']} | {r['value']:.6g} | {r['unit']} | {r['source']} | {r['status']} |")
    return "\n".join(lines)
