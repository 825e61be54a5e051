"""Drivers that change over time (issue 11, section 4): every run follows the built-in series
(abm/data/drivers.csv) unless its ``[drivers]`` table says ``use = "none"`` or the parameter is
set explicitly; series set parameters month by month (half years in January and July, years in
January; step or linear), measures act on top of them, bad input is one line, and a run with the
series switched off is exactly the run before drivers existed."""

from __future__ import annotations

import tomllib
from typing import Any, Literal

import numpy as np
import pytest

from abm import HousingModel
from abm.cli import main
from abm.codes import Place
from abm.drivers import (
    DRIVERS,
    REFERENCE,
    builtin_rows,
    default_series,
    markdown_table,
    period_month,
    reference_growth,
    resolve,
    summary,
    validate,
)
from abm.params import Params, param_specs
from abm.policies import Measure
from abm.processes import flows
from abm.scenarios import ScenarioError, load_scenario, parse_scenario, scenario_to_toml
from abm.schedule import OPENING

REGION = {"corop": ["CR17"], "households": 2000}


def spec(drivers: dict[str, Any] | None = None, **extra: Any):
    """A 3-year scenario on a small Utrecht-like region; ``drivers=None``: no table (the built-in series)."""
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
    assert set(resolve({})) == set(DRIVERS) and resolve({"use": "none"}) == {}
    assert set(resolve({}, held={"student_intake_factor"})) == set(DRIVERS) - {"student_intake_factor"}


def test_builtin_baseline_follows_the_series_and_baseline_constant_switches_them_off():
    s = load_scenario("baseline")
    assert s.drivers == {} and s.measures == [] and s.params == {}
    assert set(resolve(s.drivers)) == set(DRIVERS)  # no table: every built-in series applies
    c = load_scenario("baseline_constant")
    assert c.drivers == {"use": "none"} and resolve(c.drivers) == {}


def half_year(month: int) -> str:
    """The period of model month ``month`` (1 = January 2021), e.g. ``"2022H2"``."""
    return f"{2021 + (month - 1) // 12}H{1 + ((month - 1) % 12) // 6}"


def test_a_model_without_drivers_given_follows_the_builtin_quota_series():
    """Regression (issue 11, 4): before, a run without a [drivers] table held the quota at 11,000."""
    ps = open_months(HousingModel(spec(), rng=1), 36)
    q = default_series()["refugee_quota_half_year"]
    last = max(q, key=period_month)
    expected = [q.get(half_year(m), q[last] if period_month(half_year(m)) >= period_month(last) else None) for m in range(1, 37)]
    assert [p.refugee_quota_half_year for p in ps] == expected
    assert ps[0].refugee_quota_half_year == q["2021H1"] and ps[30].refugee_quota_half_year == q["2023H2"]


def test_quota_in_each_half_year_is_the_series_value_scaled_to_the_region():
    """Mechanism: in January and July each municipality receives (series value of the half year) x
    (its population share) plus its backlog; the asylum-centre arrivals of the half year are drawn
    from the same scaled value."""
    m = HousingModel(spec(), rng=1)
    shares = m.region.population_share
    q = default_series()["refugee_quota_half_year"]
    for month in range(1, 37):
        for f in OPENING:
            f(m)
        if month % 6 == 1:
            value = q.get(half_year(month), q["2023H2"])
            got = np.array([mun.quota for mun in m.municipality_agents])
            backlog = np.array([mun.quota_backlog for mun in m.municipality_agents])
            assert got == pytest.approx(value * shares + backlog), half_year(month)
            assert m.params.refugee_quota_half_year * m.quota_shares == pytest.approx(value * shares)


