"""Allocation rules as small validated objects, and the policy that combines them.

Each rule has a name, its parameters (validated when built: a wrong value names the field and
the allowed range) and a docstring with its legal or report source. A policy combines them in
the order the Dutch systems use: **eligibility filters** (labels, passend toewijzen, 80-10-10,
neighbourhood cap, local ties), then **routes** (direct placement quotas, lottery), then
**priority classes** (urgency, movers who free a social home), then **ranking** (waiting-time
seniority or lottery number), then **acceptance** (the candidate may refuse). Policies
round-trip through plain dicts (``to_dict`` / ``AllocationPolicy.model_validate``), so they
live in scenario files under ``[allocation]``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Rule(BaseModel):
    """Base of every rule: ``enabled`` switches it; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    enabled: bool = True


class Seniority(Rule):
    """Waiting-time seniority (*inschrijfduur*): the longest-registered eligible seeker wins.
    The default ranking in most Dutch regions (report, 'Beleid en samenwerking'; FACTS C:
    average registration at letting ≈10 years in the Utrecht region)."""


class Lottery(Rule):
    """Lottery (*loting*): a share of vacancies goes to a random eligible seeker, so that
    starters without registration time get a chance (used e.g. in Amsterdam and Utrecht)."""

    enabled: bool = False
    share: float = Field(default=0.1, ge=0, le=1, description="share of vacancies let by lottery")


class Urgency(Rule):
    """Urgency priority (*urgentie*, art. 12-13 Huisvestingswet): households with a valid urgency
    status come before others, on a share of vacancies. Municipalities set who qualifies and for
    how long (report, 'Sociaal urgenten en dreigend daklozen'; 'Medisch urgenten')."""

    vacancy_share: float = Field(default=1.0, ge=0, le=1, description="share of vacancies on which urgency gives priority")
    separation_with_children: bool = Field(default=True, description="separation with children is a ground")
    medical: bool = Field(default=True, description="a care need the home does not meet is a ground")
    homeless: bool = Field(default=False, description="homeless people ready to move (shelter or roofless) qualify")
    months: int = Field(default=12, ge=1, le=60, description="how long the status lasts")


class DirectPlacement(Rule):
    """Direct placement (*directe bemiddeling*) of one group outside the queue: as a share of
    vacancies, as a number of homes per half year (national, shared by population), or — for
    permit holders — against the municipality's half-yearly quota (*taakstelling*,
    Huisvestingswet 2014; report, 'Statushouders' and 'Uitstroom intramurale situatie').
    How routes that claim the same vacancy are ordered, and what happens to a claim that lost,
    is described in ``abm.allocation.engine``."""

    mode: Literal["share", "number", "quota"] = "share"
    share: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="share of vacancies (mode 'share'), each claimed with the route's own draw, independent of other routes",
    )
    per_half_year: float = Field(default=0.0, ge=0, le=1e6, description="homes per half year, national (mode 'number')")


class IncomeAppropriate(Rule):
    """Passend toewijzen (Woningwet art. 46): at least 95 % of households with an
    allowance-level income get a home with a rent below their capping limit (FACTS B, 2021)."""

    min_share: float = Field(default=0.95, ge=0, le=1, description="minimum share of allowance-level lettings below the cap")
    young_rent_support: bool = Field(default=False, description="under-23s may be offered rents up to the capping limit, with support")


class IncomeBands(Rule):
    """The 80-10-10 rule (2021): at least 80 % of social lettings to incomes ≤ €40,024, at most
    10 % to €40,024-44,655 and at most 10 % free (FACTS B)."""

    low_limit: float = Field(default=40024.0, ge=0, description="EUR/yr")
    middle_limit: float = Field(default=44655.0, ge=0, description="EUR/yr")
    middle_share: float = Field(default=0.10, ge=0, le=1)
    free_share: float = Field(default=0.10, ge=0, le=1)


class Labels(Rule):
    """Target-group labels on dwellings (*doelgroepenlabel*): wheelchair homes to wheelchair
    users, senior/zero-step homes to seniors and people with a mobility need, caravan pitches to
    caravan dwellers, young-adult homes to under-23s; ``spill_over`` lets a labelled home go to
    others when no eligible seeker wants it (report, 'Medisch urgenten en rolstoelafhankelijken')."""

    spill_over: bool = False


class MoverPriority(Rule):
    """Priority for households who free a social home (*voorrang doorstromers*), e.g. seniors
    leaving a family home (report, 'Ouderen': 'Knoppen om aan te draaien')."""

    enabled: bool = False
    seniors_only: bool = Field(default=True, description="only households of 65+")
    min_rooms: int = Field(default=4, ge=1, le=10, description="only when leaving a home with at least this many rooms")


