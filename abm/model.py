"""``HousingModel``: a Dutch region's households, homes, corporations and municipalities,
month by month.

Wiring only: the state lives in ``World`` (numpy columns), behaviour in ``processes``,
``institutions`` and ``allocation``, decisions in the ``agents``. The month is the declared
schedule of ``abm.schedule`` (``print(model.schedule)``): these phases in order, each with its
processes, and measures acting before or after a phase's processes:

``demography`` → ``economy`` → ``inflow`` → ``institutions`` → ``outflow`` → ``construction``
→ ``market`` → ``allocation`` → ``indicators``.

Example::

    from abm import HousingModel
    m = HousingModel(rng=1)          # COROP region Utrecht, every household, 1:1
    m.run(months=12)
    m.datacollector.get_model_vars_dataframe()
"""

from __future__ import annotations

import time
from typing import Any

import mesa
import numpy as np

from . import indicators, institutions, support
from .agents import Corporation, Municipality
from .allocation import AllocationPolicy, Allocator
from .codes import CareNeed, DwellingType, InstitutionKind, Label, Place, Tenure, Urgency
from .decisions import Decisions
from .dwellings import DwellingView
from .households import NEVER, NO_URGENCY, NONE, HouseholdView
from .measures_runtime import MeasureSupport, merge
from .params import Params
from .processes import construction, skaeve_huse
from .region import Region, build_region
from .scenarios import RegionSpec, Scenario, ScenarioError, load_scenario
from .schedule import PHASES, Plan, run_month
from .synth_population import populate
from .synth_stock import build_stock
from .world import World

__all__ = ["PHASES", "HousingModel"]
NATIONAL_SIZE = 352


