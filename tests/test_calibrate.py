"""``abm calibrate``: a tiny calibration end to end, resuming, input errors, the optimiser on a
synthetic objective, and the record in the source tree (issue 11, section 5)."""

from __future__ import annotations

import ast
import json
import shutil
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest

from abm import steady
from abm.calibrate import NAN_Z, _p_call, apply_record, calibration_targets, loss, optimise, screenable, set_default
from abm.cli import main
from abm.params import Params
from abm.validate import load_targets

ROOT = Path(__file__).resolve().parent.parent
TINY = [
    "calibrate",
    "--regions",
    "u16",
    "--households",
    "600",
    "--seeds",
    "1",
    "--k",
    "1",
    "--candidates",
    "seek_give_up_rate,arrears_exit_rate",
    "--trajectories",
    "2",
    "--drift-years",
    "2",
    "--drift-households",
    "600",
    "--quiet",
]


def _meta(name: str):
    return {f.name: f for f in fields(Params)}[name]


def test_tiny_calibration_writes_the_record_and_resumes(tmp_path, capsys):
    out = tmp_path / "cal"
    assert main([*TINY, "--trials", "2", "--out", str(out)]) == 0
    for name in ("study.db", "settings.json", "morris.csv", "morris_targets.csv", "trials.csv", "calibration.csv", "calibration.md"):
        assert (out / name).is_file(), name
    morris = pd.read_csv(out / "morris.csv")
    assert set(morris["parameter"]) == {"seek_give_up_rate", "arrears_exit_rate"}
    assert morris["selected"].sum() == 1 and morris.loc[morris["selected"], "rank"].item() == 1
    rec = pd.read_csv(out / "calibration.csv")
    assert len(rec) == 1 and rec["status"].item() == "C"
    chosen = rec["parameter"].item()
    assert chosen == morris.loc[morris["rank"] == 1, "parameter"].item()  # the fitted one is the top-ranked one
    trials = pd.read_csv(out / "trials.csv")
    assert list(trials["trial"]) == [0, 1]
    assert trials.loc[0, chosen] == pytest.approx(_meta(chosen).default)  # trial 0 = the defaults ("before")
    feasible = trials[trials["feasible"]]  # the drift constraint met (trial 0 if none)
    best = feasible["loss"].idxmin() if len(feasible) else 0
    assert rec["value"].item() == pytest.approx(trials.loc[best, chosen], rel=1e-3)
    md = (out / "calibration.md").read_text()
    assert "Loss per target, before and after" in md and "Targets never fitted to" in md and "`u16_turnover`" in md
    kept = json.loads((out / "settings.json").read_text())
    assert kept["defaults"] == {n: _meta(n).default for n in ("seek_give_up_rate", "arrears_exit_rate")}
    d = _meta("arrears_exit_rate").default
    assert kept["boxes"]["arrears_exit_rate"] == [d / 4, min(1.0, d * 4)]  # [default / span, default * span] within the _p bounds [0, 1]
    by_target = pd.read_csv(out / "loss_by_target.csv")
    assert by_target["loss_before"].sum() == pytest.approx(trials.loc[0, "loss"])
    # the drift term: the four steady-state series of the drift region's runs are in the loss and the record
    drift = by_target[by_target["target_id"].str.startswith("drift_")]
    assert set(drift["target_id"]) == {f"drift_{k}" for k in steady.DRIFT_SERIES}
    assert (drift["region"] == "CR17").all()
    stocks = drift[drift["target_id"] != "drift_wait_regular"]
    assert stocks["model_before"].between(0.5, 2).all()  # ratios of yearly means of stocks
    # the registration time at letting is a median of lettings: undefined in a year without any at this tiny scale,
    # and then scored as an undefined metric (NAN_Z), as the targets are
    wait = drift[drift["target_id"] == "drift_wait_regular"].iloc[0]
    assert wait["model_before"] > 0 or (wait["model_before"] != wait["model_before"] and wait["z_before"] == NAN_Z)
    assert "Drift term" in md and "`drift_waiting`" in md
    capsys.readouterr()

    # A second call continues the same study: the first trials are kept, one is added, the ranking is not re-run.
    morris_mtime = (out / "morris_points.json").stat().st_mtime_ns
    assert main([*TINY, "--trials", "3", "--out", str(out)]) == 0
    again = pd.read_csv(out / "trials.csv")
    assert list(again["trial"]) == [0, 1, 2]
    pd.testing.assert_frame_equal(again.iloc[:2], trials)
    assert (out / "morris_points.json").stat().st_mtime_ns == morris_mtime

    # ... but not with settings that change the loss: one line, exit 2, nothing changed.
    settings = (out / "settings.json").read_text()
    capsys.readouterr()
    assert main([*TINY, "--trials", "3", "--out", str(out), "--seeds", "2"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--seeds" in err
    assert (out / "settings.json").read_text() == settings


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["--regions", "atlantis"], "--regions"),
        (["--k", "0"], "--k"),
        (["--k", "5", "--candidates", "seek_give_up_rate,arrears_exit_rate"], "--k"),
        (["--span", "0.5"], "--span"),
        (["--span", "nan"], "--span"),
        (["--candidates", "seek_give_up_rate,birth_rate"], "--candidates"),  # status D, not M
        (["--candidates", "nonsense"], "--candidates"),
        (["--executor", "cloud"], "--executor"),
        (["--households", "many"], "--households"),
        (["--trials", "-1"], "--trials"),
        (["--years", "11"], "--years"),
        (["--drift-years", "1"], "--drift-years"),
        (["--drift-years", "31"], "--drift-years"),
        (["--drift-region", "CR99"], "--drift-region"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv, field, tmp_path, capsys):
    out = tmp_path / "x"
    assert main(["calibrate", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and field in err
    assert not out.exists()  # nothing half-written


def test_out_is_a_file_exits_2(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    assert main([*TINY, "--out", str(f)]) == 2
    assert "--out" in capsys.readouterr().err


def test_optimiser_recovers_a_known_parameter(tmp_path):
    """On a synthetic objective with a known minimum (three parameters) the study finds it within
    0.03 in 80 trials. It fails with a sampler that ignores the objective: Optuna's RandomSampler
    in its place meets this in 0 of 5 seeds (the TPE sampler in 4 of 5; seed 1 is one of them)."""
    target = {"x": 0.3, "y": 0.7, "w": 0.45}

    def objective(p):
        z = {k: (p[k] - v) / 0.02 for k, v in target.items()}
        return loss(z), {"z": z}

    storage = f"sqlite:///{tmp_path / 'study.db'}"
    start = {"x": 0.9, "y": 0.1, "w": 0.9}
    study = optimise(objective, {k: (0.0, 1.0) for k in target}, 80, storage, seed=1, start=start)
    best = study.best_params
    assert all(abs(best[k] - v) < 0.03 for k, v in target.items()), best
    assert study.trials[0].params == start  # the start is trial 0
    assert study.best_value < study.trials[0].value / 100


def test_calibration_targets_are_the_documented_subset():
    t = load_targets()
    used = calibration_targets(t, ["u16", "rotterdam"], years=1)
    ids = set(used["target_id"])
    assert {"u16_turnover", "u16_registration", "u16_seekers", "u16_success", "rot_registration_regular", "rot_urgency"} <= ids
    assert {"nl_homeless_per_10k", "nl_evictions", "nl_arrears", "nl_womens_shelter", "nl_homeless_change_2022"} <= ids
    # never: other regions, national market and demography, the 36-month change in a 1-year run
    assert not ids & {"ams_turnover", "nl_turnover", "nl_moves", "nl_household_growth", "nl_homeless_g4_share", "nl_homeless_change_2024"}
    assert "nl_homeless_change_2024" in set(calibration_targets(t, ["u16"], years=4)["target_id"])
    assert loss({"a": 2.0, "b": -1.0}) == 5.0 and NAN_Z > 3


def test_set_default_rewrites_only_that_parameter():
    text = (ROOT / "abm" / "params.py").read_text()
    new = set_default(text, "seek_give_up_rate", 0.0234, "calibrated to u16_turnover; was M: a long source " + "word " * 40)
    call = _p_call("seek_give_up_rate", new)
    assert ast.literal_eval(call.args[0]) == 0.0234 and ast.literal_eval(call.args[3]) == "C"
    assert ast.literal_eval(call.args[2]).startswith("calibrated to u16_turnover")
    assert [ast.unparse(a) for a in call.args[4:]] == [ast.unparse(a) for a in _p_call("seek_give_up_rate", text).args[4:]]
    assert max(len(li) for li in new.splitlines()) <= 140
    # every other parameter's call is unchanged
    for f in fields(Params):
        if f.name != "seek_give_up_rate":
            assert ast.unparse(_p_call(f.name, new)) == ast.unparse(_p_call(f.name, text))


def test_apply_record_writes_defaults_flags_and_docs(tmp_path):
    for rel in ("abm/params.py", "abm/data/targets.csv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    (tmp_path / "docs").mkdir()
    params = pd.DataFrame([{"parameter": "arrears_exit_rate", "value": 0.31, "main_targets": "nl_arrears;nl_evictions", "status": "C"}])
    apply_record(tmp_path, params, ["nl_arrears", "u16_turnover"], "# record\n")
    call = _p_call("arrears_exit_rate", (tmp_path / "abm/params.py").read_text())
    assert ast.literal_eval(call.args[0]) == 0.31 and ast.literal_eval(call.args[3]) == "C"
    assert "nl_arrears" in ast.literal_eval(call.args[2]) and "abm/data/calibration.csv" in ast.literal_eval(call.args[2])
    t = pd.read_csv(tmp_path / "abm/data/targets.csv")
    assert set(t.loc[t["used_for_calibration"], "target_id"]) == {"nl_arrears", "u16_turnover"}
    assert list(t.columns) == list(pd.read_csv(ROOT / "abm/data/targets.csv").columns)
    assert (tmp_path / "docs/calibration.md").read_text() == "# record\n"
    assert len(pd.read_csv(tmp_path / "abm/data/calibration.csv")) == 1


def test_committed_record_matches_the_parameters():
    """Every fitted value in abm/data/calibration.csv is that parameter's default with status C,
    and the targets marked used_for_calibration are named in docs/calibration.md."""
    path = ROOT / "abm" / "data" / "calibration.csv"
    if not path.exists():
        pytest.skip("no calibration applied yet")
    rec = pd.read_csv(path)
    for _, r in rec.iterrows():
        f = _meta(r["parameter"])
        assert f.metadata["status"] == "C" and f.default == pytest.approx(r["value"]), r["parameter"]
        assert "abm/data/calibration.csv" in f.metadata["source"]
    assert set(rec["parameter"]) <= set(screenable())  # a re-run of the calibration screens them again
    md = (ROOT / "docs" / "calibration.md").read_text()
    used = load_targets().query("used_for_calibration")["target_id"]
    assert len(used) > 0 and all(f"`{t}`" in md for t in used)


def test_drift_z_scores_the_yearly_drift_against_the_steady_state_band():
    # a waiting list at the edge of its ten-year band is |z| = 1; the same yearly drift over five years too
    assert steady.drift_z({"waiting": 1.15}, 10)["waiting"] == pytest.approx(1.0)
    assert steady.drift_z({"waiting": 0.85}, 10)["waiting"] == pytest.approx(-1.0)
    assert steady.drift_z({"waiting": 1.15 ** (4 / 9)}, 5)["waiting"] == pytest.approx(1.0)
    # the household band is not centred on 1 (construction adds homes): no growth is below its centre
    assert steady.drift_z({"households": 1.0}, 10)["households"] < 0
    # twice the drift, twice the z (in logs); an undefined ratio is NaN (the loss counts it as NAN_Z)
    z1, z2 = steady.drift_z({"living_in": 1.1}, 10)["living_in"], steady.drift_z({"living_in": 1.1**2}, 10)["living_in"]
    assert z2 - steady.drift_z({"living_in": 1.0}, 10)["living_in"] == pytest.approx(
        2 * (z1 - steady.drift_z({"living_in": 1.0}, 10)["living_in"])
    )
    assert steady.drift_z({}, 10)["waiting"] != steady.drift_z({}, 10)["waiting"]


def test_optimiser_keeps_to_the_constraint(tmp_path):
    """The drift constraint: the unconstrained minimum (x = 0.3) lies where the constraint fails
    (x < 0.5), so the chosen trial is the best feasible one, near x = 0.5, not the lowest loss."""
    from abm.calibrate import best_trial, feasible

    def objective(p):
        z = {"x": (p["x"] - 0.3) / 0.02}
        return loss(z), {"z": z, "constraints": [0.5 - p["x"]]}

    study = optimise(objective, {"x": (0.0, 1.0)}, 40, f"sqlite:///{tmp_path / 'study.db'}", seed=1, start={"x": 0.9})
    done = [t for t in study.trials if t.state.name == "COMPLETE"]
    best = best_trial(study)
    assert feasible(best) and 0.5 <= best.params["x"] < 0.6
    assert min(t.value for t in done) < best.value  # an infeasible trial had a lower loss and was not chosen
    assert sum(feasible(t) for t in done) > len(done) / 2  # the constrained sampler proposes mostly feasible points
