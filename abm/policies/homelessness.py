"""Homelessness (*dak- en thuisloosheid*): Housing First with a fall-back place (report,
'Dak- en thuisloze mensen: Knoppen om aan te draaien')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..codes import Place, SupportBy
from .base import Measure, register


@register
class HousingFirst(Measure):
    """Housing First: homeless people get a home directly (a share of vacancies) and a Housing
    First team supports them at home, without waiting for a Wmo place and whatever their need —
    also people who would otherwise wait for protected housing (report, 'Financiën en
    regelgeving': "Het 'housing first-principe' moet gezien worden als besparing op de kosten van
    de gevolgen"; 'Dak- en thuisloze mensen': "integrale zorg en ondersteuning op maat"). Its effect
    works through the support submodel (abm/support.py): supported tenants fall into arrears and
    cause nuisance less often, and when a tenancy fails there is a fall-back place (protected
    housing where free, else a shelter) rather than the street ("terugvalopties"). Costs
    ``housing_first_year`` per household its teams support."""

    type: Literal["housing_first"] = "housing_first"
    extra_share: float = Field(default=0.04, ge=0, le=0.5, description="extra share of vacancies for homeless people")
    coverage: float = Field(
        default=1.0, ge=0, le=1, description="share of formerly homeless households with a support need whom its teams support"
    )
    fallback: float = Field(default=0.8, ge=0, le=1, description="share of failed supported tenancies that fall back on a place")
    category = "homelessness"
    target = "homeless"
    direction = -1
    phase = "economy"

    def params(self, p):
        return {
            "housing_first_coverage": max(p.housing_first_coverage, self.coverage),
            "evicted_fallback_share": max(p.evicted_fallback_share, self.fallback),
        }

    def allocation(self, policy):
        h = policy.get("homeless", {})
        return {"homeless": {"enabled": True, "mode": "share", "share": min(1.0, h.get("share", 0.0) + self.extra_share)}}

    def act(self, model, rng) -> None:
        hh = model.world.hh
        team = np.flatnonzero((hh.support_by == SupportBy.HOUSING_FIRST) & (hh.place != Place.GONE))
        cost = model.costs.get("housing_first_year", 0.0) / 12.0
        model.spend(np.bincount(hh.municipality[team], minlength=model.region.size) * cost)
