"""Money and rules (*financiën en regelgeving*), and municipal behaviour: the devil's dilemma
(report, 'Spoedpakket: Financiën en regelgeving'; 'Markt en overheid')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..codes import Flag, InstitutionKind, Place
from .base import Measure, register


@register
class AbolishLandlordLevy(Measure):
    """Abolish the landlord levy (*verhuurderheffing*, ≈€1.7 bn a year): corporations' investment
    capacity grows, so they build more."""

    type: Literal["abolish_landlord_levy"] = "abolish_landlord_levy"
    effect: float = Field(default=0.5, ge=0, le=5, description="extra investment capacity (share)")
    category = "money_and_rules"
    target = "under_construction_social"
    direction = 1

    def params(self, p):
        return {"corporation_capacity": p.corporation_capacity * (1 + self.effect)}


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
    """Pay municipalities for the care costs of the groups they house or shelter (report,
    'Financiën': compensation of *zorgkosten*), which may break the devil's dilemma."""

    type: Literal["care_cost_compensation"] = "care_cost_compensation"
    share: float = Field(default=0.8, ge=0, le=1, description="share of care costs reimbursed")
    category = "money_and_rules"
    target = "measure_cost"
    direction = 1
    phase = "market"  # before the devil's dilemma weighs the month (allocation phase)

    def act(self, model, rng) -> None:
        paid = model.care_costs_month * self.share
        model.spend(paid)
        model.municipal_income += paid


@register
class DevilsDilemma(Measure):
    """The devil's dilemma (*duivelse dilemma*) as an adaptive rule: a municipality that does more
    for priority groups attracts them from its neighbours (*aanzuigende werking*) and carries
    higher care costs; when its care costs exceed its budget, it retreats (less urgency for
    homeless people, fewer direct placements); when there is room, it slowly does more again."""

    type: Literal["devils_dilemma"] = "devils_dilemma"
    budget_per_inhabitant: float = Field(default=25.0, ge=0, le=1e4, description="EUR a year for care of these groups (M)")
    step: float = Field(default=0.1, ge=0, le=1, description="change of effort a year")
    attraction: float = Field(
        default=0.02, ge=0, le=1, description="a month, share of homeless seekers moving to the region's most active municipality"
    )
    category = "municipal_behaviour"
    target = "municipal_effort"
    direction = -1
    phase = "allocation"
    timing = "before"

    def act(self, model, rng) -> None:
        inhabitants = model.region.table["inhabitants"].to_numpy(dtype=float)
        budget = self.budget_per_inhabitant * inhabitants / 12.0
        net = model.care_costs_month - model.municipal_income
        over = net > budget
        model.municipal_effort = np.clip(model.municipal_effort + np.where(over, -self.step, self.step / 2) / 12.0, 0.0, 1.0)
        # Attraction: homeless seekers move to the most active municipality of their COROP region.
        hh, reg = model.world.hh, model.region
        homeless = np.flatnonzero(
            ((hh.place == Place.HOMELESS) | ((hh.place == Place.INSTITUTION) & (hh.institution == InstitutionKind.SHELTER))) & hh.seeking
        )
        move = homeless[rng.random(homeless.size) < self.attraction]
        if move.size:
            best = np.zeros(len(reg.corops), dtype=np.int64)
            for c in range(len(reg.corops)):
                members = np.flatnonzero(reg.corop_index == c)
                best[c] = members[np.argmax(model.municipal_effort[members])]
            roofless = move[hh.place[move] == Place.HOMELESS]
            hh.municipality[roofless] = best[reg.corop_index[hh.municipality[roofless]]]
        hh.labels[move] |= Flag.HOMELESS_HISTORY
