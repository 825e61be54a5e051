"""An adapter for the EMA Workbench (exploratory modelling and analysis, TU Delft), which Dutch
policy analysts use for deep-uncertainty studies: uncertainties (parameters we are unsure of),
levers (measures we can choose) and outcomes (indicators), with seeds as replications.

Example (``experiments/ema_example.py``)::

    from ema_workbench import perform_experiments
    from abm.ema import ema_model

    model = ema_model(
        "urgency_flex",
        base="small",
        years=5,
        uncertainties={"seek_rate": ("params.seek_rate", 0.015, 0.035)},
        levers={
            "urgency_share": ("allocation.urgency.vacancy_share", 0.0, 1.0),
            "flex_per_year": ("measures.flex_housing.units_per_year", 0, 40000),
        },
        outcomes=["wait_months_median:regular:mean", "blocked_in_institution:all:final"],
        seeds=[1, 2, 3],
    )
    experiments, outcomes = perform_experiments(model, scenarios=16, policies=4)

Targets are those of sweep designs (``params.NAME``, ``allocation.RULE.FIELD``,
``measures.TYPE.FIELD``, ``measures.TYPE`` as a boolean lever), validated against the base
scenario when the model is built. A target given as ``(target, [values])`` becomes a
``CategoricalParameter`` (``BooleanParameter`` for ``[False, True]``); ``(target, lo, hi)``
an ``IntegerParameter`` if both bounds are ``int``, else a ``RealParameter``. EMA hands numpy
numbers to the function; seeds are converted to plain ``int`` before they reach the model.
"""

from __future__ import annotations

from typing import Any

from .scenarios import Scenario, load_scenario
from .sweep.design import Design, DesignError, Factor, parse_outcome
from .sweep.runs import run_task
from .sweep.sampling import apply, check_factor


def _mean(values) -> float:
    return float(sum(values) / len(values))


class HousingRun:
    """The function EMA calls: ``run(**factor values, seed=...)`` -> {outcome name: value}.

    A plain picklable object (base scenario, factors, outcomes), so EMA's multiprocessing
    evaluator can ship it to its workers.
    """

    def __init__(self, base: Scenario, factors: list[Factor], outcomes: dict[str, tuple[str, str, str]], years: int | None) -> None:
        self.base, self.factors, self.outcomes, self.years = base, factors, outcomes, years

    def __call__(self, **kwargs: Any) -> dict[str, float]:
        seed = int(kwargs.pop("seed", self.base.seed))  # EMA passes numpy integers; the model wants a plain int
        design = Design.model_construct(years=self.years, factors=self.factors)
        scenario = apply(self.base, design, {f.name: kwargs[f.name] for f in self.factors if f.name in kwargs})
        outputs = {
            "indicators": sorted({o[0] for o in self.outcomes.values()}),
            "groups": sorted({o[1] for o in self.outcomes.values()}),
            "statistics": sorted({o[2] for o in self.outcomes.values()}),
        }
        res = run_task({"key": "", "point": 0, "seed": seed, "scenario": scenario, "outputs": outputs})
        if not res["ok"]:
            raise RuntimeError(res["error"])
        table = res["frame"].set_index(["indicator", "group", "statistic"])["value"]
        return {name: float(table.get(o, float("nan"))) for name, o in self.outcomes.items()}


def _parameter(name: str, spec: tuple):
    from ema_workbench import BooleanParameter, CategoricalParameter, IntegerParameter, RealParameter

    if len(spec) == 2:
        target, values = spec
        if list(values) == [False, True] or list(values) == [True, False]:
            return Factor(name=name, target=target, values=[False, True]), BooleanParameter(name)
        return Factor(name=name, target=target, values=list(values)), CategoricalParameter(name, list(values))
    target, lo, hi = spec
    if isinstance(lo, int) and isinstance(hi, int) and not isinstance(lo, bool):
        return Factor(name=name, target=target, low=lo, high=hi, integer=True), IntegerParameter(name, lo, hi)
    return Factor(name=name, target=target, low=float(lo), high=float(hi)), RealParameter(name, float(lo), float(hi))


def ema_model(
    name: str,
    base: str | Scenario = "small",
    years: int | None = None,
    uncertainties: dict[str, tuple] | None = None,
    levers: dict[str, tuple] | None = None,
    outcomes: list[str] | dict[str, str] = ("wait_months_median:regular:mean",),
    seeds: list[int] | None = None,
):
    """An EMA Workbench model of the housing ABM (see the module docstring).

    Args:
        name: the EMA model name (letters, digits, underscores).
        base: the base scenario (built-in name, TOML path or ``Scenario``).
        years: horizon (default: the base scenario's).
        uncertainties, levers: EMA name -> ``(target, low, high)`` or ``(target, [values])``.
        outcomes: ``INDICATOR:GROUP:STATISTIC`` strings (named with underscores), or name -> string.
        seeds: replications, one run per seed (a ``ReplicatorModel``; outcomes are the mean over
            seeds); default: one run with the base scenario's seed.
    """
    from ema_workbench import Model, ReplicatorModel, ScalarOutcome

    scenario = load_scenario(base)
    factors, u_params, l_params = [], [], []
    for group, out in ((uncertainties or {}, u_params), (levers or {}, l_params)):
        for pname, spec in group.items():
            factor, param = _parameter(pname, spec)
            msg = check_factor(factor, scenario)
            if msg:
                raise DesignError(f"{pname}: {msg}")
            factors.append(factor)
            out.append(param)
    if isinstance(outcomes, dict):
        named = {k: parse_outcome(v) for k, v in outcomes.items()}
    else:
        named = {o.replace(":", "_"): parse_outcome(o) for o in outcomes}
    run = HousingRun(scenario, factors, named, years)
    if seeds:
        model = ReplicatorModel(name, function=run)
        model.replications = [{"seed": int(s)} for s in seeds]
    else:
        model = Model(name, function=run)
    model.uncertainties = u_params
    model.levers = l_params
    # With replications EMA hands each outcome the list of per-seed values: report their mean.
    model.outcomes = [ScalarOutcome(k, function=_mean) if seeds else ScalarOutcome(k) for k in named]
    return model
