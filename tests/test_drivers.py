"""Drivers that change over time (issue 11, section 4): a scenario's ``[drivers]`` series set
parameters month by month (half years in January and July, years in January; step or linear),
measures act on top of them, bad input is one line, and a scenario without series runs exactly
as before."""

from __future__ import annotations

import tomllib
from typing import Any, Literal

import numpy as np
import pytest

from abm import HousingModel
from abm.cli import main
from abm.drivers import DRIVERS, REFERENCE, builtin_rows, default_series, markdown_table, period_month, resolve, validate
from abm.params import Params, param_specs
from abm.policies import Measure
from abm.scenarios import ScenarioError, load_scenario, parse_scenario, scenario_to_toml
from abm.schedule import OPENING

REGION = {"corop": ["CR17"], "households": 2000}


def spec(drivers: dict[str, Any] | None = None, **extra: Any):
    data: dict[str, Any] = {"name": "t", "region": REGION, "years": 3, **extra}
    if drivers is not None:
        data["drivers"] = drivers
    return parse_scenario(data, "test")


def open_months(model: HousingModel, months: int) -> list[Params]:
    """Run only the opening of ``months`` months (no random draws) and return each month's parameters."""
    out = []
    for _ in range(months):
        for f in OPENING:
            f(model)
        out.append(model.params)
    return out


def indicators(model: HousingModel) -> np.ndarray:
    return np.stack([v for _, v in model.recorder.blocks])


def test_periods_start_in_january_and_july():
    assert period_month("2021") == 1 and period_month("2021H1") == 1
    assert period_month("2021H2") == 7 and period_month("2022") == 13 and period_month("2023H2") == 31
    with pytest.raises(ValueError):
        period_month("2021H3")


def test_half_year_quota_steps_in_january_and_july_and_municipalities_receive_it():
    m = HousingModel(spec({"refugee_quota_half_year": {"2021H1": 1000, "2021H2": 3000, "2022H1": 5000}}), rng=1)
    shares = m.region.population_share
    quotas = []
    for month in range(1, 14):
        for f in OPENING:
            f(m)
        assert m.month == month
        quotas.append(m.params.refugee_quota_half_year)
        if month in (1, 7):  # the half year opens: each municipality receives its share of this value
            expected = {1: 1000, 7: 3000}[month] * shares
            got = np.array([mun.quota for mun in m.municipality_agents])
            assert got == pytest.approx(expected + np.array([mun.quota_backlog for mun in m.municipality_agents]))
    assert quotas == [1000] * 6 + [3000] * 6 + [5000]


def test_step_and_linear_yearly_series_and_the_parameter_before_the_first_period():
    series = {"2022": 100000, "2023": 220000}
    step = open_months(HousingModel(spec({"labour_migrant_stock": series}), rng=1), 26)
    lin = open_months(HousingModel(spec({"labour_migrant_stock": series, "interpolation": "linear"}), rng=1), 26)
    default = Params().labour_migrant_stock
    assert [p.labour_migrant_stock for p in step[:12]] == [default] * 12  # before 2022: the parameter's own value
    assert [p.labour_migrant_stock for p in step[12:24]] == [100000] * 12
    assert step[24].labour_migrant_stock == step[25].labour_migrant_stock == 220000  # the last value holds
    # linear: one twelfth of the way per month from January 2022 to January 2023
    assert lin[12].labour_migrant_stock == 100000
    assert lin[18].labour_migrant_stock == pytest.approx(160000)
    assert lin[24].labour_migrant_stock == lin[25].labour_migrant_stock == 220000


def test_half_year_drivers_stay_step_under_linear_interpolation():
    ps = open_months(HousingModel(spec({"refugee_quota_half_year": {"2021H1": 1000, "2021H2": 3000}, "interpolation": "linear"}), rng=1), 8)
    assert [p.refugee_quota_half_year for p in ps] == [1000] * 6 + [3000] * 2


class HalveNewHomelessness(Measure):
    """Test measure: halves new homelessness (scales the month's value of the parameter)."""

    type: Literal["halve_new_homelessness"] = "halve_new_homelessness"

    def params(self, p):
        return {"new_homeless_rate": p.new_homeless_rate * 0.5}


def test_a_measure_on_top_scales_the_drivers_value_of_the_month():
    m = HousingModel(spec({"new_homeless_rate": {"2021": 1000, "2022": 3000}}), rng=1, measures=[HalveNewHomelessness(start=3)])
    ps = open_months(m, 14)
    assert [p.new_homeless_rate for p in ps] == [1000, 1000] + [500] * 10 + [1500, 1500]
    assert m.base_params.new_homeless_rate == 3000  # the base is the driver's value, the measure acts on it


