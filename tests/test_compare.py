"""``abm compare``: common random numbers, bands, paired differences, costs, report and CLI."""

from __future__ import annotations

import html
import re
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from abm.cli import main
from abm.compare import COST_ITEMS, allocation_shares, cost_table, differences, run_scenarios, summarise
from abm.costs import KEYS, load_costs
from abm.scenarios import ScenarioError

SMALL = resources.files("abm.scenario_files") / "small.toml"

NO_URGENCY = """name = "no_urgency"
description = "small without urgency"
years = 2
seed = 1

[region]
corop = ["CR17"]
households = 5000

[allocation.urgency]
enabled = false
"""


@pytest.fixture(scope="module")
def toml(tmp_path_factory):
    path = tmp_path_factory.mktemp("scen") / "no_urgency.toml"
    path.write_text(NO_URGENCY)
    return str(path)


@pytest.fixture(scope="module")
def frame(toml):
    return run_scenarios(["small", "small", toml], seeds=2, years=1)


def test_tidy_frame(frame):
    assert list(frame.columns) == ["scenario", "seed", "month", "group", "indicator", "value"]
    assert list(frame["scenario"].cat.categories) == ["small", "small#2", "no_urgency"]
    assert set(frame["seed"]) == {1, 2}
    assert frame["month"].min() == 0 and frame["month"].max() == 12
    assert {"all", "homeless", "refugee"} <= set(frame["group"].astype(str))
    keys = ["scenario", "seed", "month", "group", "indicator"]
    assert not frame.duplicated(keys).any()
    # one row per scenario × seed × month × (group, indicator) pair
    assert len(frame) == 3 * 2 * 13 * frame.groupby(["group", "indicator"], observed=True).ngroups


def test_same_scenario_twice_is_identical(frame):
    a = frame[frame["scenario"] == "small"].drop(columns="scenario").reset_index(drop=True)
    b = frame[frame["scenario"] == "small#2"].drop(columns="scenario").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    d = differences(frame, "small")
    same = d[d["scenario"] == "small#2"]
    assert len(same) and set(same["statistic"]) == {"end", "mean"}
    vals = same[["median", "p10", "p90"]].to_numpy()
    assert np.all((vals == 0) | np.isnan(vals))
    assert np.all((same["share_positive"] == 0) | same["share_positive"].isna())


def test_differences_of_another_policy(frame):
    d = differences(frame, "small")
    assert list(d.columns) == ["scenario", "reference", "group", "indicator", "statistic", "median", "p10", "p90", "share_positive"]
    other = d[d["scenario"] == "no_urgency"]
    assert (other["reference"] == "small").all()
    # no urgency route: fewer lettings decided by a priority route, and some non-zero difference overall
    urg = other[(other["indicator"] == "allocations_urgency") & (other["group"] == "all") & (other["statistic"] == "mean")]
    assert urg["p90"].iloc[0] <= 0
    assert (other[["median", "p10", "p90"]].abs().fillna(0).to_numpy() > 0).any()
    band = other.dropna(subset=["median"])
    assert (band["p10"] <= band["median"] + 1e-12).all() and (band["median"] <= band["p90"] + 1e-12).all()
    assert band["share_positive"].between(0, 1).all()
    with pytest.raises(ValueError, match="reference"):
        differences(frame, "atlantis")


def test_jobs_2_equals_jobs_1(tmp_path):
    # A one-year spin-up set in the scenarios, so that this process and the worker processes run
    # the same (tests/conftest.py switches the default 60 months off only in this process).
    small = tmp_path / "small.toml"
    small.write_text(SMALL.read_text() + "\n[params]\nspinup_months = 12\n")
    other = tmp_path / "no_urgency.toml"
    other.write_text(NO_URGENCY + "\n[params]\nspinup_months = 12\n")
    par = run_scenarios([str(small), str(other)], seeds=2, years=1, jobs=2)
    ser = run_scenarios([str(small), str(other)], seeds=2, years=1)
    assert list(ser["scenario"].cat.categories) == ["small", "no_urgency"] and len(ser)
    pd.testing.assert_frame_equal(par.reset_index(drop=True), ser.reset_index(drop=True))


def test_summarise_bands(frame):
    s = summarise(frame)
    assert list(s.columns) == ["scenario", "month", "group", "indicator", "median", "p10", "p90", "mean"]
    ok = s.dropna(subset=["median"])
    assert len(ok) > 0
    assert (ok["p10"] <= ok["median"]).all() and (ok["median"] <= ok["p90"]).all()
    assert (ok["p10"] <= ok["mean"] + 1e-9).all() and (ok["mean"] <= ok["p90"] + 1e-9).all()
    assert len(s) == len(frame) // 2  # two seeds collapsed into one row
    shares = summarise(allocation_shares(frame)).dropna(subset=["median"])
    assert shares["median"].between(0, 1).all()


