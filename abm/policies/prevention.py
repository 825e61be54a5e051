"""Prevention (*preventie*): fewer people lose their home (report, 'Spoedpakket: Preventie')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..codes import InstitutionKind, Place, Tenure
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
        # Each new arrears case is reached once. In steady state new cases equal the spells that
        # end (paid or to court), so the month's new cases are the stock times those rates.
        hh, p = model.world.hh, model.params
        stock = np.bincount(hh.municipality[hh.arrears & (hh.place == Place.DWELLING)], minlength=model.region.size)
        new_cases = stock * min(p.arrears_exit_rate + p.court_rate, 1.0)
        model.spend(new_cases * model.costs.get("debt_assistance_case", 0.0))

    phase = "economy"


@register
class LastChance(Measure):
    """Last-chance agreements instead of eviction (*laatste-kansovereenkomst*, report
    'Preventie'): corporations evict a smaller share of the cases that reach court; a guardian
    or debt counsellor (*bewindvoerder, schuldhulpverlener*) takes over the rent payment, at
    ``last_chance_case`` per agreement."""

    type: Literal["last_chance"] = "last_chance"
    effect: float = Field(default=0.5, ge=0, le=1, description="share fewer evictions of court cases")
    category = "prevention"
    target = "evictions"
    direction = -1
    phase = "economy"  # after the month's court cases

    def params(self, p):
        return {"eviction_share_of_rulings": p.eviction_share_of_rulings * (1 - self.effect)}

    def act(self, model, rng) -> None:
        # Agreements this month: court cases times the evictions they replace; spread over the
        # municipalities by their tenants in arrears (the court cases' rows are not kept).
        hh = model.world.hh
        agreements = model.world.counters.court_cases * (
            model.base_params.eviction_share_of_rulings - model.params.eviction_share_of_rulings
        )
        arrears = np.bincount(hh.municipality[hh.arrears & (hh.place == Place.DWELLING)], minlength=model.region.size).astype(float)
        where = arrears / arrears.sum() if arrears.sum() > 0 else model.region.population_share
        model.spend(max(agreements, 0.0) * where * model.costs.get("last_chance_case", 0.0))


@register
class RentDuringDetention(Measure):
    """Rent kept paid during admission or detention, so the home is not lost (report,
    'Preventie': *huur doorbetalen bij opname of detentie*)."""

    type: Literal["rent_during_detention"] = "rent_during_detention"
    effect: float = Field(
        default=0.8, ge=0, le=0.95, description="share fewer detainees losing their home (some lose it anyway: debts, the lease ends)"
    )
    category = "prevention"
    target = "homes_lost_detention"
    direction = -1
    phase = "institutions"  # after the month's detentions

    def params(self, p):
        return {"detention_home_loss_share": p.detention_home_loss_share * (1 - self.effect)}

    def act(self, model, rng) -> None:
        # Homes kept this month = homes still lost × (base share - share now) / share now; the rent
        # (mean occupied social rent of the municipality) is paid for the whole expected stay.
        w, p = model.world, model.params
        lost = np.concatenate([np.asarray(r, dtype=np.int64) for r in w.counters.homes_lost_detention] or [np.empty(0, np.int64)])
        now = p.detention_home_loss_share
        if lost.size == 0 or now <= 0:
            return
        kept = np.bincount(w.hh.municipality[lost], minlength=model.region.size) * (model.base_params.detention_home_loss_share - now) / now
        model.spend(np.maximum(kept, 0.0) * p.detention_stay * social_rent(model))


def social_rent(model) -> np.ndarray:
    """Mean rent of occupied social homes per municipality (EUR a month; the region's mean where a
    municipality has none)."""
    dw = model.world.dw
    occ = dw.exists & (dw.tenure == Tenure.SOCIAL) & (dw.occupant >= 0)
    n = model.region.size
    total = np.bincount(dw.municipality[occ], weights=dw.rent[occ], minlength=n)
    count = np.bincount(dw.municipality[occ], minlength=n)
    mean_all = total.sum() / max(count.sum(), 1)
    return np.where(count > 0, total / np.maximum(count, 1), mean_all)


@register
class WarmOutflow(Measure):
    """Prepared, warm outflow from institutions (*warme overdracht*, report 'Spoedpakket:
    Preventie': "Sorteer vaker en beter tijdig voor op uitstroom uit een intramurale setting of
    detentie. Zet daarbij in op ... een warme overdracht en (tijdelijke) terugkeermogelijkheid
    indien nodig"): residents of protected housing, detention and youth care who are ready get
    social urgency and a share of vacancies is set aside for them; the support of those who need
    it is arranged before they leave (first in the municipality's support queue, and they move
    when it is in place; abm/support.py); and a supported tenancy that fails falls back on a
    place rather than the street."""

    type: Literal["warm_outflow"] = "warm_outflow"
    extra_share: float = Field(default=0.03, ge=0, le=0.5, description="extra share of vacancies for institution leavers")
    prepared: float = Field(
        default=0.9, ge=0, le=1, description="share of ready leavers with a support need whose support is arranged first"
    )
    return_option: float = Field(default=0.8, ge=0, le=1, description="share of failed supported tenancies that fall back on a place")
    category = "prevention"
    target = "blocked_in_institution"
    direction = -1
    phase = "allocation"
    timing = "before"

    def params(self, p):
        return {
            "support_prepared_share": max(p.support_prepared_share, self.prepared),
            "evicted_fallback_share": max(p.evicted_fallback_share, self.return_option),
        }

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
    arise less often among tenants in the weakest third of neighbourhoods — and the neighbourhood
    keeps its resilience (*veerkracht*): a concentration of vulnerable households lowers its
    liveability less (abm/processes/liveability.py)."""

    type: Literal["welfare_work"] = "welfare_work"
    effect: float = Field(default=0.4, ge=0, le=1, description="share fewer arrears in weak neighbourhoods")
    resilience: float = Field(
        default=0.5, ge=0, le=1, description="share of the liveability loss from concentration it prevents in weak neighbourhoods (M)"
    )
    cost_per_household_year: float = Field(default=150.0, ge=0, le=1e5, description="EUR a year per household in a weak neighbourhood (M)")
    category = "prevention"
    target = "in_arrears"
    direction = -1

    def params(self, p):
        return {
            "weak_neighbourhood_arrears_factor": p.weak_neighbourhood_arrears_factor * (1 - self.effect),
            "weak_neighbourhood_concentration_factor": p.weak_neighbourhood_concentration_factor * (1 - self.resilience),
        }

    def act(self, model, rng) -> None:
        dw, reg = model.world.dw, model.region
        weak = reg.weak[dw.neighbourhood] & (dw.occupant >= 0)
        model.spend(np.bincount(dw.municipality[weak], minlength=reg.size) * self.cost_per_household_year / 12.0)

    phase = "economy"
