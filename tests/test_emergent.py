"""Emergent behaviour across ten seeds, asserted with a margin (paired runs, same seeds).

Small synthetic regions (COROP Utrecht's shares, 12,000 households) over two years: enough
to see the mechanisms, fast enough for every CI run. Full regions belong in experiments.
"""

from __future__ import annotations

import numpy as np
import pytest

from abm import HousingModel

SEEDS = range(10)


def run(seed: int, allocation: dict, months: int = 24):
    m = HousingModel(corop=["CR17"], households=12_000, allocation=allocation, rng=seed)
    m.run(months)
    df = m.indicators()
    t = df[df["municipality"] == "total"]

    def series(indicator: str, group: str = "all"):
        return t[(t["indicator"] == indicator) & (t["group"] == group)].set_index("month")["value"]

    return series


def paired(metric, low: dict, high: dict) -> np.ndarray:
    return np.array([[metric(run(s, low)), metric(run(s, high))] for s in SEEDS])


def assert_increase(pairs: np.ndarray, min_share: float = 0.7) -> None:
    up = pairs[:, 1] > pairs[:, 0]
    assert up.mean() >= min_share, f"only {up.sum()} of {len(up)} seeds moved up: {pairs.round(3).tolist()}"
    assert pairs[:, 1].mean() > pairs[:, 0].mean()


@pytest.mark.slow
def test_more_urgency_lengthens_regular_seekers_waiting():
    # Expected waiting time of regular seekers by Little's law: seekers waiting / lettings a month.
    def expected_wait(s):
        return s("waiting", "regular").iloc[1:].mean() / s("allocations", "regular").iloc[1:].mean()

    pairs = paired(expected_wait, {"urgency": {"enabled": False}}, {"urgency": {"vacancy_share": 1.0, "homeless": True, "months": 24}})
    assert_increase(pairs)


@pytest.mark.slow
def test_less_outflow_capacity_raises_blocked_counts():
    def blocked(s):
        return s("blocked_in_institution").iloc[-6:].mean()

    pairs = paired(blocked, {"institution_leavers": {"share": 0.10}}, {"institution_leavers": {"share": 0.0}})
    assert_increase(pairs, 0.8)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="since the market turns over at CBS rates (issue 11), the mean length of all ended chains is dominated by "
    "market moves: mover priority for seniors raises it in only 6 of 10 seeds. The CBS-defined fact (senior move-on "
    "lengthens chains from new build, chain_vacated_per_new_build) holds in tests/test_stylised_facts.py",
)
def test_senior_priority_lengthens_vacancy_chains():
    def mean_chain(s):
        n = s("chains_ended")
        return float((n * s("chain_moves_mean").fillna(0)).sum() / n.sum())

    pairs = paired(mean_chain, {"mover_priority": {"enabled": False}}, {"mover_priority": {"enabled": True}})
    assert_increase(pairs, 0.8)
