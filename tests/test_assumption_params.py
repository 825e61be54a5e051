"""Assumptions that were bare numbers in the code are parameters (issue 10, section 3): each is
read where its rule acts, and the two ends of a uniform draw stay ordered."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import tiny_world

from abm.allocation import AllocationPolicy, Allocator
from abm.codes import CareNeed, Place, Tenure
from abm.params import RANGES, Params, ParamsError, param_specs
from abm.processes import demography, market
from abm.processes.flows import refugee_columns


@pytest.mark.parametrize("lo,hi", RANGES)
def test_a_range_whose_lower_end_exceeds_its_upper_end_is_an_error(lo, hi):
    spec = param_specs()
    # two values that both ends accept: the larger given to the lower end
    small, large = max(spec[lo]["lo"], spec[hi]["lo"]), min(spec[lo]["hi"], spec[hi]["hi"])
    assert small < large
    with pytest.raises(ParamsError, match=f"{lo}: {lo} .* must not exceed {hi}"):
        Params().with_overrides({lo: large, hi: small})
    with pytest.raises(ParamsError, match="must not exceed"):
        Params(**{lo: large, hi: small})
    assert Params(**{lo: small, hi: small}).with_overrides({hi: large})  # equal or ordered ends are fine


def test_arriving_permit_holders_take_income_sex_and_age_from_the_parameters():
    p = Params(refugee_income=15000.0, refugee_female_share=1.0, refugee_age_min=30.0, refugee_age_max=31.0)
    cols = refugee_columns(500, p, np.random.default_rng(1))
    assert np.all(cols["income"] == 15000.0) and np.all(cols["income_base"] == 15000.0)
    assert np.all(cols["female"])
    assert cols["age"].min() >= 30 * 12 and cols["age"].max() < 31 * 12
    none = refugee_columns(500, Params(refugee_female_share=0.0), np.random.default_rng(1))
    assert not none["female"].any()


def _two_homes_ending(tenure, months_left: tuple[int, int], **params):
    """Two vacant one-room homes whose sites close ``months_left`` after month 1, and two
    seekers living in who can pay for them."""
    dws = [{"tenure": tenure, "rooms": 1, "rent": 450.0, "corporation": 0, "end_month": 1 + k} for k in months_left]
    hhs = [{"registered": -10 - i, "seeking": True, "size": 1, "income": 30000.0, "age": 25 * 12} for i in range(2)]
    return tiny_world(hhs, dws, market_fill_rate=1.0, **params)


@pytest.mark.parametrize("months,let", [(6.0, {1}), (4.0, {0, 1}), (10.0, set())])
def test_market_lets_a_home_only_if_its_site_stays_longer_than_min_letting_months(months, let):
    w = _two_homes_ending(Tenure.PRIVATE, (5, 8), min_letting_months=months)
    w.start_month(1)
    market.step(w, np.random.default_rng(0))
    assert {d for d in range(2) if not w.dw.vacant[d]} == let


@pytest.mark.parametrize("months,let", [(6.0, {1}), (4.0, {0, 1}), (10.0, set())])
def test_social_allocation_lets_a_home_only_if_its_site_stays_longer_than_min_letting_months(months, let):
    w = _two_homes_ending(Tenure.SOCIAL, (5, 8), min_letting_months=months)
    a = Allocator(AllocationPolicy.seniority_only(), n_corporations=1, n_neighbourhoods=len(w.region.nbh_municipality))
    w.start_month(1)
    a.allocate(w, np.random.default_rng(0), np.zeros(w.region.size), {})
    assert {d for d in range(2) if not w.dw.vacant[d]} == let


def _nursing_moves(care: int, **params) -> int:
    n = 4000
    hhs = [{"dwelling": i, "age": 95 * 12, "adults": 1, "size": 1, "care": care} for i in range(n)]
    w = tiny_world(hhs, [{"tenure": Tenure.OWNER, "rooms": 3} for _ in range(n)], mobility_need_rate_75=0.0, **params)
    w.start_month(1)
    demography.care_needs(w, np.random.default_rng(5), np.zeros(w.region.size, dtype=bool))
    return int((w.hh.place[:n] == Place.GONE).sum())


def test_nursing_home_moves_scale_with_the_care_need_factors():
    base_care = _nursing_moves(CareNeed.MOBILITY)
    base_none = _nursing_moves(CareNeed.NONE)
    assert base_care > 1.5 * base_none > 0  # factor 2 against 0.5 by default
    assert _nursing_moves(CareNeed.NONE, nursing_no_care_factor=0.0) == 0
    assert _nursing_moves(CareNeed.MOBILITY, nursing_care_need_factor=0.0) == 0
    assert _nursing_moves(CareNeed.NONE, nursing_no_care_factor=2.0) > 1.5 * base_none
