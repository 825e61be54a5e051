"""Shared fixtures: small synthetic regions (real CBS shares, a few thousand households)."""

from __future__ import annotations

import functools

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
