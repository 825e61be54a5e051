"""Properties of the allocation rules on random small worlds (hypothesis)."""

from __future__ import annotations

import numpy as np
from conftest import tiny_world
from hypothesis import given, settings
from hypothesis import strategies as st
from test_allocation import let, seeker, social

from abm.allocation import classes as C
from abm.codes import CareNeed, Label

SEEKERS = st.lists(
    st.tuples(st.integers(-300, 0), st.integers(1, 6), st.floats(8000, 90000), st.booleans(), st.sampled_from([0, 0, 0, 1, 2])),
    min_size=1,
    max_size=25,
)
HOMES = st.lists(
    st.tuples(st.integers(1, 6), st.floats(300, 752), st.sampled_from([Label.NONE, Label.NONE, Label.WHEELCHAIR, Label.SENIOR])),
    min_size=1,
    max_size=12,
)


def build(seekers_, homes):
    hhs = [seeker(r, size=s, adults=min(s, 2), income=inc, regional=reg, care=care) for r, s, inc, reg, care in seekers_]
    return tiny_world(hhs, [social(rooms=r, rent=rent, label=lab) for r, rent, lab in homes])


def eligible(w, i, d, passend=True, labels=True):
    hh, dw = w.hh, w.dw
    sc = int(C.size_class(hh.size[i : i + 1])[0])
    ic = int(C.income_class(hh.income[i : i + 1], hh.size[i : i + 1], hh.age[i : i + 1], 40024.0, 44655.0)[0])
    need = int(C.SIZE_CLASS_NEED[sc])
    ok = need <= dw.rooms[d] and (sc >= 2 or dw.rooms[d] <= need + w.params.max_extra_rooms)
    if passend:
        ok &= bool(dw.rent[d] <= C.rent_cap(ic, sc))
    if labels and dw.label[d] == Label.WHEELCHAIR:
        ok &= bool(hh.care[i] == CareNeed.WHEELCHAIR)
    if labels and dw.label[d] == Label.SENIOR:
        ok &= bool(hh.care[i] != CareNeed.NONE or hh.age[i] >= 65 * 12)
    return ok


@settings(max_examples=60, deadline=None)
@given(SEEKERS, HOMES)
def test_seniority_picks_the_longest_registered_eligible(seekers_, homes):
    w = build(seekers_, homes)
    reg0 = w.hh.registered.copy()
    rows, _, dws, _ = let(w)
    assert len(set(rows)) == len(rows)  # no household gets two homes
    w.check()
    waiting = set(range(w.hh.n)) - set(rows)
    for h, d in zip(rows, dws, strict=True):
        assert eligible(w, h, d)  # labelled homes only to eligible households
        assert all(not eligible(w, i, d) or reg0[i] >= reg0[h] for i in waiting)


@settings(max_examples=40, deadline=None)
@given(SEEKERS, HOMES, st.integers(0, 10_000))
def test_lottery_winners_are_eligible(seekers_, homes, seed):
    w = build(seekers_, homes)
    rows, routes, dws, _ = let(w, {"lottery": {"enabled": True, "share": 1.0}}, seed=seed)
    assert set(routes) <= {"lottery"}
    assert len(set(rows)) == len(rows)
    for h, d in zip(rows, dws, strict=True):
        assert eligible(w, h, d)


@settings(max_examples=40, deadline=None)
@given(SEEKERS, HOMES, st.integers(0, 10_000))
def test_spill_over_lets_labelled_homes_go_to_others_only_when_on(seekers_, homes, seed):
    w = build(seekers_, homes)
    rows, _, dws, _ = let(w, {"labels": {"spill_over": False}}, seed=seed)
    for h, d in zip(rows, dws, strict=True):
        assert eligible(w, h, d, labels=True)
    w = build(seekers_, homes)
    rows, _, dws, _ = let(w, {"labels": {"spill_over": True}}, seed=seed)
    for h, d in zip(rows, dws, strict=True):
        assert eligible(w, h, d, labels=False)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.0, 0.3))
def test_passend_toewijzen_never_below_95_percent(seed, share_high_rent):
    rng = np.random.default_rng(seed)
    n = 120
    hhs = [seeker(-int(rng.integers(0, 300)), income=float(rng.choice([15000.0, 20000.0, 50000.0]))) for _ in range(n)]
    rents = np.where(rng.random(80) < 0.5 + share_high_rent, 700.0, 500.0)
    w = tiny_world(hhs, [social(rent=float(r)) for r in rents])
    rows, _, dws, _ = let(w, {"income_appropriate": {"enabled": True}, "income_bands": {"enabled": False}}, seed=seed)
    allowance = [(h, d) for h, d in zip(rows, dws, strict=True) if w.hh.income[h] <= C.ALLOWANCE_INCOME_SINGLE]
    if allowance:
        below = sum(w.dw.rent[d] <= C.CAPPING_LIMIT_SMALL for _, d in allowance)
        assert below / len(allowance) >= 0.95
