"""Per-session state of the app. Solara keeps a module-level ``solara.reactive`` per browser
session (kernel), so one participant's language choice does not change another's."""

from __future__ import annotations

import solara

LANG = solara.reactive("nl")
