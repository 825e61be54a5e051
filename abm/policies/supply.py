"""More supply (*verruiming aanbod*): flex homes, split and topped-up homes, transformed
offices and state real estate, a social construction programme, a minimum affordable share
(report, 'Spoedpakket: Verruiming aanbod'; 'Flexwonen'; 'Rijksvastgoedbedrijf')."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..allocation.classes import CAPPING_LIMIT_LARGE
from ..codes import Label, Tenure
from ..households import NEVER
from ..processes.construction import lead_time
from .base import Measure, register

NATIONAL_SOCIAL_STOCK = 2_301_075  # corporation homes 1 Jan 2021 (FACTS A, D)


def _start_units(
    model,
    rng,
    per_year_national: float,
    lead: float,
    flex: bool = False,
    label: Label = Label.NONE,
    rooms_small: bool = False,
    max_rent: float = float("inf"),
) -> np.ndarray:
    """Start Poisson(per-year × population share / 12) social units per municipality, let by the
    municipality's corporation; ``max_rent`` caps their rent (EUR/month). Returns the counts."""
    reg = model.region
    n = rng.poisson(per_year_national * reg.population_share / 12.0)
    for m in np.flatnonzero(n):
        corp = int(model.corporation_of_municipality[m])
        model.pipeline.start(
            model.month + max(1, round(lead)),
            m,
            Tenure.SOCIAL,
            int(n[m]),
            corporation=corp,
            flex=flex,
            label=label,
            small=rooms_small,
            max_rent=max_rent,
        )
    return n


