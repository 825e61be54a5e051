"""Scenario files are validated data: each mistake gives one line naming the file and key."""

from __future__ import annotations

import pytest

from abm.scenarios import ScenarioError, load_scenario

GOOD = 'name = "t"\n[region]\ncorop = ["CR17"]\n'


@pytest.mark.parametrize(
    "text, fragments",
    [
        ('name = "t"\nyeras = 3\n[region]\ncorop = ["CR17"]\n', ["yeras", "did you mean 'years'"]),
        ('name = "t"\nyears = "ten"\n[region]\ncorop = ["CR17"]\n', ["years", "integer"]),
        ('name = "t"\nyears = 0\n[region]\ncorop = ["CR17"]\n', ["years", "greater than or equal to 1"]),
        ('name = "t"\n[region]\nmunicipalities = ["GM9999"]\n', ["GM9999", "unknown municipality code"]),
        (
            'name = "t"\n[region]\ncorop = ["CR17"]\n[params]\nseperation_rate = 0.1\n',
            ["seperation_rate", "did you mean 'separation_rate'"],
        ),
        ('name = "t"\n[region]\ncorop = ["CR17"]\n[params]\nseparation_rate = 3\n', ["separation_rate", "out of range"]),
        ('name = "t"\n[region]\ncorop = ["CR17"]\n[params]\nseparation_rate = "x"\n', ["separation_rate", "must be a number"]),
        ('name = "t"\n[region]\n', ["give exactly one of"]),
        ('name = "t"\n[region\n', ["not valid TOML"]),
    ],
)
def test_bad_files(tmp_path, text, fragments):
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(ScenarioError) as e:
        load_scenario(f)
    msg = str(e.value)
    assert str(f) in msg and "\n" not in msg
    for frag in fragments:
        assert frag in msg


def test_good_file_and_builtins(tmp_path):
    f = tmp_path / "good.toml"
    f.write_text(GOOD)
    s = load_scenario(f)
    assert s.years == 10 and s.region.corop == ["CR17"]
    assert len(load_scenario("utrecht").region.table()) == 26
    assert len(load_scenario("national").region.table()) == 352


def test_synthetic_region_scales_counts_and_keeps_shares():
    t = load_scenario("small").region.table()
    assert abs(t["households"].sum() - 5000) < 30
    full = load_scenario("utrecht").region.table()
    share = t["est_corporation_dwellings"].sum() / t["dwellings"].sum()
    assert share == pytest.approx(full["est_corporation_dwellings"].sum() / full["dwellings"].sum(), abs=0.01)


@pytest.mark.parametrize(
    "text, fragments",
    [
        ("[allocation.lotery]\nshare = 0.1\n", ["allocation.lotery", "did you mean 'lottery'"]),
        ("[allocation.lottery]\nshare = 1.5\n", ["allocation.lottery.share", "less than or equal to 1"]),
        ("[allocation.urgency]\nvacancy_shar = 0.5\n", ["allocation.urgency.vacancy_shar", "did you mean 'vacancy_share'"]),
        ('[allocation.refugees]\nmode = "sometimes"\n', ["allocation.refugees.mode", "share", "quota"]),
    ],
)
def test_bad_allocation_settings(tmp_path, text, fragments):
    f = tmp_path / "bad.toml"
    f.write_text(GOOD + text)
    with pytest.raises(ScenarioError) as e:
        load_scenario(f)
    msg = str(e.value)
    assert "\n" not in msg
    for frag in fragments:
        assert frag in msg, msg


def test_seniority_only_scenario_matches_the_policy_shortcut():
    from abm.allocation import AllocationPolicy

    s = load_scenario("seniority_only")
    assert AllocationPolicy.model_validate(s.allocation) == AllocationPolicy.seniority_only()


def test_policy_round_trips_through_plain_dicts():
    from abm.allocation import AllocationPolicy

    p = AllocationPolicy(lottery={"enabled": True, "share": 0.2})
    assert AllocationPolicy.model_validate(p.to_dict()) == p
