"""The month as a declared schedule: what happens, in which order, and where measures act.

``SCHEDULE`` is the single definition of the month (ODD section 3): an ordered tuple of
``Phase``s, each an ordered tuple of processes. A process is a small function of
``(model, rng)`` with a docstring; ``rng`` is the phase's own random stream (spawned from
``model.rng``, so that a measure changing the draws of one phase leaves the others' draws
aligned: common random numbers across scenarios). Measures declare a ``phase`` and a
``timing``: ``before`` or ``after`` that phase's processes (``abm.policies.base.Measure``).

``HousingModel.step`` is a loop over this table (``run_month``); ``model.schedule`` and
``abm schedule`` print it with the measures of a scenario, and the table in ``docs/ODD.md``
is generated from it (``markdown_table``) and tested against it.

Before the phases, the month opens (``OPENING``): the calendar advances, the scenario's driver
series set the month's base parameters (``abm.drivers``), the active measures set the month's parameters and allocation policy, and at the start of a half year the
permit-holder quota is shared out. The opening draws no random numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import decisions, drivers, income_rules, institutions, support
from .agents import Corporation, Municipality
from .agents.corporation import eviction_shares
from .codes import InstitutionKind
from .processes import construction, cost_sharing, demography, economy, flows, liveability, market, pitches, skaeve_huse, stock_changes

if TYPE_CHECKING:
    from .model import HousingModel

TIMINGS = ("before", "after")
Process = Callable[["HousingModel", np.random.Generator], None]


@dataclass(frozen=True)
class Phase:
    """A named phase of the month: its processes in order, and a one-line summary."""

    name: str
    processes: tuple[Process, ...]
    summary: str


def doc_line(f: Callable) -> str:
    """The first sentence of a function's docstring (what a table shows)."""
    doc = " ".join((f.__doc__ or "").split())
    return doc.split(". ")[0].rstrip(".")


# -- the opening of the month (no random draws) ---------------------------------------------------
def new_month(model: HousingModel) -> None:
    """The calendar advances one month; rows of households gone are compacted; the month's event counters restart."""
    model.month += 1
    model.world.start_month(model.month)


def apply_drivers(model: HousingModel) -> None:
    """The scenario's driver series ([drivers] table: quota, labour migrants, students, new homelessness) set this month's base parameters, on which the measures then act."""
    drivers.apply(model)


def apply_measures(model: HousingModel) -> None:
    """The active measures set this month's parameters and allocation policy; municipalities take their urgency criteria from it."""
    model._apply_measures()


def sync_municipalities(model: HousingModel) -> None:
    """Each municipality's urgency duration is copied into the world (read when urgency is granted)."""
    model._sync_agents()


def half_year_quota(model: HousingModel) -> None:
    """In January and July (a new half year) the province checks each municipality's quota shortfall (escalation ladder), municipalities receive their share of the national permit-holder quota plus last half year's shortfall; the numbers of direct placements per half year restart; arrivals are shared by population again."""
    if model.month % 6 != 1:
        return
    model.decisions.supervise_quota(model)  # the province checks the half year that ended (abm/decisions.py)
    for m in model.municipality_agents:
        m.receive_quota(model.params.refugee_quota_half_year)
    model._reset_direct_numbers()
    model.quota_shares = model.region.population_share.copy()


def municipal_decisions(model: HousingModel) -> None:
    """In January each municipality scores its performance agreements and sets its effort, urgency duration and homeless ground, flex sites, building permits and support places by the yearly rule (abm/decisions.py), from the run's second year; the year before the run is the reference (without a spin-up, the run's third year)."""
    d = model.decisions
    if model.month % 12 != 1 or getattr(model, "spinning_up", False) or not d.ready_for_reference(model):
        return
    if d.reference is None:
        d.set_reference(model)
    else:
        d.decide(model)
    model._sync_agents()


OPENING: tuple[Callable[[HousingModel], None], ...] = (
    new_month,
    apply_drivers,
    apply_measures,
    sync_municipalities,
    half_year_quota,
    municipal_decisions,
)


# -- demography ------------------------------------------------------------------------------------
def ageing(model: HousingModel, rng: np.random.Generator) -> None:
    """Everyone present grows a month older."""
    demography.ageing(model.world)


