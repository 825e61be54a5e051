"""``abm app``: start the workshop app's server, offline-safe.

Runs ``solara run viz/app.py --production`` (or the packaged ``abm.app.page`` if the repository's
``viz/`` folder is not there) with the front-end assets served by the server itself
(``SOLARA_ASSETS_PROXY=true``) and telemetry off, so the page works with no internet connection.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

OFFLINE_ENV = {"SOLARA_ASSETS_PROXY": "true", "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false"}
#: a closed or lost browser session frees its model after 15 minutes (Solara's default: 24 hours);
#: an explicit SOLARA_KERNEL_CULL_TIMEOUT in the environment wins
CULL_TIMEOUT = "15m"


def app_target() -> str:
    """The file (or module) Solara runs: the repository's ``viz/app.py`` when present."""
    path = Path(__file__).resolve().parents[2] / "viz" / "app.py"
    return str(path) if path.is_file() else "abm.app.page"


def server_command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "solara", "run", app_target(), "--production", "--no-open", "--host", host, "--port", str(port)]


def server_env(region: str | None) -> dict[str, str]:
    from .settings import REGION_ENV

    env = {"SOLARA_KERNEL_CULL_TIMEOUT": CULL_TIMEOUT, **os.environ, **OFFLINE_ENV}
    if region:
        env[REGION_ENV] = region
    return env


def run_server(host: str, port: int, region: str | None) -> int:
    """Serve until interrupted; returns the server's exit code."""
    from .settings import default_region

    env = server_env(region)
    shown = region or env.get("ABM_APP_REGION") or default_region()
    print(f"workshop app on http://{host}:{port} (region {shown}); stop with Ctrl+C", file=sys.stderr)
    try:
        return subprocess.call(server_command(host, port), env=env)
    except KeyboardInterrupt:
        return 0
