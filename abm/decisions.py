"""Municipalities that decide (*gemeenten die kiezen*), their performance agreements and the
province's supervision of the permit-holder quota.

The report ('Beleid en samenwerking voor huisvesting aandachtsgroepen: Duivels lokaal
dilemma'): "hoe groter de ambitie voor de huisvesting van aandachtsgroepen, hoe groter de kans
op een aanzuigende werking van aandachtsgroepen vanuit andere gemeenten. En dat betekent hoe
hoger de sociale-, werk- en inkomenslasten ... maar ook door de lagere grondopbrengsten in het
ruimtelijke domein. De financiële draagkracht van gemeenten staat flink onder druk, waardoor
het animo om huisvesting te realiseren voor (bepaalde) aandachtsgroepen afneemt."

**Books.** Every month (spin-up included) each municipality books what it weighs: its
social-domain costs less bonuses and compensation received, the budget a measure sets
(``abm.social_costs``), the land revenue it forgoes on the social homes its permits allow its
corporations to start (their plan, ``land_revenue_forgone_social_home``), its flex sites (their
plan, ``flex_site_cost``) and the cost of an *indeplaatsstelling*; its social lettings, the
priority lettings among them (urgency and direct placement), the social homes started, and the
priority households who moved in from neighbours (*aanzuigende werking*, ``attract``).

**Reference year.** The year before the run (2020, the last year of the spin-up) is the policy's
reference; a run without a spin-up long enough to fill the social-domain ledger
(``social_support_months``, three years) takes the first January after that long instead
(month 37), so that its ramp-up is not read as rising costs. The reference year is the policy's
reference: the municipality's budget is what it spent
then (unless a measure sets a budget: the devil's dilemma), its performance agreements with its
corporations (*prestatieafspraken*) continue that year's lettings to priority groups and social
homes started, and its pressures are measured against that year's.

**The yearly rule** (each January from the second year of the run; ``municipal_decisions``).
Each signal counts only beyond a dead band (``decision_tolerance``, widened to
``decision_noise_z`` Poisson standard errors where the counts are small, ``Decisions.signals``):

- *over*: costs above the budget, as a share of it;
- *pressure*: the rise of waiting seekers per letting; *homeless*: of roofless people and
  shelter residents ready to leave; *support*: of unmet support needs;
- *attracted*: the share of its priority lettings that went to households who moved in from
  neighbours in the year;
- *missed*: a letting or build commitment of the agreements not met (1) or met (0).

Targets (then each decision moves toward its target by at most ``decision_step`` a year):
effort = 1 − w_cost·over − w_attr·attracted + w_agree·missed_letting (0..1; scales the
direct-placement shares of homeless people and institution leavers); urgency duration = the
region's × (1 − w_press·pressure), at least ``urgency_months_min_share`` of it, and the
homeless ground is dropped while effort is below ``homeless_ground_min_effort``; flex factor =
1 + w_press·homeless − w_cost·over; permit factor (on its corporations' build plans) = 1 +
w_press·pressure + w_agree·missed_build − w_cost·over; support places = reference × (1 +
w_press·support − w_cost·over). A decision the scenario's ``[municipalities.GMxxxx]`` table
sets is fixed (``MunicipalitySettings``); ``decides = false`` fixes them all.

**Province** (*interbestuurlijk toezicht*, Huisvestingswet art. 30; report 'Statushouders':
"De provincie: houdt toezicht op de opgave en kan sancties opleggen"): at the end of each half
year a municipality whose quota shortfall exceeds ``province_tolerance`` of its quota, and grew
over the half year (no progress on the backlog it carried in), climbs one step: 1 signal, 2 *aanschrijving* (the whole quota is due at once, no pacing), 3
*indeplaatsstelling* (the province acts in its place at the municipality's cost,
``indeplaatsstelling_cost`` per person short); a half year within the tolerance brings it back to 0.

Every decision taken is logged (``Decisions.log``: year, municipality, decision, old and new
value, the signals), and the agreements' outcomes are kept per year (``Decisions.agreements``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .allocation import ROUTES
from .codes import Flag, InstitutionKind, Place, SupportBy

if TYPE_CHECKING:
    from .model import HousingModel

#: decisions a municipality takes each year, in log order
DECISIONS: tuple[str, ...] = ("effort", "urgency_months", "urgency_homeless", "flex_factor", "permit_factor", "support_places")
#: what a municipality books each month (one row per month, one column per municipality)
BOOKS: tuple[str, ...] = ("cost", "budget", "lettings", "priority_lettings", "social_starts", "attracted")
PRIORITY_ROUTES = np.array([ROUTES.index(r) for r in ROUTES if r.startswith("direct") or r == "urgency"])
#: escalation steps of the province's supervision of the quota
ESCALATION = ("on track", "signal", "aanschrijving", "indeplaatsstelling")


@dataclass
class Reference:
    """The reference year per municipality: its costs (EUR a year), lettings and priority lettings
    (a year), social homes started (a year), and the pressures at its end."""

    cost: np.ndarray
    lettings: np.ndarray
    priority_lettings: np.ndarray
    social_starts: np.ndarray
    waiting_per_letting: np.ndarray
    homeless: np.ndarray
    support_unmet: np.ndarray
    support_places: np.ndarray


@dataclass
class Decisions:
    """The books, reference, agreements, escalation and decision log of the region's
    municipalities (``model.decisions``)."""

    n: int
    books: list[np.ndarray] = field(default_factory=list)  # newest last; each [len(BOOKS), n]
    months_booked: int = 0  # months booked since the model was built (spin-up included)
    reference: Reference | None = None
    budget_month: np.ndarray | None = None  # EUR this month per municipality set by a measure (devil's dilemma); None: the reference's
    escalation: np.ndarray = field(init=False)
    agreement_letting_met: np.ndarray = field(init=False)
    agreement_build_met: np.ndarray = field(init=False)
    log: list[dict] = field(default_factory=list)
    agreements: list[dict] = field(default_factory=list)
    attracted_month: np.ndarray = field(init=False)
    shortfall: np.ndarray = field(init=False)  # persons short at the last half-year check
    _starts_seen: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.escalation = np.zeros(self.n, dtype=np.int64)
        self.agreement_letting_met = np.full(self.n, np.nan)
        self.agreement_build_met = np.full(self.n, np.nan)
        self.attracted_month = np.zeros(self.n)
        self.shortfall = np.zeros(self.n)
        self._starts_seen = np.zeros(self.n)

    # -- books ---------------------------------------------------------------------------------
    def book_month(self, model: HousingModel) -> None:
        """Book this month's costs, lettings, social homes started and households attracted."""
        n, p = self.n, model.params
        rows, _, route, dwellings = model.last_allocations
        mun_let = model.world.dw.municipality[dwellings].astype(np.int64)
        lettings = np.bincount(mun_let, minlength=n).astype(np.float64)
        priority = np.bincount(mun_let[np.isin(route, PRIORITY_ROUTES)], minlength=n).astype(np.float64)
        started, planned = np.zeros(n), np.zeros(n)
        for c in model.corporations:
            started[c.municipality] += c.started
            planned[c.municipality] += c.planned_starts()
        starts, self._starts_seen = started - self._starts_seen, started
        flex_planned = np.array([m.planned_flex() for m in model.municipality_agents], dtype=np.float64)
        # Land and sites are costed on what the municipality grants (the plans its permits and
        # sites allow), not on the month's random number of starts.
        cost = (
            np.asarray(model.social_costs.latest, dtype=np.float64)
            - np.asarray(model.municipal_income, dtype=np.float64)
            + planned * p.land_revenue_forgone_social_home
            + flex_planned * p.flex_site_cost
            + np.where((self.escalation >= 3) & (model.month % 6 == 1), p.indeplaatsstelling_cost * self.shortfall, 0.0)
        )
        budget = np.full(n, np.nan) if self.budget_month is None else np.asarray(self.budget_month, dtype=np.float64)
        self.books.append(np.stack([cost, budget, lettings, priority, starts, self.attracted_month]))
        self.months_booked += 1
        del self.books[:-12]
        self.attracted_month = np.zeros(n)
        self.budget_month = None  # a measure sets it again each month it is active

    def year(self) -> np.ndarray:
        """Sums of the last twelve months' books, [len(BOOKS), n] (the budget row: NaN where a
        month had no budget set by a measure)."""
        return np.sum(self.books, axis=0)

    def budget(self) -> np.ndarray:
        """EUR over the last twelve months per municipality: what a measure set for a month, else
        a twelfth of the reference year's costs."""
        assert self.reference is not None
        months = np.array([b[BOOKS.index("budget")] for b in self.books])
        return np.where(np.isnan(months), self.reference.cost / 12.0, months).sum(axis=0)

    # -- signals -------------------------------------------------------------------------------
    @staticmethod
    def pressures(model: HousingModel, lettings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Now, per municipality: waiting seekers per letting of the year, roofless people and
        shelter residents ready to leave, unmet support needs."""
        hh, n, month = model.world.hh, len(lettings), model.month
        present = hh.place != Place.GONE
        waiting = np.bincount(hh.municipality[present & hh.seeking], minlength=n)
        shelter = (hh.place == Place.INSTITUTION) & (hh.institution == InstitutionKind.SHELTER) & (hh.ready_at <= month)
        homeless = np.bincount(hh.municipality[(hh.place == Place.HOMELESS) | shelter], minlength=n)
        unmet = np.bincount(hh.municipality[present & (hh.support_need > 0) & (hh.support_by == SupportBy.NONE)], minlength=n)
        return waiting / (lettings + 1.0), homeless.astype(np.float64), unmet.astype(np.float64)

    def ready_for_reference(self, model: HousingModel) -> bool:
        """Whether the year just booked can be the reference: at least a year booked, and long
        enough for the social-domain ledger to be full (``social_support_months``: permit holders
        housed before the first month still draw on participation support), so that a run
        without a spin-up does not take its ramp-up for a rise in costs."""
        return self.months_booked >= max(12, int(round(model.params.social_support_months)))

    def set_reference(self, model: HousingModel) -> None:
        """The year just booked becomes the reference year (budgets, agreements, pressures)."""
        y = self.year()
        wpl, homeless, unmet = self.pressures(model, y[BOOKS.index("lettings")])
        self.reference = Reference(
            cost=y[BOOKS.index("cost")],
            lettings=y[BOOKS.index("lettings")],
            priority_lettings=y[BOOKS.index("priority_lettings")],
            social_starts=y[BOOKS.index("social_starts")],
            waiting_per_letting=wpl,
            homeless=homeless,
            support_unmet=unmet,
            support_places=np.asarray(model.support_capacity, dtype=np.float64).copy(),
        )

    def signals(self, model: HousingModel) -> dict[str, np.ndarray]:
        """This year's signals per municipality, each beyond its dead band (0 within it).

        The band of a signal is the larger of ``decision_tolerance`` and ``decision_noise_z``
        standard errors of a Poisson count of the reference's size (1/√n): a council does not
        change course over three homes started instead of four. Costs count in cases of the cost
        table's light support a year (the commonest case)."""
        ref, p = self.reference, model.params
        assert ref is not None
        tol, z = p.decision_tolerance, p.decision_noise_z

        def band(count: np.ndarray) -> np.ndarray:
            return np.maximum(tol, z / np.sqrt(np.maximum(count, 1.0)))

        def rise(now: np.ndarray, then: np.ndarray) -> np.ndarray:
            return np.maximum(now / np.maximum(then, 1.0) - 1.0 - band(then), 0.0) * (now > then)

        y = self.year()
        cost, _, lettings, priority, starts, attracted = (y[BOOKS.index(b)] for b in BOOKS)
        budget = self.budget()
        with np.errstate(divide="ignore", invalid="ignore"):
            over = np.where(budget > 0, cost / budget - 1.0, np.where(cost > 0, 1.0, 0.0))
        cases = budget / max(float(model.costs.get("support_light_year", 1.0)), 1.0)
        wpl, homeless, unmet = self.pressures(model, lettings)
        letting_met = priority >= (1.0 - band(ref.priority_lettings)) * ref.priority_lettings
        build_met = starts >= (1.0 - band(ref.social_starts)) * ref.social_starts
        with np.errstate(divide="ignore", invalid="ignore"):
            pressure = np.where(ref.waiting_per_letting > 0, wpl / ref.waiting_per_letting - 1.0, 0.0)
        return {
            "over": np.maximum(over - band(cases), 0.0),
            "pressure": np.maximum(pressure - band(ref.lettings), 0.0),
            "homeless": rise(homeless, ref.homeless),
            "support": rise(unmet, ref.support_unmet),
            "attracted": np.maximum(attracted / np.maximum(priority, 1.0) - band(priority), 0.0),
            "missed_letting": (~letting_met).astype(np.float64),
            "missed_build": (~build_met).astype(np.float64),
        }

    # -- the yearly rule -----------------------------------------------------------------------
    def decide(self, model: HousingModel) -> None:
        """Each January: agreements are scored, then each municipality moves its decisions
        toward the rule's targets (the module docstring); fixed decisions stay."""
        p = model.params
        s = self.signals(model)
        year = (model.month - 1) // 12 - 1  # the year that ended (0: the run's first year)
        self.agreement_letting_met = 1.0 - s["missed_letting"]
        self.agreement_build_met = 1.0 - s["missed_build"]
        y = self.year()
        for m in model.municipality_agents:
            i = m.index
            self.agreements.append(
                {
                    "year": year,
                    "municipality": m.code,
                    "priority_lettings": float(y[BOOKS.index("priority_lettings"), i]),
                    "letting_commitment": float(self.reference.priority_lettings[i]),
                    "letting_met": bool(s["missed_letting"][i] == 0),
                    "social_starts": float(y[BOOKS.index("social_starts"), i]),
                    "build_commitment": float(self.reference.social_starts[i]),
                    "build_met": bool(s["missed_build"][i] == 0),
                }
            )
        if not p.municipal_decisions:
            return
        w_c, w_p, w_a, w_g, step = (
            p.decision_cost_weight,
            p.decision_pressure_weight,
            p.decision_attraction_weight,
            p.decision_agreement_weight,
            p.decision_step,
        )
        effort_t = np.clip(1.0 - w_c * s["over"] - w_a * s["attracted"] + w_g * s["missed_letting"], 0.0, 1.0)
        months_t = np.clip(1.0 - w_p * s["pressure"], p.urgency_months_min_share, 1.0)
        flex_t = np.clip(1.0 + w_p * s["homeless"] - w_c * s["over"], 0.0, p.flex_factor_max)
        permit_t = np.clip(1.0 + w_p * s["pressure"] + w_g * s["missed_build"] - w_c * s["over"], 0.0, p.permit_factor_max)
        support_t = np.clip(1.0 + w_p * s["support"] - w_c * s["over"], 0.0, p.support_places_max_factor)
        effort = model.municipal_effort.copy()
        for m in model.municipality_agents:
            i, own = m.index, m.settings
            if own.decides is False:
                continue
            signals = {k: round(float(v[i]), 4) for k, v in s.items()}

            def note(name: str, old: float, new: float, code: str = m.code, signals: dict = signals) -> None:
                if new != old:
                    self.log.append({"year": year, "municipality": code, "decision": name, "old": old, "new": new, **signals})

            if own.effort is None:
                new = toward(effort[i], effort_t[i], step)
                note("effort", float(effort[i]), new)
                effort[i] = new
            if own.urgency.months is None:
                share = toward(m.urgency_months_share, months_t[i], step)
                note("urgency_months", m.urgency_months_share, share)
                m.urgency_months_share = share
            ground_before = m.urgency_homeless
            if own.urgency.homeless is None:
                m.homeless_ground_kept = bool(effort[i] >= p.homeless_ground_min_effort)
            if own.flex_share is None:
                new = toward(m.flex_factor, flex_t[i], step)
                note("flex_factor", m.flex_factor, new)
                m.flex_factor = new
            if own.permit_factor is None:
                new = toward(m.permit_factor, permit_t[i], step)
                note("permit_factor", m.permit_factor, new)
                m.permit_factor = new
            if own.support_places is None:
                ref = self.reference.support_places[i]
                now = float(model.support_capacity[i])
                new = float(np.round(ref * toward(now / ref if ref > 0 else 1.0, support_t[i], step))) if ref > 0 else now
                note("support_places", now, new)
                model.support_capacity[i] = new
            m.set_urgency_criteria(model.policy.urgency)
            note("urgency_homeless", float(ground_before), float(m.urgency_homeless))  # only where the region's rule has the ground
        model.municipal_effort = effort

    # -- the province ----------------------------------------------------------------------------
    def supervise_quota(self, model: HousingModel) -> None:
        """At the end of a half year: a municipality whose shortfall on the permit-holder quota
        exceeds ``province_tolerance`` of its quota and grew over the half year moves a step up the
        escalation ladder, any other back to 0 (runs before the new half year's quota is received)."""
        tol = model.params.province_tolerance
        for m in model.municipality_agents:
            # Behind: the shortfall exceeds the tolerance and grew over the half year (the
            # municipality made no progress on the backlog it carried in).
            short = m.quota - m.quota_housed
            self.shortfall[m.index] = max(short, 0.0)
            behind = m.quota > 0 and short > tol * m.quota and short > m.quota_backlog
            self.escalation[m.index] = min(self.escalation[m.index] + 1, len(ESCALATION) - 1) if behind else 0


def toward(now: float, target: float, step: float) -> float:
    """``now`` moved toward ``target`` by at most ``step`` (rounded to 4 decimals, so that the
    log and the indicators carry no float noise)."""
    return round(float(now + np.clip(target - now, -step, step)), 4)


def attract(model: HousingModel, rng: np.random.Generator, rate: float) -> np.ndarray:
    """*Aanzuigende werking*: priority seekers without a home of their own — roofless and
    sofa-surfing people, and those living in after a shelter or an institution — move to the
    most active municipality of their COROP region with a chance of ``rate`` times the gap
    between its effort and their own municipality's. Draws nothing while all efforts of a
    COROP region are equal (so that a run without decisions keeps its random numbers).
    Returns the rows that moved; they are booked as attracted by the municipality they moved to."""
    hh, reg, effort = model.world.hh, model.region, np.asarray(model.municipal_effort)
    best = np.zeros(len(reg.corops), dtype=np.int64)
    spread = False
    for c in range(len(reg.corops)):
        members = np.flatnonzero(reg.corop_index == c)
        best[c] = members[np.argmax(effort[members])]
        spread |= bool(np.ptp(effort[members]) > 0)
    if not spread or rate <= 0:
        return np.empty(0, dtype=np.int64)
    after = (hh.labels & (Flag.HOMELESS_HISTORY | Flag.INSTITUTION_LEAVER)) != 0
    movers = np.flatnonzero(hh.seeking & ((hh.place == Place.HOMELESS) | ((hh.place == Place.LIVING_IN) & after)))
    target = best[reg.corop_index[hh.municipality[movers]]]
    gap = effort[target] - effort[hh.municipality[movers]]
    move = rng.random(movers.size) < rate * gap
    moved = movers[move]
    hh.municipality[moved] = target[move]
    decisions = getattr(model, "decisions", None)
    if decisions is not None:
        decisions.attracted_month += np.bincount(target[move], minlength=reg.size)
    return moved