def deaths(model: HousingModel, rng: np.random.Generator) -> None:
    """Adults die (CBS 2019 death probabilities); a couple becomes a single, a single household ends and its home falls vacant."""
    demography.deaths(model.world, rng)


def births(model: HousingModel, rng: np.random.Generator) -> None:
    """Couples with a head aged 25-40 have a child now and then: the household grows."""
    demography.births(model.world, rng)


def coming_of_age(model: HousingModel, rng: np.random.Generator) -> None:
    """Children turn 18 and become would-be households living in with their parents."""
    demography.coming_of_age(model.world, rng)


def leave_home_wish(model: HousingModel, rng: np.random.Generator) -> None:
    """Young adults living at home start seeking a home of their own (CBS leaving-home hazards)."""
    demography.leave_home_wish(model.world, rng)


def cost_sharing_push(model: HousingModel, rng: np.random.Generator) -> None:
    """Young adults who start to count as cost sharers (kostendelersnorm) in a benefit household leave home, some without a home of their own."""
    cost_sharing.push(model.world, rng)


def womens_shelter_free(model: HousingModel) -> np.ndarray:
    """Free places in women's shelters per municipality (where the shelter is)."""
    occ = institutions.occupancy(model.world)
    k = InstitutionKind.WOMENS_SHELTER
    return np.maximum(model.capacity[k] - occ[k], 0).astype(np.int64)


def separations(model: HousingModel, rng: np.random.Generator) -> None:
    """Separations: the leaving partner lives in, or goes to a women's shelter while there are places, and seeks; urgency where the municipality grants it for separation with children."""
    sep_ok = np.array([m.urgency_separation_with_children for m in model.municipality_agents])
    demography.separations(model.world, rng, womens_shelter_free(model), sep_ok)


def family_reunion(model: HousingModel, rng: np.random.Generator) -> None:
    """Family members of permit holders arrive (*nareizigers*): the household grows, and seeks a larger home if its home is now too small."""
    demography.family_reunion(model.world, rng)


def care_needs(model: HousingModel, rng: np.random.Generator) -> None:
    """Care needs rise with age (mobility, wheelchair, nursing home); medical urgency where the municipality grants it."""
    med_ok = np.array([m.urgency_medical for m in model.municipality_agents])
    demography.care_needs(model.world, rng, med_ok)


# -- economy ---------------------------------------------------------------------------------------
def neighbourhood_liveability(model: HousingModel, rng: np.random.Generator) -> None:
    """In January each neighbourhood's liveability moves toward a target that falls with its concentration of vulnerable households (less where welfare work runs); the weakest third is recomputed."""
    if model.month % 12 == 1:
        liveability.update(model.world)


def income_shocks(model: HousingModel, rng: np.random.Generator) -> None:
    """Sudden income loss (job loss, illness) and recovery."""
    economy.income_shocks(model.world, rng)


def protected_free(model: HousingModel) -> np.ndarray:
    """Free places in protected housing per municipality (where the places are)."""
    occ = institutions.occupancy(model.world)
    k = InstitutionKind.PROTECTED_HOUSING
    return np.maximum(model.capacity[k] - occ[k], 0).astype(np.int64)


def arrears_and_evictions(model: HousingModel, rng: np.random.Generator) -> None:
    """Rent arrears (more often with an unmet support need, less with support), court cases, and evictions or averted evictions, decided per corporation (its own eviction factor); supported tenants may fall back on a place."""
    shares = eviction_shares(model.corporations, model.params.eviction_share_of_rulings)
    income_rules.assess(model.world)  # the month's housing allowance, shared with the indicators
    economy.arrears_and_evictions(model.world, rng, shares, protected_free(model))


def nuisance(model: HousingModel, rng: np.random.Generator) -> None:
    """Corporation tenants with a support need cause nuisance (woonoverlast) now and then, less when supported; some cases end in an eviction."""
    economy.nuisance(model.world, rng, protected_free(model))


# -- inflow ----------------------------------------------------------------------------------------
def refugee_arrivals(model: HousingModel, rng: np.random.Generator) -> None:
    """Permit holders arrive in asylum centres, spread over the half year, by the quota shares of the half year."""
    flows.refugees(model.world, rng, model.params.refugee_quota_half_year * model.quota_shares)


