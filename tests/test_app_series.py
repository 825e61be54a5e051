"""The app's model side: settings become model arguments, the model reads a session's current
settings on Reset, and the shared baseline equals a plain run of the same region and seed."""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pytest
from mesa.experimental.scenarios import Scenario

from abm.app import series
from abm.app.settings import Settings, WorkshopModel
from abm.indicators import INDICATOR_NAMES


def test_settings_to_model_arguments():
    s = Settings(region="small", seed=3).with_measure("flex_housing", True).with_measure("housing_first", True)
    s = s.with_measure("housing_first", False)
    kw = Settings(region="small", homeless_urgency=True, lottery_share=0.2, measures=s.measures).model_kwargs()
    assert kw["measures"] == [{"type": "flex_housing"}]
    assert kw["allocation"] == {"urgency": {"homeless": True}, "lottery": {"enabled": True, "share": 0.2}}
    assert Settings(region="small").allocation() == {}
    with pytest.raises(ValueError, match="unknown region"):
        Settings(region="atlantis").model_kwargs()


def test_model_reads_the_current_settings_and_ignores_mesas_scenario():
    holder = SimpleNamespace(value=Settings(region="small", measures=frozenset({"last_chance"}), neighbourhood_cap=True))
    m = WorkshopModel(settings=holder, scenario=Scenario())
    assert [x.type for x in m.measures] == ["last_chance"]
    assert m.policy.neighbourhood_cap.enabled
    assert m.settings == holder.value


def test_baseline_is_a_plain_run_and_shared():
    s = Settings(region="small", seed=7, measures=frozenset({"flex_housing"}))
    blocks = series.baseline_blocks(s, 6)
    plain = WorkshopModel(Settings(region="small", seed=7))
    plain.run(6)
    assert [m for m, _ in blocks] == list(range(7))
    for (_, a), (_, b) in zip(blocks, plain.recorder.blocks, strict=True):
        assert np.array_equal(a, b, equal_nan=True)
    assert series.baseline_blocks(Settings(region="small", seed=7), 6)[3][1] is blocks[3][1]  # one run for all sessions
    series.warm_baseline(s, 9)
    deadline = time.time() + 30
    while series._run_for(s).model.month < 9 and time.time() < deadline:
        time.sleep(0.05)
    assert series._run_for(s).model.month == 9


def test_series_reads():
    m = WorkshopModel(Settings(region="small"))
    m.run(14)
    b = m.recorder.blocks
    i = INDICATOR_NAMES.index("allocations")
    assert series.total(b, "allocations").tolist() == [x[i, -1, 0] for _, x in b]
    assert series.last_year_sum(b, "allocations") == pytest.approx(sum(x[i, -1, 0] for _, x in b[-12:]))
    assert series.rolling_mean(np.array([np.nan, 1.0, 3.0]), 2).tolist()[1:] == [1.0, 2.0]


def test_step_slots_are_fair():
    import threading

    from abm.app.slots import FairSlots

    slots = FairSlots(1)
    order, started = [], []
    slots.__enter__()  # held: everyone else queues
    threads = []
    for i in range(4):
        t = threading.Thread(target=lambda i=i: (started.append(i), slots.__enter__(), order.append(i), slots.__exit__()))
        t.start()
        while len(slots._waiters) < i + 1:  # queue them in a known order
            time.sleep(0.005)
        threads.append(t)
    slots.__exit__()
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2, 3]
    with pytest.raises(ValueError):
        FairSlots(0)


def test_every_measure_has_a_control_with_texts():
    from abm.app.texts import LABELS, MEASURE_GROUPS, MEASURES
    from abm.policies import REGISTRY

    assert set(MEASURES) == set(REGISTRY) - {"allocation_settings"}  # that one is the 'allocation rules' group
    for kind, (group, *texts) in MEASURES.items():
        assert group in MEASURE_GROUPS
        expected = {"municipal_behaviour": "money_and_rules"}.get(REGISTRY[kind].category, REGISTRY[kind].category)
        assert group == expected, kind
        assert all(x.strip() for x in texts)
    assert all(nl.strip() and en.strip() for nl, en in LABELS.values())
