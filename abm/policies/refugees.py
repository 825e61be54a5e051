"""Permit holders (*statushouders*): quota by market pressure, quota trading, transitional
housing with guaranteed follow-up, young refugees housed with students (report,
'Statushouders: Knoppen om aan te draaien')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..codes import Flag, InstitutionKind, Label, Place, Tenure, Urgency
from ..households import NEVER
from .base import Measure, register
from .supply import _start_units


def _asylum_waiting(model) -> np.ndarray:
    """Rows of permit holders waiting in an asylum centre, longest waiting first."""
    hh = model.world.hh
    rows = np.flatnonzero((hh.place == Place.INSTITUTION) & (hh.institution == InstitutionKind.ASYLUM_CENTRE))
    return rows[np.lexsort((rows, hh.ready_at[rows]))]


@register
class QuotaByPressure(Measure):
    """The half-yearly quota distributed not by population alone but also by the pressure on
    the housing market, the number of social homes and the liveability of the neighbourhoods
    (report, 'Statushouders: Wat is er nodig?': *rekening houden met het aantal inwoners, de druk
    op de woningmarkt, het aantal (vrijkomende) sociale huurwoningen en de leefbaarheid*). The
    pressure is the tightness of the social market as the report means it: registered seekers
    waiting per letting (*woningzoekenden per verhuring*) over the last twelve months, relative to
    the region's. The alternative key is a municipality's social stock × its mean liveability ÷
    its relative pressure, scaled to the same total; the quota is ``weight`` of that key and the
    rest by population. Arrivals follow the quota. Before any letting is recorded (the first
    half year of a run) lettings are taken in proportion to the social stock."""

    type: Literal["quota_by_pressure"] = "quota_by_pressure"
    weight: float = Field(default=1.0, ge=0, le=1, description="0 = by population (today), 1 = by social stock × liveability ÷ pressure")
    category = "refugees"
    target = ""
    direction = 0
    phase = "inflow"
    timing = "before"  # after the half-year quota is shared out (the month's opening), before arrivals

    def pressure(self, model) -> np.ndarray:
        """Seekers waiting per letting of the last twelve months, per municipality, relative to the region's."""
        reg, hh, dw = model.region, model.world.hh, model.world.dw
        waiting = np.bincount(hh.municipality[hh.seeking & (hh.registered != NEVER) & (hh.place != Place.GONE)], minlength=reg.size).astype(
            float
        )
        lettings = np.asarray(model.lettings_last(12), dtype=float)
        if lettings.sum() <= 0:  # no letting recorded yet: lettings in proportion to the social stock
            lettings = np.bincount(dw.municipality[dw.exists & (dw.tenure == Tenure.SOCIAL)], minlength=reg.size).astype(float)
        per_letting = (waiting + 1.0) / np.maximum(lettings, 1.0)
        return per_letting / (np.sum(waiting + 1.0) / max(lettings.sum(), 1.0))

    def key(self, model) -> np.ndarray:
        """The alternative distribution key per municipality (sums to the population shares' sum)."""
        reg, dw = model.region, model.world.dw
        social = np.bincount(dw.municipality[dw.exists & (dw.tenure == Tenure.SOCIAL)], minlength=reg.size).astype(float)
        live = np.bincount(reg.nbh_municipality, weights=reg.nbh_liveability, minlength=reg.size) / np.maximum(
            np.bincount(reg.nbh_municipality, minlength=reg.size), 1
        )
        alt = social * live / self.pressure(model)
        pop = reg.population_share
        return alt / alt.sum() * pop.sum() if alt.sum() > 0 else pop.copy()

    def act(self, model, rng) -> None:
        if model.month % 6 != 1:
            return
        pop = model.region.population_share
        model.set_quota_shares((1 - self.weight) * pop + self.weight * self.key(model))


@register
class QuotaTrading(Measure):
    """Municipalities trade quota within their province (report, 'Statushouders: Knoppen om aan
    te draaien': *binnen een regio/provincie taakstellingen uitruilen of overdragen, mits de
    totaalopgave wordt gerealiseerd*). Each half year the municipalities of a province whose
    pressure (seekers waiting per letting) is above the province's median offer up to
    ``max_share`` of their quota; those below the median take it over as far as they have room:
    their quota may rise to ``taker_share`` of their lettings of the last half year. The permit
    holders follow the quota: first the giver's longest waiting in the asylum centre (linked to
    the taker from then on), the rest from the giver's arrivals of the half year. The taker is
    paid ``price_per_person`` for each person it takes over."""

    type: Literal["quota_trading"] = "quota_trading"
    max_share: float = Field(default=0.3, ge=0, le=1, description="share of its quota a municipality may hand over (M)")
    taker_share: float = Field(
        default=0.2, ge=0, le=1, description="highest share of a taker's lettings (last half year) its quota may reach by taking over (M)"
    )
    price_per_person: float = Field(default=5000.0, ge=0, le=1e6, description="EUR paid to the taking municipality per person taken over")
    category = "refugees"
    target = "measure_cost"
    direction = 1
    phase = "inflow"
    timing = "before"  # after the half-year quota is shared out (the month's opening), before arrivals

    def act(self, model, rng) -> None:
        if model.month % 6 != 1:
            return
        reg, hh = model.region, model.world.hh
        national = model.params.refugee_quota_half_year
        pressure = model.waiting_per_letting()
        lettings = model.lettings_last(6)
        quota = np.array([mun.quota for mun in model.municipality_agents])
        shares = model.quota_shares.copy()
        moved = np.zeros(reg.size)  # persons in asylum centres relinked, per municipality (+ taker, - giver)
        taken = np.zeros(reg.size)  # persons taken over, per taker
        waiting = _asylum_waiting(model)
        province = reg.table["province"].to_numpy()
        for prov in np.unique(province):
            members = np.flatnonzero(province == prov)
            if members.size < 2:
                continue
            median = np.median(pressure[members])
            givers = members[pressure[members] > median]
            takers = members[pressure[members] <= median]
            offer = self.max_share * quota[givers]
            room = np.maximum(self.taker_share * lettings[takers] - quota[takers], 0.0)
            total = min(offer.sum(), room.sum())
            if total <= 0:
                continue
            room = room * (total / room.sum())  # what each taker takes in all
            for m, give in zip(givers, offer * (total / offer.sum()), strict=True):
                # The giver's longest-waiting permit holders move to the takers' lists.
                mine = waiting[hh.municipality[waiting] == m]
                for h in mine[np.cumsum(hh.size[mine]) <= give]:
                    t = takers[np.argmax(room)]
                    size = float(hh.size[h])
                    hh.municipality[h] = t
                    moved[m] -= size
                    moved[t] += size
                    room[takers == t] -= size
                    taken[t] += size
                    give -= size
                # The rest: the giver's arrivals of this half year go to the takers.
                free = np.maximum(room, 0.0)
                arrivals = min(give, national * shares[m], free.sum())
                if arrivals > 0 and national > 0:
                    split = free / free.sum() * arrivals
                    shares[m] -= arrivals / national
                    shares[takers] += split / national
                    room -= split
                    taken[takers] += split
        model.set_quota_shares(np.maximum(shares, 0.0))  # no rounding below zero
        for mun in model.municipality_agents:
            mun.quota += moved[mun.index]
        model.spend(taken * self.price_per_person)