def labour_migrants(model: HousingModel, rng: np.random.Generator) -> None:
    """Labour migrants arrive and leave, and lose employer housing with their job."""
    flows.labour_migrants(model.world, rng)


def students(model: HousingModel, rng: np.random.Generator) -> None:
    """Students arrive in September and graduate."""
    flows.students(model.world, rng, model.national)


# -- institutions ----------------------------------------------------------------------------------
def institution_flows(model: HousingModel, rng: np.random.Generator) -> None:
    """Homeless people enter free shelter places; protected housing, detention and youth care take in residents as places free up; residents become ready to leave and seek; ready residents and homeless people leave by other routes; new homelessness."""
    institutions.step(model.world, model.capacity, rng)


# -- outflow ---------------------------------------------------------------------------------------
def leave_region(model: HousingModel, rng: np.random.Generator) -> None:
    """Households move out of the region (CBS moves by age, plus emigration; in a national run only emigration)."""
    flows.leave_region(model.world, rng, model.national)


def seeking(model: HousingModel, rng: np.random.Generator) -> None:
    """Renters (and overcrowded households) start seeking a social home now and then; some seekers give up without moving."""
    flows.seeking(model.world, rng)


def contracts_ending(model: HousingModel, rng: np.random.Generator) -> None:
    """Temporary tenancies (flex homes, campus contracts) end: the household seeks a home and, after a grace period, has to leave."""
    flows.contracts_ending(model.world, rng)


def skaeve_huse_returns(model: HousingModel, rng: np.random.Generator) -> None:
    """Residents of Skaeve Huse whose support need has ended (no more nuisance) seek a regular home with urgency."""
    skaeve_huse.returns(model.world, rng)


# -- construction ----------------------------------------------------------------------------------
def completions(model: HousingModel, rng: np.random.Generator) -> None:
    """Projects due complete as vacant homes."""
    mixing = np.array([m.build_mixing for m in model.municipality_agents])
    construction.complete(model.world, model.pipeline, rng, mixing)


def close_flex_sites(model: HousingModel, rng: np.random.Generator) -> None:
    """Flex sites past their lifetime close; their tenants' contracts end."""
    construction.close_sites(model.world)


def demolish_renewed(model: HousingModel, rng: np.random.Generator) -> None:
    """Homes under notice of demolition (urban renewal) whose tenant has been rehoused or left are demolished."""
    stock_changes.close_renewed(model)


def corporations_sell_and_demolish(model: HousingModel, rng: np.random.Generator) -> None:
    """Each corporation demolishes, sells and liberalises vacated homes of its stock at its yearly rates; sales and liberalisation fill the gap its financial room leaves (abm/processes/stock_changes.py)."""
    stock_changes.step(model, rng)


def corporations_build(model: HousingModel, rng: np.random.Generator) -> None:
    """Each corporation starts social homes: a Poisson number around the build rate of its stock, times its own investment capacity and its municipality's building permits (permit factor)."""
    w = model.world
    owned = w.dw.exists & (w.dw.corporation >= 0)
    model.stock_by_corporation = np.bincount(w.dw.corporation[owned], minlength=len(model.corporations))
    if model.corporations:
        model.agents_by_type[Corporation].do("step")


def municipalities_build_flex(model: HousingModel, rng: np.random.Generator) -> None:
    """Each municipality starts flex homes: its share of the national flex programme (by population times the flex factor it decided, unless it sets its own)."""
    model.agents_by_type[Municipality].do("step")


def municipalities_plan_pitches(model: HousingModel, rng: np.random.Generator) -> None:
    """In January municipalities start caravan pitches for the caravan dwellers who wait for more pitches than are free or coming."""
    pitches.plan(model, rng)


def market_starts(model: HousingModel, rng: np.random.Generator) -> None:
    """The market starts private and owner-occupied homes."""
    construction.market_starts(model.world, model.pipeline, rng)


# -- market ----------------------------------------------------------------------------------------
def private_market(model: HousingModel, rng: np.random.Generator) -> None:
    """A share of vacant private and owner homes (and student rooms) is let or sold within the COROP region: new owner-occupied homes mostly to couples already housed, then to households moving at the CBS rates by age (and middle-income social tenants moving up), the homes they leave on offer in the next round; rooms to students, what remains to starters living in who can pay, the rest to newcomers from outside."""
    market.step(model.world, rng, model.national)


