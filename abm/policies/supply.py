"""More supply (*verruiming aanbod*): flex homes, split and topped-up homes, transformed
offices and state real estate, a social construction programme, a minimum affordable share
(report, 'Spoedpakket: Verruiming aanbod'; 'Flexwonen'; 'Rijksvastgoedbedrijf')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..codes import Label, Tenure
from ..processes.construction import lead_time
from .base import Measure, register

NATIONAL_SOCIAL_STOCK = 2_301_075  # corporation homes 1 Jan 2021 (FACTS A, D)


def _start_units(
    model, rng, per_year_national: float, lead: float, flex: bool = False, label: Label = Label.NONE, rooms_small: bool = False
) -> np.ndarray:
    """Start Poisson(per-year × population share / 12) social units per municipality; returns counts."""
    reg = model.region
    n = rng.poisson(per_year_national * reg.population_share / 12.0)
    for m in np.flatnonzero(n):
        corp = int(model.corporation_of_municipality[m])
        model.pipeline.start(
            model.month + max(1, round(lead)), m, Tenure.SOCIAL, int(n[m]), corporation=corp, flex=flex, label=label, small=rooms_small
        )
    return n


@register
class FlexHousing(Measure):
    """A flex-housing programme (*flexwonen*): units on temporary sites delivered within months,
    for a lifetime of 5-15 years; tenants have a temporary contract and, if ``follow_up``, a
    guaranteed follow-up home (urgency when the contract ends). 10,000 flex homes were agreed
    nationally; 37,500 were targeted by end 2024 (FACTS D)."""

    type: Literal["flex_housing"] = "flex_housing"
    units_per_year: float = Field(default=10000.0, ge=0, le=1e6, description="national, shared by population")
    lead_time: float = Field(default=6.0, ge=1, le=60, description="months from start to keys")
    lifetime: float = Field(default=120.0, ge=12, le=360, description="months a site stays")
    follow_up: bool = Field(default=True, description="tenants get urgency when their contract ends")
    category = "more_supply"
    target = "allocations"
    direction = 1

    def params(self, p):
        return {"flex_site_lifetime": self.lifetime, "temporary_follow_up": 1.0 if self.follow_up else p.temporary_follow_up}

    def act(self, model, rng) -> None:
        n = _start_units(model, rng, self.units_per_year, self.lead_time, flex=True)
        model.spend(n * model.costs.get("flex_home_build", 0.0))


class _SmallUnits(Measure):
    """A programme of small social units (1-2 rooms) started each month, shared by population."""

    category = "more_supply"
    target = "under_construction_social"
    direction = 1

    def act(self, model, rng) -> None:
        _start_units(model, rng, self.units_per_year, self.lead_time, rooms_small=True)


@register
class SplitHomes(_SmallUnits):
    """Better use of existing stock: splitting, topping up and extending homes (*splitsen,
    optoppen*); Platform31 estimates 15,000-25,000 extra homes a year nationally."""

    type: Literal["split_homes"] = "split_homes"
    units_per_year: float = Field(default=15000.0, ge=0, le=1e6, description="national, shared by population")
    lead_time: float = Field(default=12.0, ge=1, le=120)


@register
class Transformation(_SmallUnits):
    """Transforming offices and state real estate (*transformatie, Rijksvastgoedbedrijf*) into
    small homes."""

    type: Literal["transformation"] = "transformation"
    units_per_year: float = Field(default=5000.0, ge=0, le=1e6, description="national, shared by population")
    lead_time: float = Field(default=18.0, ge=1, le=120)


@register
class SocialConstruction(Measure):
    """A social construction programme: corporations build ``homes_per_year`` nationally (the
    report's 25,000 a year to 2030), scaled to their stock, limited by their investment capacity
    (``capacity`` homes a year nationally, raised when the landlord levy goes)."""

    type: Literal["social_construction"] = "social_construction"
    homes_per_year: float = Field(default=25000.0, ge=0, le=1e6, description="national")
    capacity: float = Field(default=20000.0, ge=0, le=1e6, description="homes a year corporations can finance, national (M)")
    category = "more_supply"
    target = "under_construction_social"
    direction = 1

    def params(self, p):
        homes = min(self.homes_per_year, self.capacity * p.corporation_capacity)
        return {"social_build_rate": max(p.social_build_rate, homes / NATIONAL_SOCIAL_STOCK)}


@register
class AffordableMinimum(Measure):
    """A minimum of 30 % affordable (social) homes in every municipality within five years:
    municipalities below the minimum start the missing homes spread over the years left."""

    type: Literal["affordable_minimum"] = "affordable_minimum"
    min_share: float = Field(default=0.30, ge=0, le=1)
    years: int = Field(default=5, ge=1, le=30)
    category = "more_supply"
    target = "under_construction_social"
    direction = 1

    def act(self, model, rng) -> None:
        if (model.month - self.start) % 12 != 0:
            return
        left = self.years - (model.month - self.start) // 12
        if left <= 0:
            return
        dw = model.world.dw
        stock = np.bincount(dw.municipality[dw.exists], minlength=model.region.size)
        social = np.bincount(dw.municipality[dw.exists & (dw.tenure == Tenure.SOCIAL)], minlength=model.region.size)
        gap = np.maximum(self.min_share * stock - social, 0) / left
        for m in np.flatnonzero(gap >= 1):
            model.pipeline.start(
                model.month + lead_time(model.params.permanent_lead_time, rng),
                m,
                Tenure.SOCIAL,
                int(gap[m]),
                corporation=int(model.corporation_of_municipality[m]),
            )
