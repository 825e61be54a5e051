"""Money and rules (*financiën en regelgeving*), and municipal behaviour: the devil's dilemma
(report, 'Spoedpakket: Financiën en regelgeving'; 'Markt en overheid')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..codes import Tenure
from .base import Measure, register


@register
class AbolishLandlordLevy(Measure):
    """Abolish the landlord levy (*verhuurderheffing*, ≈€1.7-1.9 bn a year): corporations'
    investment capacity grows, so they build more. The state forgoes the levy: its cost is the
    levy per social home (``landlord_levy_per_social_home_year``) on the region's social stock."""

    type: Literal["abolish_landlord_levy"] = "abolish_landlord_levy"
    effect: float = Field(default=0.5, ge=0, le=5, description="extra investment capacity (share)")
    category = "money_and_rules"
    target = "under_construction_social"
    direction = 1

    def params(self, p):
        return {"corporation_capacity": p.corporation_capacity * (1 + self.effect)}

    def act(self, model, rng) -> None:
        dw = model.world.dw
        homes = np.bincount(dw.municipality[dw.exists & (dw.tenure == Tenure.SOCIAL)], minlength=model.region.size)
        model.spend(homes * model.costs.get("landlord_levy_per_social_home_year", 0.0) / 12.0)


@register
class MunicipalBonus(Measure):
    """€5,000 per home or place for municipalities that house priority groups (the report's
    *ijkpunt*, note 7): paid per permit holder, institution leaver or homeless household housed."""

    type: Literal["municipal_bonus"] = "municipal_bonus"
    per_place: float = Field(default=5000.0, ge=0, le=1e6, description="EUR per household housed")
    category = "money_and_rules"
    target = "measure_cost"
    direction = 1
    phase = "market"  # before the devil's dilemma weighs the month (allocation phase)

    def act(self, model, rng) -> None:
        paid = model.priority_housed_by_municipality() * self.per_place
        model.spend(paid)
        model.municipal_income += paid


@register
class CareCostCompensation(Measure):
    """Pay municipalities a share of their social-domain costs — the Wmo support they give and
    permit holders' participation support (report, 'Financiën en regelgeving': "voldoende middelen
    ... voor zorg, ondersteuning, inkomensvoorziening, begeleiding ... van aandachtsgroepen die zij
    bereid zijn te huisvesten"; ``abm.social_costs``), which may break the devil's dilemma."""

    type: Literal["care_cost_compensation"] = "care_cost_compensation"
    share: float = Field(default=0.8, ge=0, le=1, description="share of social-domain costs reimbursed")
    category = "money_and_rules"
    target = "measure_cost"
    direction = 1
    phase = "market"  # before the devil's dilemma weighs the month (allocation phase)

    def act(self, model, rng) -> None:
        paid = model.social_costs.latest * self.share
        model.spend(paid)
        model.municipal_income += paid


@register
class DevilsDilemma(Measure):
    """The devil's dilemma (*duivels lokaal dilemma*, report 'Beleid en samenwerking'): every
    municipality gets a fixed budget per inhabitant for what it weighs in its yearly decisions
    (``abm.decisions``: the social-domain costs of the priority households it houses, the land
    revenue it forgoes on social homes, its flex sites), instead of the reference year's spending.
    Where its costs, less bonuses and compensation received, exceed that budget it retreats in
    its next January decisions (effort for homeless people and institution leavers, flex sites,
    permits, support places), by at most ``step`` a year; households move toward the more active
    municipalities of their COROP region at ``attraction`` a month per unit of effort gap
    (*aanzuigende werking*), which in turn weighs on those municipalities' decisions. The
    measure switches the yearly decisions on (``municipal_decisions``)."""

    type: Literal["devils_dilemma"] = "devils_dilemma"
    budget_per_inhabitant: float = Field(
        default=25.0,
        ge=0,
        le=1e4,
        description="EUR a year per inhabitant for the costs the municipality weighs in its decisions (M)",
    )
    step: float = Field(default=0.1, ge=0, le=1, description="most a decision moves in a year (decision_step)")
    attraction: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="a month, share of priority seekers without a home moving to the most active municipality of their COROP "
        "region, per unit of effort gap (attraction_rate)",
    )
    category = "municipal_behaviour"
    target = "municipal_effort"
    direction = -1
    phase = "allocation"
    timing = "before"

    def params(self, p):
        return {"municipal_decisions": 1, "decision_step": self.step, "attraction_rate": self.attraction}

    def act(self, model, rng) -> None:
        inhabitants = model.region.table["inhabitants"].to_numpy(dtype=float)
        model.municipal_budget = self.budget_per_inhabitant * inhabitants / 12.0