# -- allocation ------------------------------------------------------------------------------------
def attraction(model: HousingModel, rng: np.random.Generator) -> None:
    """Priority seekers without a home of their own move toward the most active municipality of their COROP region (aanzuigende werking; nothing moves while efforts are equal)."""
    decisions.attract(model, rng, model.params.attraction_rate)


def homeless_urgency(model: HousingModel, rng: np.random.Generator) -> None:
    """Where homelessness is an urgency ground of the municipality: roofless people (3+ months) and shelter residents ready to move get social urgency."""
    model._grant_homeless_urgency()


def quota_left(model: HousingModel) -> np.ndarray:
    """Persons per municipality that may still be housed this month under the permit-holder
    quota, paced over the half year (``Municipality.quota_available``)."""
    return np.array([m.quota_available(model.month) for m in model.municipality_agents], dtype=np.float64)


def support_needs(model: HousingModel, rng: np.random.Generator) -> None:
    """Households that became homeless, entered a shelter, are ready to leave protected housing, detention or youth care, or got social urgency have their support need assessed (level, duration, whether a placement waits for support)."""
    support.assess(model.world, rng)


def social_lettings(model: HousingModel, rng: np.random.Generator) -> None:
    """Social vacancies are let under the allocation policy (direct placement, lottery or seniority with priority classes, eligibility, acceptance); a mover's old home is offered in the next round of the month (vacancy chains); permit holders housed count towards the quota."""
    result = model.allocator.allocate(
        model.world, rng, quota_left(model), model.direct_number_left, model._effort_share_factor(), model.direct_shares()
    )
    model.last_allocations = result.arrays()
    model.last_origin = np.array(result.origin, dtype=np.int64)
    model.last_refusals = result.refusals
    model._count_quota(model.last_allocations[0], model.last_allocations[2])


def support_places(model: HousingModel, rng: np.random.Generator) -> None:
    """After the lettings: support needs that ended close; Housing First teams take on the formerly homeless tenants they cover; free Wmo support places go to the queue (arranged support first, then the oldest need)."""
    model.support_events = support.give_places(model)


# -- indicators ------------------------------------------------------------------------------------
def care_costs(model: HousingModel, rng: np.random.Generator) -> None:
    """This month's care costs per municipality: shelters, protected housing, Wmo support given where the supported live, permit holders' participation support."""
    model._care_costs_now()


def municipal_books(model: HousingModel, rng: np.random.Generator) -> None:
    """Municipalities book the month's costs (social domain less income, land revenue forgone, flex sites), lettings, priority lettings, social homes started and households attracted (abm/decisions.py)."""
    model.decisions.book_month(model)


def record(model: HousingModel, rng: np.random.Generator) -> None:
    """All indicators are measured and the DataCollector collects the region totals (not in the spin-up before month 0)."""
    if not getattr(model, "spinning_up", False):
        model._record()


def accumulate_costs(model: HousingModel, rng: np.random.Generator) -> None:
    """Municipalities add this month's care costs to their running totals."""
    model._costs()


SCHEDULE: tuple[Phase, ...] = (
    Phase(
        "demography",
        (ageing, deaths, births, coming_of_age, leave_home_wish, separations, family_reunion, care_needs, cost_sharing_push),
        "births, deaths, households forming and splitting, care needs",
    ),
    Phase(
        "economy",
        (neighbourhood_liveability, income_shocks, arrears_and_evictions, nuisance),
        "neighbourhood liveability (January), incomes, arrears, nuisance and evictions",
    ),
    Phase("inflow", (refugee_arrivals, labour_migrants, students), "arrivals in the region"),
    Phase("institutions", (institution_flows,), "shelters, protected housing, detention, youth care"),
    Phase(
        "outflow",
        (leave_region, seeking, contracts_ending, skaeve_huse_returns),
        "leaving the region, starting to seek, contracts ending, the way back from Skaeve Huse",
    ),
    Phase(
        "construction",
        (
            completions,
            close_flex_sites,
            demolish_renewed,
            corporations_sell_and_demolish,
            corporations_build,
            municipalities_build_flex,
            municipalities_plan_pitches,
            market_starts,
        ),
        "homes completed, closed, sold, demolished and started",
    ),
    Phase("market", (private_market,), "the private and owner-occupied market"),
    Phase(
        "allocation",
        (attraction, homeless_urgency, support_needs, social_lettings, support_places),
        "households attracted by more active municipalities, support needs, the letting of social vacancies, support places",
    ),
    Phase("indicators", (care_costs, municipal_books, record, accumulate_costs), "measuring the month"),
)

