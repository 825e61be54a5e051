"""Regional spreading agreements (issue 16 §2; abm/policies/spreading.py): direct placements of
homeless people and institution leavers follow each municipality's share of its COROP region's
inhabitants, without adding placements."""

from __future__ import annotations

import numpy as np
import pytest

from abm import HousingModel
from abm.indicators import INDICATOR_NAMES
from abm.policies import measure_from_dict


def small(measures=None, rng=1, households=20000) -> HousingModel:
    return HousingModel(corop=["CR17"], households=households, rng=rng, measures=measures or [])


def test_factors_follow_the_gap_to_the_key_and_keep_the_expected_placements(monkeypatch):
    m = small(households=4000)
    n = m.region.size
    pop = m.region.table["inhabitants"].to_numpy(float)
    placed = np.zeros(n)
    big = int(np.argmax(pop))
    placed[big] = 60.0  # the largest municipality placed everyone
    lettings = np.full(n, 10.0)
    monkeypatch.setattr(type(m), "direct_placements_last", lambda self, months: placed)
    monkeypatch.setattr(type(m), "lettings_last", lambda self, months: lettings)
    meas = measure_from_dict({"type": "regional_spreading", "strength": 1.0, "max_factor": 3.0})
    meas.act(m.measure_view, np.random.default_rng(0))
    f = m.spreading_factor
    others = np.arange(n) != big
    assert f[big] < 1.0 and (f[others] > 1.0).all()  # the one above its key does less, the others more
    assert f.max() / f.min() <= 9.0 + 1e-9  # raw factors within [1/3, 3] before the common scaling
    assert float((lettings * f).sum()) == pytest.approx(float(lettings.sum()))  # the region's expected placements kept
    assert f[others] == pytest.approx(np.full(others.sum(), f[others][0]))  # none placed: all at the cap, alike
    # strength 0: no spreading at all
    measure_from_dict({"type": "regional_spreading", "strength": 0.0}).act(m.measure_view, np.random.default_rng(0))
    assert m.spreading_factor == pytest.approx(np.ones(n))


def test_the_factor_acts_only_while_the_measure_runs():
    m = small([{"type": "regional_spreading", "start": 13, "end": 25}], households=4000)
    seen = []
    for _ in range(30):
        m.step()
        seen.append(bool(np.any(m.spreading_factor != 1.0)))
    assert not any(seen[:12]) and not any(seen[25:])
    assert any(seen[13:24])


def _dissimilarity(m: HousingModel) -> float:
    """½ Σ |placed share − inhabitant share| over the municipalities, over the whole run."""
    n = m.region.size
    tot = np.zeros(n)
    for _, b in m.recorder.blocks:
        for r in ("direct_homeless", "direct_institution"):
            tot += b[INDICATOR_NAMES.index(f"allocations_{r}"), :n, 0]
    pop = m.region.table["inhabitants"].to_numpy(float)
    return float(0.5 * np.abs(tot / tot.sum() - pop / pop.sum()).sum())


@pytest.mark.slow
def test_paired_seeds_the_agreement_spreads_placements_by_the_key():
    """Paired seeds (1-3), six years, 20,000 households: the region's direct placements of homeless
    people and institution leavers lie closer to the inhabitants' spread over its municipalities
    (seeds 1-3 when written: 0.21 -> 0.12, 0.17 -> 0.15, 0.24 -> 0.12)."""
    for seed in (1, 2, 3):
        base, spread = small(rng=seed), small([{"type": "regional_spreading"}], rng=seed)
        for r in (base, spread):
            r.run(72)
        assert _dissimilarity(spread) < _dissimilarity(base), seed
