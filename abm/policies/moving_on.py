"""Moving on (*doorstroming*): seniors and middle incomes move on, fewer barriers between
regions (report, 'Spoedpakket: Verruiming aanbod' and 'Ouderen: Knoppen om aan te draaien')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..allocation import ROUTES
from ..households import SENIOR_AGE_MONTHS
from .base import Measure, register


@register
class SeniorMoveOn(Measure):
    """A senior move-on package: priority for seniors leaving a social family home, rent kept at
    the old level, a moving service and a home nearby — so more seniors look and more accept
    (report, 'Ouderen': *voorrang bij toewijzing, verlaging huur of huurgewenning en
    verhuisservice*). Costs a moving service (``moving_service_senior``) per senior who moves
    with priority, booked the month after the letting."""

    type: Literal["senior_move_on"] = "senior_move_on"
    seek_rate: float = Field(default=0.06, ge=0, le=1, description="a year, extra seniors in social homes of 4+ rooms who start looking")
    accept: float = Field(default=0.8, ge=0, le=1, description="chance a senior accepts an offer (rent kept, moving service)")
    category = "moving_on"
    target = "seniors_underoccupying"
    direction = -1

    def params(self, p):
        return {"senior_seek_rate": p.senior_seek_rate + self.seek_rate}

    def act(self, model, rng) -> None:
        # Last month's lettings by mover priority to seniors, found through the homes (household
        # rows may have been compacted since; dwelling rows are stable).
        _, _, route, dwellings = model.last_allocations
        dw, hh = model.world.dw, model.world.hh
        homes = dwellings[route == ROUTES.index("mover_priority")]
        occupant = dw.occupant[homes]
        homes = homes[(occupant >= 0) & (hh.age[np.maximum(occupant, 0)] >= SENIOR_AGE_MONTHS)]
        n = np.bincount(dw.municipality[homes], minlength=model.region.size)
        model.spend(n * model.costs.get("moving_service_senior", 0.0))

    def allocation(self, policy):
        acc = policy.get("acceptance", {})
        return {
            "mover_priority": {"enabled": True, "seniors_only": True},
            "acceptance": {
                "senior_accept": max(acc.get("senior_accept", 0.0), self.accept),
                "senior_accept_if_pays": max(acc.get("senior_accept_if_pays", 0.0), self.accept),
            },
        }


@register
class MiddleIncomeMoveOn(Measure):
    """Middle incomes move on to mid-rent or buying (*middenhuur, koop*): more social tenants
    with a middle income leave for the market, freeing social homes."""

    type: Literal["middle_income_move_on"] = "middle_income_move_on"
    factor: float = Field(default=2.0, ge=1, le=10, description="times more middle-income tenants moving on")
    category = "moving_on"
    target = "left_social_for_market"
    direction = 1

    def params(self, p):
        return {"buy_rate": min(1.0, p.buy_rate * self.factor)}


@register
class FewerRegionalBarriers(Measure):
    """Fewer barriers between municipalities and regions: more seekers search region-wide."""

    type: Literal["fewer_regional_barriers"] = "fewer_regional_barriers"
    regional_share: float = Field(default=0.7, ge=0, le=1, description="share of new seekers searching region-wide")
    category = "moving_on"
    target = "allocations_outside_municipality"
    direction = 1

    def params(self, p):
        return {"regional_search_share": max(p.regional_search_share, self.regional_share)}
