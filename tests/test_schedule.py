"""The month as a declared schedule, the measures' interface to the model, and municipalities'
own settings from scenario files (issue 10, section 4)."""

from pathlib import Path
from typing import Literal

import numpy as np
import pytest

from abm import HousingModel
from abm.allocation import ROUTES
from abm.codes import InstitutionKind, Place, Urgency
from abm.policies import Measure
from abm.scenarios import ScenarioError, load_scenario, parse_scenario, scenario_to_toml

ROOT = Path(__file__).resolve().parent.parent
SMALL = {"name": "t", "region": {"corop": ["CR17"], "households": 3000}}
UTRECHT = "GM0344"


def small(municipalities=None, allocation=None, rng=1, measures=None) -> HousingModel:
    spec = parse_scenario({**SMALL, "municipalities": municipalities or {}, "allocation": allocation or {}}, "test")
    return _no_urgency_yet(HousingModel(scenario=spec, measures=measures, rng=rng))


def _no_urgency_yet(m: HousingModel) -> HousingModel:
    """Households without urgency hold no valid status (``urgency_until`` in the past), as the
    events branch of issue 10 makes the default; here set by hand so the test does not depend on it."""
    hh = m.world.hh
    hh.urgency_until[hh.urgency == Urgency.NONE] = 0
    return m


# -- the schedule ----------------------------------------------------------------------------------
def test_one_definition_of_the_phases():
    from abm import model, policies, schedule

    assert model.PHASES is schedule.PHASES is policies.PHASES
    assert schedule.PHASES == tuple(p.name for p in schedule.SCHEDULE)
    assert schedule.PHASES[-1] == "indicators"
    for phase in schedule.SCHEDULE:
        for process in phase.processes:
            assert process.__doc__, process.__name__


def test_a_measure_naming_an_unknown_phase_or_timing_is_an_error_when_defined():
    with pytest.raises(ValueError, match="unknown phase 'allocaton'"):

        class Typo(Measure):
            type: Literal["typo"] = "typo"
            phase = "allocaton"

    with pytest.raises(ValueError, match="unknown timing 'during'"):

        class Odd(Measure):
            type: Literal["odd"] = "odd"
            phase = "allocation"
            timing = "during"


class _Spy(Measure):
    """Records what it sees of the allocation when it acts."""

    type: Literal["spy"] = "spy"
    phase = "allocation"
    seen: list = []

    def act(self, model, rng) -> None:
        self.seen.append(model.last_allocations)


class _SpyBefore(_Spy):
    type: Literal["spy_before"] = "spy_before"
    timing = "before"


class _SpyAfter(_Spy):
    type: Literal["spy_after"] = "spy_after"
    timing = "after"


def test_measures_act_before_or_after_their_phase_processes():
    before, after = _SpyBefore(seen=[]), _SpyAfter(seen=[])
    m = small()
    m.measures = [after, before]
    for _ in range(3):
        previous = m.last_allocations
        m.step()
        assert before.seen[-1] is previous  # before this month's lettings
        assert after.seen[-1] is m.last_allocations  # after them
    assert len(before.seen) == len(after.seen) == 3


def test_the_schedule_is_printable_with_the_measures_at_their_place(capsys):
    from abm import schedule
    from abm.cli import main

    m = small(measures=[{"type": "quota_trading"}, {"type": "devils_dilemma"}])
    text = str(m.schedule)
    for phase in schedule.SCHEDULE:
        assert f"{phase.name}:" in text
        for process in phase.processes:
            assert f"{process.__name__}:" in text
    allocation = text.split("8. allocation")[1]
    assert allocation.index("measure (before): devils_dilemma") < allocation.index("social_lettings")
    assert main(["schedule", "--scenario", "quota_trading"]) == 0
    assert "measure (before): quota_trading" in capsys.readouterr().out


def test_odd_schedule_table_is_generated_from_the_schedule():
    from abm.schedule import markdown_table

    text = (ROOT / "docs" / "ODD.md").read_text()
    table = text.split("<!-- schedule:start -->")[1].split("<!-- schedule:end -->")[0].strip()
    assert table == markdown_table(), "run: python scripts/sync_odd_params.py"


