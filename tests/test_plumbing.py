"""Plumbing that cannot produce wrong files (issue 10, section 5): TOML written by a library and
round-tripped, ``Params`` validated by pydantic with the scenarios' error format, ``HousingModel``
inside Mesa's ``SolaraViz`` including Reset, and a report that leaves matplotlib as it found it."""

from __future__ import annotations

import dataclasses
import functools
import math
import pickle
import tomllib

import ipyvuetify as v
import matplotlib
import pytest
import solara
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mesa.visualization import SolaraViz

from abm.model import HousingModel
from abm.params import RANGES, Params, _p
from abm.scenarios import ScenarioError, load_scenario, parse_scenario, scenario_to_toml, to_toml
from abm.sweep.design import design_to_toml, load_design, parse_design

# -- TOML ------------------------------------------------------------------------------------------
# Any text: quotes, backslashes, newlines, tabs, control characters and any unicode (no surrogates).
NASTY = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30) | st.sampled_from(
    ['"', "\\", '\\"', "a\nb", "'''", '"""', "\r\n", "\t", "é ü ß 漢字 🏠", "\x00\x1f\x7f", "[x]", "a = 1", "#"]
)
SCALAR = NASTY | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False)
TREE = st.recursive(
    SCALAR,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(NASTY, inner, max_size=3)
        | st.lists(st.dictionaries(NASTY, inner, max_size=3), min_size=1, max_size=3)
    ),  # arrays of tables
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(NASTY, TREE, max_size=5))
def test_any_nested_data_round_trips_through_toml(data):
    assert tomllib.loads(to_toml(data)) == data


def test_none_is_left_out_at_every_depth():
    data = {"a": None, "t": {"b": None, "c": 1}, "arr": [{"d": None, "e": "x"}]}
    assert tomllib.loads(to_toml(data)) == {"t": {"c": 1}, "arr": [{"e": "x"}]}


PARAM_FIELDS = {f.name: f for f in dataclasses.fields(Params)}


@st.composite
def scenario_dicts(draw) -> dict:
    """A valid scenario with awkward text in every free string and every kind of table."""
    names = draw(st.lists(st.sampled_from(sorted(PARAM_FIELDS)), max_size=4, unique=True))
    params = {}
    for n in names:
        f = PARAM_FIELDS[n]
        lo, hi = f.metadata["lo"], f.metadata["hi"]
        lo = -1e9 if lo is None else lo
        hi = 1e9 if hi is None else hi
        params[n] = draw(st.integers(math.ceil(lo), math.floor(hi)) if isinstance(f.default, int) else st.floats(lo, hi))
    # The labour-migrant shares must sum to at most 1 with the other's default (a cross-field check).
    for n, other in (
        ("labour_migrant_short_share", "labour_migrant_contract_share"),
        ("labour_migrant_contract_share", "labour_migrant_short_share"),
    ):
        if n in params:
            params[n] = min(params[n], 1 - params.get(other, PARAM_FIELDS[other].default))
    # The ends of a uniform draw must stay ordered (Params.RANGES): drop a drawn end that crosses the other.
    for lo, hi in RANGES:
        while params.get(lo, PARAM_FIELDS[lo].default) > params.get(hi, PARAM_FIELDS[hi].default):
            params.pop(lo if lo in params else hi)
    allocation = {
        "lottery": {"enabled": draw(st.booleans()), "share": draw(st.floats(0, 1))},
        "refugees": {"mode": draw(st.sampled_from(["share", "number", "quota"]))},
    }
    measures = [
        {"type": "allocation_settings", "start": draw(st.integers(0, 12)), "settings": {"urgency": {"homeless": draw(st.booleans())}}},
        {"type": "flex_housing"},
    ]
    if draw(st.booleans()):
        measures.append({"type": "allocation_settings", "end": 24, "settings": {"lottery": {"enabled": True}}})
    return {
        "name": draw(NASTY),
        "description": draw(NASTY),
        "years": draw(st.integers(1, 50)),
        "seed": draw(st.integers(0, 2**31)),
        "region": {"corop": ["CR17"], "households": draw(st.integers(200, 100_000))},
        "params": params,
        "allocation": allocation,
        "measures": measures,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_dicts())