def test_cost_table(frame):
    c = cost_table(frame, reference="small")
    items = [i[0] for i in COST_ITEMS]
    assert set(items) <= set(c["item"])
    for item in items:
        rows = c[c["item"] == item]
        assert set(rows["scenario"]) == {"small", "small#2", "no_urgency"}
        assert rows["source"].str.strip().astype(bool).all() and rows["status"].isin(["V", "D", "M", "C"]).all()
    assert {"care costs, total", "housing costs, total"} <= set(c["item"])
    diff = c[c["item"].str.startswith("care costs, difference vs small")]
    assert set(diff["scenario"]) == {"small#2", "no_urgency"}
    assert (diff.loc[diff["scenario"] == "small#2", ["median", "p10", "p90"]].to_numpy() == 0).all()
    tot = c[(c["item"] == "care costs, total") & (c["scenario"] == "small")]["median"].iloc[0]
    assert tot > 0
    ok = c.dropna(subset=["median"])
    assert (ok["p10"] <= ok["median"]).all() and (ok["median"] <= ok["p90"]).all()
    # a unit cost override doubles that item
    base = c[(c["item"] == items[0]) & (c["scenario"] == "small")]["median"].iloc[0]
    twice = cost_table(frame, {"shelter_place_year": 2 * load_costs().set_index("key").loc["shelter_place_year", "value"]})
    assert twice[(twice["item"] == items[0]) & (twice["scenario"] == "small")]["median"].iloc[0] == pytest.approx(2 * base)


def test_unit_costs_file():
    costs = load_costs()
    assert list(costs.columns) == ["key", "value", "unit", "year", "source", "status"]
    assert set(KEYS) <= set(costs["key"])
    assert costs["status"].isin(["V", "D", "M", "C"]).all()
    assert (costs["value"] >= 0).all() and costs["source"].str.strip().astype(bool).all()
    assert not ((costs["status"] == "V") & costs["source"].str.lower().str.startswith("placeholder")).any()


@pytest.mark.parametrize(
    "kwargs, error, fragment",
    [
        ({"scenarios": ["small", "atlantis"]}, ScenarioError, "unknown scenario 'atlantis'"),
        ({"scenarios": ["small"], "seeds": 0}, ValueError, "seeds"),
        ({"scenarios": ["small"], "seeds": 1001}, ValueError, "seeds"),
        ({"scenarios": ["small"], "seeds": [-1]}, ValueError, "seeds"),
        ({"scenarios": ["small"], "years": 0}, ValueError, "years"),
    ],
)
def test_run_scenarios_validates(kwargs, error, fragment):
    with pytest.raises(error) as e:
        run_scenarios(**kwargs)
    assert fragment in str(e.value) and "\n" not in str(e.value)


def test_cli_writes_everything(tmp_path, toml, capsys):
    out = tmp_path / "cmp"
    assert main(["compare", "small", toml, "--seeds", "2", "--years", "1", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "no_urgency - small" in printed and "homeless" in printed and "wrote" in printed
    for name in ("compare.parquet", "summary.parquet", "differences.parquet", "costs.parquet", "report.html"):
        assert (out / name).is_file(), name
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".abm-compare-")]
    df = pd.read_parquet(out / "compare.parquet")
    assert list(df.columns) == ["scenario", "seed", "month", "group", "indicator", "value"]
    assert set(pd.read_parquet(out / "differences.parquet")["scenario"]) == {"no_urgency"}
    page = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, flags=re.I)
    assert "<svg" in page and "wait" in page
    for _, r in load_costs().iterrows():
        assert r["key"] in page and html.escape(r["source"]) in page
    assert len(page) < 1_000_000


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["compare", "small"], "at least two scenarios"),
        (["compare", "small", "atlantis"], "unknown scenario 'atlantis'"),
        (["compare", "small", "small", "--seeds", "0"], "--seeds must be in [1, 1000]"),
        (["compare", "small", "small", "--seeds", "1001"], "--seeds must be in [1, 1000]"),
        (["compare", "small", "small", "--years", "0"], "--years must be in [1, 50]"),
        (["compare", "small", "small", "--years", "51"], "--years must be in [1, 50]"),
        (["compare", "small", "small", "--reference", "utrecht"], "--reference"),
    ],
)
def test_cli_errors_exit_2_and_write_nothing(args, fragment, tmp_path, capsys):
    out = tmp_path / "x"
    assert main([*args, "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert fragment in err and "\n" not in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_cli_unwritable_output(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out in (blocker, blocker / "sub" / "out"):
        assert main(["compare", "small", "small", "--seeds", "1", "--years", "1", "--out", str(out), "--quiet"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: --out") and "\n" not in err
    assert blocker.read_text() == "not a folder"
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]
