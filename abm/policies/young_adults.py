"""Young adults 18-23 (*aanpak 18- tot 23-jarigen*): house sharing pays, more rooms, Friends
contracts, rent above the quality-discount limit with support (report, 'Aanpak 18- tot
23-jarigen'; 'De Friendswoning – pilot in Leiderdorp'; 'Kamers met Aandacht')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from .. import income_rules
from ..allocation.classes import LIBERALISATION_LIMIT, QUALITY_DISCOUNT_LIMIT
from ..codes import Flag, InstitutionKind, Label, Place, Tenure
from .base import Measure, register
from .supply import _start_units


def _young_seekers(model, max_age: int = 27) -> np.ndarray:
    hh = model.world.hh
    return np.flatnonzero(
        (hh.place == Place.LIVING_IN)
        & hh.seeking
        & (hh.age >= 18 * 12)
        & (hh.age < max_age * 12)
        & (hh.size == 1)
        & ((hh.labels & Flag.STUDENT) == 0)
    )


def _shelter_youth(model, max_age: int = 27) -> np.ndarray:
    """Young single residents of shelters (*maatschappelijke opvang*) who are ready to leave."""
    hh = model.world.hh
    return np.flatnonzero(
        (hh.place == Place.INSTITUTION)
        & (hh.institution == InstitutionKind.SHELTER)
        & (hh.ready_at <= model.month)
        & (hh.age >= 18 * 12)
        & (hh.age < max_age * 12)
        & (hh.size == 1)
    )


@register
class NoCostSharing(Measure):
    """No cost-sharing rule for young people (*kostendelersnorm*; report, 'Aanpak 18- tot
    23-jarigen': *pas de kostendelersnorm in elk geval niet toe voor de groep tot 23 jaar*; and
    'Spoedpakket: Verruiming aanbod': *samenwonen dient te lonen*). It acts on the rule
    (abm/processes/cost_sharing.py) in its two ways:

    - **at home**: adults under ``max_age`` no longer count as cost sharers (``cost_sharing_age``
      becomes ``max_age``), so young adults in benefit households are no longer pushed out at 21
      (the report: *een grotere uitstroom uit bijstandshuishoudens van jongeren in het jaar waarin
      ze 21 jaar worden*); the push comes at ``max_age`` if at all;
    - **sharing a home**: young single seekers at benefit level (income at most the social
      minimum) aged from the rule's usual age up to ``max_age``, whom sharing would cost part of
      their benefit, now pair up and look for one home together at ``pair_rate`` a month, as one
      household with their incomes pooled and the earlier registration. Seekers above the benefit
      level were never held back by the rule and are not moved by the measure.

    ``max_age`` 67 (the pension age) lifts the rule for every adult: the report's *samenwonen dient
    te lonen*. The allowance is kept while the rule is lifted (report: *handhaaf huurtoeslag
    tijdens het tijdelijk niet toepassen van de kostendelersnorm*): a pair's allowance follows
    its pooled income as for any household."""

    type: Literal["no_cost_sharing"] = "no_cost_sharing"
    pair_rate: float = Field(default=0.02, ge=0, le=1, description="a month, share of young single benefit-level seekers who pair up (M)")
    max_age: float = Field(default=23.0, ge=18, le=67, description="years: the rule no longer applies below this age (the report: 23)")
    category = "young_adults"
    target = "waiting"
    direction = -1

    def params(self, p):
        return {"cost_sharing_age": max(self.max_age, p.cost_sharing_age)}

    def act(self, model, rng) -> None:
        from ..processes.cost_sharing import at_benefit_level

        hh = model.world.hh
        rows = _young_seekers(model, max_age=int(np.ceil(self.max_age)))
        rows = rows[(hh.age[rows] >= round(model.base_params.cost_sharing_age * 12)) & (hh.age[rows] < round(self.max_age * 12))]
        rows = rows[at_benefit_level(model.world, rows)]
        rows = rows[rng.random(rows.size) < self.pair_rate]
        model.merge_households(rows, rng, contract_months=None)

    phase = "outflow"


@register
class MoreRooms(Measure):
    """More rooms and small homes for young people (*jongerenwoningen, Kamers met Aandacht*):
    small social units labelled for allowance-level under-23s, let at most at ``max_rent``, the
    quality-discount limit up to which under-23s get housing allowance (€442.46 in 2021). The
    report asks corporations to give these young people a rent discount and to be compensated
    for it (report, 'Aanpak 18- tot 23-jarigen'): the measure pays, each month, the discount of
    each occupied unit against the mean rent of the municipality's other social homes with as
    many rooms. Building them is costed per completion in the cost table."""

    type: Literal["more_rooms"] = "more_rooms"
    units_per_year: float = Field(default=5000.0, ge=0, le=1e6, description="national, shared by population (M)")
    lead_time: float = Field(default=12.0, ge=1, le=120, description="months from start to keys (M)")
    max_rent: float = Field(
        default=QUALITY_DISCOUNT_LIMIT, ge=0, le=LIBERALISATION_LIMIT, description="EUR/month: highest rent (kwaliteitskortingsgrens 2021)"
    )
    category = "young_adults"
    target = "under_construction_social"
    direction = 1

    def act(self, model, rng) -> None:
        _start_units(model, rng, self.units_per_year, self.lead_time, label=Label.YOUNG, rooms_small=True, max_rent=self.max_rent)
        model.spend(self.discount(model))

    @staticmethod
    def discount(model) -> np.ndarray:
        """EUR this month per municipality: the rent discount of occupied young people's homes
        against comparable social homes (same municipality and rooms, not labelled young)."""
        dw, n = model.world.dw, model.region.size
        young = np.flatnonzero(dw.exists & (dw.label == Label.YOUNG) & (dw.occupant >= 0))
        if young.size == 0:
            return np.zeros(n)
        other = dw.exists & (dw.tenure == Tenure.SOCIAL) & (dw.label != Label.YOUNG)
        rooms = np.clip(dw.rooms, 1, 12).astype(np.int64)
        key = dw.municipality.astype(np.int64) * 13 + rooms
        total = np.bincount(key[other], weights=dw.rent[other], minlength=n * 13)
        count = np.bincount(key[other], minlength=n * 13)
        reference = np.where(count > 0, total / np.maximum(count, 1), 0.0)[key[young]]
        return np.bincount(dw.municipality[young], weights=np.maximum(reference - dw.rent[young], 0.0), minlength=n)


@register
class FriendsContracts(Measure):
    """Friends contracts (*Friendscontract*): three young people share a social family home on a
    contract of ``months`` (two years), after which they move on (seek again); a share of
    family-home vacancies is let this way. As in the Leiderdorp pilot (report, 'De Friendswoning
    – pilot in Leiderdorp': *drie jongeren uit de maatschappelijke opvang gezamenlijk te
    huisvesten in een eengezinswoning*), young shelter residents ready to leave come first, then
    young single seekers living in with others, all from the home's municipality."""

    type: Literal["friends_contracts"] = "friends_contracts"
    share: float = Field(default=0.1, ge=0, le=1, description="share of vacant social family homes (4+ rooms) let to three young people")
    months: int = Field(default=24, ge=6, le=120, description="contract length")
    category = "young_adults"
    target = "waiting"
    direction = -1
    phase = "allocation"
    timing = "before"

    def act(self, model, rng) -> None:
        dw = model.world.dw
        homes = np.flatnonzero(
            dw.vacant
            & (dw.tenure == Tenure.SOCIAL)
            & (dw.rooms >= 4)
            & (dw.label == Label.NONE)
            & (dw.end_month > model.month + 6)
            & ~dw.under_renewal
        )
        homes = homes[rng.random(homes.size) < self.share]
        young = np.concatenate([_shelter_youth(model), _young_seekers(model)])  # shelter residents first
        for d in homes:
            cand = young[model.world.hh.municipality[young] == dw.municipality[d]][:3]
            if cand.size < 3:
                continue
            young = young[~np.isin(young, cand)]
            model.merge_households(cand[None, :], rng, contract_months=self.months, dwelling=int(d))