def test_scenario_round_trips_through_a_file(tmp_path_factory, data):
    s = parse_scenario(data, "generated")
    path = tmp_path_factory.mktemp("rt") / "s.toml"
    path.write_text(scenario_to_toml(s), encoding="utf-8")
    assert load_scenario(str(path)) == s


def test_sweep_design_round_trips_with_awkward_text(tmp_path):
    data = {
        "name": 'he said "hi"\nthen \\left',
        "description": "ünïcödé — 'x' \t",
        "base": "small",
        "seeds": 2,
        "factors": [{"target": "params.seek_rate", "low": 0.01, "high": 0.03}],
        "outputs": {"indicators": ["homeless"]},
    }
    design, _ = parse_design(data, "generated", tmp_path)
    path = tmp_path / "design.toml"
    path.write_text(design_to_toml(design), encoding="utf-8")
    assert load_design(path)[0] == design


# -- Params ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_params_reject_nan_and_infinity(bad):
    with pytest.raises(ValueError, match=r"params\.seek_rate: .*finite"):
        Params().with_overrides({"seek_rate": bad})
    with pytest.raises(ValueError, match="seek_rate"):
        Params(seek_rate=bad)
    for other in (True, "0.5", None, [0.5]):  # and still no booleans, text or lists
        with pytest.raises(ValueError, match=r"params\.seek_rate: must be a number"):
            Params().with_overrides({"seek_rate": other})


def test_params_constructor_and_replace_are_validated():
    with pytest.raises(ValueError, match=r"seek_rate: 5\.0? is out of range \[0, 1\]"):
        Params(seek_rate=5)
    with pytest.raises(ValueError, match="max_extra_rooms"):
        dataclasses.replace(Params(), max_extra_rooms=-1)


def test_integers_are_not_truncated():
    with pytest.raises(ValueError, match=r"params\.max_extra_rooms: .*fractional part"):
        Params().with_overrides({"max_extra_rooms": 2.5})
    p = Params().with_overrides({"max_extra_rooms": 3.0})  # pydantic's lax int mode: a whole float is that int
    assert p.max_extra_rooms == 3 and type(p.max_extra_rooms) is int
    assert type(Params().with_overrides({"seek_rate": 1}).seek_rate) is float


def test_params_errors_have_the_scenario_format(tmp_path):
    """One format: WHERE: KEY: problem, and 'unknown key; did you mean ...' for a misspelt name."""
    with pytest.raises(ValueError) as e:
        Params().with_overrides({"seperation_rate": 0.1}, where="x.toml: params")
    assert str(e.value) == "x.toml: params.seperation_rate: unknown key; did you mean 'separation_rate'?"
    f = tmp_path / "s.toml"
    f.write_text('name = "t"\n[region]\ncorop = ["CR17"]\n[params]\nseperation_rate = 0.1\n')
    with pytest.raises(ScenarioError) as s:
        load_scenario(str(f))
    assert str(s.value) == f"{f}: params.seperation_rate: unknown key; did you mean 'separation_rate'?"
    f.write_text('name = "t"\nyeras = 3\n[region]\ncorop = ["CR17"]\n')
    with pytest.raises(ScenarioError) as s:
        load_scenario(str(f))
    assert str(s.value) == f"{f}: yeras: unknown key; did you mean 'years'?"


def test_new_parameters_in_the_declaration_syntax_are_validated():
    @dataclasses.dataclass(frozen=True)
    class More(Params):
        extra_rate: float = _p(0.5, "1/yr", "a test", "M", 0, 1)
        extra_count: int = _p(2, "homes", "a test", "M", 0, 10)

    assert More().extra_rate == 0.5 and More().with_overrides({"extra_count": 4}).extra_count == 4
    with pytest.raises(ValueError, match="extra_rate"):
        More().with_overrides({"extra_rate": 2.0})
    with pytest.raises(ValueError, match="extra_count"):
        More(extra_count=1.5)

    @dataclasses.dataclass(frozen=True)
    class BadDefault(Params):
        share_above_one: float = _p(1.5, "share", "a typo in a new line", "M", 0, 1)

    with pytest.raises(ValueError, match=r"share_above_one: 1\.5 is out of range \[0, 1\]"):
        BadDefault()


