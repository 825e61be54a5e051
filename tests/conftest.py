"""Shared fixtures: small synthetic regions (real CBS shares, a few thousand households), and the
paired-seed helpers of the behaviour tests (tests/test_stylised_facts.py, tests/test_emergent.py)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable

import numpy as np
import pytest

from abm import HousingModel
from abm.codes import Place
from abm.dwellings import Dwellings
from abm.households import Households
from abm.params import Params
from abm.region import build_region, select
from abm.world import World

SEEDS = [1, 2, 3]


def pytest_configure(config):
    config.addinivalue_line("markers", "spinup: runs models with the default spin-up (Params.spinup_months) instead of none")


@pytest.fixture(scope="session", autouse=True)
def _no_spin_up():
    """Models built in the tests start from the synthetic snapshot (no spin-up) unless the test is
    marked ``spinup`` or sets ``spinup_months`` itself. Why: the tests check mechanisms and
    paired-seed signs, which hold from any start; the default 60-month spin-up adds a second or
    more to every model built and triples the time of the model-heavy files
    (tests/test_measures.py: 1m11 to 3m13 CPU). The steady-state test runs the real default.
    Session-wide, so that module and session fixtures build their models without it too."""
    import abm.model

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(abm.model, "Params", functools.partial(Params, spinup_months=0))
        yield


@pytest.fixture(autouse=True)
def _spin_up_if_marked(request, monkeypatch):
    if request.node.get_closest_marker("spinup") is not None:
        import abm.model

        monkeypatch.setattr(abm.model, "Params", Params)


@pytest.fixture(scope="session")
def small_runs():
    """Three seeds of the 'small' scenario run for 24 months, checked every month."""
    runs = {}
    for seed in SEEDS:
        m = HousingModel(scenario="small", rng=seed)
        m.run(24, callback=lambda model: model.world.check())
        runs[seed] = m
    return runs


def tiny_world(households: list[dict], dwellings: list[dict], municipalities: tuple[str, ...] = ("GM0589",), **params) -> World:
    """A hand-built world in one municipality (Oudewater, GM0589) or a few, for hand-computed
    cases. Each dict gives columns; households with a ``dwelling`` are put in it. Dwellings get
    the first neighbourhood of their municipality unless they say otherwise.
    """
    region = build_region(select(list(municipalities)), np.random.default_rng(0))
    dw = Dwellings(capacity=len(dwellings) + 16)
    first_nbh = np.searchsorted(region.nbh_municipality, np.arange(region.size))
    for d in dwellings:
        mun = d.get("municipality", 0)
        dw.add(1, **{"municipality": mun, "neighbourhood": int(first_nbh[mun]), **d})
    hh = Households(capacity=len(households) + 16)
    for h in households:
        cols = {"municipality": 0, "age": 40 * 12, "income": 20000.0, "income_base": 20000.0, "place": Place.LIVING_IN, **h}
        if cols.get("dwelling", -1) >= 0:
            cols["place"] = Place.DWELLING
        rows = hh.add(1, **cols)
        hh._data["hid"][rows] = rows
        if cols.get("dwelling", -1) >= 0:
            dw.occupant[cols["dwelling"]] = rows[0]
    w = World(region, Params().with_overrides(params), hh, dw)
    w.totals["households_start"] = int((hh.place != Place.GONE).sum())
    w.totals["dwellings_start"] = int(dw.exists.sum())
    return w


# -- paired seeds -------------------------------------------------------------------------------
#: Runs kept by their settings, the most recently used last: a baseline shared by several tests
#: runs once. At most ``_KEEP`` (≈18 MB each at 8,000 households), so the session stays small.
_RUNS: dict[str, HousingModel] = {}
_KEEP = 40


def paired_run(seed: int, households: int = 8000, months: int = 24, corop: str = "CR17", **kw) -> HousingModel:
    """A small synthetic region (COROP ``corop``'s shares, ``households`` households) run for
    ``months`` with seed ``seed`` and the HousingModel keywords ``kw`` (``allocation``,
    ``measures``, ``params``); the same settings give the same run object (cached: treat it as read-only)."""
    key = json.dumps([seed, households, months, corop, kw], sort_keys=True, default=str)
    m = _RUNS.pop(key, None)
    if m is None:
        m = HousingModel(corop=[corop], households=households, rng=seed, **kw)
        m.run(months)
    _RUNS[key] = m
    while len(_RUNS) > _KEEP:
        del _RUNS[next(iter(_RUNS))]
    return m


def paired(metric: Callable[[HousingModel], float], low: dict, high: dict, seeds: Iterable[int], **world) -> np.ndarray:
    """``metric`` of the runs with settings ``low`` and ``high`` (HousingModel keywords) on the
    same seeds: an array of [low, high] per seed. ``world``: ``paired_run``'s size arguments."""
    return np.array([[metric(paired_run(s, **world, **low)), metric(paired_run(s, **world, **high))] for s in seeds], dtype=float)


def effect(pairs: np.ndarray) -> dict[str, float]:
    """The paired effect high - low: mean, standard deviation of the differences, paired t
    statistic, share of seeds that moved up, and the mean of each side."""
    d = pairs[:, 1] - pairs[:, 0]
    sd = float(d.std(ddof=1)) if d.size > 1 else 0.0
    t = float(d.mean() / sd * np.sqrt(d.size)) if sd > 0 else float(np.sign(d.mean()) * np.inf)
    return {
        "low": float(pairs[:, 0].mean()),
        "high": float(pairs[:, 1].mean()),
        "diff": float(d.mean()),
        "sd": sd,
        "t": t,
        "up": float((d > 0).mean()),
    }


def assert_increase(pairs: np.ndarray, min_t: float = 2.0, min_share: float = 0.5) -> dict[str, float]:
    """The high side is larger, pooled over the seeds: a paired t statistic of at least
    ``min_t`` (2: one-sided p ≈ 0.03-0.05 for 6-20 seeds) and at least ``min_share`` of the
    seeds moving up. Returns the effect (see ``effect``); the message shows every pair."""
    e = effect(pairs)
    msg = ", ".join(f"{k} {v:.4g}" for k, v in e.items()) + f"; pairs {pairs.round(4).tolist()}"
    assert e["diff"] > 0 and e["t"] >= min_t, f"no significant increase: {msg}"
    assert e["up"] >= min_share, f"too few seeds moved up: {msg}"
    return e


def assert_decrease(pairs: np.ndarray, min_t: float = 2.0, min_share: float = 0.5) -> dict[str, float]:
    """The high side is smaller (see ``assert_increase``)."""
    return assert_increase(-pairs, min_t, min_share)
