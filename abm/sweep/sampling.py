"""Design points: sample the factors (full grid, Latin hypercube, Sobol, Morris via SALib) and
turn a point into the scenario it runs.

Samplers work on the unit cube; ``Factor.from_unit`` maps a coordinate to the factor's range
or list of values, so a list-valued factor (a measure on or off, a rule's mode) takes part in
every method. SALib's Sobol and Morris samples are kept in SALib's order, which its analysis
needs.
"""

from __future__ import annotations

import copy
import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..scenarios import Scenario, ScenarioError, parse_scenario

if TYPE_CHECKING:
    from .design import Design, Factor


def problem(design: Design) -> dict[str, Any]:
    """SALib's problem dict: every factor on the unit interval (mapped by ``Factor.from_unit``)."""
    return {"num_vars": len(design.factors), "names": [f.name for f in design.factors], "bounds": [[0.0, 1.0]] * len(design.factors)}


def _grid_axis(f: Factor, levels: int) -> list[float]:
    """Unit coordinates of a grid axis: one per listed value, or ``levels`` evenly spaced points."""
    if f.values is not None:
        k = len(f.values)
        return [(i + 0.5) / k for i in range(k)]
    return list(np.linspace(0.0, 1.0, levels))


def design_size(design: Design) -> int:
    """Number of design points (before seed replicates)."""
    s, d = design.sampling, len(design.factors)
    if s.method == "grid":
        return int(np.prod([len(_grid_axis(f, s.levels)) for f in design.factors]))
    if s.method == "lhs":
        return s.samples
    if s.method == "sobol":
        return s.samples * (2 * d + 2 if s.second_order else d + 2)
    return s.samples * (d + 1)


def unit_sample(design: Design) -> np.ndarray:
    """The design points on the unit cube, shape (points, factors), in the sampler's order."""
    s = design.sampling
    if s.method == "grid":
        return np.array(list(itertools.product(*[_grid_axis(f, s.levels) for f in design.factors])), dtype=float)
    prob = problem(design)
    if s.method == "lhs":
        from SALib.sample import latin

        return latin.sample(prob, s.samples, seed=s.seed)
    if s.method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(prob, s.samples, calc_second_order=s.second_order, scramble=True, seed=s.seed)
    from SALib.sample import morris

    return morris.sample(prob, s.samples, num_levels=s.levels, seed=s.seed)


def design_table(design: Design) -> pd.DataFrame:
    """One row per design point: ``point`` and each factor's value (``u_NAME``: its unit coordinate)."""
    u = unit_sample(design)
    table = pd.DataFrame({"point": np.arange(len(u), dtype=np.int64)})
    for j, f in enumerate(design.factors):
        table[f.name] = [f.from_unit(x) for x in u[:, j]]
    for j, f in enumerate(design.factors):
        table[f"u_{f.name}"] = u[:, j]
    return table


def _set(d: dict[str, Any], path: list[str], value: Any) -> None:
    for k in path[:-1]:
        d = d.setdefault(k, {})
    d[path[-1]] = value


def apply(base: Scenario, design: Design, values: dict[str, Any]) -> dict[str, Any]:
    """The scenario (as a plain dict) of one design point: ``values`` maps factor name -> value."""
    d = copy.deepcopy(base.model_dump())
    if design.years is not None:
        d["years"] = design.years
    switches = {}
    for f in design.factors:
        parts = f.target.split(".")
        v = values[f.name]
        v = v.item() if isinstance(v, np.generic) else v  # plain Python values in the scenario (and its key)
        if parts[0] == "params":
            d["params"][parts[1]] = v
        elif parts[0] == "allocation":
            _set(d["allocation"], parts[1:], v)
        elif len(parts) == 2:
            switches[parts[1]] = bool(v)
        else:
            kind, field = parts[1], ".".join(parts[2:])
            hits = [m for m in d["measures"] if m["type"] == kind]
            if not hits:
                hits = [{"type": kind}]
                d["measures"].append(hits[0])
            for m in hits:
                m[field] = v
    for kind, on in switches.items():
        if not on:
            d["measures"] = [m for m in d["measures"] if m["type"] != kind]
        elif not any(m["type"] == kind for m in d["measures"]):
            d["measures"].append({"type": kind})
    return d


def check_factor(f: Factor, base: Scenario) -> str | None:
    """None if every value of the factor gives a valid scenario, else a one-line reason."""
    from .design import Design

    # A point inside the range too: an integer parameter refuses fractions (add integer = true).
    probe = [f.from_unit(0.0), f.from_unit(1.0), f.from_unit(0.381966)] if f.values is None else list(f.values)
    parts = f.target.split(".")
    if parts[0] == "measures":
        from ..policies import REGISTRY

        if parts[1] not in REGISTRY:
            return f"unknown measure '{parts[1]}' (see docs/ODD.md, measures)"
        if len(parts) > 2 and parts[2] not in REGISTRY[parts[1]].model_fields:
            return f"measure '{parts[1]}' has no field '{parts[2]}' (fields: {', '.join(REGISTRY[parts[1]].model_fields)})"
    one = Design.model_construct(years=None, factors=[f])
    for v in probe:
        try:
            parse_scenario(apply(base, one, {f.name: v}), "value")
        except ScenarioError as e:
            return f"{f.target} = {v!r} is not allowed ({str(e).removeprefix('value: ')})"
    return None
