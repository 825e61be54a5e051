"""docs/ODD.md must describe the code: its parameter table equals the one in abm/params.py."""

from pathlib import Path

from abm.params import Params, markdown_table

ROOT = Path(__file__).resolve().parent.parent


def test_odd_parameter_table_matches_code():
    text = (ROOT / "docs" / "ODD.md").read_text()
    table = text.split("<!-- params:start -->")[1].split("<!-- params:end -->")[0].strip()
    assert table == markdown_table(), "run: python scripts/sync_odd_params.py"
    for name in Params.names():
        assert f"`{name}`" in table


def test_odd_policy_table_matches_code():
    from abm.allocation.policy import markdown_table as policy_table

    text = (ROOT / "docs" / "ODD.md").read_text()
    table = text.split("<!-- policy:start -->")[1].split("<!-- policy:end -->")[0].strip()
    assert table == policy_table(), "run: python scripts/sync_odd_params.py"


def test_odd_measures_table_matches_code():
    from abm.policies.base import markdown_table as measures_table

    text = (ROOT / "docs" / "ODD.md").read_text()
    table = text.split("<!-- measures:start -->")[1].split("<!-- measures:end -->")[0].strip()
    assert table == measures_table(), "run: python scripts/sync_odd_params.py"


def test_odd_names_every_phase_and_readme_every_indicator():
    from abm.indicators import INDICATOR_NAMES
    from abm.model import PHASES

    odd = (ROOT / "docs" / "ODD.md").read_text()
    for phase in PHASES:
        assert f"**{phase}**" in odd
    readme = (ROOT / "README.md").read_text()
    for name in INDICATOR_NAMES:
        assert f"`{name}`" in readme, name
