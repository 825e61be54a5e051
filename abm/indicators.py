"""The output contract: a tidy table of indicators per month, municipality and group.

``indicators.parquet`` has the columns ``month`` (int, 0 = start), ``municipality`` (CBS code
such as GM0344, or ``total``), ``group`` (a group name or ``all``), ``indicator`` and
``value`` (float; NaN where a statistic has no observations, e.g. a median of no lettings).
The indicators are listed in ``INDICATORS`` with their meaning and unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import income_rules, support
from .allocation import ROUTES
from .allocation.policy import IncomeBands
from .chains import PASSED, concat
from .codes import (
    GROUPS,
    CareNeed,
    ChainEnd,
    DwellingType,
    Flag,
    HomelessCause,
    InstitutionKind,
    Label,
    Place,
    StockChange,
    SupportBy,
    SupportLevel,
    Tenure,
    VacancyCause,
)
from .households import NEVER
from .processes import pitches
from .processes.liveability import vulnerable_counts

CHAIN_STARTS = ("new_build", "death", "left_region", "nursing_home", "flex", "eviction", "contract_end", "senior_move")
CHAIN_END_TEXT = {
    ChainEnd.STARTER: "a starter living in (young adult, split household)",
    ChainEnd.INSTITUTION: "someone leaving an institution",
    ChainEnd.HOMELESS: "a roofless household",
    ChainEnd.NEWCOMER: "a newcomer from outside the region",
    ChainEnd.DEMOLISHED: "the vacant home leaving the stock",
}

#: indicator name -> (meaning, unit, broken down by group?)
INDICATORS: dict[str, tuple[str, str, bool]] = {
    "households": ("households present in the region (incl. living in, homeless, institutions)", "households", True),
    "homeless": ("roofless people plus residents of homeless and women's shelters", "households", True),
    "homeless_cbs": (
        "homeless people as CBS counts them (feitelijk daklozen): aged 18-65, roofless (sleeping rough, in night shelters, "
        "staying irregularly with others) or in a homeless shelter (MO); not women's shelters",
        "persons",
        True,
    ),
    "households_housed": (
        "households living in a dwelling (CBS private households: not living in, homeless or in institutions)",
        "households",
        True,
    ),
    "in_institution": ("residents of any institution", "households", True),
    "blocked_in_institution": ("institution residents ready to leave but without a home", "households", True),
    "blocked_months_mean": ("mean months blocked of those blocked", "months", True),
    "waiting": ("registered seekers actively seeking a social home", "households", True),
    "allocations": ("social homes let this month", "lettings", True),
    "wait_months_median": ("registration time at letting, median, of those housed this month", "months", True),
    "wait_months_p90": ("registration time at letting, 90th percentile", "months", True),
    "vacancies": ("social homes that fell vacant this month (incl. new builds, chain links)", "dwellings", False),
    "moves": ("households that moved into a dwelling this month (any tenure)", "households", True),
    "evictions": ("evictions of corporation tenants this month", "households", True),
    "completions": ("dwellings completed this month (any tenure, incl. flex)", "dwellings", False),
    "completions_social": ("permanent social homes completed this month (incl. split and transformed units)", "dwellings", False),
    "completions_flex": ("flex homes completed this month", "dwellings", False),
    "completions_market": ("private and owner-occupied homes completed this month", "dwellings", False),
    "social_demolished": (
        "corporation homes demolished this month (sloop), vacated ones and renewal homes once their tenant left",
        "dwellings",
        False,
    ),
    "caravan_pitches": ("caravan pitches in the stock (woonwagenstandplaatsen), end of the month", "dwellings", False),
    "caravan_seekers": (
        "caravan dwellers seeking a pitch, not living on one (the pitches' waiting list), end of the month",
        "households",
        False,
    ),
    "caravan_pitches_started": (
        "caravan pitches municipalities started this month (January; abm/processes/pitches.py)",
        "dwellings",
        False,
    ),
    "social_renewal_notices": (
        "occupied corporation homes given notice of demolition this month (herstructurering): their tenants get urgency to be rehoused",
        "dwellings",
        False,
    ),
    "social_sold": ("vacant corporation homes sold to the owner-occupied market this month (verkoop)", "dwellings", False),
    "social_liberalised": ("vacant corporation homes liberalised into private rent this month (liberalisatie)", "dwellings", False),
    "measure_cost": ("spending on measures this month (subsidies, support, bonuses), EUR", "EUR", False),
    "social_stock": ("social homes (corporation-owned) in existence", "dwellings", False),
    "vacant_social": ("social homes vacant at the end of the month", "dwellings", False),
    "in_shelter": ("residents of homeless shelters (MO)", "households", False),
    "in_womens_shelter": ("residents of women's shelters", "households", False),
    "in_protected_housing": ("residents of protected housing (BW)", "households", False),
    "in_asylum_centre": ("permit holders in asylum centres", "households", False),
    "in_detention": ("people in detention", "households", False),
    "in_youth_care": ("residents of residential youth care", "households", False),
    # Displacement (verdringing): who gets the vacancies, and by which rule.
    **{f"allocations_{r}": (f"social lettings decided by {r.replace('_', ' ')}", "lettings", True) for r in ROUTES},
    "priority_share": (
        "share of this month's lettings decided by a priority route (urgency, direct placement, mover priority)",
        "share",
        False,
    ),
    "priority_group_share": ("share of this month's lettings to households in a priority group (not regular)", "share", False),
    "refusals": ("offers refused this month (by the municipality of the home offered)", "offers", True),
    "in_arrears": ("corporation tenants in rent arrears", "households", False),
    "housing_allowance": ("housing allowance (huurtoeslag, 2021 rules) of households renting their home, this month", "EUR", True),
    "housing_allowance_recipients": ("households renting their home that get a housing allowance", "households", True),
    "homes_lost_detention": ("tenants who lost their home on entering detention this month", "households", False),
    "left_social_for_market": ("social tenants who moved to a private or owner-occupied home this month", "households", False),
    "under_construction_social": ("social homes under construction (permanent, incl. split and transformed units)", "dwellings", False),
    "allocations_outside_municipality": ("social lettings to households from another municipality", "lettings", False),
    "municipal_effort": (
        "municipality's effort for homeless people and institution leavers, 0..1 (a factor on their direct-placement shares; "
        "decided yearly, abm/decisions.py); total: population-weighted mean",
        "index",
        False,
    ),
    # Blocked flow by institution kind.
    **{
        f"blocked_{k.name.lower()}": (
            f"residents of {k.name.lower().replace('_', ' ')} ready to leave but without a home",
            "households",
            False,
        )
        for k in InstitutionKind
    },
    **{
        f"blocked_months_{k.name.lower()}": (f"mean months blocked in {k.name.lower().replace('_', ' ')}", "months", False)
        for k in InstitutionKind
    },
    # Concentration of vulnerable households.
    "vulnerable_share": ("share of housed households that are vulnerable", "share", False),
    "dissimilarity_index": (
        "dissimilarity of vulnerable vs other housed households over neighbourhoods (0 even .. 1 apart)",
        "index",
        False,
    ),
    "neighbourhoods_concentrated": ("neighbourhoods whose vulnerable share exceeds concentration_threshold", "neighbourhoods", False),
    "vulnerable_in_weak_neighbourhoods": (
        "share of vulnerable housed households living in the weakest third of neighbourhoods",
        "share",
        False,
    ),
    "direct_placements_centre_share": (
        "share of the month's direct placements of homeless people and institution leavers housed in centre municipalities "
        "(region total only)",
        "share",
        False,
    ),
    "social_in_weak_neighbourhoods": (
        "share of the social stock (corporation and flex homes) standing in the weakest third of neighbourhoods",
        "share",
        False,
    ),
    "liveability_mean": ("mean liveability of the neighbourhoods (0 weak .. 1 strong; moves each January)", "index", False),
    # Vacancy chains (verhuisketens, abm/chains.py), by the municipality where the chain ended.
    "chains_ended": (
        "vacancy chains that ended this month (a household from outside the stock moved in, or the vacant home left the stock)",
        "chains",
        False,
    ),
    "chain_moves_mean": ("mean moves per chain ended this month", "moves", False),
    **{
        f"chain_moves_mean_{c}": (
            f"mean moves of chains started by {c.replace('_', ' ')}"
            + (" (first mover a senior leaving a social family home; also counted under the start cause)" if c == "senior_move" else ""),
            "moves",
            False,
        )
        for c in CHAIN_STARTS
    },
    **{
        f"chains_ended_{e.name.lower()}": (
            "chains ended because the vacant home left the stock" if e == ChainEnd.DEMOLISHED else f"chains ended by a {e.name.lower()}",
            "chains",
            False,
        )
        for e in ChainEnd
    },
    # Chains as CBS counts them (Verhuisketens): chains started by new builds, per new build
    # completed this month, by the municipality of the new build (run-level cohort figures:
    # abm.chains.cohort_table).
    "chain_vacated_per_new_build": (
        "dwellings vacated this month along chains started by new builds (any start month), per new build completed this month",
        "dwellings per new build",
        False,
    ),
    "chain_reoccupied_per_new_build": (
        "dwellings vacated along chains started by new builds and re-occupied this month, per new build completed this month",
        "dwellings per new build",
        False,
    ),
    "chain_reoccupied_first_link_per_new_build": (
        "first links re-occupied this month (homes left by a new build's first occupants), per new build completed this month",
        "dwellings per new build",
        False,
    ),
    **{
        f"chain_end_share_{e.name.lower()}": (
            f"share of the chains started by new builds ending this month that ended by {CHAIN_END_TEXT[e]}",
            "share",
            False,
        )
        for e in ChainEnd
    },
    "chain_end_share_immigrant": (
        "of those, the share ended by a newcomer from abroad (part of chain_end_share_newcomer; the rest came from elsewhere in the "
        "Netherlands, whose chains CBS follows on outside the region)",
        "share",
        False,
    ),
    "chains_open": ("vacancy chains open at the end of the month (every vacant home is the open end of a chain)", "chains", False),
    "chains_open_new_build": ("chains started by new builds still open at the end of the month", "chains", False),
    # Care and support (begeleiding, Wmo, beschermd wonen; abm/support.py).
    "support_need": (
        "households with a support need (light or intensive ambulatory support, or 24-hour care in protected housing)",
        "households",
        True,
    ),
    "support_given": ("households with a support need who have support (a Wmo place or a Housing First team)", "households", True),
    "support_unmet": ("households with a support need and no support (waiting for a place, or housed without one)", "households", True),
    "held_for_support": (
        "households not offered a home because their placement waits for support (a Wmo place, or protected housing for 24-hour care)",
        "households",
        True,
    ),
    "placed_with_support": ("social lettings to households with a support need who had support at the letting", "lettings", True),
    "placed_without_support": ("social lettings to households with a support need who had no support at the letting", "lettings", True),
    "evictions_nuisance": ("evictions of corporation tenants for nuisance (woonoverlast; part of evictions)", "households", True),
    "iron_stock_lettings": (
        "lettings of iron-stock homes (ijzeren voorraad) to homeless people, leavers or permit holders",
        "households",
        True,
    ),
    "skaeve_huse_placed": ("nuisance cases placed in a Skaeve Huse unit instead of being evicted", "households", True),
    "skaeve_huse_residents": ("households living in a Skaeve Huse unit", "households", False),
    "skaeve_huse_returning": ("Skaeve Huse residents seeking a regular home (the way back)", "households", False),
    "support_places": ("Wmo support places (ambulatory begeleiding) of the municipality", "places", False),
    "support_places_free": ("Wmo support places not in use", "places", False),
    "support_given_light": ("households with a Wmo place for light support", "households", False),
    "support_given_intensive": ("households with a Wmo place for intensive support", "households", False),
    "support_housing_first": ("households supported by a Housing First team", "households", False),
    "support_cost": ("the municipality's cost of the Wmo support places in use this month, EUR", "EUR", False),
    "social_domain_cost": (
        "the municipality's social-domain cost this month (Wmo support in use, permit holders' participation support), EUR",
        "EUR",
        False,
    ),
    # Municipalities that decide (abm/decisions.py).
    "urgency_months": ("urgency duration the municipality grants; total: population-weighted mean", "months", False),
    "urgency_homeless_ground": ("1 if homelessness is an urgency ground of the municipality; total: share of municipalities", "0/1", False),
    "flex_factor": (
        "factor on the municipality's share of the flex programme (decided yearly); total: population-weighted mean",
        "factor",
        False,
    ),
    "permit_factor": (
        "factor on the build plans of the municipality's corporations: the building permits it grants (decided yearly); total: "
        "population-weighted mean",
        "factor",
        False,
    ),
    "attracted_in": (
        "priority seekers without a home who moved in from a less active municipality (aanzuigende werking)",
        "households",
        False,
    ),
    "province_escalation": (
        "step of the province's supervision of the permit-holder quota (0 on track, 1 signal, 2 aanschrijving, 3 "
        "indeplaatsstelling); total: municipalities at step 1 or higher",
        "step",
        False,
    ),
    "agreement_letting_met": (
        "1 if the municipality met its performance agreement's letting commitment (priority lettings) in the last year scored, 0 "
        "if missed, empty before the first scoring; total: share of municipalities that met it",
        "0/1",
        False,
    ),
    "agreement_build_met": (
        "1 if its corporations met the performance agreement's build commitment (social homes started) in the last year scored; "
        "total: share of municipalities that met it",
        "0/1",
        False,
    ),
    # What the report asks to monitor (issue 16 §5).
    "quota_realised": (
        "persons housed against the permit-holder quota so far this half year, as a share of the half year's quota (its own "
        "share plus the backlog carried in); at June and December the half year's realisation; total: housed over quota",
        "share",
        False,
    ),
    "lettings_income_low": ("social lettings to incomes up to the 80-10-10 rule's low limit (EUR 40,024 in 2021)", "lettings", True),
    "lettings_income_middle": (
        "social lettings to incomes between the low and the middle limit (EUR 40,024-44,655): the 10 % room",
        "lettings",
        True,
    ),
    "lettings_income_high": ("social lettings to incomes above the middle limit (EUR 44,655): the free 10 %", "lettings", True),
    "homes_needed": (
        "seekers without a home of their own (roofless, in an institution or shelter, living in with others): the extra homes "
        "the waiting lists imply, since a housed seeker who moves frees a home",
        "households",
        True,
    ),
    "social_share": ("social (corporation) homes as a share of all homes", "share", False),
    "social_share_below_minimum": (
        "1 if the municipality's social share is below social_share_minimum (30 %); total: municipalities below it",
        "0/1",
        False,
    ),
    "homeless_inflow": (
        "households who became roofless or sofa-surfing or entered a homeless or women's shelter this month, any cause "
        "(dak- en thuisloos; the sum of the homeless_inflow_* causes)",
        "households",
        True,
    ),
    "homeless_inflow_eviction": ("of those, evicted tenants (arrears or nuisance), to the street or a shelter", "households", True),
    "homeless_inflow_separation": ("of those, leaving partners of a separation, to a women's shelter", "households", True),
    "homeless_inflow_labour_migrant": ("of those, labour migrants who lost work and the employer's housing with it", "households", True),
    "homeless_inflow_other": ("of those, new homelessness besides the modelled causes (new_homeless_rate)", "households", True),
    "homeless_inflow_left_home": (
        "of those, young adults who left a benefit household at the cost-sharing age (kostendelersnorm, abm/processes/cost_sharing.py)",
        "households",
        True,
    ),
    "institution_exits_without_home": (
        "residents ready to leave an institution or shelter who left to live in with others, without a home of their own "
        "(uitstroom zonder woning)",
        "households",
        True,
    ),
    "wheelchair_seekers_per_home": (
        "seekers who need a wheelchair home per wheelchair home (rolstoelwoning, type or label) of the municipality",
        "seekers per home",
        False,
    ),
    # Mismatch.
    "seniors_underoccupying": ("households 65+ in social homes with at least two rooms more than persons", "households", False),
    "large_refugee_families_waiting": ("permit-holder households of 5+ persons seeking a home", "households", False),
}
INDICATOR_NAMES = list(INDICATORS)
GROUP_NAMES = ["all", *GROUPS]

_AT_LETTING = "each letting (allocation phase); groups just before the household moves in; municipality of the home let"
_MONTH_END = "end of the month (after the allocation phase)"
#: indicator name -> when it is measured and what its group and municipality mean (docs/ODD.md).
MEASURED_WHEN: dict[str, str] = {
    **dict.fromkeys(INDICATOR_NAMES, _MONTH_END),
    **dict.fromkeys(
        (
            "households",
            "homeless",
            "homeless_cbs",
            "households_housed",
            "in_institution",
            "blocked_in_institution",
            "blocked_months_mean",
            "waiting",
        ),
        "end of the month; groups at the end of the month; the household's municipality then",
    ),
    "homeless": "end of the month: households roofless (place HOMELESS: sleeping rough, in night shelters or staying irregularly "
    "with others) plus residents of homeless (MO) and women's shelters, any age, one per household (the report's broad "
    "'dak- en thuisloos'); groups and municipality at the end of the month (shelter residents in the shelter's centre municipality)",
    "homeless_cbs": "end of the month: adults (persons) aged 18-65 roofless or in a homeless (MO) shelter, as CBS counts "
    "feitelijk daklozen (indicators.homeless_cbs_mask); groups and municipality at the end of the month",
    **dict.fromkeys(("allocations", *(f"allocations_{r}" for r in ROUTES), "priority_share", "priority_group_share"), _AT_LETTING),
    "wait_months_median": f"registration time at {_AT_LETTING}",
    "wait_months_p90": f"registration time at {_AT_LETTING}",
    "allocations_outside_municipality": "each letting; the household's municipality just before the move differs from the home's",
    "moves": "each move into a dwelling (any phase, any tenure); groups just before the move; municipality moved into",
    "evictions": "each eviction (economy phase); the tenant's groups and municipality just before the eviction",
    "refusals": "each refused offer (allocation phase); the refuser's groups at the offer; municipality of the home offered",
    "homes_lost_detention": "each tenant entering detention without keeping the home (institutions phase); municipality of the home lost",
    "left_social_for_market": "each move of a social tenant to a market home (market phase); municipality at the end of the month",
    "vacancies": "each social home falling vacant during the month (incl. chain links); municipality of the home",
    "measure_cost": "sum of the month's spending on measures",
    **dict.fromkeys(
        ("social_demolished", "social_sold", "social_liberalised"),
        "each home a corporation takes out of social letting (construction phase, abm/processes/stock_changes.py); municipality of the home",
    ),
    **dict.fromkeys(("caravan_pitches", "caravan_seekers"), "end of the month; municipality of the pitch or the seeker"),
    "caravan_pitches_started": "each start (construction phase, January); the municipality",
    "direct_placements_centre_share": "each letting by direct placement of homeless people and institution leavers (allocation phase); the home's municipality",
    "social_renewal_notices": "each notice (construction phase, abm/processes/stock_changes.py); municipality of the home",
    **dict.fromkeys(
        (n for n in INDICATOR_NAMES if n.startswith("completions")), "each completion during the month; municipality of the home"
    ),
    **dict.fromkeys(
        (n for n in INDICATOR_NAMES if n.startswith("chain")),
        "each chain ending during the month (a household from outside the stock moves in, or the vacant home leaves the stock); "
        "municipality of that home",
    ),
    **dict.fromkeys(
        ("chain_vacated_per_new_build", "chain_reoccupied_per_new_build", "chain_reoccupied_first_link_per_new_build"),
        "each link of a new-build chain during the month (a move that vacates or re-occupies a home along it, any tenure), divided by "
        "the new builds completed that month (a flow estimate of the cohort figure of abm.chains.cohort_table); "
        "municipality of the new build",
    ),
    **dict.fromkeys(
        (*(f"chain_end_share_{e.name.lower()}" for e in ChainEnd), "chain_end_share_immigrant"),
        "each new-build chain ending during the month, whatever its start month; municipality of the new build",
    ),
    "chains_open": "end of the month; municipality of the vacant home",
    **dict.fromkeys(
        ("support_need", "support_given", "support_unmet", "held_for_support"),
        "end of the month (after support places are given); groups at the end of the month; the household's municipality then",
    ),
    **dict.fromkeys(
        ("placed_with_support", "placed_without_support"),
        "each letting to a household with a support need (allocation phase), support as it was at the letting (before the month's "
        "free places are given); groups just before the household moves in; municipality of the home let",
    ),
    "evictions_nuisance": "each eviction for nuisance (economy phase); the tenant's groups and municipality just before the eviction",
    "iron_stock_lettings": "each letting (allocation phase); groups just before the move; municipality of the home let",
    "skaeve_huse_placed": "each referral (economy phase); groups just before the move; municipality of the Skaeve Huse unit",
    **dict.fromkeys(("skaeve_huse_residents", "skaeve_huse_returning"), "end of the month; groups then; municipality of the unit"),
    **dict.fromkeys(
        ("support_places", "support_places_free", "support_given_light", "support_given_intensive", "support_housing_first"),
        "end of the month (after support places are given); municipality where the supported household lives",
    ),
    **dict.fromkeys(
        ("support_cost", "social_domain_cost"),
        "the month's cost (indicators phase) of support in use at the end of the month and of permit holders housed in the last "
        "social_support_months; the municipality that pays (where the household lives, or the home let)",
    ),
    "chains_open_new_build": "end of the month; municipality of the new build",
    **dict.fromkeys(
        ("municipal_effort", "urgency_months", "urgency_homeless_ground", "flex_factor", "permit_factor"),
        "end of the month: the decision in force (set each January, abm/decisions.py)",
    ),
    "quota_realised": "end of the month: persons housed since the half year began (January, July) over its quota; municipality of the quota",
    **dict.fromkeys(
        ("lettings_income_low", "lettings_income_middle", "lettings_income_high"),
        "each letting (allocation phase), income at the letting against the policy's income_bands limits; groups just before the "
        "move; municipality of the home let",
    ),
    "homes_needed": "end of the month; groups then; the seeker's municipality",
    **dict.fromkeys(("social_share", "social_share_below_minimum"), "end of the month; municipality of the homes"),
    **dict.fromkeys(
        ("homeless_inflow", *(f"homeless_inflow_{c.name.lower()}" for c in HomelessCause)),
        "each entry (economy phase: evictions; demography: separations and young adults leaving a benefit household; inflow: labour migrants; institutions: new homelessness); "
        "groups and municipality just before it (for evictions the municipality of the home lost)",
    ),
    **dict.fromkeys(
        ("housing_allowance", "housing_allowance_recipients"),
        "the month's assessment (economy phase, after the income shocks, before evictions and lettings): renters housed then "
        "and still in the region at the end of the month; their groups and municipality at the end of the month",
    ),
    "institution_exits_without_home": "each exit (institutions phase); groups and municipality of the institution just before it",
    "wheelchair_seekers_per_home": "end of the month; seekers' municipality over the wheelchair homes there",
    "attracted_in": "each move toward a more active municipality (allocation phase, before the lettings); municipality moved to",
    "province_escalation": "end of the month: the step set at the last half-year check (January, July)",
    **dict.fromkeys(
        ("agreement_letting_met", "agreement_build_met"),
        "end of the month: the outcome of the last calendar year scored (each January, against the reference year)",
    ),
}


def markdown_table() -> str:
    """The indicator timing table of ``docs/ODD.md``: name, by group, measured when."""
    lines = ["| indicator | by group | measured when (and what group and municipality mean) |", "|---|---|---|"]
    for name in INDICATOR_NAMES:
        lines.append(f"| `{name}` | {'yes' if INDICATORS[name][2] else 'no'} | {MEASURED_WHEN[name]} |")
    return "\n".join(lines)


KIND_INDICATOR = {
    InstitutionKind.SHELTER: "in_shelter",
    InstitutionKind.WOMENS_SHELTER: "in_womens_shelter",
    InstitutionKind.PROTECTED_HOUSING: "in_protected_housing",
    InstitutionKind.ASYLUM_CENTRE: "in_asylum_centre",
    InstitutionKind.DETENTION: "in_detention",
    InstitutionKind.YOUTH_CARE: "in_youth_care",
}


class Recorder:
    """Collects one block of indicator values per month; ``frame()`` returns the tidy table."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes
        self.blocks: list[tuple[int, np.ndarray]] = []  # (month, values[indicator, municipality+1, group])
        self.latest: np.ndarray | None = None

    def record(self, month: int, values: np.ndarray) -> None:
        self.blocks.append((month, values))
        self.latest = values

    def total(self, indicator: str, group: str = "all") -> float:
        """Latest value for the whole region."""
        if self.latest is None:
            return float("nan")
        return float(self.latest[INDICATOR_NAMES.index(indicator), -1, GROUP_NAMES.index(group)])

    def series(self, indicator: str, group: str = "all") -> tuple[np.ndarray, np.ndarray]:
        """(months, values) of one region-total series, without building the whole table."""
        i, g = INDICATOR_NAMES.index(indicator), GROUP_NAMES.index(group)
        months = np.array([m for m, _ in self.blocks], dtype=np.int64)
        return months, np.array([v[i, -1, g] for _, v in self.blocks], dtype=np.float64)

    def frame(self) -> pd.DataFrame:
        """The tidy table of all months recorded so far (categorical string columns)."""
        n_ind, n_mun, n_grp = len(INDICATOR_NAMES), len(self.codes) + 1, len(GROUP_NAMES)
        ind, mun, grp = np.meshgrid(np.arange(n_ind), np.arange(n_mun), np.arange(n_grp), indexing="ij")
        # Indicators without a group breakdown only have the 'all' rows.
        keep = np.array([INDICATORS[name][2] for name in INDICATOR_NAMES])[ind] | (grp == 0)
        ind, mun, grp = ind[keep], mun[keep], grp[keep]
        months = np.array([m for m, _ in self.blocks], dtype=np.int32)
        values = np.stack([v[ind, mun, grp] for _, v in self.blocks]) if self.blocks else np.empty((0, ind.size))
        k = ind.size
        return pd.DataFrame(
            {
                "month": np.repeat(months, k),
                "municipality": pd.Categorical.from_codes(np.tile(mun, len(months)), [*self.codes, "total"]),
                "group": pd.Categorical.from_codes(np.tile(grp, len(months)), GROUP_NAMES),
                "indicator": pd.Categorical.from_codes(np.tile(ind, len(months)), INDICATOR_NAMES),
                "value": values.reshape(-1).astype(np.float64),
            }
        )


