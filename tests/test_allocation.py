"""Waiting-time seniority within size, affordability and labels: hand-computed winners."""

from __future__ import annotations

import numpy as np
from conftest import tiny_world
from hypothesis import given, settings
from hypothesis import strategies as st

from abm import allocation
from abm.codes import CareNeed, Label, Place, Tenure


def social(rooms=2, rent=500.0, **kw):
    return {"tenure": Tenure.SOCIAL, "rooms": rooms, "rent": rent, "corporation": 0, **kw}


def seeker(registered, **kw):
    return {"registered": registered, "seeking": True, "size": 1, "income": 30000.0, **kw}


def test_longest_registered_wins():
    w = tiny_world([seeker(-10), seeker(-100), seeker(-50)], [social()])
    w.start_month(1)
    rows, reg = allocation.allocate(w)
    assert rows.tolist() == [1] and reg.tolist() == [-100]
    assert w.hh.place[1] == Place.DWELLING


def test_rent_above_the_capping_limit_skips_allowance_incomes():
    # 700 EUR is above the 1-2 person capping limit (633.25): the low-income senior seeker is skipped.
    w = tiny_world([seeker(-100, income=15000.0), seeker(-20, income=50000.0)], [social(rent=700.0)])
    w.start_month(1)
    rows, _ = allocation.allocate(w)
    assert rows.tolist() == [1]


def test_too_small_or_too_large_homes_are_not_offered():
    # Five persons need 4 rooms; a single may not take more than need + max_extra_rooms (1 + 2).
    w = tiny_world([seeker(-100, size=5, adults=2), seeker(-5)], [social(rooms=2), social(rooms=5)])
    w.start_month(1)
    rows, _ = allocation.allocate(w)
    # The family, though registered longer, cannot take the 2-room home; the single cannot take 5 rooms.
    assert sorted(rows.tolist()) == [0, 1]
    assert w.hh.dwelling.tolist() == [1, 0]


def test_wheelchair_home_only_for_wheelchair_users():
    w = tiny_world([seeker(-100), seeker(-1, care=CareNeed.WHEELCHAIR)], [social(label=Label.WHEELCHAIR)])
    w.start_month(1)
    rows, _ = allocation.allocate(w)
    assert rows.tolist() == [1]


def test_vacancy_chain_within_the_month():
    # Seeker 0 lives in social home 0 and gets the vacant home 1; home 0 then goes to seeker 1.
    w = tiny_world([seeker(-100, dwelling=0), seeker(-50)], [social(), social()])
    w.start_month(1)
    rows, _ = allocation.allocate(w)
    assert rows.tolist() == [0, 1]
    assert w.hh.dwelling.tolist() == [1, 0]
    w.check()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-300, 0), st.integers(1, 6), st.floats(8000, 90000), st.booleans()), min_size=1, max_size=30),
       st.lists(st.tuples(st.integers(1, 6), st.floats(300, 752)), min_size=1, max_size=10))
def test_seniority_properties(seekers_, homes):
    """Each vacancy goes to the longest-registered eligible seeker; no household gets two homes."""
    hhs = [seeker(r, size=s, adults=min(s, 2), income=inc, regional=reg) for r, s, inc, reg in seekers_]
    w = tiny_world(hhs, [social(rooms=r, rent=rent) for r, rent in homes])
    w.start_month(1)
    hh, dw = w.hh, w.dw
    size_c = allocation.size_class(hh.size)
    rent_c = allocation.rent_class(hh.income, hh.size, hh.age)
    reg0 = hh.registered.copy()
    rows, _ = allocation.allocate(w)
    assert np.unique(rows).size == rows.size
    w.check()
    housed_by = {int(d): int(h) for h, d in zip(rows, hh.dwelling[rows], strict=True)}
    unhoused = set(range(hh.n)) - set(rows.tolist())
    for d, h in housed_by.items():
        def eligible(i, d=d):
            need = allocation.SIZE_CLASS_NEED[size_c[i]]
            return need <= dw.rooms[d] <= need + w.params.max_extra_rooms and dw.rent[d] <= allocation.rent_cap(rent_c[i], size_c[i])
        assert eligible(h)
        # No eligible seeker still waiting was registered earlier than the winner.
        assert all(not eligible(i) or reg0[i] >= reg0[h] for i in unhoused)
