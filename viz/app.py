"""The workshop app (issue 6): Mesa's SolaraViz around the housing model, one model per browser
session. Start it with ``abm app`` (offline: see viz/README.md), or directly with

    SOLARA_ASSETS_PROXY=true SOLARA_TELEMETRY_MIXPANEL_ENABLE=false solara run viz/app.py --production

The app itself lives in the package ``abm.app`` (importable and tested); this file is the entry
point Solara runs.
"""

from abm.app.page import Page

__all__ = ["Page"]
