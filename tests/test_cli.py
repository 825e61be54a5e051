"""The command line: help, a small run, and one-line errors with exit code 2, nothing written."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from abm.cli import main


def test_help_lists_every_command():
    r = subprocess.run([sys.executable, "-m", "abm.cli", "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    for cmd in ("run", "bench", "scenarios", "params"):
        assert cmd in r.stdout
    r = subprocess.run([sys.executable, "-m", "abm.cli", "run", "--help"], capture_output=True, text=True)
    assert "--scenario" in r.stdout and "--years" in r.stdout and "--seed" in r.stdout and "--out" in r.stdout


def test_run_writes_the_contract(tmp_path, capsys):
    out = tmp_path / "res"
    assert main(["run", "--scenario", "small", "--years", "1", "--seed", "2", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "households" in printed and "wrote" in printed
    df = pd.read_parquet(out / "indicators.parquet")
    assert list(df.columns) == ["month", "municipality", "group", "indicator", "value"]
    assert df["month"].min() == 0 and df["month"].max() == 12
    assert (out / "run.json").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".abm-run-")]


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["run", "--scenario", "atlantis"], "unknown scenario 'atlantis'"),
        (["run", "--years", "-1"], "--years must be in [1, 50]"),
        (["run", "--years", "ten"], "--years must be an integer"),
        (["run", "--seed", "-5"], "--seed must be in"),
        (["run", "--bogus"], "unrecognized arguments"),
        (["fly"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, fragment, tmp_path, capsys):
    assert main([*args, "--out", str(tmp_path / "x")] if args[0] == "run" and "--bogus" not in args else args) == 2
    err = capsys.readouterr().err.strip()
    assert fragment in err and "\n" not in err
    assert not (tmp_path / "x").exists()


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["run", "--scenario", "small", "--years", "1", "--out", str(blocker / "sub" / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --out") and "\n" not in err
    assert main(["run", "--scenario", "small", "--years", "1", "--out", str(blocker)]) == 2
    assert blocker.read_text() == "not a folder"


def test_bad_scenario_file_exits_2(tmp_path, capsys):
    f = tmp_path / "s.toml"
    f.write_text('name = "x"\nyeras = 3\n[region]\ncorop = ["CR17"]\n')
    assert main(["run", "--scenario", str(f), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "yeras" in err and "did you mean 'years'" in err
    assert not (tmp_path / "o").exists()


def test_scenarios_and_params_listings(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert "utrecht" in out and "national" in out
    assert main(["params"]) == 0
    assert "mortality_multiplier" in capsys.readouterr().out
