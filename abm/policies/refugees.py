"""Permit holders (*statushouders*): quota by market pressure, quota trading, transitional
housing with guaranteed follow-up, young refugees housed with students (report,
'Statushouders: Knoppen om aan te draaien')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..codes import Flag, InstitutionKind, Label, Place, Tenure
from .base import Measure, register
from .supply import _start_units


@register
class QuotaByPressure(Measure):
    """The half-yearly quota distributed by social stock and liveability instead of population
    alone: municipalities with more social homes and stronger neighbourhoods house more."""

    type: Literal["quota_by_pressure"] = "quota_by_pressure"
    weight: float = Field(default=1.0, ge=0, le=1, description="0 = by population (today), 1 = by social stock × liveability")
    category = "refugees"
    target = ""
    direction = 0
    phase = "inflow"
    timing = "before"  # after the half-year quota is shared out (the month's opening), before arrivals

    def act(self, model, rng) -> None:
        if model.month % 6 != 1:
            return
        reg, dw = model.region, model.world.dw
        social = np.bincount(dw.municipality[dw.exists & (dw.tenure == Tenure.SOCIAL)], minlength=reg.size).astype(float)
        live = np.bincount(reg.nbh_municipality, weights=reg.nbh_liveability, minlength=reg.size) / np.maximum(
            np.bincount(reg.nbh_municipality, minlength=reg.size), 1
        )
        pop = reg.population_share
        alt = social * live
        alt = alt / alt.sum() * pop.sum() if alt.sum() > 0 else pop
        model.set_quota_shares((1 - self.weight) * pop + self.weight * alt)


@register
class QuotaTrading(Measure):
    """Municipalities may trade quota within their province: those whose waiting lists are
    longest hand a share of their quota to the province's municipality with the shortest, which
    is paid per person taken over."""

    type: Literal["quota_trading"] = "quota_trading"
    max_share: float = Field(default=0.3, ge=0, le=1, description="share of its quota a municipality may hand over")
    price_per_person: float = Field(default=5000.0, ge=0, le=1e6, description="EUR paid to the taking municipality")
    category = "refugees"
    target = "measure_cost"
    direction = 1
    phase = "inflow"
    timing = "before"  # after the half-year quota is shared out (the month's opening), before arrivals

    def act(self, model, rng) -> None:
        if model.month % 6 != 1:
            return
        reg = model.region
        pressure = model.waiting_per_letting()
        for prov in reg.table["province"].unique():
            members = np.flatnonzero(reg.table["province"].to_numpy() == prov)
            if members.size < 2:
                continue
            taker = members[np.argmin(pressure[members])]
            for m in members:
                if m == taker or pressure[m] <= pressure[taker]:
                    continue
                give = model.municipality_agents[m].quota * self.max_share
                model.municipality_agents[m].quota -= give
                model.municipality_agents[taker].quota += give
                paid = np.zeros(reg.size)
                paid[taker] = give * self.price_per_person
                model.spend(paid)


@register
class TransitionalHousing(Measure):
    """Transitional housing (*doorstroomhuizen*) with guaranteed follow-up: temporary units only
    for permit holders, who get urgency for a regular home when the contract ends."""

    type: Literal["transitional_housing"] = "transitional_housing"
    units_per_year: float = Field(default=3000.0, ge=0, le=1e6, description="national, shared by population")
    lead_time: float = Field(default=6.0, ge=1, le=60)
    contract_months: int = Field(default=24, ge=6, le=120)
    category = "refugees"
    target = "blocked_asylum_centre"
    direction = -1

    def params(self, p):
        return {"temporary_follow_up": 1.0}

    def act(self, model, rng) -> None:
        _start_units(model, rng, self.units_per_year, self.lead_time, flex=True, label=Label.TRANSITIONAL)
        model.set_transitional_contract_months(self.contract_months)


@register
class RefugeesWithStudents(Measure):
    """Young single permit holders housed with students (*statushouders bij studenten*): they
    take vacant student rooms, leaving the asylum centre sooner."""

    type: Literal["refugees_with_students"] = "refugees_with_students"
    share: float = Field(default=0.1, ge=0, le=1, description="share of vacant student rooms offered to young permit holders a month")
    category = "refugees"
    target = "blocked_asylum_centre"
    direction = -1
    phase = "market"

    def act(self, model, rng) -> None:
        w = model.world
        hh, dw = w.hh, w.dw
        rooms = np.flatnonzero(dw.vacant & (dw.label == Label.STUDENT))
        rooms = rooms[rng.random(rooms.size) < self.share]
        young = np.flatnonzero(
            (hh.place == Place.INSTITUTION)
            & (hh.institution == InstitutionKind.ASYLUM_CENTRE)
            & (hh.size == 1)
            & (hh.age < 28 * 12)
            & ((hh.labels & Flag.REFUGEE) != 0)
        )
        pairs_d, pairs_h = [], []
        for c in range(len(model.region.corops)):
            r = rooms[model.region.corop_index[dw.municipality[rooms]] == c]
            y = young[model.region.corop_index[hh.municipality[young]] == c]
            k = min(r.size, y.size)
            pairs_d.append(r[:k])
            pairs_h.append(y[:k])
        if pairs_d:
            w.move_in(np.concatenate(pairs_h), np.concatenate(pairs_d), social=False)