@register
class TransitionalHousing(Measure):
    """Transitional housing (*doorstroomhuizen*) with guaranteed follow-up: temporary units only
    for permit holders, on a temporary contract of ``contract_months``; when it ends they get
    urgency for a regular home (report, 'Statushouders: Knoppen om aan te draaien': *alleen als
    mensen daarna kunnen doorstromen naar passende huisvesting ... zorg voor die garantie
    vooraf*). The units are flex homes, costed once per completion in the cost table."""

    type: Literal["transitional_housing"] = "transitional_housing"
    units_per_year: float = Field(default=3000.0, ge=0, le=1e6, description="national, shared by population (M)")
    lead_time: float = Field(default=6.0, ge=1, le=60, description="months from start to keys")
    contract_months: int = Field(default=24, ge=6, le=120, description="length of the temporary contract")
    category = "refugees"
    target = "blocked_asylum_centre"
    direction = -1

    def params(self, p):
        return {"temporary_follow_up": 1.0}

    def act(self, model, rng) -> None:
        _start_units(model, rng, self.units_per_year, self.lead_time, flex=True, label=Label.TRANSITIONAL)
        model.set_transitional_contract_months(self.contract_months)  # read when a tenant moves in


@register
class RefugeesWithStudents(Measure):
    """Young single permit holders (under 28) housed with students (*statushouders bij
    studenten*) on a temporary contract, with follow-up housing guaranteed: they take vacant
    student rooms, leaving the asylum centre sooner; when the contract ends they get urgency for
    a regular home, and the room goes back to students when they leave (report, 'Statushouders:
    Knoppen om aan te draaien': *statushouders tot 28 jaar met een tijdelijk huurcontract in combi
    met studenten, mits de vervolghuisvesting tegelijkertijd wordt voorbereid en geregeld*)."""

    type: Literal["refugees_with_students"] = "refugees_with_students"
    share: float = Field(default=0.1, ge=0, le=1, description="share of vacant student rooms offered to young permit holders a month")
    contract_months: int = Field(default=24, ge=6, le=120, description="length of the temporary contract (M)")
    max_age: int = Field(default=28, ge=18, le=65, description="years: permit holders younger than this (the report: up to 28)")
    category = "refugees"
    target = "blocked_asylum_centre"
    direction = -1
    phase = "market"  # after students have taken rooms this month

    def act(self, model, rng) -> None:
        w = model.world
        hh, dw = w.hh, w.dw
        # Follow-up: permit holders whose contract in a student room has ended get urgency.
        housed = np.flatnonzero((hh.place == Place.DWELLING) & ((hh.labels & Flag.REFUGEE) != 0))
        ended = housed[(dw.label[hh.dwelling[housed]] == Label.STUDENT) & (hh.contract_end[housed] <= model.month)]
        ended = ended[(hh.urgency[ended] == Urgency.NONE) | (hh.urgency_until[ended] <= model.month)]
        w.start_seeking(ended, model.params.regional_search_share, rng)
        w.grant_urgency(ended, social=True)
        rooms = np.flatnonzero(dw.vacant & (dw.label == Label.STUDENT))
        rooms = rooms[rng.random(rooms.size) < self.share]
        young = np.flatnonzero(
            (hh.place == Place.INSTITUTION)
            & (hh.institution == InstitutionKind.ASYLUM_CENTRE)
            & (hh.size == 1)
            & (hh.age < self.max_age * 12)
            & ((hh.labels & Flag.REFUGEE) != 0)
        )
        pairs_d, pairs_h = [], []
        for c in range(len(model.region.corops)):
            r = rooms[model.region.corop_index[dw.municipality[rooms]] == c]
            y = young[model.region.corop_index[hh.municipality[young]] == c]
            k = min(r.size, y.size)
            pairs_d.append(r[:k])
            pairs_h.append(y[:k])
        h = np.concatenate(pairs_h) if pairs_h else np.empty(0, np.int64)
        if h.size:
            w.move_in(h, np.concatenate(pairs_d), social=False)
            hh.contract_end[h] = model.month + self.contract_months
