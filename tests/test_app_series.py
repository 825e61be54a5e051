"""The app's model side: settings become model arguments, the model reads a session's current
settings on Reset, and the shared baseline equals a plain run of the same region and seed."""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pytest
from mesa.experimental.scenarios import Scenario

from abm.app import series
from abm.app.settings import MAX_START_YEAR, SIZES, Settings, WorkshopModel, default_size
from abm.app.texts import MEASURES, SIZE_LABELS
from abm.indicators import INDICATOR_NAMES
from abm.policies import REGISTRY


def test_settings_to_model_arguments():
    s = Settings(region="small", seed=3).with_measure("flex_housing", True).with_measure("housing_first", True)
    s = s.with_measure("housing_first", False)
    kw = Settings(region="small", homeless_urgency=True, lottery_share=0.2, measures=s.measures).model_kwargs()
    assert kw["measures"] == [{"type": "flex_housing", "start": 0, "units_per_year": 5_000.0}]
    assert kw["allocation"] == {"urgency": {"homeless": True}, "lottery": {"enabled": True, "share": 0.2}}
    assert Settings(region="small").allocation() == {}
    with pytest.raises(ValueError, match="unknown region"):
        Settings(region="atlantis").model_kwargs()


def test_measure_options_round_trip_into_the_model():
    s = Settings(region="small", seed=2, lottery_share=0.1).with_measure("flex_housing", True).with_measure("last_chance", True)
    s = s.with_measure("young_rent_support", True).with_options("flex_housing", start_year=2, size=20_000)
    s = s.with_options("last_chance", size=0.3).with_options("young_rent_support", start_year=5)
    assert s.options == (("flex_housing", 2, 20_000.0), ("last_chance", 0, 0.3), ("young_rent_support", 5, None))
    assert s.measure_dicts() == [
        {"type": "flex_housing", "start": 24, "units_per_year": 20_000.0},
        {"type": "last_chance", "start": 0, "effect": 0.3},
        {"type": "young_rent_support", "start": 60},
    ]
    m = WorkshopModel(s)
    assert [(x.type, x.start) for x in m.measures] == [("flex_housing", 24), ("last_chance", 0), ("young_rent_support", 60)]
    assert (m.measures[0].units_per_year, m.measures[1].effect) == (20_000, 0.3)
    assert m.settings == s and hash(m.settings) == hash(s)  # a hashable value: 'pending changes' compares it
    # equal packages are equal values: default choices and choices of measures that are off go
    assert s.with_options("last_chance", size=0.5) == s.with_options("last_chance", size=0.5).with_options("last_chance", start_year=0)
    assert s.with_options("last_chance", size=0.5).options == (("flex_housing", 2, 20_000.0), ("young_rent_support", 5, None))
    assert s.with_measure("flex_housing", False).with_measure("flex_housing", True).start_year("flex_housing") == 0
    assert Settings(options=(("housing_first", 3, None),)).options == ()  # housing first is off
    # the baseline ignores measures and their options (one shared run per region and seed)
    assert s.baseline() == Settings(region="small", seed=2)


def test_measure_options_are_clamped_by_the_controls_and_rejected_in_settings():
    s = Settings(region="small").with_measure("flex_housing", True).with_measure("housing_first", True)
    assert s.with_options("flex_housing", start_year=14).start_year("flex_housing") == MAX_START_YEAR
    assert s.with_options("flex_housing", start_year=-3).start_year("flex_housing") == 0
    assert s.with_options("flex_housing", size=1e9).size("flex_housing") == 40_000
    assert s.with_options("flex_housing", size=-5).size("flex_housing") == 0
    assert s.with_options("flex_housing", size=12_345).size("flex_housing") == 12_000  # onto the slider's steps
    assert s.with_options("housing_first", size=0.9).size("housing_first") == pytest.approx(0.2)
    on = frozenset({"flex_housing", "housing_first", "young_rent_support"})
    for bad in (
        (("flex_housing", 10, None),),  # start year after year 9
        (("flex_housing", 1.5, None),),  # not a whole year
        (("flex_housing", 0, 50_000.0),),  # above the slider
        (("housing_first", 0, -0.1),),
        (("young_rent_support", 0, 1.0),),  # no size in the app
        (("flex_housing", 1, None), ("flex_housing", 2, None)),
        (("flex_housng", 1, None),),
    ):
        with pytest.raises(ValueError):
            Settings(region="small", measures=on, options=bad)


def test_every_size_is_a_valid_field_of_its_measure():
    for kind, spec in SIZES.items():
        assert kind in MEASURES and kind in SIZE_LABELS
        meta = REGISTRY[kind].model_fields[spec.field].metadata
        ge, le = (next(getattr(m, k) for m in meta if hasattr(m, k)) for k in ("ge", "le"))
        assert ge <= spec.lo / spec.scale < spec.hi / spec.scale <= le, kind
        shown = default_size(kind) * spec.scale
        assert spec.lo <= shown <= spec.hi and (shown - spec.lo) / spec.step == pytest.approx(round((shown - spec.lo) / spec.step)), kind
        for value in (spec.lo, spec.hi):  # the measure's own model accepts the ends of the range
            REGISTRY[kind].model_validate({"type": kind, spec.field: value / spec.scale})


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