class LocalTies(Rule):
    """Local ties (*lokaal maatwerk*, Huisvestingswet art. 14): a share of vacancies kept for the
    municipality's own residents."""

    enabled: bool = False
    share: float = Field(default=0.25, ge=0, le=0.5, description="share of vacancies (the law allows up to 50 %)")


class NeighbourhoodCap(Rule):
    """A cap on vulnerable households per neighbourhood: no more than ``max_share`` of a
    neighbourhood's lettings in a year to vulnerable households — the report's mix of 'asking
    and carrying residents' (*vragende en dragende bewoners*, 'Ruimtelijk')."""

    enabled: bool = False
    max_share: float = Field(default=0.3, ge=0, le=1)


class IronStock(Rule):
    """An iron stock (*ijzeren voorraad*, report 'Snel en flexibel'): a lasting share ``share`` of
    the unlabelled permanent social stock (fixed dwelling rows) whose vacancies go in turn to
    homeless people, institution leavers or permit holders (the measure ``iron_stock``), while a
    share ``regular_share`` of these homes goes through the regular queue for the mix."""

    enabled: bool = False
    share: float = Field(default=0.05, ge=0, le=0.5, description="share of the regular social stock in the iron stock")
    regular_share: float = Field(default=0.3, ge=0, le=1, description="share of its homes let through the regular queue (the mix)")


class Acceptance(Rule):
    """Candidates may refuse an offer: a base refusal rate, more in weak neighbourhoods, and
    seniors moving out of a social home accept only now and then unless moving pays (same
    rent, nearby) — the doorstroming blockage of the report ('Ouderen')."""

    refusal: float = Field(default=0.15, ge=0, le=1, description="base chance to refuse an offer")
    weak_neighbourhood_refusal: float = Field(default=0.15, ge=0, le=1, description="extra refusal in the weakest third")
    senior_accept: float = Field(default=0.35, ge=0, le=1, description="chance a senior in a social home accepts a move")
    senior_accept_if_pays: float = Field(
        default=0.8, ge=0, le=1, description="same, when rent does not rise and the home is in the same municipality"
    )
    max_offers: int = Field(default=8, ge=1, le=100, description="offers per vacancy per month before it waits")


class AllocationPolicy(BaseModel):
    """How social vacancies are let: the rules and their settings (defaults: 2021 practice)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    seniority: Seniority = Seniority()
    lottery: Lottery = Lottery()
    urgency: Urgency = Urgency()
    refugees: DirectPlacement = DirectPlacement(mode="quota")
    institution_leavers: DirectPlacement = DirectPlacement(share=0.03)
    homeless: DirectPlacement = DirectPlacement(share=0.02)
    income_appropriate: IncomeAppropriate = IncomeAppropriate()
    income_bands: IncomeBands = IncomeBands()
    labels: Labels = Labels()
    mover_priority: MoverPriority = MoverPriority()
    local_ties: LocalTies = LocalTies()
    neighbourhood_cap: NeighbourhoodCap = NeighbourhoodCap()
    iron_stock: IronStock = IronStock()
    acceptance: Acceptance = Acceptance()

    def to_dict(self) -> dict:
        return self.model_dump()

    @classmethod
    def seniority_only(cls) -> AllocationPolicy:
        """Only waiting-time seniority within size, affordability and labels: no urgency, no
        direct placement, no refusals (the simplest rule, for comparison)."""
        return cls(
            urgency=Urgency(enabled=False),
            refugees=DirectPlacement(enabled=False),
            institution_leavers=DirectPlacement(enabled=False),
            homeless=DirectPlacement(enabled=False),
            income_bands=IncomeBands(enabled=False),
            acceptance=Acceptance(enabled=False),
        )


#: How an allocation was decided (the ``allocations_<route>`` indicators).
ROUTES = ("seniority", "lottery", "urgency", "mover_priority", "direct_refugee", "direct_institution", "direct_homeless")


def markdown_table() -> str:
    """The allocation-policy table of ``docs/ODD.md``: rule, setting, default, meaning."""
    lines = ["| rule | setting | default | meaning |", "|---|---|---|---|"]
    default = AllocationPolicy()
    for name in AllocationPolicy.model_fields:
        rule = getattr(default, name)
        doc = " ".join((type(rule).__doc__ or "").split())
        first = doc.split(". ")[0].rstrip(".")
        for fname, f in type(rule).model_fields.items():
            meaning = f.description or ("switches the rule on or off" if fname == "enabled" else "")
            lines.append(f"| `{name}` | `{fname}` | {getattr(rule, fname)} | {meaning} |")
        lines.append(f"| `{name}` | | | *{first}.* |")
    return "\n".join(lines)
