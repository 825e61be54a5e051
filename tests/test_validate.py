"""``abm validate``: the report's structure (quick variant), Little's law bookkeeping, and that
following the waiting list changes nothing in the model."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from abm import HousingModel
from abm.cli import main
from abm.validate import CHAIN_METRICS, EXIT_KINDS, REGIONS, WaitingListTracker, little, load_targets, metrics, run_baseline, tolerance


def test_targets_table_is_complete_and_uncalibrated():
    t = load_targets()
    assert list(t.columns) == [
        "target_id",
        "description",
        "region",
        "metric",
        "value",
        "unit",
        "year",
        "source",
        "status",
        "tolerance",
        "used_for_calibration",
    ]
    assert t["target_id"].is_unique
    assert set(t["status"]) <= {"V", "D"}  # no unverified (M) figure is a target
    assert set(t["region"]) <= set(REGIONS)
    assert t["used_for_calibration"].dtype == bool  # true for the targets abm calibrate fitted to (docs/calibration.md)
    assert t["source"].str.len().min() > 10
    # Every metric named in the table is computed by a run.
    r = run_baseline("utrecht_city", seed=1, months=37, households=3000)
    assert set(t["metric"]) <= set(metrics(r["series"], slice(1, 13))) | set(CHAIN_METRICS)
    # the chain metrics: new builds of year 1 followed to the end (CBS: a year's new builds over three years)
    assert set(r["chains"]) == set(CHAIN_METRICS) and all(np.isfinite(v) for v in r["chains"].values()), r["chains"]
    assert r["chains"]["chain_vacated_per_new_build"] >= r["chains"]["chain_first_link_per_new_build"] > 0
    assert tolerance(10.0, "25%") == pytest.approx(2.5) and tolerance(0.3, "0.08") == pytest.approx(0.08)


def test_quick_report_structure(tmp_path, capsys):
    out = tmp_path / "docs"
    # regions of 5,000 households instead of --quick's 20,000: the structure is the same, at a quarter of the time
    assert main(["validate", "--quick", "--households", "5000", "--seeds", "2", "--years", "3", "--out", str(out)]) == 0
    md = (out / "validation.md").read_text()
    data = json.loads((out / "validation" / "validation.json").read_text())
    targets = load_targets()
    rows = pd.DataFrame(data["targets"])
    assert list(rows["target_id"]) == list(targets["target_id"])  # every target has a row
    for tid in targets["target_id"]:
        assert f"`{tid}`" in md
    ran = rows[rows["seeds"] > 0]
    national_only = targets["metric"].isin(["homeless_g4_share", *CHAIN_METRICS])
    assert len(ran) >= len(rows) - national_only.sum()  # the G4 share and the chains need a national run
    assert (ran["model_p10"] <= ran["model_median"] + 1e-12).all() and (ran["model_median"] <= ran["model_p90"] + 1e-12).all()
    assert ran["within_tolerance"].isin([True, False]).all()
    assert "never fitted" in md and "no national run" in md
    for png in ("targets.png", "series.png", "little.png"):
        assert (out / "validation" / png).stat().st_size > 1000
    lt = pd.DataFrame(data["little"])
    assert set(lt["region"]) == set(REGIONS) - {"national"}
    assert lt["matches_indicator"].all() and lt["flow_balance"].all()


@pytest.mark.parametrize(
    "argv",
    [["validate", "--seeds", "0"], ["validate", "--regions", "atlantis"], ["validate", "--bogus"], ["validate", "--years", "x"]],
)
def test_bad_input_exits_2_with_one_line(argv, capsys, tmp_path):
    assert main([*argv, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error:")
    assert not (tmp_path / "x").exists()


def test_following_the_waiting_list_changes_nothing():
    plain = HousingModel(corop=["CR17"], households=3000, rng=4)
    plain.run(14)
    followed = HousingModel(corop=["CR17"], households=3000, rng=4)
    tracker = WaitingListTracker(followed)
    for _ in range(14):
        followed.step()
        tracker.observe()
    pd.testing.assert_frame_equal(plain.indicators(), followed.indicators())


def test_littles_law_bookkeeping_counts_every_exit():
    r = run_baseline("rotterdam", seed=2, months=24, households=4000)
    assert r["little"]["matches_indicator"]  # the followed list is the `waiting` indicator, every group, every month
    lw = little(r)
    for group, v in lw.items():
        assert v["flow_balance"], group
    allv = lw["all"]
    assert allv["exits"]["left_group"] == 0  # the whole list has no group to leave
    lettings = r["series"]["allocations"][1:].sum()
    assert 0 < allv["exits"]["letting"] <= lettings  # some lettings go to households not on the list (direct placements)
    # Exits other than lettings exist and are counted: giving up, moving elsewhere, leaving, dying.
    assert sum(allv["exits"][k] for k in EXIT_KINDS if k != "letting") > 0.2 * allv["exits"]["letting"]
    assert allv["W"] > 0 and np.isfinite(allv["gap"])