@register
class FlexHousing(Measure):
    """A flex-housing programme (*flexwonen*): ``units_per_year`` flex homes started for
    ``years`` from the measure's start (nationally, shared by population), on temporary sites
    delivered within months, for a lifetime of 5-15 years; tenants have a temporary contract
    and, if ``follow_up``, a guaranteed follow-up home (urgency when the contract ends). The
    default is the agreement of BZK, Aedes and VNG the report asks to keep: 10,000 flex homes
    in all, realised within two years (report, 'Spoedpakket: Verruiming aanbod'), so 5,000 a
    year for two years, on top of the flex homes municipalities build anyway
    (``flex_build_rate``, ≈1,840 in 2021, FACTS D). The homes are costed once, per completion,
    in the cost table (``flex_home_build``), not here.

    Targeted (``target_share``): flex homes serve *aandachtsgroepen* who need a home fast, as a
    step towards a permanent one, "bijvoorbeeld (dreigend) daklozen", in "een goede mix van
    reguliere woningzoekenden én verschillende aandachtsgroepen" (report, 'Snel en flexibel').
    While the measure runs, ``target_share`` of all flex homes (the programme's and the
    municipalities' own) go first, by direct placement, to homeless people (on the street or in
    a shelter, ready to leave) and to institution leavers (protected housing, detention, youth
    care), half of the earmarked homes to each group first; a home neither group fits is let as
    usual. The default of one half is the report's mix (M)."""

    type: Literal["flex_housing"] = "flex_housing"
    units_per_year: float = Field(
        default=5000.0, ge=0, le=1e6, description="national, shared by population (the agreement: 10,000 in two years)"
    )
    years: float = Field(default=2.0, gt=0, le=30, description="years the programme starts homes (the agreement: two)")
    lead_time: float = Field(default=6.0, ge=1, le=60, description="months from start to keys")
    lifetime: float = Field(default=120.0, ge=12, le=360, description="months a site stays")
    follow_up: bool = Field(default=True, description="tenants get urgency when their contract ends")
    target_share: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="share of flex homes offered first to homeless people and institution leavers (the report's mix: M)",
    )
    category = "more_supply"
    target = "allocations"
    direction = 1

    def params(self, p):
        return {
            "flex_site_lifetime": self.lifetime,
            "temporary_follow_up": 1.0 if self.follow_up else p.temporary_follow_up,
            "flex_target_share": max(p.flex_target_share, self.target_share),
        }

    def act(self, model, rng) -> None:
        if model.month - max(self.start, 1) >= self.years * 12:  # the programme is complete
            return
        _start_units(model, rng, self.units_per_year, self.lead_time, flex=True)


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
    optoppen, uitbouwen*). The default is the lower end of Platform31's estimate that better use
    of the existing stock yields 15,000-25,000 extra homes a year nationally (report,
    'Spoedpakket: Verruiming aanbod')."""

    type: Literal["split_homes"] = "split_homes"
    units_per_year: float = Field(default=15000.0, ge=0, le=1e6, description="national, shared by population (Platform31: 15,000-25,000)")
    lead_time: float = Field(default=12.0, ge=1, le=120, description="months from start to keys (M)")


@register
class Transformation(_SmallUnits):
    """Transforming offices and state real estate (*transformatie, Rijksvastgoedbedrijf*) into
    small homes. The report gives no number (the RVB advises and scans vacant public real
    estate, 'Rijksvastgoedbedrijf en aandachtsgroepen'); the default of 5,000 a year is an
    assumption (M)."""

    type: Literal["transformation"] = "transformation"
    units_per_year: float = Field(default=5000.0, ge=0, le=1e6, description="national, shared by population (M)")
    lead_time: float = Field(default=18.0, ge=1, le=120, description="months from start to keys (M)")


AGREEMENT_HOMES = 150_000  # social homes with rents up to the first capping limit (report, 'Spoedpakket: Verruiming aanbod')
AGREEMENT_YEARS = 4.5  # from the model's start (January 2021) to 1 July 2025, when they must be built


@register
class SocialConstruction(Measure):
    """A social construction programme: corporations build ``homes_per_year`` nationally, scaled
    to their stock, limited by their investment capacity (``capacity`` homes a year nationally,
    raised when the landlord levy goes). The default is the agreement's pace the report asks
    corporations to keep: 150,000 social homes built before 1 July 2025 (report, 'Spoedpakket:
    Verruiming aanbod'), 4.5 years from January 2021, ≈33,000 a year; for the longer run the
    report names 25,000 a year to 2030 (note 8, 'Opgave en middelen'). At the default capacity
    the pace is not reached unless capacity rises."""

    type: Literal["social_construction"] = "social_construction"
    homes_per_year: float = Field(
        default=round(AGREEMENT_HOMES / AGREEMENT_YEARS, -3),  # 33,000, on the app's slider steps
        ge=0,
        le=1e6,
        description="national; default the agreement's 150,000 homes by July 2025 (25,000: the pace to 2030)",
    )
    capacity: float = Field(default=20000.0, ge=0, le=1e6, description="homes a year corporations can finance, national (M)")
    category = "more_supply"
    target = "under_construction_social"
    direction = 1

    def params(self, p):
        # Corporations start stock × social_build_rate × corporation_capacity a year (see
        # ``Corporation.step``), so the rate is the programme divided by the capacity factor:
        # otherwise a raised capacity (levy abolished) would count twice and overshoot the pace.
        homes = min(self.homes_per_year, self.capacity * p.corporation_capacity)
        return {"social_build_rate": max(p.social_build_rate, homes / NATIONAL_SOCIAL_STOCK / max(p.corporation_capacity, 1e-9))}


@register
class AffordableMinimum(Measure):
    """A minimum share of the housing stock available to low incomes in every municipality,
    reached within five years (report, 'Spoedpakket: Verruiming aanbod': *ondergrens van 30 %
    voor de woonvoorraad die beschikbaar is voor mensen met lage inkomens*). Affordable stock is
    the social rent stock plus private rents up to ``private_rent_limit``; homes under
    construction count with it (permanent ones: flex homes go again). Each year a municipality
    below the minimum starts, as social homes, the missing homes spread over the years left."""

    type: Literal["affordable_minimum"] = "affordable_minimum"
    min_share: float = Field(default=0.30, ge=0, le=0.9, description="share of the stock (the report: 30 %)")
    years: int = Field(default=5, ge=1, le=30, description="years to reach it (the report: five)")
    private_rent_limit: float = Field(
        default=CAPPING_LIMIT_LARGE,
        ge=0,
        le=2000,
        description="EUR/month: private rents up to this count as affordable (default: the higher capping limit 2021)",
    )
    category = "more_supply"
    target = "under_construction_social"
    direction = 1

    def missing(self, model) -> np.ndarray:
        """Homes each municipality must add to reach ``min_share``, counting its pipeline: with
        A affordable of T homes, x new affordable homes reach the share when
        (A + x) / (T + x) = min_share."""
        dw, n = model.world.dw, model.region.size
        affordable = dw.exists & (
            ((dw.tenure == Tenure.SOCIAL) & (dw.end_month == NEVER))
            | ((dw.tenure == Tenure.PRIVATE) & (dw.rent <= self.private_rent_limit))
        )
        permanent = dw.exists & (dw.end_month == NEVER)
        a = np.bincount(dw.municipality[affordable], minlength=n) + model.pipeline.social_by_municipality(n)
        t = np.bincount(dw.municipality[permanent], minlength=n) + model.pipeline.permanent_by_municipality(n)
        return np.maximum(self.min_share * t - a, 0) / (1 - self.min_share)

    def act(self, model, rng) -> None:
        first = max(self.start, 1)  # month 1 is the first month that runs
        if (model.month - first) % 12 != 0:
            return
        left = self.years - (model.month - first) // 12
        if left <= 0:
            return
        gap = self.missing(model) / left
        for m in np.flatnonzero(gap >= 1):
            model.pipeline.start(
                model.month + lead_time(model.params.permanent_lead_time, rng),
                m,
                Tenure.SOCIAL,
                int(gap[m]),
                corporation=int(model.corporation_of_municipality[m]),
            )