#: The phase names in order: the one definition (measures name one of these).
PHASES: tuple[str, ...] = tuple(p.name for p in SCHEDULE)


def check_timing(phase: str, timing: str, where: str) -> None:
    """Raise ``ValueError`` naming ``where`` if ``phase`` or ``timing`` is not in the schedule."""
    if phase not in PHASES:
        raise ValueError(f"{where}: unknown phase '{phase}' (phases: {', '.join(PHASES)})")
    if timing not in TIMINGS:
        raise ValueError(f"{where}: unknown timing '{timing}' (before or after)")


def run_month(model: HousingModel) -> None:
    """One month: the opening, then per phase the measures acting before, its processes and the
    measures acting after, each phase timed and on its own random stream."""
    spin_up = getattr(model, "spinning_up", False)  # measures never act in the spin-up (HousingModel._spin_up)
    for step in OPENING:
        if not (spin_up and step is apply_measures):
            step(model)
    for phase in SCHEDULE:
        model._phase(phase.name)
        rng = model.phase_rng
        if not spin_up:
            model._act(phase.name, "before", rng)
        for process in phase.processes:
            process(model, rng)
        if not spin_up:
            model._act(phase.name, "after", rng)
    model._phase(None)


def _measures_at(measures: Iterable, phase: str, timing: str) -> list[str]:
    """Type names of the measures (instances or classes) that act at ``phase`` with ``timing``;
    measures that only change parameters or the allocation policy do not act and are left out."""
    from .policies import Measure

    out = []
    for m in measures:
        cls = m if isinstance(m, type) else type(m)
        if cls.act is not Measure.act and cls.phase == phase and cls.timing == timing:
            out.append(cls.model_fields["type"].default)
    return out


def describe(measures: Iterable = ()) -> str:
    """The month as plain text: the opening, and per phase the measures acting before, the
    processes and the measures acting after (``measures``: ``Measure`` instances or classes)."""
    measures = list(measures)
    lines = ["opening (no random draws):"]
    lines += [f"    {f.__name__}: {doc_line(f)}" for f in OPENING]
    for i, phase in enumerate(SCHEDULE, 1):
        lines.append(f"{i}. {phase.name}: {phase.summary}")
        lines += [f"    measure (before): {t}" for t in _measures_at(measures, phase.name, "before")]
        lines += [f"    {f.__name__}: {doc_line(f)}" for f in phase.processes]
        lines += [f"    measure (after): {t}" for t in _measures_at(measures, phase.name, "after")]
    return "\n".join(lines)


class Plan:
    """The month of one model or scenario as an inspectable plan: ``print(plan)``, or
    ``plan.phases`` (the ``SCHEDULE``) and ``plan.measures``."""

    def __init__(self, measures: Iterable = ()) -> None:
        self.phases = SCHEDULE
        self.measures = list(measures)

    def __str__(self) -> str:
        return describe(self.measures)

    def __repr__(self) -> str:
        return f"Plan({len(self.phases)} phases, {len(self.measures)} measures)"


def markdown_table() -> str:
    """The process table of ``docs/ODD.md`` section 3: phase, processes in order, and the
    measure types acting before and after them."""
    from .policies import REGISTRY

    classes = [REGISTRY[k] for k in sorted(REGISTRY)]
    lines = ["| # | phase | measures before | processes, in order | measures after |", "|---|---|---|---|---|"]
    opening = "<br>".join(f"`{f.__name__}`: {doc_line(f)}" for f in OPENING)
    lines.append(f"| 0 | *opening* | — | {opening} | — |")
    for i, phase in enumerate(SCHEDULE, 1):
        procs = "<br>".join(f"`{f.__name__}`: {doc_line(f)}" for f in phase.processes)
        before = ", ".join(f"`{t}`" for t in _measures_at(classes, phase.name, "before")) or "—"
        after = ", ".join(f"`{t}`" for t in _measures_at(classes, phase.name, "after")) or "—"
        lines.append(f"| {i} | **{phase.name}** | {before} | {procs} | {after} |")
    return "\n".join(lines)
