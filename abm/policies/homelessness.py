"""Homelessness (*dak- en thuisloosheid*): Housing First with a fall-back place (report,
'Dak- en thuisloze mensen: Knoppen om aan te draaien')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..codes import Flag, Place
from .base import Measure, register


@register
class HousingFirst(Measure):
    """Housing First: homeless people get a home directly (a share of vacancies) with intensive
    support, so fewer tenancies fail; when one fails there is a fall-back place (shelter or
    protected housing) rather than the street."""

    type: Literal["housing_first"] = "housing_first"
    extra_share: float = Field(default=0.04, ge=0, le=0.5, description="extra share of vacancies for homeless people")
    support_effect: float = Field(default=0.6, ge=0, le=1, description="share fewer arrears among formerly homeless tenants")
    fallback: float = Field(default=0.8, ge=0, le=1, description="share of failed tenancies that fall back on a place")
    category = "homelessness"
    target = "homeless"
    direction = -1
    phase = "economy"

    def params(self, p):
        return {
            "homeless_history_arrears_factor": p.homeless_history_arrears_factor * (1 - self.support_effect),
            "evicted_fallback_share": max(p.evicted_fallback_share, self.fallback),
        }

    def allocation(self, policy):
        h = policy.get("homeless", {})
        return {"homeless": {"enabled": True, "mode": "share", "share": min(1.0, h.get("share", 0.0) + self.extra_share)}}

    def act(self, model, rng) -> None:
        hh = model.world.hh
        supported = np.flatnonzero((hh.place == Place.DWELLING) & ((hh.labels & Flag.HOMELESS_HISTORY) != 0))
        cost = model.costs.get("housing_first_year", 0.0) / 12.0
        model.spend(np.bincount(hh.municipality[supported], minlength=model.region.size) * cost)
