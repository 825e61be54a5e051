"""The workshop app's components, rendered with ``solara.render`` (no browser): the controls
exist and change the model that Reset builds, the views redraw after a step, the language
switch changes the labels, and two sessions hold two models."""

from __future__ import annotations

import functools
import threading
import time

import ipyvuetify as v
import ipywidgets as w
import pytest
import solara

from abm.app import page as app_page
from abm.app.settings import WorkshopModel
from abm.app.state import LANG
from abm.app.texts import MEASURES
from abm.app.views import TABS


@pytest.fixture
def created(monkeypatch):
    """Every WorkshopModel built while the test runs (Page's first model, Reset, Apply)."""
    models = []
    init = WorkshopModel.__init__

    @functools.wraps(init)  # Mesa checks the signature of the model's __init__
    def record(self, *args, **kwargs):
        init(self, *args, **kwargs)
        models.append(self)

    monkeypatch.setattr(WorkshopModel, "__init__", record)
    return models


@pytest.fixture
def app(monkeypatch, created):
    monkeypatch.setenv("ABM_APP_REGION", "small")
    LANG.set("nl")
    box, rc = solara.render(solara.AppLayout(children=[app_page.Page()]), handle_error=False)
    yield rc
    LANG.set("nl")
    rc.close()


def button(rc, label: str):
    return rc.find(v.Btn, children=[label]).widget


def step(rc, label: str, model, months: int) -> None:
    """Press '+1 maand' or '+1 jaar' (they run in a thread) and wait until the step is drawn."""
    target = model.month + months
    button(rc, label).click()
    wait_until_done(rc, label, model, target)


def wait_until_done(rc, label: str, model, month: int) -> None:
    deadline = time.time() + 120
    while model.month < month or button(rc, label).disabled:
        assert time.time() < deadline, f"{label} did not finish"
        time.sleep(0.02)


def image(rc) -> bytes:
    images = rc.find(w.Image).widgets
    assert len(images) >= 1, "no chart drawn"
    return images[0].value


def test_controls_exist(app):
    for label in ("+1 maand", "+1 jaar", "Toepassen (reset)", "Reset", "Step"):
        button(app, label)
    for _, nl, *_ in MEASURES.values():
        app.find(v.Checkbox, label=nl).assert_single()
    app.find(v.Select, label="Regio").assert_single()
    app.find(v.Checkbox, label="Urgentie voor dak- en thuislozen").assert_single()
    app.find(v.Slider, label="Loting: aandeel van de vrijkomende woningen").assert_single()
    assert len(app.find(v.Tab).widgets) == len(TABS)


def test_measure_and_rule_reach_the_model_after_reset(app, created):
    assert [m.type for m in created[-1].measures] == []
    app.find(v.Checkbox, label="Flexwonen").widget.v_model = True
    app.find(v.Checkbox, label="Housing First").widget.v_model = True
    app.find(v.Slider, label="Loting: aandeel van de vrijkomende woningen").widget.v_model = 0.2
    app.find(v.Alert).assert_not_empty()  # 'press Apply or Reset'
    button(app, "Reset").click()  # Mesa's Reset rebuilds from the session's settings
    model = created[-1]
    assert sorted(m.type for m in model.measures) == ["flex_housing", "housing_first"]
    assert model.policy.lottery.enabled and model.policy.lottery.share == pytest.approx(0.2)
    assert "Toewijzing: loting 20 %" in status(app)  # the status line names the rules too
    assert model.month == 0
    assert not app.find(v.Alert).widgets
    app.find(v.Checkbox, label="Flexwonen").widget.v_model = False
    button(app, "Toepassen (reset)").click()
    assert [m.type for m in created[-1].measures] == ["housing_first"]


def test_views_redraw_after_steps(app, created):
    first = image(app)
    step(app, "+1 maand", created[-1], 1)
    assert created[-1].month == 1
    second = image(app)
    assert second != first
    button(app, "Step").click()  # Mesa's Step: one year
    assert created[-1].month == 13
    assert image(app) != second


def test_a_step_shows_it_is_busy(app, created):
    model, gate = created[-1], threading.Event()
    run = model.run
    model.run = lambda months: (gate.wait(60), run(months))  # hold the step until the checks are done
    button(app, "+1 jaar").click()
    try:
        assert all(button(app, label).disabled for label in ("+1 maand", "+1 jaar", "Toepassen (reset)"))
        app.find(v.ProgressLinear).assert_not_empty()
        app.find(v.Html, children=["Bezig met rekenen…"]).assert_not_empty()
    finally:
        gate.set()
    wait_until_done(app, "+1 jaar", model, 12)
    assert model.month == 12
    assert not button(app, "+1 jaar").disabled
    app.find(v.ProgressLinear).assert_empty()