# -- the measures' interface -------------------------------------------------------------------------
class _Setter(Measure):
    """Sets whatever attribute ``name`` says to ``value``."""

    type: Literal["setter"] = "setter"
    phase = "construction"
    name: str = "transitional_contract_months"
    value: float = 12

    def act(self, model, rng) -> None:
        setattr(model, self.name, self.value)


def test_a_measure_cannot_set_a_lever_nothing_reads():
    m = small()
    m.measures = [_Setter()]  # what transitional_housing used to do: nothing read it
    with pytest.raises(AttributeError, match="cannot set 'model.transitional_contract_months'"):
        m.step()


def test_levers_are_checked_and_reach_the_model():
    m = small()
    view = m.measure_view
    view.municipal_effort = np.zeros(m.region.size)
    assert (m.municipal_effort == 0).all()
    with pytest.raises(ValueError, match="one per municipality"):
        view.municipal_effort = np.ones(3)
    with pytest.raises(ValueError, match=r"\[0.0, 1.0\]"):
        view.municipal_effort = np.full(m.region.size, 2.0)
    with pytest.raises(AttributeError, match="cannot read 'model.allocator'"):
        _ = view.allocator
    view.set_transitional_contract_months(36)  # the action the allocator reads
    assert m.allocator.transitional_months == 36


# -- municipalities' own settings ---------------------------------------------------------------------
def _write(tmp_path, body: str) -> Path:
    f = tmp_path / "s.toml"
    f.write_text('name = "s"\n[region]\ncorop = ["CR17"]\nhouseholds = 3000\n' + body, encoding="utf-8")
    return f


def test_municipality_tables_are_validated_with_one_line_naming_file_and_key(tmp_path):
    f = _write(tmp_path, "[municipalities.GM9999]\nflex_share = 0.1\n")
    with pytest.raises(ScenarioError, match=rf"^{f}: municipalities.GM9999: not a municipality") as e:
        load_scenario(f)
    assert "\n" not in str(e.value)
    f = _write(tmp_path, "[municipalities.GM0363]\nflex_share = 0.1\n")  # Amsterdam: not in CR17
    with pytest.raises(ScenarioError, match="municipalities.GM0363"):
        load_scenario(f)
    f = _write(tmp_path, "[municipalities.GM0344]\nurgency = {homles = true}\n")
    with pytest.raises(ScenarioError, match=r"municipalities.GM0344.urgency.homles: unknown key; did you mean 'homeless'\?"):
        load_scenario(f)
    f = _write(tmp_path, "[municipalities.GM0344]\nurgency = {months = 0}\n")
    with pytest.raises(ScenarioError, match="municipalities.GM0344.urgency.months"):
        load_scenario(f)


def test_municipality_tables_round_trip_through_toml(tmp_path):
    f = _write(tmp_path, "[municipalities.GM0344]\nurgency = {homeless = true, months = 6}\ndirect_placement = {homeless = 0.05}\n")
    spec = load_scenario(f)
    again = tmp_path / "again.toml"
    again.write_text(scenario_to_toml(spec), encoding="utf-8")
    assert load_scenario(again) == spec


def _homeless_urgency_by_municipality(m: HousingModel) -> np.ndarray:
    """Where the allocation phase's first process grants urgency to homeless people now."""
    from abm.schedule import homeless_urgency

    hh = m.world.hh
    before = hh.urgency_until.copy()
    m.month = m.world.month = 12  # initial homeless people have been so for 3+ months
    homeless_urgency(m, m.rng)
    granted = np.flatnonzero(hh.urgency_until != before)
    return np.bincount(hh.municipality[granted], minlength=m.region.size)


def test_a_municipality_table_changes_that_municipalitys_urgency_and_not_the_others(tmp_path):
    f = _write(tmp_path, "[municipalities.GM0344]\nurgency = {homeless = true, months = 6}\n")
    own = _no_urgency_yet(HousingModel(scenario=str(f), rng=1))
    u = own.region.codes.index(UTRECHT)
    granted = _homeless_urgency_by_municipality(own)
    assert granted[u] > 0 and granted.sum() == granted[u]  # only GM0344 grants it
    hh = own.world.hh
    rows = np.flatnonzero((hh.urgency != Urgency.NONE) & (hh.municipality == u) & (hh.urgency_until > own.month))
    assert rows.size and (hh.urgency_until[rows] == own.month + 6).all()  # its own duration
    assert _homeless_urgency_by_municipality(small()).sum() == 0  # the region's rule: not a ground
    # The other way round: a region that grants it, and one municipality that does not.
    region_on = small({UTRECHT: {"urgency": {"homeless": False}}}, allocation={"urgency": {"homeless": True}})
    granted = _homeless_urgency_by_municipality(region_on)
    assert granted[u] == 0 and granted.sum() > 0
    assert [mun.urgency_months for mun in own.municipality_agents if mun.index != u] == [12] * (own.region.size - 1)


