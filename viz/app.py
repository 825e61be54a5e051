"""The workshop app (issue 6): Mesa's SolaraViz around the housing model, one model per browser
session. Start it with ``abm app`` (offline: see viz/README.md), or directly with

    SOLARA_ASSETS_PROXY=true SOLARA_TELEMETRY_MIXPANEL_ENABLE=false solara run viz/app.py --production

The app itself lives in the package ``abm.app`` (importable and tested); this file is the entry
point Solara runs.
"""

from abm.app.page import Page
from abm.app.series import warm_baseline
from abm.app.settings import Settings

# The baseline of the default region is the same for every participant: compute it once, in the
# background, as soon as the server loads the app (the comparison views then only read it).
warm_baseline(Settings())

__all__ = ["Page"]
