"""The cost-sharing rule (*kostendelersnorm*; issue 16 §3; abm/processes/cost_sharing.py): young
adults in benefit households leave home at the age from which they count as cost sharers, and the
measure ``no_cost_sharing`` acts on the rule (the age, and pairing of benefit-level seekers only)."""

from __future__ import annotations

import numpy as np
import pytest

from abm import HousingModel
from abm.codes import Flag, HomelessCause, Place
from abm.processes import cost_sharing


def small(params=None, rng=1, households=4000, measures=None) -> HousingModel:
    return HousingModel(corop=["CR17"], households=households, rng=rng, params=params or {}, measures=measures or [])


def test_social_minimum_by_adults():
    m = small()
    p = m.params
    assert cost_sharing.social_minimum(np.array([1, 2]), p) == pytest.approx([p.social_minimum_single, p.social_minimum_couple])


def _young_at_home(m: HousingModel, k: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """``k`` single young adults living in with a host household (not students or labour migrants)."""
    hh = m.world.hh
    rows = np.flatnonzero(
        (hh.place == Place.LIVING_IN)
        & (hh.host >= 0)
        & (hh.size <= 1)
        & ((hh.labels & (Flag.STUDENT | Flag.LABOUR_MIGRANT)) == 0)
        & ~hh.seeking
    )
    rows = rows[np.unique(hh.host[rows], return_index=True)[1]][:k]  # one per host: hosts get their own incomes
    assert rows.size == k
    return rows, hh.host[rows]


def test_the_rule_pushes_young_adults_of_benefit_households_out_at_the_cost_sharing_age():
    m = small({"cost_sharing_push_share": 1.0})
    w, hh, p = m.world, m.world.hh, m.params
    rows, hosts = _young_at_home(m)
    poor, rich = rows[:20], rows[20:]
    hh.income[hh.host[poor]] = 5000.0  # below the social minimum
    hh.income[hh.host[rich]] = 60000.0
    hh.age[rows] = 21 * 12
    pushed = cost_sharing.push(w, np.random.default_rng(1))
    assert set(poor.tolist()) <= set(pushed.tolist())
    assert not np.isin(rich, pushed).any()
    assert (hh.place[poor] == Place.HOMELESS).all() and hh.seeking[poor].all()
    assert (hh.host[poor] < 0).all()  # they left the host household
    causes = np.concatenate([c for _, _, c in w.counters.homeless_inflow])
    assert (causes == HomelessCause.LEFT_HOME).sum() == pushed.size
    # the default age of the rule (the birthdays before and after are tested below)
    assert p.cost_sharing_age == 21


def test_no_push_before_or_after_the_birthday_and_none_when_the_age_is_raised():
    m = small({"cost_sharing_push_share": 1.0})
    w, hh = m.world, m.world.hh
    rows, _ = _young_at_home(m)
    hh.income[hh.host[rows]] = 5000.0
    hh.age[rows[:10]] = 21 * 12 - 1
    hh.age[rows[10:20]] = 21 * 12 + 1
    hh.age[rows[20:]] = 21 * 12
    w.params = w.params.with_overrides({"cost_sharing_age": 23.0})  # the measure's age: 21-year-olds no longer count
    assert not np.isin(rows, cost_sharing.push(w, np.random.default_rng(1))).any()
    hh.age[rows[20:]] = 23 * 12
    assert np.isin(rows[20:], cost_sharing.push(w, np.random.default_rng(1))).all()


def test_the_measure_raises_the_age_and_pairs_only_benefit_level_seekers_of_the_lifted_ages(monkeypatch):
    m = small(measures=[{"type": "no_cost_sharing", "pair_rate": 1.0, "max_age": 23}])
    m._apply_measures()
    assert m.params.cost_sharing_age == 23.0
    hh = m.world.hh
    merged = []
    monkeypatch.setattr(type(m), "merge_households", lambda self, rows, rng, contract_months: merged.append(rows))
    rows, _ = _young_at_home(m, 60)
    hh.seeking[rows] = True
    hh.age[rows[:20]] = 22 * 12  # lifted ages, benefit level
    hh.income[rows[:20]] = 8000.0
    hh.age[rows[20:40]] = 22 * 12  # lifted ages, above the benefit level: the rule never held them back
    hh.income[rows[20:40]] = 25000.0
    hh.age[rows[40:]] = 19 * 12  # below the rule's age: sharing never cost them
    hh.income[rows[40:]] = 8000.0
    m.measures[0].act(m.measure_view, np.random.default_rng(1))
    got = np.concatenate(merged)
    assert np.isin(rows[:20], got).all()
    assert not np.isin(rows[20:], got).any()


@pytest.mark.slow
def test_paired_seeds_the_rule_adds_young_homelessness_and_lifting_it_to_23_pushes_fewer():
    """Paired seeds (1-3), three years, 20,000 households: with the push, young adults become
    homeless leaving benefit households; lifting the rule under 23 pushes fewer of them (later,
    when fewer are still at home)."""
    base_left, lifted_left, no_push_homeless, push_homeless = 0.0, 0.0, 0.0, 0.0
    for seed in (1, 2, 3):
        runs = {
            "none": small({"cost_sharing_push_share": 0.0}, rng=seed, households=20000),
            "base": small({"cost_sharing_push_share": 0.3}, rng=seed, households=20000),
            "lifted": small({"cost_sharing_push_share": 0.3}, rng=seed, households=20000, measures=[{"type": "no_cost_sharing"}]),
        }
        for r in runs.values():
            r.run(36)
        base_left += runs["base"].recorder.series("homeless_inflow_left_home")[1].sum()
        lifted_left += runs["lifted"].recorder.series("homeless_inflow_left_home")[1].sum()
        no_push_homeless += runs["none"].recorder.series("homeless_inflow")[1].sum()
        push_homeless += runs["base"].recorder.series("homeless_inflow")[1].sum()
    assert push_homeless > no_push_homeless
    # the push comes two years later, when some have left home on their own (about a quarter fewer in three years)
    assert base_left > 20 and lifted_left < 0.9 * base_left
