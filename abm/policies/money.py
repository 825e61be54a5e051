"""Money and rules (*financiën en regelgeving*), and municipal behaviour: the devil's dilemma
(report, 'Spoedpakket: Financiën en regelgeving'; 'Markt en overheid')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..codes import Place, Tenure
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
    priority household a municipality houses raises its social-domain costs (the Wmo support given
    to those who need it where they live, permit holders' participation; ``abm.social_costs``), and the more it does the more homeless people it
    attracts from its neighbours (*aanzuigende werking*). When those costs, less bonuses and
    compensation received, exceed its budget, the municipality retreats (fewer direct placements
    of homeless people and institution leavers); when there is room, it slowly does more again."""

    type: Literal["devils_dilemma"] = "devils_dilemma"
    budget_per_inhabitant: float = Field(
        default=25.0, ge=0, le=1e4, description="EUR a year for the social-domain costs of housed priority groups (M)"
    )
    step: float = Field(default=0.1, ge=0, le=1, description="change of effort a year")
    attraction: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="a month, share of roofless seekers moving to the most active municipality of their COROP region, per unit of effort gap",
    )
    category = "municipal_behaviour"
    target = "municipal_effort"
    direction = -1
    phase = "allocation"
    timing = "before"

    def act(self, model, rng) -> None:
        inhabitants = model.region.table["inhabitants"].to_numpy(dtype=float)
        budget = self.budget_per_inhabitant * inhabitants / 12.0
        net = model.social_costs.latest - model.municipal_income
        over = net > budget
        model.municipal_effort = np.clip(model.municipal_effort + np.where(over, -self.step, self.step / 2) / 12.0, 0.0, 1.0)
        attract(model, rng, self.attraction)


def attract(model, rng: np.random.Generator, attraction: float) -> np.ndarray:
    """Aanzuigende werking: roofless seekers move to the most active municipality of their COROP
    region with a chance of ``attraction`` times the gap between its effort and their own
    municipality's. Returns the rows that moved."""
    hh, reg, effort = model.world.hh, model.region, model.municipal_effort
    best = np.zeros(len(reg.corops), dtype=np.int64)
    for c in range(len(reg.corops)):
        members = np.flatnonzero(reg.corop_index == c)
        best[c] = members[np.argmax(effort[members])]
    roofless = np.flatnonzero((hh.place == Place.HOMELESS) & hh.seeking)
    target = best[reg.corop_index[hh.municipality[roofless]]]
    gap = effort[target] - effort[hh.municipality[roofless]]
    move = rng.random(roofless.size) < attraction * gap
    hh.municipality[roofless[move]] = target[move]
    return roofless[move]
