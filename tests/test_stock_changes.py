"""Corporations sell, liberalise and demolish (issue 16 §2 and §4; abm/processes/stock_changes.py):
which homes go, what they become, how the financial room sets sales, and the effect on the
stock and the queue with paired seeds."""

from __future__ import annotations

import numpy as np
import pytest

from abm import HousingModel
from abm.codes import ChainEnd, DwellingType, Label, StockChange, Tenure, Urgency, VacancyCause
from abm.households import NEVER, NONE
from abm.processes import stock_changes
from abm.synth_stock import LIBERALISATION_LIMIT

# demolition_renewal_share 0: the vacant-home route alone (urban renewal has its own tests below)
OFF = {"social_demolition_rate": 0.0, "social_sale_rate": 0.0, "social_liberalisation_rate": 0.0, "demolition_renewal_share": 0.0}


def small(params=None, rng=1, households=3000, **kw) -> HousingModel:
    return HousingModel(corop=["CR17"], households=households, rng=rng, params={**OFF, **(params or {})}, **kw)


def vacate_regular(m: HousingModel, corporation: int, n: int) -> np.ndarray:
    """Empty ``n`` occupied regular homes of ``corporation`` by hand (their tenants leave the region)."""
    dw = m.world.dw
    ok = np.flatnonzero(
        dw.exists
        & (dw.corporation == corporation)
        & (dw.occupant >= 0)
        & (dw.label == Label.NONE)
        & np.isin(dw.dtype, (DwellingType.APARTMENT, DwellingType.FAMILY))
    )
    rows = ok[:n]
    m.world.remove(dw.occupant[rows], "test", VacancyCause.LEFT_REGION)
    return rows


def only(m: HousingModel, kind: StockChange, per_year: float) -> None:
    """Every corporation plans exactly ``per_year`` homes of ``kind`` this month (backlog, no draw)."""
    for c in m.corporations:
        c.stock_change_backlog = np.zeros(3)
        c.stock_change_backlog[kind] = per_year


def test_demolition_takes_the_vacant_home_in_the_weakest_neighbourhood_and_ends_its_chain():
    m = small()
    m.run(2)
    c = m.corporations[0]
    rows = vacate_regular(m, c.index, 6)
    w, dw = m.world, m.world.dw
    only(m, StockChange.DEMOLITION, 0)
    c.stock_change_backlog[StockChange.DEMOLITION] = 1
    cand = stock_changes.candidates(m)
    ours = cand[dw.corporation[cand] == c.index]
    live = w.region.nbh_liveability[dw.neighbourhood[ours]]
    chains = dw.chain_id.copy()
    existed = dw.exists.copy()
    stock_changes.step(m, np.random.default_rng(0))
    gone = ours[~dw.exists[ours]]
    assert gone.size == 1 and live[ours == gone[0]][0] == live.min()  # a home of the weakest neighbourhood went
    assert dw.exists[np.setdiff1d(rows, gone)].all()
    assert (existed & ~dw.exists).sum() == 1  # and nothing else
    chain = chains[gone[0]]
    if chain >= 0:
        assert w.chains.table.end_kind[chain] == ChainEnd.DEMOLISHED
    assert c.stock_change_backlog[StockChange.DEMOLITION] == 0


def test_sale_prefers_family_homes_and_liberalisation_the_highest_rents():
    m = small()
    m.run(2)
    c = m.corporations[0]
    vacate_regular(m, c.index, 40)
    dw = m.world.dw
    cand = stock_changes.candidates(m)
    ours = cand[dw.corporation[cand] == c.index]
    family = ours[dw.dtype[ours] == DwellingType.FAMILY]
    assert family.size >= 2 and ours.size > family.size
    top_rent = ours[np.argmax(dw.rent[ours])]
    only(m, StockChange.SALE, 2)
    for x in m.corporations:
        x.stock_change_backlog[StockChange.LIBERALISATION] = 1 if x is c else 0
    rng = np.random.default_rng(0)
    before = dw.tenure.copy()
    # the rates are nil: only the plans set by hand count
    stock_changes.step(m, rng)
    sold = np.flatnonzero((before == Tenure.SOCIAL) & (dw.tenure == Tenure.OWNER))
    liberalised = np.flatnonzero((before == Tenure.SOCIAL) & (dw.tenure == Tenure.PRIVATE))
    assert set(sold) <= set(family) and sold.size >= 2  # family homes first
    mine = liberalised[np.isin(liberalised, ours)]
    assert mine.size == 1
    if top_rent not in sold:
        assert mine[0] == top_rent  # the highest rent of what was left
    assert (dw.rent[liberalised] >= LIBERALISATION_LIMIT).all()
    assert (dw.corporation[np.concatenate([sold, liberalised])] == -1).all()
    assert (dw.occupant[np.concatenate([sold, liberalised])] == NONE).all()  # still vacant: on the market now


