"""The app's offline set-up stays as checked (see viz/README.md): pinned versions, the front-end
assets installed locally, and ``abm app`` serving them itself in production mode."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from abm.app.launch import OFFLINE_ENV, app_target, server_command, server_env
from abm.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_pinned_versions_are_installed():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for pin in ("solara==1.64.1", "solara-assets==1.58.2", "ipyvuetify>=1.6.10,<2", "ipyvue>=1.9,<2"):
        assert pin in deps, pin
    assert version("solara") == "1.64.1"
    assert version("solara-assets") == "1.58.2"
    assert version("ipyvuetify").startswith("1.") and version("ipyvue").startswith("1.")  # Vue 2 front end


def test_front_end_assets_are_local():
    from solara.server import settings

    app_js = Path(settings.assets.proxy_cache_dir) / "@widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js"
    assert app_js.is_file(), f"missing {app_js}: reinstall solara-assets==1.58.2"


def test_server_command_is_offline_safe():
    cmd = server_command("127.0.0.1", 8765)
    assert cmd[1:4] == ["-m", "solara", "run"] and "--production" in cmd
    assert app_target() == str(ROOT / "viz" / "app.py")
    env = server_env("small")
    assert env["SOLARA_ASSETS_PROXY"] == "true" and env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert env["ABM_APP_REGION"] == "small"
    assert set(OFFLINE_ENV) <= set(env)


def test_app_command_rejects_bad_flags(capsys):
    for args in (["app", "--port", "0"], ["app", "--port", "x"], ["app", "--region", "nowhere"]):
        assert main(args) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: abm app:") and "\n" not in err