def test_params_keep_the_dataclass_api_hash_and_pickle_and_validate_it():
    with pytest.raises(ValueError, match="seek_rate"):
        dataclasses.replace(Params(), seek_rate=float("nan"))
    p = Params().with_overrides({"seek_rate": 0.03, "max_extra_rooms": 1})
    q = pickle.loads(pickle.dumps(p))
    assert q == p and hash(q) == hash(p) and q != Params()
    assert dataclasses.asdict(p)["seek_rate"] == 0.03 == p.as_dict()["seek_rate"]
    assert [f.name for f in dataclasses.fields(p)] == Params.names()
    assert dataclasses.replace(p, seek_rate=0.04).seek_rate == 0.04
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.seek_rate = 0.5  # type: ignore[misc]


# -- SolaraViz ---------------------------------------------------------------------------------------
def test_housing_model_in_solaraviz_resets_to_the_chosen_scenario(monkeypatch):
    built: list[HousingModel] = []
    init = HousingModel.__init__

    @functools.wraps(init)  # Mesa reads the signature of __init__
    def record(self, *args, **kwargs):
        init(self, *args, **kwargs)
        built.append(self)

    monkeypatch.setattr(HousingModel, "__init__", record)
    first = HousingModel(scenario="small", rng=1)
    page = SolaraViz(first, components=[], model_params={"scenario": "small", "rng": 1, "params": {"seek_rate": 0.03}})
    _, rc = solara.render(solara.AppLayout(children=[page]), handle_error=False)
    try:
        rc.find(v.Btn, children=["Reset"]).widget.click()
        rc.find(v.Alert).assert_empty()  # Mesa shows a failed Reset as an error alert
    finally:
        rc.close()
    assert len(built) == 2
    again = built[1]
    assert again is not first and again.scenario_name == "small" and again.params.seek_rate == 0.03
    assert again.world.hh.n == first.world.hh.n  # the small region again, not the default one


# -- report --------------------------------------------------------------------------------------------
def test_report_leaves_matplotlib_backend_and_style_alone(tmp_path):
    from abm.compare import cost_table, differences, run_scenarios, summarise
    from abm.report import write_html

    frame = run_scenarios(["small", "small"], seeds=1, years=1)
    original = matplotlib.get_backend()
    matplotlib.use("pdf")  # a caller's backend that is not the report's Agg
    try:
        _build_report(tmp_path, frame, write_html, summarise, differences, cost_table)
    finally:
        matplotlib.use(original)


def _build_report(tmp_path, frame, write_html, summarise, differences, cost_table):
    with matplotlib.rc_context({"font.size": 13.0, "axes.spines.top": True, "svg.fonttype": "path"}):
        backend = matplotlib.get_backend()
        before = dict(matplotlib.rcParams)
        path = write_html(tmp_path / "r.html", summarise(frame), differences(frame, "small"), cost_table(frame), {"seeds": [1], "years": 1})
        after = dict(matplotlib.rcParams)
        assert matplotlib.get_backend() == backend
        assert {k for k in before if before[k] != after[k]} == set()
    page = path.read_text(encoding="utf-8")
    assert "<svg" in page and "<text" in page  # the report's own style (text kept as text) still applies


def test_sweep_over_an_integer_parameter_needs_whole_values(tmp_path):
    """Points between the ends of a range were truncated to an int parameter; now the design is refused."""
    from abm.sweep.design import DesignError

    data = {"name": "x", "base": "small", "seeds": 1, "factors": [{"target": "params.max_extra_rooms", "low": 0, "high": 4}]}
    with pytest.raises(DesignError, match=r"max_extra_rooms.*fractional part"):
        parse_design(data, "design.toml", tmp_path)
    data["factors"][0]["integer"] = True
    assert parse_design(data, "design.toml", tmp_path)[0].factors[0].integer