def test_a_municipality_granting_homeless_urgency_lets_more_homes_by_urgency():
    """Paired seeds (1-6), 12 months: GM0344's urgency lettings rise when it makes homelessness a
    ground. (Two seeds were too few: the counts are a handful a year and paired runs part after a
    few months; with seeds 1-2 the sum was +1 and -1 after issue 16's Skaeve Huse and caravans.)"""

    def urgency_lettings(municipalities, seed):
        m = small(municipalities, rng=seed)
        m.run(12)
        df = m.indicators()
        sel = (df.indicator == "allocations_urgency") & (df.municipality == UTRECHT) & (df.group == "all")
        return df.loc[sel, "value"].sum()

    table = {UTRECHT: {"urgency": {"homeless": True}}}
    diff = sum(urgency_lettings(table, s) - urgency_lettings(None, s) for s in range(1, 7))
    assert diff > 0


def _direct_homeless_lettings(m: HousingModel, months: int) -> np.ndarray:
    route = ROUTES.index("direct_homeless")
    out = np.zeros(m.region.size, dtype=np.int64)
    for _ in range(months):
        m.step()
        _, _, r, d = m.last_allocations
        out += np.bincount(m.world.dw.municipality[d[r == route]], minlength=m.region.size)
    return out


def test_a_municipalitys_own_direct_placement_share_reaches_the_allocator():
    region_none = {"homeless": {"share": 0.0}}
    m = small({UTRECHT: {"direct_placement": {"homeless": 1.0}}}, allocation=region_none)
    lets = _direct_homeless_lettings(m, 6)
    u = m.region.codes.index(UTRECHT)
    assert lets[u] > 0 and lets.sum() == lets[u]
    assert _direct_homeless_lettings(small(allocation=region_none), 6).sum() == 0


def test_corporation_and_flex_settings_per_municipality():
    # flex_share 0.005: 10 flex homes a year of the national 2,000 (its population share gives ~0 here)
    m = small({UTRECHT: {"corporation": {"investment_capacity": 0.0, "eviction_factor": 0.5}, "flex_share": 0.005}})
    # Utrecht's corporation in the small world starts about one home a year at the default capacity,
    # so the comparison run raises it (5x) to make "it builds at all" certain, not a matter of seeds.
    base = small({UTRECHT: {"corporation": {"investment_capacity": 5.0}}})
    u = m.region.codes.index(UTRECHT)
    ours = [c for c in m.corporations if c.municipality == u]
    assert ours and all(c.investment_capacity == 0.0 and c.eviction_factor == 0.5 for c in ours)
    assert all(c.investment_capacity == 1.0 for c in m.corporations if c.municipality != u)
    assert all(c.investment_capacity == 5.0 for c in base.corporations if c.municipality == u)
    m.run(12)
    base.run(12)
    assert sum(c.started for c in ours) == 0 < sum(c.started for c in base.corporations if c.municipality == u)
    assert m.municipality_agents[u].flex_started > base.municipality_agents[u].flex_started
    assert m.municipality_agents[u].flex_share == 0.005
    from abm.agents.corporation import eviction_shares

    shares = eviction_shares(m.corporations, 0.5)
    assert shares[ours[0].index] == 0.25


def test_settings_for_a_municipality_outside_the_model_are_an_error():
    spec = parse_scenario({**SMALL, "municipalities": {UTRECHT: {"flex_share": 0.1}}}, "test")
    with pytest.raises(ScenarioError, match="GM0344: not a municipality of the modelled region"):
        HousingModel(scenario=spec, corop=["CR01"], households=2000, rng=1)


def test_homeless_people_exist_in_the_small_world():
    """Guard for the urgency tests: the world they use has homeless people and shelter residents."""
    hh = small().world.hh
    assert (hh.place == Place.HOMELESS).any()
    assert ((hh.place == Place.INSTITUTION) & (hh.institution == InstitutionKind.SHELTER)).any()
