"""Smart allocation both ways (*slim toewijzen dat twee kanten op werkt*; issue 16 §4): new homes go
where the municipality's placement policy puts them (abm/processes/construction.py), corporations
sell and liberalise in weak neighbourhoods first (abm/processes/stock_changes.py), and the measure
``smart_allocation`` moves the social stock, and so vulnerable households, out of weak neighbourhoods."""

from __future__ import annotations

import numpy as np
import pytest

from abm import HousingModel
from abm.policies import measure_from_dict
from abm.processes import construction, stock_changes
from abm.scenarios import MunicipalitySettings


def small(params=None, rng=1, households=3000, measures=None) -> HousingModel:
    return HousingModel(corop=["CR17"], households=households, rng=rng, params=params or {}, measures=measures or [])


def city(params=None, rng=1, households=24000, measures=None) -> HousingModel:
    """The city of Utrecht alone: one neighbourhood per 3,000 households (a scaled COROP region
    has one per municipality, so placement within a municipality needs a city of its own)."""
    return HousingModel(municipalities=["GM0344"], households=households, rng=rng, params=params or {}, measures=measures or [])


def test_weights_blend_from_the_stock_pattern_to_its_reverse():
    live = np.array([0.1, 0.5, 0.9])
    social0 = construction.neighbourhood_weights(live, True, 0.0)
    market0 = construction.neighbourhood_weights(live, False, 0.0)
    assert social0 == pytest.approx(1.4 - live) and market0 == pytest.approx(0.4 + live)  # where each stock stands
    assert construction.neighbourhood_weights(live, True, 1.0) == pytest.approx(market0)  # social homes where market homes stand
    assert construction.neighbourhood_weights(live, False, 1.0) == pytest.approx(social0)
    even = construction.neighbourhood_weights(live, True, 0.5)
    assert even == pytest.approx(np.full(3, even[0]))  # 0.5: evenly over the neighbourhoods


def _placed(mixing: float, social: bool, n: int = 20000):
    """Neighbourhoods of ``n`` new homes in the municipality with the most neighbourhoods."""
    m = city()
    w, reg = m.world, m.region
    assert reg.nbh_municipality.size >= 6
    mun_idx = int(np.argmax(np.bincount(reg.nbh_municipality)))
    mun = np.full(n, mun_idx)
    mix = np.full(reg.size, 0.5)
    mix[mun_idx] = mixing
    nbh = construction._place(w, mun, np.full(n, social), mix, np.random.default_rng(5))
    own = np.flatnonzero(reg.nbh_municipality == mun_idx)
    return nbh, own, reg.nbh_liveability[own].astype(np.float64)


@pytest.mark.parametrize("mixing", [0.0, 0.5, 1.0])
def test_new_homes_are_placed_in_proportion_to_the_policy_weights(mixing):
    nbh, own, live = _placed(mixing, True)
    assert np.isin(nbh, own).all()  # always within its own municipality
    counts = np.bincount(nbh - own[0], minlength=own.size) / nbh.size
    weights = construction.neighbourhood_weights(live, True, mixing)
    assert counts == pytest.approx(weights / weights.sum(), abs=0.015)


def test_market_homes_go_the_other_way():
    nbh_s, own, live = _placed(1.0, True)
    nbh_m, _, _ = _placed(1.0, False)
    mean_s = live[nbh_s - own[0]].mean()
    mean_m = live[nbh_m - own[0]].mean()
    assert mean_s > live.mean() > mean_m  # social homes to strong neighbourhoods, market homes to weak ones


def test_a_municipality_own_setting_overrides_the_region():
    m = small({"new_build_mixing": 0.2})
    agent = m.municipality_agents[0]
    assert agent.build_mixing == 0.2
    agent.settings = MunicipalitySettings(build_mixing=0.8)
    assert agent.build_mixing == 0.8
    assert m.municipality_agents[1].build_mixing == 0.2


def test_sales_and_liberalisation_take_weak_neighbourhood_homes_first(monkeypatch):
    """With ``stock_sales_weak_first`` 1 a corporation sells or liberalises a home outside the
    weakest third only once it has none of its vacant candidates inside it left; at 0 it does
    (its usual order: family homes first, highest rents first)."""
    seen = {}

    def watch(weak_first: float) -> tuple[int, int]:
        m = city({"social_sale_rate": 0.01, "social_liberalisation_rate": 0.01, "stock_sales_weak_first": weak_first})
        calls, skipped = 0, 0
        original = stock_changes._first_per_corporation

        def first(rows, corp, key, due):
            nonlocal calls, skipped
            out = original(rows, corp, key, due)
            weak = m.region.weak[m.world.dw.neighbourhood]
            if due.sum() < 100:  # sales and liberalisation (demolition is a thousandfold rarer)
                for c in np.unique(corp):
                    mine, taken = rows[corp == c], out[np.isin(out, rows[corp == c])]
                    if (~weak[taken]).any():
                        calls += 1
                        skipped += int(np.setdiff1d(mine[weak[mine]], taken).size > 0)  # a weak home left behind
            return out

        monkeypatch.setattr(stock_changes, "_first_per_corporation", first)
        m.run(24)
        monkeypatch.setattr(stock_changes, "_first_per_corporation", original)
        return calls, skipped

    seen[1.0], seen[0.0] = watch(1.0), watch(0.0)
    assert seen[1.0][0] > 5 and seen[1.0][1] == 0
    assert seen[0.0][1] > 0  # the usual order does leave weak homes behind


def test_the_measure_sets_both_levers_and_round_trips():
    meas = measure_from_dict({"type": "smart_allocation", "mixing": 0.7, "weak_first": 0.4})
    assert measure_from_dict(meas.to_dict()) == meas
    m = small(measures=[meas.to_dict()])
    m._apply_measures()
    assert m.world.params.new_build_mixing == 0.7 and m.world.params.stock_sales_weak_first == 0.4
    assert m.municipality_agents[0].build_mixing == 0.7


@pytest.mark.slow
def test_smart_allocation_moves_the_social_stock_out_of_weak_neighbourhoods():
    """Paired seeds, 6 years, with the agreement's extra social homes: the measure lowers the share
    of the social stock in the weakest third and the share of vulnerable households living there
    (the report: *een evenwichtigere verdeling van aandachtsgroepen, ook in de meer draagkrachtige wijken*)."""
    extra = {"type": "social_construction"}
    diffs_stock, diffs_vuln = [], []
    for seed in (1, 2, 3):
        base = city(rng=seed, measures=[extra])
        smart = city(rng=seed, measures=[extra, {"type": "smart_allocation"}])
        for m in (base, smart):
            m.run(72)
        diffs_stock.append(_last_year(smart, "social_in_weak_neighbourhoods") - _last_year(base, "social_in_weak_neighbourhoods"))
        diffs_vuln.append(_last_year(smart, "vulnerable_in_weak_neighbourhoods") - _last_year(base, "vulnerable_in_weak_neighbourhoods"))
    assert all(d < 0 for d in diffs_stock), diffs_stock
    assert sum(diffs_vuln) < 0, diffs_vuln


def _last_year(m: HousingModel, name: str) -> float:
    return float(np.mean(m.recorder.series(name)[1][-12:]))
