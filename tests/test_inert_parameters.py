"""No inert parameters: every model parameter and every measure field, moved within its bounds,
changes the output of a short run (issue 10, section 6).

A parameter that nothing reads, or a measure field that its measure ignores, is a lever that
does nothing while a user believes it does something. Each case runs a small synthetic region
(COROP Utrecht's shares, about 5,000 households) for three years with the same seed as the
reference run and compares the whole indicator table. The few parameters that a run this short
and small cannot reach are listed in ``UNREACHABLE`` with the reason; the test also fails if a
listed parameter turns out to matter (then the list is wrong).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest

from abm import HousingModel
from abm.params import Params, param_specs
from abm.policies import REGISTRY

SEED = 3
#: (households, months): every case runs the small world first, and only if neither move changes
#: its output the larger one (evictions, shelters and contract ends are rare in 5,000 households).
WORLDS = ((5000, 36), (40000, 72))

#: parameter or ``measure.field`` -> why a short small run cannot show its effect
UNREACHABLE: dict[str, str] = {}

#: Moves other than "halfway to each bound", where that cannot show in a scaled region (reason).
MOVES: dict[str, list] = {
    # each municipality of a scaled region has fewer social homes than half the default size,
    # so only a much smaller size splits them over several corporations
    "corporation_size": [1000.0],
    # vulnerable shares of neighbourhoods stay well below 10 % (recent labels only)
    "concentration_threshold": [0.02],
    # the two shares must sum to at most 1 (the rest settle)
    "labour_migrant_short_share": [0.6, 0.25],
    "labour_migrant_contract_share": [0.45, 0.15],
    # lower and upper ends of a uniform draw must stay ordered (Params.RANGES)
    "student_age_min": [17.0, 20.0],
    "newcomer_age_min": [20.0, 35.0],
    "room_tenant_age_min": [16.0, 23.0],
    "youth_care_age_max": [17.0, 18.0],
    "separation_income_share_min": [0.15, 0.5],
    "separation_income_share_max": [0.4, 0.8],
    # municipal flex sites completed in a short run close (or stop being let) within it only when short-lived
    "flex_site_lifetime": [24.0, 240.0],
    # (the measure's field, likewise: halfway to the lower bound, 66 months, closes sites only at the run's very end)
    "flex_housing.lifetime": [24.0, 240.0],
}

_FLEX_SHORT = (("type", "flex_housing"), ("lifetime", 24))
#: Parameters and fields that act only in a context the default run lacks: the context (extra
#: params and measures of both the reference and the moved run).
CONTEXT: dict[str, dict] = {
    # follow-up urgency acts when temporary contracts end: flex sites that close within the run
    "temporary_follow_up": {"measures": (_FLEX_SHORT + (("follow_up", False),),)},
    "flex_housing.follow_up": {"measures": (_FLEX_SHORT,)},
    # the social-domain costs only reach the output through a measure that pays or weighs them
    "social_support_months": {"measures": ((("type", "care_cost_compensation"),),)},
    # formerly homeless tenants must be evicted now and then for the fall-back to show
    "evicted_fallback_share": {"params": (("court_rate", 0.1), ("homeless_history_arrears_factor", 5.0))},
    "housing_first.fallback": {"params": (("court_rate", 0.1), ("homeless_history_arrears_factor", 5.0))},
    # the sex of arrivals only changes mortality, which is low at 18-50: raise it
    "labour_migrant_female_share": {"params": (("mortality_multiplier", 5.0),)},
    "student_female_share": {"params": (("mortality_multiplier", 5.0),)},
    "newcomer_female_share": {"params": (("mortality_multiplier", 5.0),)},
    "came_of_age_female_share": {"params": (("mortality_multiplier", 5.0),)},
    "refugee_female_share": {"params": (("mortality_multiplier", 5.0),)},
    # (homeless people are few and young: more of them, and higher mortality)
    "homeless_female_share": {"params": (("mortality_multiplier", 5.0), ("new_homeless_rate", 200000.0))},
    "institution_female_share": {"params": (("mortality_multiplier", 5.0),)},
    # a scaled region's women's shelter has a handful of places: give it more residents
    "womens_shelter_female_share": {"params": (("mortality_multiplier", 5.0), ("womens_shelter_places", 200000.0))},
    # the rule acts on homes whose site closes within the run: flex sites with a short lifetime
    "min_letting_months": {"measures": (_FLEX_SHORT,)},
}

_SKIP_FIELDS = {"type", "start", "end"}


def moves(value, lo, hi, kind) -> list:
    """Values within [lo, hi] clearly away from ``value``: halfway to each bound (a lifetime
    can only show when shortened, a capacity only when cut)."""
    if kind is bool:
        return [not value]
    lo = value - max(abs(value), 1.0) if lo is None else lo
    hi = value + max(abs(value), 1.0) if hi is None else hi
    out = []
    for bound in (hi, lo):
        new = value + 0.5 * (bound - value)
        if kind is int:
            new = int(round(new))
            if new == value and bound != value:
                new = value + (1 if bound > value else -1)
        if new != value:
            out.append(kind(new))
    return out


@cache
def _frame(world: tuple[int, int], params: tuple = (), measures: tuple = ()) -> np.ndarray:
    households, months = world
    m = HousingModel(corop=["CR17"], households=households, params=dict(params), measures=[dict(x) for x in measures], rng=SEED)
    m.run(months)
    return m.indicators()["value"].to_numpy()


def _matters(base: dict, variants: list[dict], context: dict | None = None) -> bool:
    """True if some variant changes the output of the small world, else of the larger one.
    ``context`` adds params and measures to the reference and every variant alike."""
    context = context or {}

    def full(x: dict) -> dict:
        return {
            "params": tuple(context.get("params", ())) + tuple(x.get("params", ())),
            "measures": tuple(context.get("measures", ())) + tuple(x.get("measures", ())),
        }

    for world in WORLDS:
        ref = _frame(world, **full(base))
        if any(_differs(ref, _frame(world, **full(v))) for v in variants):
            return True
    return False


def _differs(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape != b.shape or not np.array_equal(a, b, equal_nan=True)


PARAMS = [(name, spec) for name, spec in param_specs().items()]


@pytest.mark.parametrize("name,spec", PARAMS, ids=[n for n, _ in PARAMS])
def test_parameter_is_not_inert(name, spec):
    default = getattr(Params(), name)
    new = MOVES.get(name) or moves(default, spec["lo"], spec["hi"], type(default))
    assert new and not any(isinstance(v, float) and math.isnan(v) for v in new)
    assert all(spec["lo"] is None or v >= spec["lo"] for v in new) and all(spec["hi"] is None or v <= spec["hi"] for v in new)
    changed = _matters({}, [{"params": ((name, v),)} for v in new], CONTEXT.get(name))
    if name in UNREACHABLE:
        assert not changed, f"{name} is listed as unreachable ({UNREACHABLE[name]}) but changes the output: drop it from the list"
    else:
        assert changed, f"parameter {name}: {default} -> {new} leaves the runs {WORLDS} unchanged (inert?)"


def _measure_cases():
    out = []
    for kind, cls in sorted(REGISTRY.items()):
        for fname, f in cls.model_fields.items():
            if fname in _SKIP_FIELDS or f.annotation is dict or "dict" in str(f.annotation):
                continue
            out.append((kind, fname, f))
    return out


def _bounds(f):
    lo = hi = None
    for meta in f.metadata:
        lo = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else lo
        hi = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else hi
    return lo, hi


MEASURES = _measure_cases()


@pytest.mark.parametrize("kind,fname,f", MEASURES, ids=[f"{k}.{n}" for k, n, _ in MEASURES])
def test_measure_field_is_not_inert(kind, fname, f):
    default = f.default
    lo, hi = _bounds(f)
    key = f"{kind}.{fname}"
    new = MOVES.get(key) or moves(default, lo, hi, type(default))
    ctx = dict(CONTEXT.get(key, {}))
    # the measure itself, with the context's settings of it (e.g. a short flex-site lifetime)
    own = next((dict(m) for m in ctx.pop("measures", ()) if dict(m)["type"] == kind), {"type": kind})
    base = tuple(own.items())
    changed = _matters({"measures": (base,)}, [{"measures": (tuple({**own, fname: v}.items()),)} for v in new], ctx)
    if key in UNREACHABLE:
        assert not changed, f"{key} is listed as unreachable ({UNREACHABLE[key]}) but changes the output"
    else:
        assert changed, f"measure field {key}: {default} -> {new} leaves the runs {WORLDS} unchanged (inert?)"
