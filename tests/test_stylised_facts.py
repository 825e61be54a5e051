"""The report's stylised facts as paired-seed tests (issue 11, section 6; docs/validation.md).

Each test runs the same seeds with and without one change on a small synthetic region (COROP
Utrecht, CR17, all 26 municipalities, scaled to 8,000-30,000 households) for two years, and
asserts the sign of the effect the report describes *pooled over the seeds*: a paired t statistic
of at least 2 and most seeds moving the report's way (``conftest.assert_increase``). The effect
measured on the test's seeds (experiments/facts/, at the commit that wrote them) is stated in
each docstring; a test fails if the model loses the effect, not on one unlucky seed.

Runs are cached by their settings for the session (``conftest.paired_run``): a baseline several
tests share runs once, and tests/test_emergent.py (other outcomes of the same levers) reuses them.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import assert_decrease, assert_increase, paired, paired_run

from abm.chains import cohort_summary
from abm.indicators import GROUP_NAMES, INDICATOR_NAMES

MONTHS = 24
URGENCY_OFF = {"allocation": {"urgency": {"enabled": False}}}
URGENCY_ON = {"allocation": {"urgency": {"vacancy_share": 1.0, "homeless": True, "months": 24}}}
SENIOR_MOVE_ON = {"measures": [{"type": "senior_move_on", "seek_rate": 0.3, "accept": 1.0}]}
FLEX = {"type": "flex_housing", "start": 1, "units_per_year": 100_000, "years": 2}  # 20x the agreement, to show in 8,000 households


def series(m, indicator: str, group: str = "all") -> np.ndarray:
    return m.recorder.series(indicator, group)[1]


def last_half_year(indicator: str):
    return lambda m: float(np.nanmean(series(m, indicator)[-6:]))


def per_municipality(m, indicator: str, group: str = "all", stat=np.nansum) -> np.ndarray:
    """Sum (or ``stat``) over months 1.. of an indicator per municipality (without the total)."""
    i, g = INDICATOR_NAMES.index(indicator), GROUP_NAMES.index(group)
    return stat([v[i, :-1, g] for month, v in m.recorder.blocks if month >= 1], axis=0)


def mean_chain_length(m) -> float:
    """Mean moves of the vacancy chains ended in months 1.. (every start cause)."""
    n, moves = series(m, "chains_ended")[1:], series(m, "chain_moves_mean")[1:]
    return float(np.nansum(n * moves) / n.sum())


@pytest.mark.slow
def test_more_urgency_displaces_regular_seekers():
    """Urgency for homeless people on every vacancy, 24 months, against no urgency: regular
    seekers get fewer lettings (8,000 households, seeds 1-6; measured 184 -> 109 lettings in two
    years over seeds 1-10, t = -9.9, every seed). The report: priority for one group is waiting
    time for another (*verdringing*, 'Sociaal urgenten en dreigend daklozen')."""

    def regular_lettings(m):
        return float(series(m, "allocations", "regular")[1:].sum())

    assert_decrease(paired(regular_lettings, URGENCY_OFF, URGENCY_ON, range(1, 7)), min_share=0.8)


@pytest.mark.slow
def test_less_outflow_blocks_institutions():
    """No direct placement of institution leavers (protected housing, detention, youth care)
    against a share of 10 % of vacancies: more residents ready to leave stay blocked in their
    institution (8,000 households, seeds 1-10; measured 26.2 -> 31.5 blocked, mean of the last
    half year, t = 3.4, 9 of 10 seeds). Report, 'Uitstroom intramurale situatie'."""
    pairs = paired(
        last_half_year("blocked_in_institution"),
        {"allocation": {"institution_leavers": {"share": 0.10}}},
        {"allocation": {"institution_leavers": {"share": 0.0}}},
        range(1, 11),
    )
    assert_increase(pairs, min_share=0.7)


@pytest.mark.slow
def test_less_shelter_outflow_blocks_shelters():
    """No direct placement from homeless shelters against a share of 15 % of vacancies: more
    shelter residents ready to leave stay blocked (16,000 households, seeds 1-8; measured after
    issue 16 §3 9.3 -> 19.3, t = 5.9, every seed; at 8,000 households, with fewer vacancies since
    corporations sell and demolish, 7.4 -> 9.9, t = 3.2, 6 of 8 seeds). At the default share (2 %)
    against none the effect is within the noise of a small region (0.05 -> 0: +0.6 of 9, t = 1.1
    over 10 seeds)."""
    pairs = paired(
        last_half_year("blocked_shelter"),
        {"allocation": {"homeless": {"share": 0.15}}},
        {"allocation": {"homeless": {"share": 0.0}}},
        range(1, 9),
        households=16_000,
    )
    assert_increase(pairs, min_share=0.8)


@pytest.mark.slow
def test_seniors_moving_on_lengthen_vacancy_chains():
    """The senior move-on package (``senior_move_on``: more seniors in social family homes look,
    priority, rent kept) lengthens vacancy chains: mean moves of the chains ended in two years
    (16,000 households, seeds 1-10; measured 1.76 -> 1.93 at 8,000 households, t = 20, every
    seed). Report, 'Ouderen' and 'Doorstroming'."""
    assert_increase(paired(mean_chain_length, {}, SENIOR_MOVE_ON, range(1, 11), households=16_000), min_share=0.8)


@pytest.mark.slow
def test_seniors_moving_on_lengthen_chains_from_new_build():
    """CBS's *Verhuisketens* measure: dwellings vacated along the chains of the new builds
    completed in months 1-24, per new build, followed to month 24 (open chains counted as far
    as they got; ``abm.chains.cohort_summary``). The package lengthens them (16,000
    households, seeds 1-10; measured 1.30 -> 1.51, t = 5.2, every seed).

    At 8,000 households the same effect (+0.12) is within the noise (t = 1.5, 6 of 10 seeds): a
    scaled region completes ~15 social homes a year, and seniors reach new-build chains mainly
    through social homes. The old xfail (4 of 6 seeds) asked for 5 of 6 seeds at 8,000
    households on the mean of monthly ratios: underpowered, not a missing effect; the chain log
    records every link a senior mover makes (tests/test_chains.py)."""

    def vacated_per_new_build(m):
        return cohort_summary(m, months=(1, MONTHS))["vacated_per_start"]

    assert_increase(paired(vacated_per_new_build, {}, SENIOR_MOVE_ON, range(1, 11), households=16_000), min_share=0.7)


@pytest.mark.slow
def test_targeted_flex_housing_reduces_homelessness_and_blocked_outflow():
    """Flex homes with half of them offered first to homeless people and institution leavers
    (``flex_housing``'s default ``target_share``; report, 'Snel en flexibel') against none, and
    against the same flex homes let as any other home: homelessness and residents blocked in
    institutions fall, and the targeting itself lowers them (8,000 households, seeds 1-6;
    measured over seeds 1-10, mean of the last half year: homeless 38.7 -> 6.2 with targeted flex,
    30.3 -> 6.2 untargeted -> targeted; blocked 29.0 -> 9.9, and 24.8 -> 9.9)."""
    seeds = range(1, 7)
    targeted = {"measures": [FLEX]}
    untargeted = {"measures": [{**FLEX, "target_share": 0.0}]}
    for indicator in ("homeless", "blocked_in_institution"):
        metric = last_half_year(indicator)
        assert_decrease(paired(metric, {}, targeted, seeds), min_share=0.8)
        assert_decrease(paired(metric, untargeted, targeted, seeds), min_share=0.8)


@pytest.mark.slow
def test_quota_by_pressure_moves_permit_holders_away_from_tight_markets():
    """The permit-holder quota distributed by market pressure (``quota_by_pressure``, pressure
    = seekers per letting, as the report means it) against by population: a smaller share of
    permit holders' lettings falls in the tightest half of the municipalities (by seekers per
    letting in the baseline run). 30,000 households, seeds 1-8; measured before issue 16 §4:
    22.5 % -> 15.7 %, t = -4.4, every seed; with liveability responding to concentration (a
    scenario setting, liveability_concentration_effect 0.05; 0 in the baseline): 25.0 % ->
    19.8 %, seven of eight seeds (in seed 2
    Utrecht city sits just above the median pressure and gains permit holders under the key, which
    weighs its large social stock). Report, 'Statushouders: Wat is er nodig?'."""
    households = 30_000
    measure = {"measures": [{"type": "quota_by_pressure", "weight": 1.0}]}

    def tight_share(seed: int) -> list[float]:
        base, alt = paired_run(seed, households=households), paired_run(seed, households=households, **measure)
        per_letting = per_municipality(base, "waiting", stat=np.nanmean) / np.maximum(per_municipality(base, "allocations"), 1)
        tight = per_letting >= np.median(per_letting)
        return [
            per_municipality(m, "allocations", "refugee")[tight].sum() / per_municipality(m, "allocations", "refugee").sum()
            for m in (base, alt)
        ]

    assert_decrease(np.array([tight_share(s) for s in range(1, 9)]), min_share=0.8)