@register
class YoungRentSupport(Measure):
    """Rent above the quality-discount limit with support for under-23s: allowance-level young
    adults may be offered social homes up to their capping limit (€633.25 for one or two persons
    in 2021), as other allowance households, and special assistance (*bijzondere bijstand*) pays
    them the housing allowance that their age denies them above the quality-discount limit
    (report, 'Aanpak 18- tot 23-jarigen': *vergroot de mogelijkheden voor het huren van woningen
    met een huur net boven de kwaliteitskortingsgrens ... compenseer deze hogere lasten via de
    bijzondere bijstand*). Each month the measure pays, for every under-23 tenant of a social home,
    the allowance the 2021 rules would give a 23-year-old in that home less what the tenant gets
    (abm/income_rules.py): nothing at or below the limit, where under-23s get the allowance."""

    type: Literal["young_rent_support"] = "young_rent_support"
    category = "young_adults"
    target = "allocations"
    direction = 1

    def allocation(self, policy):
        return {"income_appropriate": {"young_rent_support": True}}

    def act(self, model, rng) -> None:
        model.spend(self.support(model))

    @staticmethod
    def support(model) -> np.ndarray:
        """EUR this month per municipality: the housing allowance under-23 tenants of social homes
        miss because of their age (what a 23-year-old would get there less what they get)."""
        w = model.world
        hh, dw = w.hh, w.dw
        rows = np.flatnonzero((hh.place == Place.DWELLING) & (hh.age < 23 * 12))
        rows = rows[dw.tenure[hh.dwelling[rows]] == Tenure.SOCIAL]
        missed = income_rules.of_households(w, rows, young_rule=False) - income_rules.of_households(w, rows)
        return np.bincount(hh.municipality[rows], weights=np.maximum(missed, 0.0), minlength=model.region.size)
