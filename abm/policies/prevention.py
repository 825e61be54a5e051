"""Prevention (*preventie*): fewer people lose their home (report, 'Spoedpakket: Preventie')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..codes import InstitutionKind, Place
from .base import Measure, register


@register
class EarlyWarning(Measure):
    """Early warning on rent arrears (*vroegsignalering*, Wet gemeentelijke schuldhulpverlening):
    landlords report arrears early, so spells end sooner and fewer reach court. Costs a debt
    assistance case per household reached."""

    type: Literal["early_warning"] = "early_warning"
    effect: float = Field(default=0.4, ge=0, le=1, description="share fewer court cases; arrears spells end that much faster")
    category = "prevention"
    target = "in_arrears"
    direction = -1

    def params(self, p):
        return {"court_rate": p.court_rate * (1 - self.effect), "arrears_exit_rate": min(1.0, p.arrears_exit_rate * (1 + self.effect))}

    def act(self, model, rng) -> None:
        hh = model.world.hh
        cases = np.bincount(hh.municipality[hh.arrears & (hh.place == Place.DWELLING)], minlength=model.region.size)
        model.spend(cases * model.costs.get("debt_assistance_case", 0.0) / 12.0 * self.effect)

    phase = "economy"


@register
class LastChance(Measure):
    """Last-chance agreements instead of eviction (*laatstekansbeleid*): corporations evict a
    smaller share of the cases that reach court."""

    type: Literal["last_chance"] = "last_chance"
    effect: float = Field(default=0.5, ge=0, le=1, description="share fewer evictions of court cases")
    category = "prevention"
    target = "evictions"
    direction = -1

    def params(self, p):
        return {"eviction_share_of_rulings": p.eviction_share_of_rulings * (1 - self.effect)}


@register
class RentDuringDetention(Measure):
    """Rent kept paid during admission or detention, so the home is not lost (report,
    'Preventie': *huur doorbetalen bij opname of detentie*)."""

    type: Literal["rent_during_detention"] = "rent_during_detention"
    effect: float = Field(default=0.8, ge=0, le=1, description="share fewer detainees losing their home")
    category = "prevention"
    target = "homes_lost_detention"
    direction = -1

    def params(self, p):
        return {"detention_home_loss_share": p.detention_home_loss_share * (1 - self.effect)}


@register
class WarmOutflow(Measure):
    """Prepared, warm outflow from institutions (*warme overdracht*): residents of protected
    housing, detention and youth care who are ready get social urgency and a share of vacancies
    is set aside for them."""

    type: Literal["warm_outflow"] = "warm_outflow"
    extra_share: float = Field(default=0.03, ge=0, le=0.5, description="extra share of vacancies for institution leavers")
    category = "prevention"
    target = "blocked_in_institution"
    direction = -1
    phase = "allocation"
    timing = "before"

    def allocation(self, policy):
        leavers = policy.get("institution_leavers", {})
        return {"institution_leavers": {"enabled": True, "mode": "share", "share": min(1.0, leavers.get("share", 0.0) + self.extra_share)}}

    def act(self, model, rng) -> None:
        hh, month = model.world.hh, model.month
        kinds = (InstitutionKind.PROTECTED_HOUSING, InstitutionKind.DETENTION, InstitutionKind.YOUTH_CARE)
        ready = np.flatnonzero(
            (hh.place == Place.INSTITUTION) & np.isin(hh.institution, kinds) & (hh.ready_at <= month) & (hh.urgency_until <= month)
        )
        model.world.grant_urgency(ready, social=True)


@register
class WelfareWork(Measure):
    """Welfare work in weak neighbourhoods (*wijkaanpak*): fewer tenancies fail there — arrears
    arise less often among tenants in the weakest third of neighbourhoods."""

    type: Literal["welfare_work"] = "welfare_work"
    effect: float = Field(default=0.4, ge=0, le=1, description="share fewer arrears in weak neighbourhoods")
    cost_per_household_year: float = Field(default=150.0, ge=0, le=1e5, description="EUR a year per household in a weak neighbourhood (M)")
    category = "prevention"
    target = "in_arrears"
    direction = -1

    def params(self, p):
        return {"weak_neighbourhood_arrears_factor": p.weak_neighbourhood_arrears_factor * (1 - self.effect)}

    def act(self, model, rng) -> None:
        dw, reg = model.world.dw, model.region
        weak = reg.weak[dw.neighbourhood] & (dw.occupant >= 0)
        model.spend(np.bincount(dw.municipality[weak], minlength=reg.size) * self.cost_per_household_year / 12.0)

    phase = "economy"