def test_every_tab_draws(app, created):
    step(app, "+1 jaar", created[-1], 12)
    tabs = app.find(v.Tabs).widget
    seen = set()
    for i, _ in enumerate(TABS):
        tabs.v_model = i
        seen.add(image(app))
        assert_nothing_loads_from_a_cdn(app)
    assert len(seen) == len(TABS)
    tabs.v_model = TABS.index("tab_costs")  # the cost table: EUR million a year, package - baseline
    rows = cost_rows(app)
    assert rows[0] == ["", "Mijn pakket", "Basis (huidig beleid)", "verschil"]
    assert [r[0] for r in rows[1:]] == ["zorg en opvang", "wonen en maatregelen"]
    for _, package, baseline, difference in rows[1:]:
        p, b, d = (float(x.replace(",", "")) for x in (package, baseline, difference))
        assert p > 0 and b > 0 and d == pytest.approx(p - b, abs=0.11) and difference[0] in "+-"
    tabs.v_model = TABS.index("tab_network")
    before = image(app)
    button(app, "Vastgelopen uitstroom").click()
    assert image(app) != before


def test_language_switch_changes_labels(app):
    now = "Nu: jaar 0, maand 0 — januari 2021 (start 1 januari 2021)"
    assert status(app) == f"{now} — Maatregelen aan (0): geen"
    app.find(v.Html, tag="strong", children=[now]).assert_single()  # the date is bold
    assert_nothing_loads_from_a_cdn(app)
    app.find(v.BtnToggle).widget.v_model = 1  # EN
    button(app, "+1 year")
    assert status(app) == "Now: year 0, month 0 — January 2021 (start 1 January 2021) — Measures on (0): none"
    assert_nothing_loads_from_a_cdn(app)
    app.find(v.Checkbox, label="Flex housing").assert_single()
    assert "Waiting time" in [t.children[0] for t in app.find(v.Tab).widgets]
    app.find(v.BtnToggle).widget.v_model = 0
    button(app, "+1 jaar")


def test_two_sessions_have_their_own_model(monkeypatch, created):
    monkeypatch.setenv("ABM_APP_REGION", "small")
    _, a = solara.render(solara.AppLayout(children=[app_page.Page()]), handle_error=False)
    _, b = solara.render(solara.AppLayout(children=[app_page.Page()]), handle_error=False)
    model_a, model_b = created
    assert model_a is not model_b
    step(a, "+1 jaar", model_a, 12)
    assert (model_a.month, model_b.month) == (12, 0)
    step(b, "+1 maand", model_b, 1)
    assert (model_a.month, model_b.month) == (12, 1)
    a.close()
    b.close()


def text(widget) -> str:
    """The text a widget shows: its string children, and its widget children's, in order."""
    children = getattr(widget, "children", None) or []
    return "".join(c if isinstance(c, str) else text(c) for c in children)


def status(rc) -> str:
    """The status line above the tabs ('Nu: jaar 0, maand 0 — ... — Maatregelen aan (1): ...')."""
    return text(rc.find(v.Html, class_="abm-status").widget)


def assert_nothing_loads_from_a_cdn(rc) -> None:
    """No widget is a ``solara.Markdown``: its template loads KaTeX and Mermaid from Solara's CDN
    in the browser, a 404 offline (viz/README.md), so the page reports errors."""
    templates = [str(getattr(w, "template", "") or "") for w in rc.find(v.VuetifyTemplate).widgets]
    assert not [tpl for tpl in templates if "katex" in tpl or "getCdn" in tpl], "a Markdown widget is drawn"


def cost_rows(rc) -> list[list[str]]:
    table = rc.find(v.SimpleTable, class_="abm-costs").widget
    return [[text(cell) for cell in row.children] for part in table.children for row in part.children]


def sliders(rc, prefix: str) -> list:
    return [s for s in rc.find(v.Slider).widgets if s.label.startswith(prefix)]


def test_measure_start_year_and_size_reach_the_model(app, created):
    assert sliders(app, "Start: jaar") == []  # options only for measures that are on
    app.find(v.Checkbox, label="Flexwonen").widget.v_model = True
    (start,) = sliders(app, "Start: jaar")
    (size,) = sliders(app, "Flexwoningen")
    assert (start.v_model, size.v_model) == (0, 5_000)
    start.v_model = 2
    size.v_model = 20_000
    assert sliders(app, "Start: jaar 2 (januari 2023)")
    assert sliders(app, "Flexwoningen (landelijk, verdeeld naar inwonertal): 20.000 per jaar")
    button(app, "Toepassen (reset)").click()
    model = created[-1]
    (flex,) = model.measures
    assert (flex.type, flex.start, flex.units_per_year) == ("flex_housing", 24, 20_000)
    assert not flex.active(23) and flex.active(24)
    assert "Flexwonen (vanaf jaar 2; 20.000 per jaar)" in status(app)  # the status line tells what runs
    app.find(v.Checkbox, label="Flexwonen").widget.v_model = False  # off: its options go
    assert sliders(app, "Start: jaar") == []
    app.find(v.Checkbox, label="Flexwonen").widget.v_model = True
    assert [s.v_model for s in sliders(app, "Start: jaar")] == [0]