class RecordingRng:
    """A generator that records the means of its Poisson draws (and draws as the real one does)."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.means: list[np.ndarray] = []

    def poisson(self, lam, *a, **k):
        self.means.append(np.atleast_1d(np.asarray(lam, dtype=float)).copy())
        return self.rng.poisson(lam, *a, **k)

    def __getattr__(self, name):
        return getattr(self.rng, name)


def test_september_student_intake_follows_the_factor_of_the_year():
    """Mechanism (report 'Studenten'): in September year y the expected intake per municipality is
    the student rooms to let in the coming year (``flows.student_rooms_to_let``) x the factor of year y
    from the series x (1 + the shortage)."""
    m = HousingModel(spec(years=10), rng=1)
    factor = default_series()["student_intake_factor"]

    for month in range(1, 82):  # to September 2027 (the series' peak)
        for f in OPENING:
            f(m)
        if month % 12 == 9:
            w = m.world
            rooms = flows.student_rooms_to_let(w)
            rec = RecordingRng(month)
            flows.students(w, rec)
            year = 2021 + (month - 1) // 12
            assert w.params.student_intake_factor == factor[str(year)]
            assert rec.means[0] == pytest.approx(rooms * factor[str(year)] * (1.0 + w.params.student_room_shortage))
    assert factor["2027"] > factor["2021"]


def test_labour_migrant_arrivals_follow_the_stock_of_the_year():
    """Mechanism (report 'Arbeidsmigranten'): arrivals per type are the region's share of the
    year's national stock (households) x the type's share / its stay."""
    m = HousingModel(spec(years=10), rng=1)
    stock = default_series()["labour_migrant_stock"]
    p0 = Params()
    for month in range(1, 62):
        for f in OPENING:
            f(m)
        if month in (1, 25, 61):
            w = m.world
            rec = RecordingRng(month)
            flows.labour_migrants(w, rec)
            year = str(2021 + (month - 1) // 12)
            target = stock[year] / p0.labour_migrant_persons_per_household * w.region.population_share
            assert rec.means[0] == pytest.approx(target * p0.labour_migrant_short_share / p0.labour_migrant_short_stay)
            assert rec.means[1] == pytest.approx(target * p0.labour_migrant_contract_share / p0.labour_migrant_contract_stay)


def test_explicit_parameters_hold_and_drop_only_their_own_series():
    """A driven parameter set in [params] or by the caller holds for the whole run (sweeps,
    calibration and sensitivity analysis vary it); the other series still apply."""
    from_file = open_months(HousingModel(spec(params={"refugee_quota_half_year": 5000}), rng=1), 30)
    by_caller = open_months(HousingModel(spec(), rng=1, params={"refugee_quota_half_year": 5000}), 30)
    lm = default_series()["labour_migrant_stock"]
    for ps in (from_file, by_caller):
        assert {p.refugee_quota_half_year for p in ps} == {5000}
        assert ps[13].labour_migrant_stock == lm["2022"]  # the other series still drive
    # the caller's value also replaces an own series of the file
    own = open_months(HousingModel(spec({"refugee_quota_half_year": {"2021H1": 100}}), rng=1, params={"refugee_quota_half_year": 7000}), 8)
    assert {p.refugee_quota_half_year for p in own} == {7000}


def test_use_none_switches_every_builtin_series_off_but_keeps_own_series():
    ps = open_months(HousingModel(spec({"use": "none"}), rng=1), 26)
    p0 = Params()
    for name in DRIVERS:
        assert {getattr(p, name) for p in ps} == {getattr(p0, name)}
    own = open_months(HousingModel(spec({"use": "none", "labour_migrant_stock": {"2022": 123456}}), rng=1), 14)
    assert own[12].labour_migrant_stock == 123456 and own[0].refugee_quota_half_year == p0.refugee_quota_half_year


def test_round_trip_through_toml():
    s = spec({"use": "default", "interpolation": "linear", "labour_migrant_stock": {"2021": 500000, "2023": 520000}})
    text = scenario_to_toml(s)
    assert parse_scenario(tomllib.loads(text), "again") == s


def test_series_switched_off_give_identical_results():
    """``use = "none"`` is the run before drivers existed; a series equal to the parameter's value
    changes nothing; no table and ``use = "default"`` are the same run."""
    runs = []
    for d in ({"use": "none"}, {"use": "none", "new_homeless_rate": {"2021": Params().new_homeless_rate}}, None, {"use": "default"}):
        m = HousingModel(spec(d), rng=2)
        m.run(18)
        runs.append(indicators(m))
    assert np.array_equal(runs[0], runs[1], equal_nan=True)
    assert np.array_equal(runs[2], runs[3], equal_nan=True)
    assert not np.array_equal(runs[0], runs[2], equal_nan=True)  # the built-in series change the run


MOVES = {
    "refugee_quota_half_year": {"2021H1": 60000, "2022H1": 0},
    "labour_migrant_stock": {"2021": 2_000_000},
    "new_homeless_rate": {"2021": 100_000},
    "student_intake_factor": {"2021": 3.0},
}


@pytest.mark.parametrize("name", sorted(DRIVERS))
def test_each_driver_series_changes_a_short_run(name):
    assert set(MOVES) == set(DRIVERS)
    ref = HousingModel(spec({"use": "none"}), rng=3)
    ref.run(24)
    moved = HousingModel(spec({"use": "none", name: MOVES[name]}), rng=3)
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
        ('[drivers]\nuse = "mine"\n', ["drivers.use", "none"]),
        ("[drivers]\nstudent_intake_factor = { 2022 = -1 }\n", ["drivers.student_intake_factor.2022", "outside the bounds"]),
        ("[drivers]\nstudent_intake_factor = [1, 2]\n", ["drivers.student_intake_factor", "table of values by period"]),
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
    out = capsys.readouterr().out
    assert out.strip().endswith(summary()[-1])
    for line, name in zip(summary(), [*DRIVERS, *REFERENCE], strict=True):
        assert line in out and line.startswith(name)
        for status in {r.status for r in builtin_rows() if r.driver == name}:
            assert f"{status} {sum(r.status == status for r in builtin_rows() if r.driver == name)}" in line


def test_driven_parameters_exist_with_bounds():
    specs = param_specs()
    for name in DRIVERS:
        assert name in specs


def test_odd_driver_table_matches_the_data_file():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "ODD.md").read_text()
    table = text.split("<!-- drivers:start -->")[1].split("<!-- drivers:end -->")[0].strip()
    assert table == markdown_table(), "run: python scripts/sync_odd_params.py"


def test_quota_sources_verified_figures_and_projection_status():
    """The half-year quota figures found in a source are V (2021H2-2023H1); the rest is M and says so."""
    rows = {r.period: r for r in builtin_rows() if r.driver == "refugee_quota_half_year"}
    assert {p: r.value for p, r in rows.items() if r.status == "V"} == {"2021H2": 11000, "2022H1": 10000, "2022H2": 13500, "2023H1": 21200}
    for r in rows.values():
        assert r.status in "VM"
        if r.status == "M":
            assert "not found" in r.source or "projection" in r.source
    proj = rows[max(rows)]
    assert proj.value == pytest.approx(np.mean([11000, 10000, 13500, 21200]), abs=50)


def test_a_higher_quota_series_houses_more_permit_holders_paired_seeds():
    """Paired seeds (sign test, one-sided 5 %: all 6 seeds): twice the built-in quota series
    raises the permit holders housed in social lettings over three years."""
    hi = {k: v * 2 for k, v in default_series()["refugee_quota_half_year"].items()}
    region = {"corop": ["CR17"], "households": 4000}
    diffs = []
    for seed in range(1, 7):
        got = []
        for d in ({}, {"refugee_quota_half_year": hi}):
            m = HousingModel(parse_scenario({"name": "t", "region": region, "years": 3, "drivers": d}, "t"), rng=seed)
            m.run(36)
            got.append(m.recorder.series("allocations", "refugee")[1].sum())
        diffs.append(got[1] - got[0])
    assert all(d > 0 for d in diffs), diffs


def test_heads_75_plus_grow_at_about_the_reports_rate():
    """Validation target, not a driver (report 'Ouderen': 1.4 million 75+ in 2020, 2.6 million in
    2040, 3.1 %/yr): the model's own ageing keeps the number of heads 75+ growing at that rate
    within 1.5 percentage points over ten years (measured: about 2.5 %/yr, experiments/drivers)."""
    target = reference_growth("population_75_plus", 2020, 2040)
    assert target == pytest.approx(0.031, abs=0.001)
    rates = []
    for seed in (1, 2):
        m = HousingModel(corop=["CR17"], households=4000, rng=seed)
        counts = []
        for year in range(11):
            hh = m.world.hh
            counts.append(int(((hh.age >= 75 * 12) & (hh.place != Place.GONE)).sum()))
            if year < 10:
                m.run(12)
        rates.append((counts[-1] / counts[0]) ** 0.1 - 1.0)
    assert abs(np.mean(rates) - target) < 0.015, rates


def test_with_a_spin_up_the_series_start_in_january_2021_not_before():
    """A spin-up (months <= 0) runs on the parameters' own values; month 1 takes the 2021H1 value."""
    m = HousingModel(spec(), rng=1, params={"spinup_months": 12})
    p0 = Params()
    assert m.month == 0 and m.params.refugee_quota_half_year == p0.refugee_quota_half_year
    assert m.base_params.labour_migrant_stock == p0.labour_migrant_stock
    ps = open_months(m, 13)
    q, lm = default_series()["refugee_quota_half_year"], default_series()["labour_migrant_stock"]
    assert ps[0].refugee_quota_half_year == q["2021H1"] and ps[6].refugee_quota_half_year == q["2021H2"]
    assert ps[12].labour_migrant_stock == lm["2022"]