class HousingModel(MeasureSupport, mesa.Model):
    """Agent-based model of a region's social housing and its priority groups.

    Args:
        scenario: name of a built-in scenario (``utrecht``, ``national``, ...) or a path to a
            TOML scenario file, or a validated ``abm.scenarios.Scenario`` (as sweeps build them); its
            region and parameter overrides are used.
        municipalities: CBS codes of the municipalities to model (overrides the scenario's region).
        corop: COROP codes (e.g. ``["CR17"]``), an alternative to ``municipalities``.
        households: if given, a synthetic region of about this many households built from the
            first selected municipality's shares (for tests and benchmarks).
        params: parameter overrides by name (see ``abm.params.Params``); validated.
        allocation: allocation-policy settings (see ``abm.allocation.AllocationPolicy``), merged
            over the scenario's ``[allocation]`` table; validated.
        measures: measures as plain dicts with a ``type`` (see ``abm.policies``), added to the
            scenario's ``[[measures]]``; validated.
        rng: seed or ``numpy.random.Generator``; the only source of randomness.

    In Mesa's ``SolaraViz`` pass the arguments Reset should use as ``model_params``, e.g.
    ``SolaraViz(HousingModel(scenario="small", rng=1), model_params={"scenario": "small", "rng": 1})``.
    The validated scenario is ``model.scenario_spec``; ``model.scenario`` is None (see below).
    """

    # Mesa 3.5 keeps an object of its own (mesa.experimental.scenarios.Scenario) in
    # ``model.scenario``; while it is set, SolaraViz's Reset passes a fresh one as ``scenario=``,
    # which replaced this model's scenario argument (issue 10). Without one, Reset calls
    # ``HousingModel(**model_params)`` as for any keyword-argument model.
    @property
    def scenario(self) -> None:
        return None

    @scenario.setter
    def scenario(self, value: Any) -> None:
        """Mesa's ``Model.__init__`` assigns its scenario object here; it is not kept."""

    def __init__(
        self,
        scenario: str | Scenario = "utrecht",
        municipalities: list[str] | None = None,
        corop: list[str] | None = None,
        households: int | None = None,
        params: dict[str, Any] | None = None,
        allocation: dict[str, Any] | None = None,
        measures: list[dict[str, Any]] | None = None,
        rng: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(rng=rng)
        spec = load_scenario(scenario)
        region_spec = spec.region
        if municipalities or corop or households:
            region_spec = (
                RegionSpec(municipalities=municipalities or [], corop=corop or [], households=households)
                if (municipalities or corop)
                else region_spec.model_copy(update={"households": households})
            )
        overrides = {**spec.params, **(params or {}), **kwargs}
        self.scenario_name = spec.name
        self.scenario_spec: Scenario = spec
        self.params = Params().with_overrides(overrides)
        self.held_params = frozenset(overrides)  # set explicitly: they hold, no driver series for them (abm.drivers)
        self.policy = AllocationPolicy.model_validate(merge(spec.allocation, allocation or {}))
        table = region_spec.table()
        self.national = len(table) == NATIONAL_SIZE and region_spec.households is None
        self.region: Region = build_region(table, self.rng)
        dw, corp_muni = build_stock(self.region, self.params, self.rng)
        hh = populate(self.region, dw, self.params, self.rng)
        self.world = World(self.region, self.params, hh, dw)
        self.capacity = institutions.capacities(self.region, self.params)
        self.support_capacity = support.capacity(self.region, self.params)  # Wmo support places per municipality
        self.support_events: dict[str, np.ndarray] = {}  # this month's lettings with and without support (abm/support.py)
        institutions.fill_initial(self.world, self.capacity, self.rng)
        self.world.next_hid = hh.n  # initial rows have hid == row
        self.world.totals["households_start"] = int((hh.place != Place.GONE).sum())
        self.world.totals["dwellings_start"] = int(dw.exists.sum())
        self.municipality_settings = self._own_settings(spec)
        self.decisions = Decisions(self.region.size)  # books, agreements, escalation and decisions (abm/decisions.py)
        self.municipality_agents = [Municipality(self, i) for i in range(self.region.size)]
        for mun in self.municipality_agents:  # support places a scenario fixes
            if mun.settings.support_places is not None:
                self.support_capacity[mun.index] = mun.settings.support_places
        self.corporations = [Corporation(self, i, int(m)) for i, m in enumerate(corp_muni)]
        # The local corporation that takes on municipal projects (flex homes); -1 if none.
        self.corporation_of_municipality = np.full(self.region.size, -1, dtype=np.int64)
        for c in reversed(self.corporations):
            self.corporation_of_municipality[c.municipality] = c.index
        # Skaeve Huse units (vacant at the start) in the centre municipalities (abm/processes/skaeve_huse.py).
        self.world.totals["dwellings_start"] += skaeve_huse.add_units(self.world, self.corporation_of_municipality).size
        for mun in self.municipality_agents:
            mun.set_urgency_criteria(self.policy.urgency)
        self.allocator = Allocator(self.policy, len(self.corporations), len(self.region.nbh_municipality))
        self.direct_number_left = {}
        self.pipeline = construction.Pipeline()
        self._seed_pipeline()
        self.month = 0
        self.spinning_up = False
        empty = np.empty(0, dtype=np.int64)
        self.last_allocations = (empty, empty, empty, empty)
        self.last_refusals = 0
        self.last_origin = empty
        self.stock_by_corporation = np.zeros(len(self.corporations))
        self._init_measures([*spec.measures, *(measures or [])], self.params, self.policy)
        for mun in self.municipality_agents:  # effort a scenario fixes
            if mun.settings.effort is not None:
                self.municipal_effort[mun.index] = mun.settings.effort
        self.recorder = indicators.Recorder(self.region.codes)
        self.phase_seconds = dict.fromkeys(PHASES, 0.0)
        # One random stream per phase, spawned from model.rng: a measure that changes the draws
        # of one phase leaves the others' draws aligned (common random numbers across scenarios).
        self._streams = dict(zip(PHASES, self.rng.spawn(len(PHASES)), strict=True))
        self.phase_rng = self.rng
        self._current_phase, self._phase_start = None, 0.0
        self.datacollector = mesa.DataCollector(
            model_reporters={
                name: name
                for name in (
                    "households",
                    "homeless",
                    "in_institution",
                    "blocked_in_institution",
                    "waiting",
                    "allocations",
                    "wait_months_median",
                    "wait_months_p90",
                    "vacancies",
                    "moves",
                    "evictions",
                    "completions",
                )
            }
        )
        self._sync_agents()
        self._spin_up(int(self.params.spinup_months))
        self._record()

    # -- spin-up ------------------------------------------------------------------------------
    def _spin_up(self, months: int) -> None:
        """Run the model's own dynamics for ``months`` (rounded up to whole years) before month 0,
        unrecorded, so that month 0 (1 January 2021) is a state the model itself produces:
        registration times, the waiting list, institution and homeless stocks, ages and household
        sizes of seekers (docs/ODD.md, Initialisation).

        The synthetic state is built as usual and its dates are moved back by the spin-up, so the
        calendar runs from ``-months`` to 0 and months keep their place in the year (September
        students, January/July quota). Measures neither act nor set parameters in spin-up; the
        recorder is off. Construction runs (its lettings and chains are part of the equilibrium),
        but the stock at month 0 is the CBS 2021 snapshot, which already holds the homes built in
        2016-2020: ``_back_to_snapshot`` takes the spin-up's extra homes out again. Reset afterwards: the event counters and last lettings, the totals of
        inflow and outflow (``households_start`` is the population at month 0), the
        municipalities' cumulative care costs and the phase timings. Kept: every household,
        home, registration, institution stay, quota backlog, construction pipeline and vacancy
        chain (a chain started in spin-up is open at month 0, like an initial vacancy)."""
        if months <= 0:
            return
        months = -(-months // 12) * 12
        snapshot = self._stock_cells()
        self._shift_dates(-months)
        self.spinning_up = True
        for _ in range(months):
            run_month(self)
        self.spinning_up = False
        self._back_to_snapshot(snapshot, -months)
        w = self.world
        w.start_month(0)
        for key in ("inflow", "outflow", "completions", "removed"):
            w.totals[key] = 0
        w.totals["households_start"] = int((w.hh.place != Place.GONE).sum())
        w.totals["dwellings_start"] = int(w.dw.exists.sum())
        empty = np.empty(0, dtype=np.int64)
        self.last_allocations = (empty, empty, empty, empty)
        self.last_refusals = 0
        self.last_origin = empty
        self.support_events = {}
        self.allocator.last_result = None
        for m in self.municipality_agents:
            m.care_costs = 0.0
        self.phase_seconds = dict.fromkeys(PHASES, 0.0)

    def _stock_cells(self) -> np.ndarray:
        """Existing permanent homes per municipality and tenure (flex homes left out)."""
        dw = self.world.dw
        ok = dw.exists & (dw.end_month == NEVER)
        cell = dw.municipality[ok].astype(np.int64) * len(Tenure) + dw.tenure[ok]
        return np.bincount(cell, minlength=self.region.size * len(Tenure))

    def _back_to_snapshot(self, snapshot: np.ndarray, start: int) -> None:
        """After the spin-up (begun at month ``start``), take out the flex homes it completed and
        as many permanent homes per municipality and tenure as it added, drawn at random from
        that cell's stock (not the newest homes), with their households and the
        young adults living in with them; and the same share, per municipality, of the other
        rows living in (labour migrants, students without a host). The region keeps the
        snapshot's stock (dwellings by tenure) and its size, and every distribution the spin-up
        settled keeps its shape: what is taken out is a random sample (docs/ODD.md,
        Initialisation). Where the spin-up's sales, liberalisations and demolitions left a cell
        with fewer homes than the snapshot, as many copies of homes drawn at random from that
        cell are put back, each with a copy of its household (``_put_back``). Nothing is
        counted: the counters are reset afterwards."""
        w = self.world
        hh, dw = w.hh, w.dw
        rng = self.rng.spawn(1)[0]  # a stream of its own: the phases' streams after month 0 stay as they were
        self._put_back(np.maximum(snapshot - self._stock_cells(), 0), rng)
        extra = np.maximum(self._stock_cells() - snapshot, 0)
        ok = np.flatnonzero(dw.exists & (dw.end_month == NEVER))
        cell = dw.municipality[ok].astype(np.int64) * len(Tenure) + dw.tenure[ok]
        chosen = [rng.choice(ok[cell == c], size=int(k), replace=False) for c in np.flatnonzero(extra) for k in [extra[c]]]
        flex = np.flatnonzero(dw.exists & (dw.end_month != NEVER) & (dw.built > start))
        homes = np.concatenate([flex, *chosen])
        if homes.size == 0:
            return
        occupants = dw.occupant[homes]
        rows = occupants[occupants >= 0]
        living_in = hh.place == Place.LIVING_IN
        hosted = np.flatnonzero(living_in & np.isin(hh.host, rows))
        # Rows living in without a host: the same share per municipality as the homes taken out.
        taken = np.bincount(dw.municipality[homes], minlength=self.region.size)
        share = taken / np.maximum(np.bincount(dw.municipality[dw.exists], minlength=self.region.size), 1)
        free = np.flatnonzero(living_in & (hh.host < 0))
        free = free[rng.random(free.size) < share[hh.municipality[free]]]
        gone = np.concatenate([rows, hosted, free])
        hh.place[gone] = Place.GONE
        hh.dwelling[gone] = NONE
        hh.host[gone] = NONE
        hh.seeking[gone] = False
        hh.arrears[gone] = False
        dw.occupant[homes] = NONE
        dw.chain_id[homes[occupants >= 0]] = -1  # an occupied home holds no open vacancy
        w.demolish(homes)

    def _put_back(self, deficit: np.ndarray, rng: np.random.Generator) -> None:
        """Per municipality and tenure, ``deficit`` copies of permanent homes drawn at random from
        that cell, each with a copy of its household if occupied (new ``hid``; young adults
        living in are not copied; support is not copied, so places stay within capacity): the
        mirror of the random take-out, so the settled distributions keep their shape."""
        if not deficit.any():
            return
        w = self.world
        hh, dw = w.hh, w.dw
        # Skaeve Huse units are a fixed number; homes under notice of demolition are leaving
        ok = np.flatnonzero(dw.exists & (dw.end_month == NEVER) & (dw.label != Label.SKAEVE) & (dw.demolish_at == NEVER))
        cell = dw.municipality[ok].astype(np.int64) * len(Tenure) + dw.tenure[ok]
        src = np.concatenate(
            [rng.choice(ok[cell == c], size=int(deficit[c]), replace=True) for c in np.flatnonzero(deficit) if (cell == c).any()]
        )
        if src.size == 0:
            return
        fresh = ("occupant", "chain_id", "chain_moves", "chain_cause", "vacancy_cause", "vacant_since")
        new_d = dw.add(src.size, **{c: dw._data[c][src] for c in dw.SCHEMA if c not in fresh})
        occ = dw.occupant[src]
        has = occ >= 0
        dw.vacant_since[new_d[~has]] = w.month
        rows = occ[has].astype(np.int64)
        skip = ("hid", "dwelling", "host", "support_by", "support_since")
        new_h = hh.add(rows.size, **{c: hh._data[c][rows] for c in hh.SCHEMA if c not in skip})
        hh._data["hid"][new_h] = w.next_hid + np.arange(new_h.size)
        w.next_hid += new_h.size
        hh.dwelling[new_h] = new_d[has]
        dw.occupant[new_d[has]] = new_h

    def _shift_dates(self, delta: int) -> None:
        """Move every date of the state by ``delta`` months (the calendar starts ``-delta`` earlier)."""
        hh, dw = self.world.hh, self.world.dw
        for col in (
            "registered",
            "ready_at",
            "seek_since",
            "contract_end",
            "stay_until",
            "reunion_at",
            "homeless_since",
            "refugee_until",
            "leaver_until",
            "urgency_until",
            "support_until",
            "support_since",
        ):
            a = hh._data[col]
            a[(a != NEVER) & (a != NO_URGENCY)] += delta
        for col in ("built", "end_month", "demolish_at", "vacant_since"):
            a = dw._data[col]
            a[a != NEVER] += delta
        self.pipeline.by_month = {k + delta: v for k, v in self.pipeline.by_month.items()}
        self.month += delta
        self.world.month = self.month

    # -- the month ----------------------------------------------------------------------------
    def _phase(self, name: str | None) -> None:
        """Close the timing of the previous phase and start ``name`` (seconds per phase)."""
        now = time.perf_counter()
        if self._current_phase is not None:
            self.phase_seconds[self._current_phase] += now - self._phase_start
        self._current_phase, self._phase_start = name, now
        if name is not None:
            self.phase_rng = self._streams[name]

    def step(self) -> None:
        """One month: the declared schedule (``abm.schedule.SCHEDULE``; print ``model.schedule``)."""
        run_month(self)

    @property
    def schedule(self) -> Plan:
        """The month as an inspectable plan: phases, processes, and this model's measures at
        their phase and timing (``print(model.schedule)``)."""
        return Plan(self.measures)

    def run(self, months: int, callback=None) -> None:
        """Run ``months`` months; ``callback(model)`` is called after each (for progress bars)."""
        for _ in range(int(months)):
            self.step()
            if callback is not None:
                callback(self)

    # -- helpers ------------------------------------------------------------------------------
    def _seed_pipeline(self) -> None:
        """Homes already under construction at the start complete steadily over the lead time."""
        dw, p, rng = self.world.dw, self.params, self.rng
        # Expected completions k months ahead = monthly rate × P(lead time > k - 1): what was
        # started before month 0 and is still under construction.
        from scipy.stats import gamma

        months = np.arange(1, int(4 * p.permanent_lead_time) + 1)
        still_building = gamma.sf(months - 1, 6.0, scale=p.permanent_lead_time / 6.0)
        social = np.bincount(dw.corporation[dw.corporation >= 0], minlength=len(self.corporations))
        for c in self.corporations:
            n = rng.poisson(social[c.index] * p.social_build_rate / 12.0 * still_building)
            for month, k in zip(months, n, strict=True):
                self.pipeline.start(int(month), c.municipality, Tenure.SOCIAL, int(k), corporation=c.index)
        market = dw.exists & (dw.tenure != Tenure.SOCIAL)
        stock = np.bincount(dw.municipality[market], minlength=self.region.size)
        for m in range(self.region.size):
            n = rng.poisson(stock[m] * p.market_build_rate / 12.0 * still_building)
            owner = rng.binomial(n, 0.75)
            for month, k, o in zip(months, n, owner, strict=True):
                self.pipeline.start(int(month), m, Tenure.OWNER, int(o))
                self.pipeline.start(int(month), m, Tenure.PRIVATE, int(k - o))

    def _own_settings(self, spec: Scenario) -> dict:
        """The scenario's ``[municipalities.<code>]`` tables, each for a municipality of the region."""
        for code in spec.municipalities:
            if code not in self.region.codes:
                raise ScenarioError(f"scenario '{spec.name}': municipalities.{code}: not a municipality of the modelled region")
        return dict(spec.municipalities)

    def direct_shares(self) -> dict[str, np.ndarray] | None:
        """Per direct-placement route, each municipality's own share of vacancies (NaN where it
        follows the region's policy); None when no municipality sets one."""
        out = {}
        for route, group in (("direct_homeless", "homeless"), ("direct_institution", "institution_leavers")):
            own = np.array([m.direct_share(group) for m in self.municipality_agents], dtype=float)
            if not np.isnan(own).all():
                out[route] = own
        return out or None

    def _sync_agents(self) -> None:
        self.world.urgency_months[:] = [m.urgency_months for m in self.municipality_agents]

    def _reset_direct_numbers(self) -> None:
        """Direct placements 'per half year' (national numbers shared by population)."""
        for route, rule in (("direct_institution", self.policy.institution_leavers), ("direct_homeless", self.policy.homeless)):
            if rule.enabled and rule.mode == "number":
                self.direct_number_left[route] = rule.per_half_year * self.region.population_share

    def _grant_homeless_urgency(self) -> None:
        """Where homelessness is an urgency ground: roofless people (3+ months) and shelter
        residents who are ready to move get social urgency."""
        ok = np.array([m.urgency_homeless for m in self.municipality_agents])
        if not ok.any():
            return
        hh, month = self.world.hh, self.month
        shelter = (
            (hh.place == Place.INSTITUTION)
            & ((hh.institution == InstitutionKind.SHELTER) | (hh.institution == InstitutionKind.WOMENS_SHELTER))
            & (hh.ready_at <= month)
        )
        roofless = (hh.place == Place.HOMELESS) & (hh.homeless_since <= month - 3)
        rows = np.flatnonzero((shelter | roofless) & (hh.urgency_until <= month))
        self.world.grant_urgency(rows[ok[hh.municipality[rows]]], social=True)

    def _count_quota(self, rows: np.ndarray, routes: np.ndarray) -> None:
        from .allocation import ROUTES

        hh = self.world.hh
        ref = rows[routes == ROUTES.index("direct_refugee")]
        persons = np.bincount(hh.municipality[ref], weights=hh.size[ref], minlength=self.region.size)
        for m in self.municipality_agents:
            m.quota_housed += int(persons[m.index])

    def _costs(self) -> None:
        """Municipalities accumulate this month's care costs (computed in ``_care_costs_now``)."""
        for m in self.municipality_agents:
            m.care_costs += float(self.care_costs_month[m.index])

    def _record(self) -> None:
        self.recorder.record(self.month, indicators.measure(self))
        self.datacollector.collect(self)

    # -- inspection ---------------------------------------------------------------------------
    def household(self, i: int) -> HouseholdView:
        """A snapshot of household row ``i``."""
        hh = self.world.hh
        r = hh.row(i)
        return HouseholdView(
            hid=r["hid"],
            municipality=self.region.codes[r["municipality"]],
            age_years=r["age"] / 12.0,
            size=r["size"],
            adults=r["adults"],
            income=r["income"],
            care=CareNeed(r["care"]).name.lower(),
            groups=tuple(hh.groups_of(i, self.month)),
            place=Place(r["place"]).name.lower(),
            dwelling=r["dwelling"] if r["dwelling"] >= 0 else None,
            institution=InstitutionKind(r["institution"]).name.lower() if r["institution"] >= 0 else None,
            registered_month=r["registered"] if r["registered"] != NEVER else None,
            urgency=Urgency(r["urgency"]).name.lower(),
            seeking=r["seeking"],
            arrears=r["arrears"],
        )

    def dwelling(self, i: int) -> DwellingView:
        """A snapshot of dwelling row ``i``."""
        r = self.world.dw.row(i)
        return DwellingView(
            row=i,
            municipality=self.region.codes[r["municipality"]],
            neighbourhood=r["neighbourhood"],
            tenure=Tenure(r["tenure"]).name.lower(),
            dtype=DwellingType(r["dtype"]).name.lower(),
            rooms=r["rooms"],
            rent=r["rent"],
            label=Label(r["label"]).name.lower(),
            corporation=r["corporation"] if r["corporation"] >= 0 else None,
            occupant=r["occupant"] if r["occupant"] >= 0 else None,
        )

    def indicators(self):
        """The tidy indicator table (see ``abm.indicators``) of all months so far."""
        return self.recorder.frame()

    def decision_log(self):
        """The municipalities' yearly decisions so far (``abm.decisions``): one row per decision
        changed — year of the run that ended (0: the first), municipality, decision, old and new
        value, and the signals it weighed."""
        import pandas as pd

        log = self.decisions.log
        return pd.DataFrame(log, columns=None if log else ["year", "municipality", "decision", "old", "new"])

    def agreement_log(self):
        """The performance agreements scored so far: per year and municipality, the priority
        lettings and social homes started against their commitments, and whether each was met."""
        import pandas as pd

        return pd.DataFrame(self.decisions.agreements)

    # Metrics as properties, so DataCollector reporters are plain names (national 'total' series).
    households = property(lambda self: self.recorder.total("households"))
    homeless = property(lambda self: self.recorder.total("homeless"))
    in_institution = property(lambda self: self.recorder.total("in_institution"))
    blocked_in_institution = property(lambda self: self.recorder.total("blocked_in_institution"))
    waiting = property(lambda self: self.recorder.total("waiting"))
    allocations = property(lambda self: self.recorder.total("allocations"))
    wait_months_median = property(lambda self: self.recorder.total("wait_months_median"))
    wait_months_p90 = property(lambda self: self.recorder.total("wait_months_p90"))
    vacancies = property(lambda self: self.recorder.total("vacancies"))
    moves = property(lambda self: self.recorder.total("moves"))
    evictions = property(lambda self: self.recorder.total("evictions"))
    completions = property(lambda self: self.recorder.total("completions"))
