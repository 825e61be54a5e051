"""Sensitivity analysis on sweeps whose outcome is a known function of the factors, plus the
compatibility layers: ``mesa.batch_run`` and the EMA Workbench adapter."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import abm.sweep.runner as runner
from abm import HousingModel
from abm.cli import main
from abm.sweep import parse_design, run_sweep


def design(method: str, samples: int, seeds: int = 2) -> dict:
    return {
        "name": f"known_{method}",
        "base": "small",
        "seeds": seeds,
        "sampling": {"method": method, "samples": samples, "levels": 4, "seed": 3},
        "factors": [
            {"name": "strong", "target": "params.seek_rate", "low": 0.01, "high": 0.04},
            {"name": "weak", "target": "allocation.urgency.vacancy_share", "low": 0.0, "high": 1.0},
            {"name": "none", "target": "allocation.acceptance.refusal", "low": 0.0, "high": 0.5},
        ],
        "outputs": {"indicators": ["homeless"], "statistics": ["final", "mean"]},
    }


def known_outcome(task: dict) -> dict:
    """A stand-in for the model: homeless = 1000 * seek_rate**... a known function plus seed noise."""
    s = task["scenario"]
    x1 = (s["params"]["seek_rate"] - 0.01) / 0.03
    x2 = s["allocation"].get("urgency", {}).get("vacancy_share", 0.5)
    noise = np.random.default_rng(task["seed"]).normal(0, 0.01)
    rows = [("homeless", "all", "final", 10 * x1 + 2 * x2 + noise), ("homeless", "all", "mean", 5.0)]
    frame = pd.DataFrame(rows, columns=["indicator", "group", "statistic", "value"])
    frame.insert(0, "seed", np.int64(task["seed"]))
    frame.insert(0, "point", np.int64(task["point"]))
    frame.insert(0, "key", task["key"])
    return {"key": task["key"], "ok": True, "seconds": 0.0, "frame": frame}


@pytest.fixture
def known(monkeypatch):
    monkeypatch.setattr(runner, "run_task", known_outcome)


def _sweep(tmp_path, d):
    dsg, base = parse_design(d, "design")
    out = tmp_path / d["name"]
    run_sweep(dsg, base, out, executor="serial", progress=False)
    return out


def _index(frame, factor, index):
    return frame[(frame["factor"] == factor) & (frame["index"] == index) & (frame["statistic"] == "final")].iloc[0]


def test_sobol_indices_find_the_factor_that_matters(tmp_path, known, capsys):
    out = _sweep(tmp_path, design("sobol", 256, seeds=1))
    assert main(["sensitivity", str(out), "--resamples", "200"]) == 0
    printed = capsys.readouterr()
    assert "homeless (all, final)" in printed.out and "no variation" in printed.err  # the constant outcome is named
    frame = pd.read_parquet(out / "sensitivity.parquet")
    # analytic: Var = 100/12 + 4/12 -> S1(strong) = 0.96, S1(weak) = 0.04, S1(none) = 0
    strong, weak, none = (_index(frame, f, "ST") for f in ("strong", "weak", "none"))
    assert strong["value"] == pytest.approx(0.96, abs=0.08) and weak["value"] == pytest.approx(0.04, abs=0.03)
    assert abs(none["value"]) < 0.02
    assert strong["low"] <= 0.96 <= strong["high"] and strong["conf"] > 0
    assert (out / "sensitivity.png").stat().st_size > 5000


def test_morris_ranks_the_factors(tmp_path, known):
    out = _sweep(tmp_path, design("morris", 10))
    assert main(["sensitivity", str(out), "--plot", str(tmp_path / "m.svg")]) == 0
    frame = pd.read_parquet(out / "sensitivity.parquet")
    mu = {f: _index(frame, f, "mu_star")["value"] for f in ("strong", "weak", "none")}
    assert mu["strong"] == pytest.approx(10, rel=0.05) and mu["weak"] == pytest.approx(2, rel=0.1) and mu["none"] < 0.1
    assert (tmp_path / "m.svg").read_text().startswith("<?xml")


def test_sensitivity_input_errors(tmp_path, known, capsys):
    assert main(["sensitivity", str(tmp_path)]) == 2
    assert "not a sweep folder" in capsys.readouterr().err
    grid = design("grid", 1)
    grid["factors"] = grid["factors"][:1]
    out = _sweep(tmp_path, grid)
    assert main(["sensitivity", str(out)]) == 2
    assert "grid design has no sensitivity method" in capsys.readouterr().err
    out = _sweep(tmp_path, design("lhs", 30))
    assert main(["sensitivity", str(out), "--method", "sobol"]) == 2
    assert "needs a sobol design" in capsys.readouterr().err
    assert main(["sensitivity", str(out), "--outcome", "homeless:all"]) == 2
    assert "INDICATOR:GROUP:STATISTIC" in capsys.readouterr().err
    assert main(["sensitivity", str(out), "--outcome", "homeless:al:final"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "unknown group 'al'" in err, err
    assert main(["sensitivity", str(out), "--outcome", "waiting:all:final"]) == 2
    assert "not in this sweep" in capsys.readouterr().err
    assert main(["sensitivity", str(out), "--conf", "1.5"]) == 2
    assert main(["sensitivity", str(out), "--outcome", "homeless:all:final", "--resamples", "20"]) == 0  # delta for a Latin hypercube
    # an unfinished sweep is refused, not analysed with holes
    table = pd.read_parquet(out / "design.parquet")
    for key in table.loc[table["point"] == 4, "key"]:  # both seeds of one point
        (out / "runs" / f"{key}.parquet").unlink()
    assert main(["sensitivity", str(out)]) == 2
    assert "1 of 30 design points have no finished run" in capsys.readouterr().err


def test_mesa_batch_run_builds_and_runs_the_model():
    import mesa

    params = {"scenario": "small", "households": 1500, "seek_rate": [0.02, 0.04]}
    a = mesa.batch_run(HousingModel, parameters=params, rng=[1, 2], max_steps=3, number_processes=1, display_progress=False)
    b = mesa.batch_run(HousingModel, parameters=params, rng=[1, 2], max_steps=3, number_processes=1, display_progress=False)
    assert len(a) == 4 and {r["seek_rate"] for r in a} == {0.02, 0.04}
    assert all(r["Step"] == 3 and r["households"] > 1000 for r in a)
    assert [r["waiting"] for r in a] == [r["waiting"] for r in b]  # same rng, same results
    assert len({r["waiting"] for r in a}) > 1


def test_ema_workbench_adapter():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench import SequentialEvaluator, perform_experiments

        from abm.ema import ema_model

        model = ema_model(
            "urgency_flex",
            base="small",
            years=1,
            uncertainties={"seek_rate": ("params.seek_rate", 0.015, 0.035)},
            levers={"flex_per_year": ("measures.flex_housing.units_per_year", 0, 40000), "hf": ("measures.housing_first", [False, True])},
            outcomes=["wait_months_median:regular:mean", "blocked_in_institution:all:final"],
            seeds=[1, 2],
        )
        with SequentialEvaluator(model) as ev:
            experiments, outcomes = perform_experiments(model, scenarios=2, policies=2, evaluator=ev)
    assert len(experiments) == 4 and set(outcomes) == {"wait_months_median_regular_mean", "blocked_in_institution_all_final"}
    assert all(np.isfinite(v).all() and v.shape == (4,) for v in outcomes.values())
    # the same values reach the model as through a scenario: rerun one experiment by hand
    e = experiments.iloc[0]
    again = model.function(seek_rate=e["seek_rate"], flex_per_year=np.int64(e["flex_per_year"]), hf=bool(e["hf"]), seed=np.int64(1))
    other = model.function(seek_rate=e["seek_rate"], flex_per_year=np.int64(e["flex_per_year"]), hf=bool(e["hf"]), seed=np.int64(2))
    mean = (again["blocked_in_institution_all_final"] + other["blocked_in_institution_all_final"]) / 2
    assert mean == pytest.approx(outcomes["blocked_in_institution_all_final"][0])


def test_ema_adapter_validates_targets():
    from abm.ema import ema_model
    from abm.sweep import DesignError

    with pytest.raises(DesignError, match="seek_rate"):
        ema_model("bad", uncertainties={"x": ("params.seek_rate", 0.0, 9.0)})
    with pytest.raises(ValueError, match="INDICATOR:GROUP:STATISTIC"):
        ema_model("bad", outcomes=["homeless"])
