"""Housing allowance (*huurtoeslag*, 2021 rules; issue 16 §3; abm/income_rules.py): hand-computed
cases of each rule, properties over all inputs, and the allowance's effect on arrears, the private
market's test and the measure ``young_rent_support`` (issue 17 item 1)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import paired_run, tiny_world
from hypothesis import given, settings
from hypothesis import strategies as st

from abm import income_rules
from abm.allocation import classes as C
from abm.codes import DwellingType, Place, Tenure
from abm.params import Params
from abm.policies.young_adults import YoungRentSupport
from abm.processes import economy, market

P = Params()
MIN = P.allowance_base_rent_min


def one(rent, income=15000.0, size=1, adults=1, age=30 * 12, self_contained=True, young_rule=True) -> float:
    a = income_rules.allowance(
        np.array([rent]),
        np.array([income]),
        np.array([size]),
        np.array([adults]),
        np.array([age]),
        np.array([self_contained]),
        P,
        young_rule,
    )
    return float(a[0])


def test_the_2021_rules_by_hand():
    full = C.QUALITY_DISCOUNT_LIMIT - MIN
    assert one(400.0) == pytest.approx(400.0 - MIN)  # 100 % above the base rent
    assert one(550.0) == pytest.approx(full + 0.65 * (550.0 - C.QUALITY_DISCOUNT_LIMIT))
    to_cap = full + 0.65 * (C.CAPPING_LIMIT_SMALL - C.QUALITY_DISCOUNT_LIMIT)
    # above the capping limit: 40 % for a single, nothing for a couple below pension age, 40 % for a pension-age couple
    assert one(700.0) == pytest.approx(to_cap + 0.40 * (700.0 - C.CAPPING_LIMIT_SMALL))
    assert one(700.0, size=2, adults=2) == pytest.approx(to_cap)
    assert one(700.0, size=2, adults=2, age=70 * 12) == pytest.approx(to_cap + 0.40 * (700.0 - C.CAPPING_LIMIT_SMALL))
    # three or more persons: the higher capping limit
    big = full + 0.65 * (C.CAPPING_LIMIT_LARGE - C.QUALITY_DISCOUNT_LIMIT)
    assert one(700.0, size=4, adults=2, income=18000.0) == pytest.approx(big)


def test_no_allowance_for_rooms_above_the_rent_limit_or_for_under_23s_above_the_quality_discount_limit():
    assert one(400.0, self_contained=False) == 0.0
    assert one(C.LIBERALISATION_LIMIT + 1) == 0.0
    assert one(C.LIBERALISATION_LIMIT) > 0.0
    young = 21 * 12
    assert one(440.0, age=young) == pytest.approx(440.0 - MIN)
    assert one(450.0, age=young) == 0.0  # the whole allowance goes, not only the part above the limit
    assert one(450.0, age=young, size=2, adults=1) > 0.0  # with a child the general limit holds
    assert one(450.0, age=young, young_rule=False) == pytest.approx(one(450.0))  # as a 23-year-old


def test_the_allowance_phases_out_at_the_documented_incomes():
    for size, adults, out, cap in (
        (1, 1, P.allowance_phase_out_single, C.CAPPING_LIMIT_SMALL),
        (3, 2, P.allowance_phase_out_multi, C.CAPPING_LIMIT_LARGE),
    ):
        assert one(cap, income=out, size=size, adults=adults) == pytest.approx(0.0, abs=1e-9)
        assert one(cap, income=out - 1000, size=size, adults=adults) > 0.0
        floor = P.allowance_income_floor_single if size == 1 else P.allowance_income_floor_multi
        assert one(cap, income=floor, size=size, adults=adults) == pytest.approx(one(cap, income=floor / 2, size=size, adults=adults))


@settings(max_examples=200, deadline=None)
@given(
    rent=st.floats(0, 900),
    income=st.floats(0, 80000),
    more=st.floats(0, 20000),
    size=st.integers(1, 7),
    age=st.integers(18 * 12, 95 * 12),
)
def test_allowance_falls_with_income_and_never_exceeds_the_rent(rent, income, more, size, age):
    adults = min(size, 2)
    a = one(rent, income, size, adults, age)
    assert 0.0 <= a <= max(rent - MIN, 0.0) + 1e-9
    assert one(rent, income + more, size, adults, age) <= a + 1e-9


def _tenants(incomes: list[float], rent: float = 600.0, **params):
    homes = [{"tenure": Tenure.SOCIAL, "rent": rent, "corporation": 0, "dtype": DwellingType.APARTMENT} for _ in incomes]
    people = [{"dwelling": i, "income": x, "income_base": x} for i, x in enumerate(incomes)]
    return tiny_world(people, homes, **params)


def test_arrears_follow_the_rent_burden_after_allowance():
    """Same rent, same everything but income: tenants whose net rent weighs more fall into arrears
    more often, with the calibrated rate as the average of the first month."""
    incomes = [12000.0] * 500 + [45000.0] * 500
    w = _tenants(incomes, arrears_entry_rate=0.05, arrears_exit_rate=0.0, court_rate=0.0)
    rng = np.random.default_rng(1)
    economy.arrears_and_evictions(w, rng, np.array([0.0, 0.0]))
    ref = w.arrears_burden_reference
    burden = income_rules.rent_burden(w, np.arange(1000))
    assert np.mean(burden) == pytest.approx(ref)
    poor = w.hh.arrears[:500].mean()
    rich = w.hh.arrears[500:].mean()
    assert poor > 1.3 * rich
    assert w.hh.arrears.mean() == pytest.approx(0.05, abs=0.02)  # the calibrated average holds
    # k = 0: the burden does not matter
    w0 = _tenants(incomes, arrears_entry_rate=0.05, arrears_burden_elasticity=0.0)
    b0 = economy.burden_factors(w0, np.arange(1000), np.arange(1000))
    assert np.allclose(b0, 1.0)


def test_a_higher_allowance_lowers_arrears_against_the_fixed_reference():
    """The reference is fixed in the first month: if incomes then fall, arrears rise (no renormalisation)."""
    w = _tenants([20000.0] * 400, arrears_entry_rate=0.02)
    f0 = economy.burden_factors(w, np.arange(400), np.arange(400))
    w.hh.income[:400] = 14000.0
    f1 = economy.burden_factors(w, np.arange(400), np.arange(400))
    assert f1.mean() > f0.mean()


def test_the_private_market_counts_the_net_rent():
    """A single on €18,000 cannot pay a €700 private home gross at 40 % of income (€7,200 a year
    of €8,400) but can after its allowance."""
    homes = [
        {"tenure": Tenure.PRIVATE, "rent": 700.0, "dtype": DwellingType.APARTMENT, "rooms": 2},
        {"tenure": Tenure.PRIVATE, "rent": 700.0, "dtype": DwellingType.ROOM, "rooms": 2},
    ]
    w = tiny_world([{"income": 18000.0, "income_base": 18000.0}, {"income": 18000.0, "income_base": 18000.0}], homes, rent_share_max=0.4)
    assert 700 * 12 > 0.4 * 18000
    ok = market.fits(w, np.array([0, 1]), np.array([0, 1]))
    assert ok[0] and not ok[1]  # the self-contained home with allowance; the room gets none


def test_passend_toewijzen_caps_allowance_households_at_their_capping_limit():
    assert C.rent_cap(C.INC_LOW, 0) == C.CAPPING_LIMIT_SMALL
    assert C.rent_cap(C.INC_LOW, 2) == C.CAPPING_LIMIT_LARGE
    assert C.rent_cap(C.INC_YOUNG_LOW, 0) == C.QUALITY_DISCOUNT_LIMIT
    # issue 17 item 1: with rent support under-23s go up to the capping limit, not the liberalisation limit
    assert C.rent_cap(C.INC_YOUNG_LOW, 0, young_support=True) == C.CAPPING_LIMIT_SMALL
    assert C.rent_cap(C.INC_YOUNG_LOW, 2, young_support=True) == C.CAPPING_LIMIT_LARGE


def test_young_rent_support_pays_the_allowance_age_denies():
    homes = [{"tenure": Tenure.SOCIAL, "rent": r, "corporation": 0, "dtype": DwellingType.APARTMENT} for r in (430.0, 520.0, 600.0)]
    people = [{"dwelling": i, "age": 20 * 12, "income": 12000.0, "income_base": 12000.0} for i in range(3)]
    people.append({"dwelling": -1, "age": 20 * 12})  # living in: nothing
    w = tiny_world(people, homes)

    class M:
        world = w
        region = w.region

    paid = YoungRentSupport.support(M())
    want = one(520.0, 12000.0, age=30 * 12) + one(600.0, 12000.0, age=30 * 12)  # at 430 they get the allowance themselves
    assert paid.sum() == pytest.approx(want)
    assert paid.sum() < (520 - C.QUALITY_DISCOUNT_LIMIT + 600 - C.QUALITY_DISCOUNT_LIMIT) + 2 * (C.QUALITY_DISCOUNT_LIMIT - MIN) + 1


def test_allowance_indicators_count_renters_with_an_allowance():
    """The indicators hold the month's assessment, made once at the economy phase (after the
    income shocks) and shared with arrears: the renters housed then and what each gets."""
    m = paired_run(1, households=4000, months=6)
    frame = m.recorder.series("housing_allowance_recipients")[1]
    eur = m.recorder.series("housing_allowance")[1]
    w = m.world
    month, renters, paid = w.allowance_assessed
    assert month == w.month
    still = w.hh.place[renters] != Place.GONE  # those who left the region since are not counted
    renters, paid = renters[still], paid[still]
    assert frame[-1] == (paid > 0).sum() and eur[-1] == pytest.approx(paid.sum(), rel=1e-6)
    assert renters.size > 0
    assert 0.08 < frame[-1] / (w.hh.place == Place.DWELLING).sum() < 0.35  # 1.46 M of 8 M households nationally (2022)


def test_the_allowance_of_housed_renters_is_computed_once_a_month(monkeypatch):
    """Arrears and the indicators share the month's assessment (before, each computed it: about
    6 % of a national month)."""
    m = paired_run(1, households=3000, months=2)
    calls = []
    real = income_rules.of_households

    def counted(w, rows, homes=None, *args, **kwargs):
        if homes is None:  # the allowance in their own homes (the market asks about other homes)
            calls.append(rows.size)
        return real(w, rows, homes, *args, **kwargs)

    monkeypatch.setattr(income_rules, "of_households", counted)
    m.step()
    assert len(calls) == 1


@pytest.mark.slow
def test_young_rent_support_houses_more_young_people_paired_seeds():
    """Paired seeds: with the support, allowance-level under-23s may take homes up to their capping
    limit, so more of them are housed (sign as the report expects) and the measure costs money."""
    young_housed = {}
    for label, measures in (("off", []), ("on", [{"type": "young_rent_support"}])):
        n = []
        for seed in (1, 2, 3):
            m = paired_run(seed, households=8000, months=36, measures=measures)
            n.append(m.recorder.series("allocations", "young_adult")[1].sum())
            if label == "on":
                assert m.recorder.series("measure_cost")[1].sum() > 0
        young_housed[label] = np.array(n)
    assert young_housed["on"].sum() > young_housed["off"].sum()


def test_the_reference_is_the_2021_rules_whatever_the_run_sets():
    """A run with a lower allowance keeps the 2021 reference, so its tenants' factors are higher."""
    w = _tenants([15000.0] * 300, rent=600.0)
    f = economy.burden_factors(w, np.arange(300), np.arange(300))
    assert f.mean() == pytest.approx(1.0)
    w2 = _tenants([15000.0] * 300, rent=600.0, allowance_base_rent_min=400.0)
    f2 = economy.burden_factors(w2, np.arange(300), np.arange(300))
    assert w2.arrears_burden_reference == pytest.approx(w.arrears_burden_reference)
    assert f2.mean() > 1.2


@pytest.mark.slow
def test_a_smaller_allowance_means_more_tenants_in_arrears_paired_seeds():
    """Paired seeds: the allowance phased out at lower incomes (and a higher base rent) leaves
    tenants a higher net rent, and more of them fall into arrears (report, 'Preventie')."""
    less = {"allowance_base_rent_min": 320.0, "allowance_phase_out_single": 24000.0, "allowance_phase_out_multi": 30000.0}
    base, cut = [], []
    for seed in (1, 2, 3):
        base.append(paired_run(seed, households=8000, months=36).recorder.series("in_arrears")[1][1:].sum())
        cut.append(paired_run(seed, households=8000, months=36, params=less).recorder.series("in_arrears")[1][1:].sum())
    assert (np.array(cut) > np.array(base)).all()
