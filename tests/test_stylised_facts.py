"""The report's stylised facts as paired-seed tests (issue 11, section 6; docs/validation.md).

Each test runs the same seeds with and without one change on a small synthetic region (COROP
Utrecht scaled to ~8,000 households, all 26 municipalities kept) for two years, and asserts the
sign of the effect the report describes in most seeds and on average. They complement
``tests/test_emergent.py`` (urgency lengthens regular seekers' expected wait, the institution-
leaver direct share unblocks institutions, senior *priority* lengthens chains) with other
outcomes and other levers:

- more urgency displaces regular seekers: fewer lettings *to regular seekers*;
- less outflow capacity blocks institutions: without direct placement from homeless shelters,
  more shelter residents are blocked, for longer;
- seniors moving on (the ``senior_move_on`` package) lengthen vacancy chains, overall (moves per
  chain ended) and the chains started by new build (dwellings vacated per new build, CBS's
  *Verhuisketens* definition);
- flex housing reduces homelessness and blocked outflow. No measure targets flex homes *at*
  homeless people and institution leavers today (flex homes are let like other homes, with a
  temporary contract): the test covers flex housing as it exists;
- distributing the permit-holder quota by market pressure moves permit holders' lettings away
  from the tightest markets (tightness as the report means it: seekers per letting).
"""

from __future__ import annotations

import numpy as np
import pytest

from abm import HousingModel
from abm.indicators import GROUP_NAMES, INDICATOR_NAMES

SEEDS = range(1, 7)
HOUSEHOLDS = 8_000
MONTHS = 24


def run(seed: int, allocation: dict | None = None, measures: list | None = None, households: int = HOUSEHOLDS):
    m = HousingModel(corop=["CR17"], households=households, allocation=allocation or {}, measures=measures or [], rng=seed)
    m.run(MONTHS)
    return m


def series(m, indicator: str, group: str = "all") -> np.ndarray:
    return m.recorder.series(indicator, group)[1]


def per_municipality(m, indicator: str, group: str = "all", stat=np.nansum) -> np.ndarray:
    """Sum (or ``stat``) over months 1.. of an indicator per municipality (without the total)."""
    i, g = INDICATOR_NAMES.index(indicator), GROUP_NAMES.index(group)
    return stat([v[i, :-1, g] for month, v in m.recorder.blocks if month >= 1], axis=0)


def paired(metric, low: dict, high: dict) -> np.ndarray:
    return np.array([[metric(run(s, **low)), metric(run(s, **high))] for s in SEEDS])


def assert_up(pairs: np.ndarray, min_share: float = 0.8) -> None:
    up = pairs[:, 1] > pairs[:, 0]
    assert up.mean() >= min_share, f"only {up.sum()} of {len(up)} seeds moved up: {pairs.round(3).tolist()}"
    assert pairs[:, 1].mean() > pairs[:, 0].mean()


@pytest.mark.slow
def test_more_urgency_displaces_regular_seekers():
    def regular_lettings(m):
        return series(m, "allocations", "regular")[1:].sum()

    pairs = paired(
        regular_lettings,
        {"allocation": {"urgency": {"vacancy_share": 1.0, "homeless": True, "months": 24}}},
        {"allocation": {"urgency": {"enabled": False}}},
    )
    assert_up(pairs)  # without urgency regular seekers get more of the homes


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="known divergence with the calibrated defaults (docs/calibration.md): blocked shelter residents rise on average "
    "without direct placement (9.1 -> 9.5) but in only 3 of 6 seeds; leave_region_share, living_in_other_solution_rate or initial_living_in_seeking back at its old "
    "default restores 5 of 6",
)
def test_less_shelter_outflow_blocks_shelters():
    def blocked(m):
        return series(m, "blocked_shelter")[-6:].mean()

    pairs = paired(blocked, {"allocation": {"homeless": {"share": 0.05}}}, {"allocation": {"homeless": {"share": 0.0}}})
    assert_up(pairs)


@pytest.mark.slow
def test_seniors_moving_on_lengthen_vacancy_chains():
    def chain_length(m):
        n, moves = series(m, "chains_ended")[1:], series(m, "chain_moves_mean")[1:]
        return np.nansum(n * moves) / n.sum()

    pairs = paired(chain_length, {}, {"measures": [{"type": "senior_move_on", "seek_rate": 0.3, "accept": 1.0}]})
    assert_up(pairs)


@pytest.mark.slow
def test_seniors_moving_on_lengthen_chains_from_new_build():  # holds since the calibrated defaults (docs/calibration.md)
    # CBS's Verhuisketens measure: dwellings vacated along new builds' chains per new build.
    def vacated_per_new_build(m):
        return np.nanmean(series(m, "chain_vacated_per_new_build")[1:])

    pairs = paired(vacated_per_new_build, {}, {"measures": [{"type": "senior_move_on", "seek_rate": 0.3, "accept": 1.0}]})
    assert_up(pairs)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="known divergence with the calibrated defaults (docs/calibration.md): flex homes lower homelessness on average "
    "(44 -> 42) but in only 4 of 6 seeds, blocked outflow in 3 of 6; living_in_other_solution_rate back at 0.25 restores 6 of 6",
)
def test_flex_housing_reduces_homelessness_and_blocked_outflow():
    flex = {"measures": [{"type": "flex_housing", "start": 1, "units_per_year": 100_000, "years": 2}]}
    runs = [(run(s), run(s, **flex)) for s in SEEDS]
    for indicator in ("homeless", "blocked_in_institution"):
        pairs = np.array([[series(m, indicator)[-6:].mean() for m in pair] for pair in runs])
        assert_up(-pairs)  # lower with flex homes


@pytest.mark.slow
def test_quota_by_pressure_moves_permit_holders_away_from_tight_markets():
    def tight_share(pair):
        base, alt = pair
        # Tightness as the report means it: seekers per letting, from the baseline run.
        seekers = per_municipality(base, "waiting", stat=np.nanmean)
        lettings = per_municipality(base, "allocations")
        tight = seekers / np.maximum(lettings, 1) >= np.median(seekers / np.maximum(lettings, 1))
        return [
            per_municipality(m, "allocations", "refugee")[tight].sum() / per_municipality(m, "allocations", "refugee").sum() for m in pair
        ]

    runs = [(run(s, households=30_000), run(s, households=30_000, measures=[{"type": "quota_by_pressure", "weight": 1.0}])) for s in SEEDS]
    pairs = np.array([tight_share(p) for p in runs])
    assert_up(-pairs)  # a smaller share of permit holders' lettings in the tightest half