def test_occupied_special_new_and_flex_homes_are_never_taken():
    m = small()
    m.run(2)
    dw = m.world.dw
    vacate_regular(m, m.corporations[0].index, 5)
    special = np.flatnonzero(
        dw.exists & (dw.tenure == Tenure.SOCIAL) & (dw.occupant >= 0) & ((dw.label != Label.NONE) | (dw.dtype == DwellingType.ROOM))
    )
    assert special.size >= 5
    m.world.remove(dw.occupant[special[:5]], "test", VacancyCause.LEFT_REGION)
    cand = stock_changes.candidates(m)
    assert not np.isin(special[:5], cand).any()
    assert cand.size and (dw.occupant[cand] == NONE).all() and (dw.tenure[cand] == Tenure.SOCIAL).all()
    assert (dw.label[cand] == Label.NONE).all() and (dw.end_month[cand] == NEVER).all()
    assert not np.isin(dw.dtype[cand], (DwellingType.ROOM, DwellingType.ZERO_STEP, DwellingType.WHEELCHAIR)).any()
    assert not ((dw.vacancy_cause[cand] == VacancyCause.NEW_BUILD) & (dw.chain_moves[cand] == 0)).any()
    occupied = np.flatnonzero(dw.exists & (dw.tenure == Tenure.SOCIAL) & (dw.occupant >= 0))
    for c in m.corporations:
        c.stock_change_backlog = np.full(3, 1000.0)  # far more than there are vacancies
    stock_changes.step(m, np.random.default_rng(0))
    assert dw.exists[occupied].all() and (dw.tenure[occupied] == Tenure.SOCIAL).all()
    assert dw.exists[special[:5]].all() and (dw.tenure[special[:5]] == Tenure.SOCIAL).all()
    assert stock_changes.candidates(m).size == 0  # every regular vacancy went


def test_a_plan_without_vacancies_waits_for_them_up_to_a_years_plan():
    m = small(params={"social_sale_rate": 0.01, "sale_room_response": 0.0})
    m.run(1)
    dw = m.world.dw
    cand = stock_changes.candidates(m)
    dw.occupant[cand] = 0  # no vacancy to take (a placeholder occupant; the step reads only occupancy)
    for c in m.corporations:
        c.stock_change_backlog = np.array([0.0, 1000.0, 0.0])
    stock_changes.step(m, np.random.default_rng(0))
    for c in m.corporations:
        yearly = c.stock * 0.01
        assert c.stock_change_backlog[StockChange.SALE] == pytest.approx(np.ceil(yearly))  # capped at a year's plan
    dw.occupant[cand] = NONE


def test_more_financial_room_means_fewer_sales_and_liberalisations():
    m = small(params={"social_sale_rate": 0.002, "social_liberalisation_rate": 0.001, "social_demolition_rate": 0.003})
    c = m.corporations[0]
    base = c.stock_change_rates()
    assert base == pytest.approx((0.003, 0.002, 0.001))  # at the sector's room of 2021
    c.investment_capacity = 2.0
    room2 = c.stock_change_rates()
    assert room2 == pytest.approx((0.003, 0.002 * 2 / 3, 0.001 * 2 / 3))  # (1 + 1) / (1 + 2)
    c.investment_capacity = 0.0
    assert c.stock_change_rates()[1] == pytest.approx(0.004)  # no room of its own: twice the sales


def test_rates_give_the_yearly_numbers_and_the_indicators_count_them():
    rates = {"social_demolition_rate": 0.01, "social_sale_rate": 0.01, "social_liberalisation_rate": 0.005}
    m = small(params=rates, households=6000)
    m.run(24)
    stock = float(np.mean(m.recorder.series("social_stock")[1][1:]))
    for name, rate in (("social_demolished", 0.01), ("social_sold", 0.01), ("social_liberalised", 0.005)):
        got = m.recorder.series(name)[1][1:].sum()
        want = stock * rate * 2
        assert abs(got - want) < 4 * np.sqrt(want) + 2, (name, got, want)


