"""Regional spreading agreements (*regionale spreidingsafspraken*): priority households housed across the region."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from .base import Measure, register


@register
class RegionalSpreading(Measure):
    """A regional agreement on spreading homeless people and institution leavers over the
    municipalities of each COROP region (report, 'Verruiming aanbod', *vergaande maatregelen*:
    *zorg voor een evenwichtiger verdeling van zowel de aanwezige woningvoorraad voor mensen met
    lage inkomens als de toewijzing hiervan aan aandachtsgroepen tussen centrumgemeenten en
    regiogemeenten*; issue 16 §2). Each month, within each COROP region, a municipality's share of
    the region's direct placements of these groups over the last twelve months is compared with its
    share of the region's inhabitants (the key), and its direct-placement shares are multiplied by
    (key ÷ realised) ^ ``strength``, at most ``max_factor`` and at least its inverse (one pseudo-
    placement spread by the key keeps small numbers from swinging). The factors are then scaled so
    that the region's expected direct placements stay as they were: the agreement spreads the
    placements, it does not add any (the lever ``spreading_factor``). No cost of its own; the
    social-domain costs follow the households to the municipalities that house them."""

    type: Literal["regional_spreading"] = "regional_spreading"
    strength: float = Field(default=1.0, ge=0, le=3, description="how strongly shares follow the gap to the key (M)")
    max_factor: float = Field(default=3.0, ge=1, le=10, description="largest factor on a municipality's direct-placement shares (M)")
    category = "homelessness"
    # no single indicator: the spread shows over a year's placements against the key (tests/test_spreading.py);
    # direct_placements_centre_share is the month's view
    phase = "allocation"
    timing = "before"

    def act(self, model, rng) -> None:
        reg = model.region
        pop = reg.table["inhabitants"].to_numpy(dtype=float)
        corop = np.asarray(reg.corop_index, dtype=np.int64)
        placed = np.asarray(model.direct_placements_last(12), dtype=float)
        lettings = np.asarray(model.lettings_last(12), dtype=float)
        effort = np.asarray(model.municipal_effort, dtype=float)
        factor = np.ones(reg.size)
        for c in np.unique(corop):
            m = corop == c
            if m.sum() < 2:
                continue
            key = pop[m] / pop[m].sum()
            realised = (placed[m] + key) / (placed[m].sum() + 1.0)  # one pseudo-placement by the key
            f = np.clip((key / realised) ** self.strength, 1.0 / self.max_factor, self.max_factor)
            weight = lettings[m] * effort[m]  # the expected placements scale with lettings × effort × factor
            if weight.sum() > 0 and (weight * f).sum() > 0:
                f = f * weight.sum() / (weight * f).sum()
            factor[m] = np.clip(f, 0.0, 10.0)
        model.spreading_factor = factor