def _counts(key: np.ndarray, n_mun: int, member: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Counts (or sums of ``weights``) per (municipality, group incl. 'all'), with a total row.

    ``key`` is municipality × n_combo + combo, where combo is the dense code of a household's
    set of groups (row of ``member``); bins past the last municipality (absent households) are dropped. Only the few
    combos that occur are multiplied with the membership matrix (a small product: a large
    threaded one stalls on a busy two-core machine).
    """
    n_combo = member.shape[0]
    c = np.bincount(key, weights=weights, minlength=n_mun * n_combo + 1)[: n_mun * n_combo].reshape(n_mun, n_combo)
    present = np.flatnonzero(c.any(axis=0))
    out = np.empty((n_mun + 1, len(GROUP_NAMES)))
    out[:n_mun, 0] = c.sum(axis=1)
    out[:n_mun, 1:] = np.dot(c[:, present].astype(np.float64), member[present])
    out[n_mun] = out[:n_mun].sum(axis=0)
    return out


def _quantiles(mun: np.ndarray, combo: np.ndarray, x: np.ndarray, n_mun: int, member: np.ndarray, q: float) -> np.ndarray:
    """Quantile ``q`` of ``x`` per (municipality, group) and for the total; NaN where empty.

    Linear interpolation between order statistics (numpy's and pandas' default), computed on
    one sort by (municipality, x) instead of a group-by per month: this runs every month.
    """
    out = np.full((n_mun + 1, len(GROUP_NAMES)), np.nan)
    x = np.asarray(x, dtype=np.float64)
    ok = ~np.isnan(x)
    mun, combo, x = mun[ok], combo[ok], x[ok]
    if x.size == 0:
        return out
    order = np.lexsort((x, mun))
    mun_s, x_s = mun[order], x[order]
    in_group = np.column_stack([np.ones(x.size, bool), member[combo[order]].astype(bool)])
    muns = np.arange(n_mun)
    for g in range(in_group.shape[1]):
        sel = in_group[:, g]
        if not sel.any():
            continue
        m, v = mun_s[sel], x_s[sel]  # still sorted by (municipality, x)
        starts, ends = np.searchsorted(m, muns, "left"), np.searchsorted(m, muns, "right")
        has = ends > starts
        pos = starts[has] + q * (ends[has] - starts[has] - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, ends[has] - 1)
        out[muns[has], g] = v[lo] + (v[hi] - v[lo]) * (pos - lo)
        out[n_mun, g] = np.quantile(v, q)
    return out


def _cat(parts: list, dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype=dtype)


def _events(model) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The month's events as (municipality, group bit set) taken when each happened.

    Lettings: the municipality of the home let, the groups just before the move. Moves: the
    municipality moved into, the groups just before the move. Evictions: the municipality and
    groups of the tenant just before the eviction. Refusals: the municipality of the home
    offered, the refuser's groups at the offer.
    """
    w = model.world
    c = w.counters
    rows, _, _, dwellings = model.last_allocations
    res = getattr(getattr(model, "allocator", None), "last_result", None)
    # The allocator's last result is this month's: the model runs it every month (none at month 0).
    groups = _cat(res.groups, np.uint16) if res is not None else np.empty(0, dtype=np.uint16)
    assert groups.size == rows.size, "lettings without their groups at letting"
    refused = np.array(res.refused if res is not None else [], dtype=np.int64).reshape(-1, 2)
    refused_groups = _cat(res.refused_groups, np.uint16) if res is not None else np.empty(0, dtype=np.uint16)
    return {
        "allocations": (w.dw.municipality[dwellings].astype(np.int64), groups),
        "moves": (_cat(c.move_municipality, np.int64), _cat(c.move_groups, np.uint16)),
        "evictions": (_cat(c.eviction_municipality, np.int64), _cat(c.eviction_groups, np.uint16)),
        "refusals": (refused[:, 1], refused_groups),
        "homeless_inflow": (_cat([x[0] for x in c.homeless_inflow], np.int64), _cat([x[1] for x in c.homeless_inflow], np.uint16)),
        "skaeve_huse_placed": (_cat(c.skaeve_huse_placed_municipality, np.int64), _cat(c.skaeve_huse_placed, np.uint16)),
        "institution_exits": (
            _cat([x[0] for x in c.institution_exits_without_home], np.int64),
            _cat([x[1] for x in c.institution_exits_without_home], np.uint16),
        ),
    }


#: CBS counts homeless people aged 18 to 65 (cbs.nl 2021/44 'Daklozen'), in months of age.
CBS_HOMELESS_AGE = (18 * 12, 65 * 12)


def homeless_cbs_mask(hh) -> np.ndarray:
    """Rows CBS counts as homeless (*feitelijk daklozen*, cbs.nl 2019/34 and 2021/44): people 18-65
    who sleep rough, in night shelters (*passantenverblijven*, *noodopvang*) or irregularly with
    friends or family (all place HOMELESS in the model), or who stay in a homeless shelter (MO),
    whose BRP or benefit address is the shelter's. Women's-shelter residents, institution leavers
    and people threatened with eviction are not counted (CBS via blikopnieuws.nl 2023). The
    indicator weights each row by its adults (an evicted couple is two homeless persons); the
    head's age stands for the adults'."""
    age = hh.age
    shelter = (hh.place == Place.INSTITUTION) & (hh.institution == InstitutionKind.SHELTER)
    return ((hh.place == Place.HOMELESS) | shelter) & (age >= CBS_HOMELESS_AGE[0]) & (age < CBS_HOMELESS_AGE[1])


def measure(model) -> np.ndarray:
    """All indicators of the current month as an array [indicator, municipality+total, group].

    Stocks use the households' groups at the end of the month; events (lettings, moves,
    evictions, refusals) the groups the household had when the event happened (``_events``).
    """
    w = model.world
    hh, dw, month = w.hh, w.dw, w.month
    n_mun = w.region.size
    combo = hh.group_combo(month)
    events = _events(model)
    # Dense codes for the group combinations that occur this month (a few hundred of 2^14), so
    # the count bins are municipalities x occurring combinations: O(households), no sort.
    present = np.zeros(1 << len(GROUPS), dtype=bool)
    present[combo] = True
    for _, ev in events.values():
        present[ev] = True
    lut = np.cumsum(present) - 1
    dense = lut[combo]
    codes = np.flatnonzero(present)
    n_combo = codes.size
    member = ((codes[:, None] >> np.arange(len(GROUPS))[None, :]) & 1).astype(np.float64)
    place = hh.place
    # One key per household; absent households go to a bin past the last municipality.
    key = np.where(place != Place.GONE, hh.municipality.astype(np.int64) * n_combo + dense, n_mun * n_combo)
    out = np.full((len(INDICATOR_NAMES), n_mun + 1, len(GROUP_NAMES)), 0.0)

    def put(name: str, sel: np.ndarray | None, weights: np.ndarray | None = None) -> None:
        out[INDICATOR_NAMES.index(name)] = _counts(key if sel is None else key[sel], n_mun, member, weights)

    def put_events(name: str, event: str, sel: np.ndarray | None = None) -> None:
        """Count events of one kind (optionally a subset) with their groups at the event."""
        mun, ev = events[event]
        if sel is not None:
            mun, ev = mun[sel], ev[sel]
        out[INDICATOR_NAMES.index(name)] = _counts(mun * n_combo + lut[ev], n_mun, member)

    put("households", None)
    put("homeless", np.flatnonzero(combo & np.uint16(1 << GROUPS.index("homeless"))))
    cbs = np.flatnonzero(homeless_cbs_mask(hh))
    put("homeless_cbs", cbs, hh.adults[cbs].astype(np.float64))
    put("households_housed", np.flatnonzero(place == Place.DWELLING))
    inst = np.flatnonzero(place == Place.INSTITUTION)
    put("in_institution", inst)
    blocked = inst[hh.ready_at[inst] <= month]
    put("blocked_in_institution", blocked)
    months_blocked = (month - hh.ready_at[blocked]).astype(np.float64)
    total_blocked = _counts(key[blocked], n_mun, member, months_blocked)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[INDICATOR_NAMES.index("blocked_months_mean")] = total_blocked / out[INDICATOR_NAMES.index("blocked_in_institution")]
    put("waiting", np.flatnonzero(hh.seeking & (hh.registered != NEVER) & (place != Place.GONE)))
    alloc_rows, alloc_reg, alloc_route, _ = model.last_allocations
    alloc_mun, alloc_groups = events["allocations"]
    put_events("allocations", "allocations")
    wait = (month - alloc_reg).astype(np.float64)
    for name, q in (("wait_months_median", 0.5), ("wait_months_p90", 0.9)):
        out[INDICATOR_NAMES.index(name)] = _quantiles(alloc_mun, lut[alloc_groups], wait, n_mun, member, q)
    c = w.counters
    put_events("moves", "moves")
    put_events("evictions", "evictions")
    put_events("evictions_nuisance", "evictions", _cat(c.eviction_nuisance, bool))
    put_events("skaeve_huse_placed", "skaeve_huse_placed")
    skaeve = dw.exists & (dw.label == Label.SKAEVE)
    in_skaeve = dw.occupant[skaeve & (dw.occupant >= 0)].astype(np.int64)
    put("skaeve_huse_residents", in_skaeve)
    put("skaeve_huse_returning", in_skaeve[hh.seeking[in_skaeve]])

    def put_dw(name: str, rows: np.ndarray) -> None:
        counts = np.bincount(dw.municipality[rows], minlength=n_mun).astype(np.float64)
        out[INDICATOR_NAMES.index(name), :n_mun, 0] = counts
        out[INDICATOR_NAMES.index(name), n_mun, 0] = counts.sum()
        out[INDICATOR_NAMES.index(name), :, 1:] = np.nan

    vac = np.concatenate(c.vacancies) if c.vacancies else np.empty(0, dtype=np.int64)
    put_dw("vacancies", vac[dw.tenure[vac] == Tenure.SOCIAL])
    built = np.concatenate(c.built) if c.built else np.empty(0, dtype=np.int64)
    put_dw("completions", built)
    flex_built = dw.end_month[built] < NEVER
    put_dw("completions_flex", built[flex_built])
    put_dw("completions_social", built[~flex_built & (dw.tenure[built] == Tenure.SOCIAL)])
    put_dw("completions_market", built[~flex_built & (dw.tenure[built] != Tenure.SOCIAL)])
    changes = c.stock_changes
    changed = np.concatenate([r for r, _ in changes]) if changes else np.empty(0, dtype=np.int64)
    how = np.concatenate([k for _, k in changes]) if changes else np.empty(0, dtype=np.int8)
    for kind, name in (
        (StockChange.DEMOLITION, "social_demolished"),
        (StockChange.SALE, "social_sold"),
        (StockChange.LIBERALISATION, "social_liberalised"),
    ):
        put_dw(name, changed[how == kind])
    put_dw("social_renewal_notices", np.concatenate(c.renewal_notices) if c.renewal_notices else np.empty(0, dtype=np.int64))
    social = dw.exists & (dw.tenure == Tenure.SOCIAL)
    put_dw("social_stock", np.flatnonzero(social))
    put_dw("vacant_social", np.flatnonzero(social & (dw.occupant < 0)))

    def put_all(name: str, per_mun: np.ndarray, total: float) -> None:
        """An indicator without a group breakdown: per municipality and the region total."""
        out[INDICATOR_NAMES.index(name), :n_mun, 0] = per_mun
        out[INDICATOR_NAMES.index(name), n_mun, 0] = total
        out[INDICATOR_NAMES.index(name), :, 1:] = np.nan

    put_dw("caravan_pitches", np.flatnonzero(dw.exists & (dw.dtype == DwellingType.CARAVAN_PITCH)))
    started = np.sum(c.pitches_started, axis=0) if c.pitches_started else np.zeros(n_mun)
    put_all("caravan_pitches_started", started, float(np.sum(started)))
    pitch_seekers = pitches.waiting(model).astype(np.float64)
    put_all("caravan_seekers", pitch_seekers, float(pitch_seekers.sum()))

    def mun_count(rows: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(hh.municipality[rows], weights=weights, minlength=n_mun).astype(np.float64)

    kinds = hh.institution[inst]
    blocked_kinds = hh.institution[blocked]
    for kind, name in KIND_INDICATOR.items():
        c = mun_count(inst[kinds == kind])
        put_all(name, c, c.sum())
        b = blocked[blocked_kinds == kind]
        c = mun_count(b)
        put_all(f"blocked_{kind.name.lower()}", c, c.sum())
        m = mun_count(b, months_blocked[blocked_kinds == kind])
        with np.errstate(invalid="ignore", divide="ignore"):
            put_all(f"blocked_months_{kind.name.lower()}", m / c, m.sum() / c.sum() if c.sum() else np.nan)
    _displacement(put_events, put_all, alloc_mun, alloc_groups, alloc_route, n_mun)
    # Where homeless people and institution leavers are placed: the centre municipalities' share
    direct = np.isin(alloc_route, [ROUTES.index("direct_homeless"), ROUTES.index("direct_institution")])
    centre = w.region.centre[alloc_mun[direct]] if direct.any() else np.empty(0, dtype=bool)
    put_all("direct_placements_centre_share", np.full(n_mun, np.nan), float(centre.mean()) if centre.size else np.nan)
    res = getattr(getattr(model, "allocator", None), "last_result", None)
    iron = np.array(res.iron if res is not None else [], dtype=bool)
    put_events("iron_stock_lettings", "allocations", iron if iron.size == alloc_route.size else np.zeros(alloc_route.size, dtype=bool))
    put_events("refusals", "refusals")
    _concentration(put_all, model, n_mun)
    _chains(put_all, w, n_mun)
    c = mun_count(np.flatnonzero(hh.arrears & (place == Place.DWELLING)))
    put_all("in_arrears", c, c.sum())
    renters, paid = income_rules.assessed(w)  # assessed at the economy phase (schedule)
    put("housing_allowance", renters, paid)
    put("housing_allowance_recipients", renters[paid > 0])
    lost_mun = _cat(w.counters.homes_lost_detention_municipality, np.int64)  # where the home was
    c = np.bincount(lost_mun, minlength=n_mun).astype(np.float64)
    put_all("homes_lost_detention", c, c.sum())
    up = np.concatenate(w.counters.moved_up) if w.counters.moved_up else np.empty(0, dtype=np.int64)
    c = mun_count(up)
    put_all("left_social_for_market", c, c.sum())
    c = model.pipeline.social_by_municipality(n_mun) if hasattr(model, "pipeline") else np.zeros(n_mun)
    put_all("under_construction_social", c, c.sum())
    origin = getattr(model, "last_origin", None)
    if origin is not None and origin.size == alloc_rows.size:
        c = np.bincount(alloc_mun[origin != alloc_mun], minlength=n_mun).astype(np.float64)
        put_all("allocations_outside_municipality", c, c.sum())
    effort = getattr(model, "municipal_effort", np.ones(n_mun))
    put_all("municipal_effort", effort, float(np.average(effort, weights=w.region.population_share)))
    _decisions(put_all, model, n_mun)
    _monitor(put, put_events, put_all, mun_count, model, n_mun)
    spent = getattr(model, "measure_spending", None)
    put_all("measure_cost", spent if spent is not None else np.zeros(n_mun), float(spent.sum()) if spent is not None else 0.0)
    occ = dw.occupant[social & (dw.occupant >= 0)]  # social tenants
    rooms = dw.rooms[social & (dw.occupant >= 0)]
    under = occ[(hh.age[occ] >= 65 * 12) & (rooms >= hh.size[occ] + 2)]
    c = mun_count(under)
    put_all("seniors_underoccupying", c, c.sum())
    # Recent permit holders only: the label ends refugee_label_months after the asylum centre.
    big = np.flatnonzero(hh.seeking & ((hh.labels & Flag.REFUGEE) != 0) & (hh.size >= 5) & (place != Place.GONE))
    c = mun_count(big)
    put_all("large_refugee_families_waiting", c, c.sum())
    _support(put, put_events, put_all, mun_count, model, n_mun)
    return out


def _monitor(put, put_events, put_all, mun_count, model, n_mun: int) -> None:
    """What the report asks to monitor (issue 16 §5): quota realised, lettings by income band,
    homes needed, the social share against its minimum, inflow into homelessness by cause,
    institution exits without a home, wheelchair seekers per wheelchair home."""
    w = model.world
    hh, dw, p = w.hh, w.dw, w.params
    agents = getattr(model, "municipality_agents", None) or []
    quota = np.array([m.quota for m in agents], dtype=np.float64) if agents else np.zeros(n_mun)
    housed = np.array([m.quota_housed for m in agents], dtype=np.float64) if agents else np.zeros(n_mun)
    with np.errstate(divide="ignore", invalid="ignore"):
        put_all(
            "quota_realised", np.where(quota > 0, housed / quota, np.nan), float(housed.sum() / quota.sum()) if quota.sum() > 0 else np.nan
        )
    rows = model.last_allocations[0]
    policy = getattr(model, "policy", None) or getattr(getattr(model, "allocator", None), "policy", None)
    bands = policy.income_bands if policy is not None else IncomeBands()
    income = hh.income[rows] if rows.size else np.empty(0, dtype=np.float32)
    put_events("lettings_income_low", "allocations", income <= bands.low_limit)
    put_events("lettings_income_middle", "allocations", (income > bands.low_limit) & (income <= bands.middle_limit))
    put_events("lettings_income_high", "allocations", income > bands.middle_limit)
    put("homes_needed", np.flatnonzero(hh.seeking & (hh.place != Place.DWELLING) & (hh.place != Place.GONE)))
    homes = dw.exists
    all_homes = np.bincount(dw.municipality[homes], minlength=n_mun).astype(np.float64)
    social = np.bincount(dw.municipality[homes & (dw.tenure == Tenure.SOCIAL)], minlength=n_mun).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(all_homes > 0, social / all_homes, np.nan)
    put_all("social_share", share, float(social.sum() / all_homes.sum()) if all_homes.sum() > 0 else np.nan)
    below = (share < p.social_share_minimum).astype(np.float64)
    put_all("social_share_below_minimum", below, float(below.sum()))
    causes = _cat([x[2] for x in w.counters.homeless_inflow], np.int64)
    put_events("homeless_inflow", "homeless_inflow")
    for cause in HomelessCause:
        put_events(f"homeless_inflow_{cause.name.lower()}", "homeless_inflow", causes == cause)
    put_events("institution_exits_without_home", "institution_exits")
    present = hh.place != Place.GONE
    seekers = mun_count(np.flatnonzero(present & hh.seeking & (hh.care == CareNeed.WHEELCHAIR)))
    chair = np.bincount(dw.municipality[homes & ((dw.dtype == DwellingType.WHEELCHAIR) | (dw.label == Label.WHEELCHAIR))], minlength=n_mun)
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(chair > 0, seekers / chair, np.nan)
    put_all("wheelchair_seekers_per_home", per, float(seekers.sum() / chair.sum()) if chair.sum() > 0 else np.nan)


def _decisions(put_all, model, n_mun: int) -> None:
    """Municipalities that decide (abm/decisions.py): their decisions now, households attracted
    this month, the province's escalation step, and the agreements of the last year scored."""
    agents, d = getattr(model, "municipality_agents", None), getattr(model, "decisions", None)
    if not agents or d is None:  # a model stand-in without municipalities (tests): nothing decided
        for name in ("urgency_months", "flex_factor", "permit_factor", "urgency_homeless_ground", "attracted_in", "province_escalation"):
            put_all(name, np.full(n_mun, np.nan), np.nan)
        for name in ("agreement_letting_met", "agreement_build_met"):
            put_all(name, np.full(n_mun, np.nan), np.nan)
        return
    pop = model.world.region.population_share
    for name, values in (
        ("urgency_months", [m.urgency_months for m in agents]),
        ("flex_factor", [m.flex_factor for m in agents]),
        ("permit_factor", [m.permit_factor for m in agents]),
    ):
        v = np.asarray(values, dtype=np.float64)
        put_all(name, v, float(np.average(v, weights=pop)))
    ground = np.array([m.urgency_homeless for m in agents], dtype=np.float64)
    put_all("urgency_homeless_ground", ground, float(ground.mean()))
    from .decisions import BOOKS

    attracted = d.books[-1][BOOKS.index("attracted")] if d.books else np.zeros(n_mun)
    put_all("attracted_in", attracted, float(attracted.sum()))
    esc = d.escalation.astype(np.float64)
    put_all("province_escalation", esc, float((esc >= 1).sum()))
    for name, met in (("agreement_letting_met", d.agreement_letting_met), ("agreement_build_met", d.agreement_build_met)):
        put_all(name, met, float(np.mean(met)) if not np.isnan(met).all() else np.nan)


def _support(put, put_events, put_all, mun_count, model, n_mun: int) -> None:
    """Care and support (abm/support.py): needs, support given and unmet, placements that wait for
    support, lettings with and without support, Wmo places used and free, their cost."""
    w = model.world
    hh, p = w.hh, w.params
    present = hh.place != Place.GONE
    need = present & (hh.support_need > 0)
    given = need & (hh.support_by != SupportBy.NONE)
    put("support_need", np.flatnonzero(need))
    put("support_given", np.flatnonzero(given))
    put("support_unmet", np.flatnonzero(need & ~given))
    put("held_for_support", np.flatnonzero(present & support.held(hh, p)))
    n_let = model.last_allocations[0].size
    ev = getattr(model, "support_events", None) or {}
    for name, key in (("placed_with_support", "with_support"), ("placed_without_support", "without_support")):
        mask = ev.get(key)
        put_events(name, "allocations", mask if mask is not None and mask.size == n_let else np.zeros(n_let, dtype=bool))
    wmo = given & (hh.support_by == SupportBy.MUNICIPALITY)
    cap = np.asarray(getattr(model, "support_capacity", np.zeros(n_mun)), dtype=np.float64)
    put_all("support_places", cap, cap.sum())
    free = np.maximum(cap - mun_count(np.flatnonzero(wmo)), 0.0)
    put_all("support_places_free", free, free.sum())
    for name, level in (("support_given_light", SupportLevel.LIGHT), ("support_given_intensive", SupportLevel.INTENSIVE)):
        c = mun_count(np.flatnonzero(wmo & (hh.support_need == level)))
        put_all(name, c, c.sum())
    c = mun_count(np.flatnonzero(given & (hh.support_by == SupportBy.HOUSING_FIRST)))
    put_all("support_housing_first", c, c.sum())
    ledger = getattr(model, "social_costs", None)
    for name, attr in (("support_cost", "support"), ("social_domain_cost", "latest")):
        c = np.asarray(getattr(ledger, attr), dtype=np.float64) if ledger is not None else np.zeros(n_mun)
        put_all(name, c, c.sum())


def _share(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _displacement(put_events, put_all, mun, groups, route, n_mun) -> None:
    """Lettings by route and group (the groups at letting); shares of lettings via priority
    routes and to priority groups. ``mun`` is the municipality of the home let."""
    for i, r in enumerate(ROUTES):
        put_events(f"allocations_{r}", "allocations", route == i)
    lettings = np.bincount(mun, minlength=n_mun).astype(np.float64)
    prio_route = np.isin(route, [ROUTES.index(r) for r in ROUTES if r not in ("seniority", "lottery")])
    prio = np.bincount(mun[prio_route], minlength=n_mun).astype(np.float64)
    put_all("priority_share", _share(prio, lettings), _share(prio.sum(), lettings.sum()))
    group = (groups & np.uint16(1 << GROUPS.index("regular"))) == 0
    g = np.bincount(mun[group], minlength=n_mun).astype(np.float64)
    put_all("priority_group_share", _share(g, lettings), _share(g.sum(), lettings.sum()))


def _concentration(put_all, model, n_mun: int) -> None:
    """Vulnerable households by neighbourhood: share, dissimilarity index, concentrated
    neighbourhoods, share living in the weakest third (report, 'Ruimtelijk')."""
    w = model.world
    reg = w.region
    v, total = vulnerable_counts(w)
    o = total - v
    nm = reg.nbh_municipality
    v_mun, o_mun, t_mun = (np.bincount(nm, weights=x, minlength=n_mun) for x in (v, o, total))
    put_all("vulnerable_share", _share(v_mun, t_mun), _share(v_mun.sum(), t_mun.sum()))
    with np.errstate(invalid="ignore", divide="ignore"):
        term = np.abs(v / v_mun[nm] - o / o_mun[nm])
    d = 0.5 * np.bincount(nm, weights=np.nan_to_num(term), minlength=n_mun)
    d = np.where((v_mun > 0) & (o_mun > 0), d, np.nan)
    d_total = 0.5 * np.abs(v / v_mun.sum() - o / o_mun.sum()).sum() if v_mun.sum() > 0 and o_mun.sum() > 0 else np.nan
    put_all("dissimilarity_index", d, d_total)
    conc = (_share(v, total) > w.params.concentration_threshold).astype(np.float64)
    c = np.bincount(nm, weights=np.nan_to_num(conc), minlength=n_mun)
    put_all("neighbourhoods_concentrated", c, c.sum())
    weak = reg.weak.astype(np.float64)
    vw = np.bincount(nm, weights=v * weak, minlength=n_mun)
    put_all("vulnerable_in_weak_neighbourhoods", _share(vw, v_mun), _share(vw.sum(), v_mun.sum()))
    dw = w.dw
    social = dw.exists & (dw.tenure == Tenure.SOCIAL)
    nbh_social = dw.neighbourhood[social]
    s_mun = np.bincount(dw.municipality[social], minlength=n_mun).astype(np.float64)
    sw = np.bincount(dw.municipality[social], weights=weak[nbh_social], minlength=n_mun)
    put_all("social_in_weak_neighbourhoods", _share(sw, s_mun), _share(sw.sum(), s_mun.sum()))
    live = reg.nbh_liveability.astype(np.float64)
    n_of = np.bincount(nm, minlength=n_mun).astype(np.float64)
    put_all("liveability_mean", _share(np.bincount(nm, weights=live, minlength=n_mun), n_of), float(live.mean()))


def _chains(put_all, w, n_mun: int) -> None:
    """Vacancy chains (abm/chains.py) from the month's chain events.

    Chains ended this month, by the municipality where they ended: count, mean moves overall
    and by start cause (``senior_move``: chains whose first mover was a senior leaving a social
    family home, whatever their start cause), count by end kind. Chains started by new builds,
    by the municipality of the new build: dwellings vacated and re-occupied along them this
    month per new build completed this month, and the shares of their ends by kind. Open
    chains at the end of the month.
    """
    t, dw = w.chains.table, w.dw
    ev = concat(w.counters.chain_events)
    chain, link, kind, mun = ev["chain"], ev["link"].astype(np.float64), ev["kind"], ev["municipality"].astype(np.int64)
    end = kind != PASSED
    cause, senior, moves, end_kind, mun = t.cause[chain[end]], t.senior_first[chain[end]], link[end], kind[end], mun[end]
    n = np.bincount(mun, minlength=n_mun).astype(np.float64)
    put_all("chains_ended", n, n.sum())
    mv = np.bincount(mun, weights=moves, minlength=n_mun)
    put_all("chain_moves_mean", _share(mv, n), _share(moves.sum(), float(moves.size)))
    for name in CHAIN_STARTS:
        sel = senior if name == "senior_move" else cause == VacancyCause[name.upper()]
        k = np.bincount(mun[sel], minlength=n_mun).astype(np.float64)
        m = np.bincount(mun[sel], weights=moves[sel], minlength=n_mun)
        put_all(f"chain_moves_mean_{name}", _share(m, k), _share(m.sum(), k.sum()))
    for e in ChainEnd:
        k = np.bincount(mun[end_kind == e], minlength=n_mun).astype(np.float64)
        put_all(f"chains_ended_{e.name.lower()}", k, k.sum())

    def by_start(sel: np.ndarray) -> np.ndarray:
        return np.bincount(t.municipality[chain[sel]], minlength=n_mun).astype(np.float64)

    started = np.concatenate(w.counters.chain_starts) if w.counters.chain_starts else np.empty(0, dtype=np.int64)
    started = started[t.cause[started] == VacancyCause.NEW_BUILD]
    built = np.bincount(t.municipality[started], minlength=n_mun).astype(np.float64)
    nb = t.cause[chain] == VacancyCause.NEW_BUILD
    move = kind != ChainEnd.DEMOLISHED
    for name, sel in (
        ("chain_vacated_per_new_build", nb & (kind == PASSED)),
        ("chain_reoccupied_per_new_build", nb & move & (link >= 2)),  # a move into link k-1's vacated home
        ("chain_reoccupied_first_link_per_new_build", nb & move & (link == 2)),
    ):
        k = by_start(sel)
        put_all(name, _share(k, built), _share(k.sum(), built.sum()))
    nb_end = nb & end
    n_end = by_start(nb_end)
    for e in ChainEnd:
        k = by_start(nb_end & (kind == e))
        put_all(f"chain_end_share_{e.name.lower()}", _share(k, n_end), _share(k.sum(), n_end.sum()))
    k = by_start(nb_end & (kind == ChainEnd.NEWCOMER) & ev["abroad"])
    put_all("chain_end_share_immigrant", _share(k, n_end), _share(k.sum(), n_end.sum()))
    vacant = np.flatnonzero(dw.exists & (dw.occupant < 0))
    k = np.bincount(dw.municipality[vacant], minlength=n_mun).astype(np.float64)
    put_all("chains_open", k, k.sum())
    v = vacant[(dw.chain_id[vacant] >= 0) & (dw.chain_cause[vacant] == VacancyCause.NEW_BUILD)]
    k = np.bincount(t.municipality[dw.chain_id[v]], minlength=n_mun).astype(np.float64)
    put_all("chains_open_new_build", k, k.sum())