@pytest.mark.slow
def test_sales_and_demolition_slow_the_social_stock_and_lengthen_the_queue_paired_seeds():
    """Paired seeds, default rates against none: the social stock grows less and fewer social
    homes are let; abolishing the landlord levy (more room) sells and liberalises fewer homes."""
    lettings, stock, sold = {}, {}, {}
    for label, params, measures in (
        ("off", OFF, []),
        ("on", {}, []),
        ("levy", {}, [{"type": "abolish_landlord_levy", "effect": 1.0}]),
    ):
        a, s, k = [], [], []
        for seed in (1, 2, 3):
            m = HousingModel(corop=["CR17"], households=15000, rng=seed, params=params, measures=measures)
            m.run(60)
            a.append(m.recorder.series("allocations")[1][1:].sum())
            s.append(m.recorder.series("social_stock")[1][-1] / m.recorder.series("social_stock")[1][1])
            k.append(m.recorder.series("social_sold")[1][1:].sum() + m.recorder.series("social_liberalised")[1][1:].sum())
        lettings[label], stock[label], sold[label] = np.array(a), np.array(s), np.array(k)
    assert (stock["on"] < stock["off"]).all()
    assert lettings["on"].sum() < lettings["off"].sum()
    assert sold["levy"].sum() < sold["on"].sum()


# -- urban renewal with sitting tenants (herstructurering, herhuisvestingsurgentie) --------------------
def test_renewal_gives_notice_on_occupied_homes_of_the_weakest_neighbourhood_with_urgency():
    m = small({"demolition_renewal_share": 1.0, "renewal_notice_months": 12}, households=6000)
    m.run(1)
    w, dw, hh = m.world, m.world.dw, m.world.hh
    c = m.corporations[0]
    only(m, StockChange.DEMOLITION, 0)
    c.stock_change_backlog[StockChange.DEMOLITION] = 3
    ok = np.flatnonzero(
        dw.exists
        & (dw.corporation == c.index)
        & (dw.occupant >= 0)
        & (dw.label == Label.NONE)
        & (dw.end_month == NEVER)
        & np.isin(dw.dtype, (DwellingType.APARTMENT, DwellingType.FAMILY))
    )
    weakest = w.region.nbh_liveability[dw.neighbourhood[ok]].min()
    stock_changes.step(m, np.random.default_rng(0))
    rows = np.concatenate(w.counters.renewal_notices)
    assert rows.size == 3 and (dw.corporation[rows] == c.index).all()
    assert (w.region.nbh_liveability[dw.neighbourhood[rows]] == weakest).all()
    assert (dw.demolish_at[rows] == w.month + 12).all() and dw.exists[rows].all()  # not demolished yet: occupied
    tenants = dw.occupant[rows]
    assert (hh.urgency[tenants] == Urgency.RENEWAL).all() and (hh.urgency_until[tenants] == w.month + 24).all()
    assert hh.seeking[tenants].all()
    assert dw.under_renewal[rows].all()


def test_a_renewal_home_is_never_let_again_and_goes_once_its_tenant_has_left():
    m = small({"demolition_renewal_share": 1.0}, households=6000)
    m.run(1)
    w, dw = m.world, m.world.dw
    only(m, StockChange.DEMOLITION, 0)
    m.corporations[0].stock_change_backlog[StockChange.DEMOLITION] = 2
    stock_changes.step(m, np.random.default_rng(0))
    rows = np.concatenate(w.counters.renewal_notices)
    assert not dw.lettable_until(w.month, w.params.min_letting_months, rows).any()
    w.remove(dw.occupant[rows[:1]], "test", VacancyCause.LEFT_REGION)  # one tenant leaves
    chain = dw.chain_id[rows[0]]
    assert chain >= 0  # the tenant's leaving started a vacancy chain
    stock_changes.close_renewed(m)
    assert not dw.exists[rows[0]] and dw.exists[rows[1]]  # the other is still occupied
    assert w.chains.table.end_kind[chain] == ChainEnd.DEMOLISHED  # the chain ends: the vacancy left the stock
    # the demolished home is counted as a demolition of this month
    kinds = np.concatenate([k for _, k in w.counters.stock_changes])
    assert (kinds == StockChange.DEMOLITION).sum() >= 1


@pytest.mark.slow
def test_paired_seeds_urban_renewal_adds_urgency_lettings():
    """Paired seeds (1-3), three years: with urban renewal the rehoused tenants' urgency takes
    lettings (more urgency lettings than when corporations only demolish vacated homes)."""
    base_rate = {"social_demolition_rate": 0.01}  # a strong renewal programme, to see it at this scale
    diffs = []
    for seed in (1, 2, 3):
        runs = [small({**base_rate, "demolition_renewal_share": share}, rng=seed, households=20000) for share in (0.0, 1.0)]
        for r in runs:
            r.run(36)
        urgent = [r.recorder.series("allocations_urgency")[1].sum() for r in runs]
        diffs.append(urgent[1] - urgent[0])
    assert all(d > 0 for d in diffs), diffs
