"""Conservation: every household in exactly one place, no dwelling with two households,
start + inflow − outflow = end for households and dwellings — every month, several seeds."""

from __future__ import annotations

import numpy as np

from abm.codes import Place


def test_invariants_hold_every_month(small_runs):
    # The fixture already ran world.check() after every month; check the end state again and
    # that the run was not trivial (people moved, homes were let, some left, some arrived).
    for m in small_runs.values():
        m.world.check()
        df = m.datacollector.get_model_vars_dataframe()
        assert df["allocations"].sum() > 50
        assert df["moves"].sum() > df["allocations"].sum()
        assert m.world.totals["inflow"] > 0 and m.world.totals["outflow"] > 0


def test_each_present_household_in_exactly_one_place(small_runs):
    for m in small_runs.values():
        hh, dw = m.world.hh, m.world.dw
        place = hh.place
        housed = place == Place.DWELLING
        # A household holds a dwelling iff it is housed; an institution iff it is in one.
        assert np.array_equal(hh.dwelling >= 0, housed)
        assert np.array_equal(hh.institution >= 0, place == Place.INSTITUTION)
        # Dwellings and households point at each other one to one.
        occ = dw.occupant[dw.occupant >= 0]
        assert np.unique(occ).size == occ.size
        assert np.all(hh.dwelling[occ] == np.flatnonzero(dw.occupant >= 0))


def test_household_balance_adds_up(small_runs):
    for m in small_runs.values():
        t = m.world.totals
        present = int((m.world.hh.place != Place.GONE).sum())
        assert present == t["households_start"] + t["inflow"] - t["outflow"]
        assert int(m.world.dw.exists.sum()) == t["dwellings_start"] + t["completions"] - t["removed"]


def test_check_catches_a_double_occupancy(small_runs):
    import copy

    import pytest

    m = small_runs[1]
    w = copy.deepcopy(m.world)
    housed = np.flatnonzero(w.hh.place == Place.DWELLING)[:2]
    w.hh.dwelling[housed[1]] = w.hh.dwelling[housed[0]]
    with pytest.raises(AssertionError):
        w.check()


def test_compaction_keeps_every_link():
    from abm import HousingModel

    m = HousingModel(scenario="small", rng=4)
    m.run(3)
    w = m.world
    hh = w.hh

    def host_id(i):  # a host that has left counts as no host
        return -1 if hh.host[i] < 0 or hh.place[hh.host[i]] == 4 else int(hh.hid[hh.host[i]])

    before = {int(h): (int(hh.place[i]), int(hh.dwelling[i]), host_id(i)) for i, h in enumerate(hh.hid) if hh.place[i] != 4}
    assert (hh.place == 4).any()
    assert w.compact(threshold=0.0)
    assert not (hh.place == 4).any()
    after = {int(h): (int(hh.place[i]), int(hh.dwelling[i]), host_id(i)) for i, h in enumerate(hh.hid)}
    assert before == after
    w.check()
    m.run(3)  # and the model runs on
    w.check()
    assert np.unique(w.hh.hid).size == w.hh.n  # ids stay unique