def test_default_series_come_from_the_data_file_and_own_series_replace_one_driver():
    rows = builtin_rows()
    assert {r.driver for r in rows} == set(DRIVERS) | set(REFERENCE)
    assert all(r.source and r.status in "VDMC" and r.unit for r in rows)
    pts = resolve({"use": "default", "new_homeless_rate": {"2021": 5000}})
    assert pts["new_homeless_rate"] == [(1, 5000.0)]
    assert pts["refugee_quota_half_year"] == sorted((period_month(p), v) for p, v in default_series()["refugee_quota_half_year"].items())
    # every built-in value lies within its parameter's bounds and every period parses
    validate(default_series(), 50, {})
    assert set(resolve({})) == set()


def test_baseline_drivers_scenario_uses_the_default_series():
    s = load_scenario("baseline_drivers")
    assert s.drivers == {"use": "default"} and s.measures == [] and s.params == {}
    assert load_scenario("baseline").drivers == {}


def test_round_trip_through_toml():
    s = spec({"use": "default", "interpolation": "linear", "labour_migrant_stock": {"2021": 500000, "2023": 520000}})
    text = scenario_to_toml(s)
    assert parse_scenario(tomllib.loads(text), "again") == s


def test_no_series_gives_identical_results():
    """An empty ``[drivers]`` table, and a series equal to the parameter's value, change nothing."""
    runs = []
    for d in (None, {}, {"new_homeless_rate": {"2021": Params().new_homeless_rate}}):
        m = HousingModel(spec(d), rng=2)
        m.run(18)
        runs.append(indicators(m))
    assert np.array_equal(runs[0], runs[1], equal_nan=True)
    assert np.array_equal(runs[0], runs[2], equal_nan=True)


MOVES = {
    "refugee_quota_half_year": {"2021H1": 60000, "2022H1": 0},
    "labour_migrant_stock": {"2021": 2_000_000},
    "new_homeless_rate": {"2021": 100_000},
    "student_intake_factor": {"2021": 3.0},
}


@pytest.mark.parametrize("name", sorted(DRIVERS))
def test_each_driver_series_changes_a_short_run(name):
    assert set(MOVES) == set(DRIVERS)
    ref = HousingModel(spec(), rng=3)
    ref.run(24)
    moved = HousingModel(spec({name: MOVES[name]}), rng=3)
    moved.run(24)
    assert not np.array_equal(indicators(ref), indicators(moved), equal_nan=True)


GOOD = 'name = "x"\n[region]\ncorop = ["CR17"]\nhouseholds = 2000\n'


@pytest.mark.parametrize(
    "table, fragments",
    [
        ("[drivers]\nrefugee_quota = { 2021 = 1 }\n", ["drivers.refugee_quota", "unknown driver", "refugee_quota_half_year"]),
        ("[drivers]\nrefugee_quota_half_year = { 2021H1 = 200000 }\n", ["drivers.refugee_quota_half_year.2021H1", "outside the bounds"]),
        ("[drivers]\nlabour_migrant_stock = { 2021H3 = 1 }\n", ["drivers.labour_migrant_stock", "not a period"]),
        ("[drivers]\nlabour_migrant_stock = { 2021H1 = 1 }\n", ["drivers.labour_migrant_stock.2021H1", "yearly driver"]),
        ("[drivers]\nlabour_migrant_stock = { 2040 = 1 }\n", ["drivers.labour_migrant_stock.2040", "outside the run"]),
        ('[drivers]\nnew_homeless_rate = { 2021 = "many" }\n', ["drivers.new_homeless_rate.2021", "not a number"]),
        ('[drivers]\nuse = "mine"\n', ["drivers.use"]),
        ('[drivers]\ninterpolation = "cubic"\n', ["drivers.interpolation"]),
        ("[params]\nnew_homeless_rate = 5\n[drivers]\nnew_homeless_rate = { 2021 = 1 }\n", ["drivers.new_homeless_rate", "[params]"]),
    ],
)
def test_bad_driver_input_is_one_line_exit_2(tmp_path, capsys, table, fragments):
    f = tmp_path / "bad.toml"
    f.write_text(GOOD + table)
    with pytest.raises(ScenarioError):
        load_scenario(f)
    code = main(["run", "--scenario", str(f), "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and str(f) in err
    for frag in fragments:
        assert frag in err


def test_abm_drivers_lists_every_series_with_its_source(capsys):
    assert main(["drivers"]) == 0
    out = capsys.readouterr().out
    for r in builtin_rows():
        assert r.driver in out and r.source[:40] in out
    assert main(["drivers", "--markdown"]) == 0
    assert capsys.readouterr().out.strip() == markdown_table()
    assert main(["params"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert all(name in last for name in DRIVERS)


def test_driven_parameters_exist_with_bounds():
    specs = param_specs()
    for name in DRIVERS:
        assert name in specs


def test_odd_driver_table_matches_the_data_file():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "ODD.md").read_text()
    table = text.split("<!-- drivers:start -->")[1].split("<!-- drivers:end -->")[0].strip()
    assert table == markdown_table(), "run: python scripts/sync_odd_params.py"
