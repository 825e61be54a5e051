"""The state of a run and the few operations that change who lives where.

Every process of the month changes places only through these methods, so the invariants
hold by construction and are checked in one place (``check``): each present household is in
exactly one place, each dwelling holds at most one household, and
start + inflow − outflow = end for households and dwellings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from . import support
from .chains import PASSED, ChainLog
from .codes import ChainEnd, Flag, Place, Tenure, Urgency, VacancyCause
from .dwellings import Dwellings
from .households import NEVER, NO_URGENCY, NONE, Households
from .params import Params
from .region import Region


@dataclass
class MonthCounters:
    """What happened this month; reset at the start of every month."""

    inflow: Counter = field(default_factory=Counter)  # new households by source
    outflow: Counter = field(default_factory=Counter)  # households gone by cause
    completions: Counter = field(default_factory=Counter)  # dwellings completed by tenure name
    removed_dwellings: int = 0
    evictions: list = field(default_factory=list)  # household rows evicted
    eviction_groups: list = field(default_factory=list)  # their group bit sets just before the eviction
    eviction_municipality: list = field(default_factory=list)  # municipality of the home they lost
    eviction_nuisance: list = field(default_factory=list)  # per eviction: True for nuisance (woonoverlast), False for arrears
    court_cases: int = 0
    evictions_averted: int = 0
    moves: list = field(default_factory=list)  # household rows that moved into a dwelling
    move_groups: list = field(default_factory=list)  # their group bit sets just before the move
    move_municipality: list = field(default_factory=list)  # municipality of the dwelling moved into
    built: list = field(default_factory=list)  # dwelling rows completed this month
    stock_changes: list = field(default_factory=list)  # (dwelling rows, StockChange) taken out of social letting
    renewal_notices: list = field(default_factory=list)  # dwelling rows given notice of demolition (urban renewal)
    pitches_started: list = field(default_factory=list)  # caravan pitches started per municipality (January)
    moved_up: list = field(default_factory=list)  # social tenants who moved to a market home
    skaeve_huse_placed: list = field(default_factory=list)  # groups of nuisance cases placed in Skaeve Huse, before the move
    skaeve_huse_placed_municipality: list = field(default_factory=list)  # municipality of the unit
    homes_lost_detention: list = field(default_factory=list)  # tenants who lost their home on entering detention
    homes_lost_detention_municipality: list = field(default_factory=list)  # municipality of the home lost
    homeless_inflow: list = field(default_factory=list)  # (municipality, groups, cause) chunks: became dak- of thuisloos
    institution_exits_without_home: list = field(default_factory=list)  # (municipality, groups) of leavers who went living in
    allocations: list = field(default_factory=list)  # (household rows, wait months) social allocations
    vacancies: list = field(default_factory=list)  # dwelling rows that became vacant
    chain_events: list = field(default_factory=list)  # this month's chain events (ChainLog chunks)
    chain_starts: list = field(default_factory=list)  # ids of the chains started this month


class World:
    """Households, dwellings, region and parameters of one run, plus place-changing operations."""

    def __init__(self, region: Region, params: Params, households: Households, dwellings: Dwellings) -> None:
        self.region = region
        self.params = params
        self.hh = households
        self.dw = dwellings
        self.month = 0
        self.counters = MonthCounters()
        self.next_hid = int(households.hid.max()) + 1 if households.n else 0
        self.urgency_months = np.full(region.size, 12, dtype=np.int32)  # set by municipalities
        self.chains = ChainLog()  # every vacancy chain of the run (abm/chains.py)
        self.totals = {"households_start": 0, "inflow": 0, "outflow": 0, "dwellings_start": 0, "completions": 0, "removed": 0}
        self._date_initial_labels()

    def _date_initial_labels(self) -> None:
        """Permit holders and institution leavers housed at the start got their home within the
        label's duration (``refugee_social_share`` counts *recent* permit holders): their labels
        end at moments spread evenly over that duration (by ``hid``, so no random draw)."""
        hh, p = self.hh, self.params
        out = hh.place != Place.INSTITUTION
        for flag, col, months in (
            (Flag.REFUGEE, "refugee_until", p.refugee_label_months),
            (Flag.INSTITUTION_LEAVER, "leaver_until", p.institution_leaver_label_months),
        ):
            until = hh._data[col][: hh.n]
            rows = np.flatnonzero(out & ((hh.labels & flag) != 0) & (until == NEVER))
            until[rows] = self.month + 1 + hh.hid[rows] % max(int(round(months)), 1)

    # -- bookkeeping -------------------------------------------------------------------------
    def start_month(self, month: int) -> None:
        self.month = month
        self.counters = MonthCounters()
        self.allowance_assessed = None  # this month's housing allowance, once assessed (income_rules.assess)
        self.compact()
        self.hh.expire_labels(month)

    def count_homeless_inflow(self, rows: np.ndarray, cause: int) -> None:
        """Book ``rows`` as becoming roofless, sofa-surfing or sheltered for ``cause``
        (``HomelessCause``), with their municipality and groups now: call it before they move."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size:
            mun = self.hh.municipality[rows].astype(np.int64)
            self.counters.homeless_inflow.append((mun, self.groups_now(rows), np.full(rows.size, cause, dtype=np.int64)))

    def groups_now(self, rows: np.ndarray) -> np.ndarray:
        """Group bit sets of ``rows`` as they are now: call it at the moment of an event."""
        return self.hh.group_combo(self.month, np.asarray(rows, dtype=np.int64))

    def _start_label_clock(self, rows: np.ndarray) -> None:
        """Households that leave the asylum centre or institution keep their permit-holder or
        leaver label for ``refugee_label_months`` / ``institution_leaver_label_months`` more."""
        hh, p = self.hh, self.params
        rows = rows[hh.place[rows] != Place.INSTITUTION]
        for flag, col, months in (
            (Flag.REFUGEE, "refugee_until", p.refugee_label_months),
            (Flag.INSTITUTION_LEAVER, "leaver_until", p.institution_leaver_label_months),
        ):
            until = hh._data[col]
            r = rows[((hh.labels[rows] & flag) != 0) & (until[rows] == NEVER)]
            until[r] = self.month + int(round(months))

    def compact(self, threshold: float = 0.1) -> bool:
        """Drop the rows of households that are gone once they are more than ``threshold`` of
        all rows (they cost time in every vector operation). Renumbers household rows and
        updates the references to them (dwelling occupants, hosts); ``hid`` stays stable."""
        hh, dw = self.hh, self.dw
        gone = hh.place == Place.GONE
        if hh.n == 0 or gone.mean() <= threshold:
            return False
        keep = np.flatnonzero(~gone)
        new_index = np.full(hh.n + 1, NONE, dtype=np.int64)  # the extra slot maps NONE (-1) to NONE
        new_index[keep] = np.arange(keep.size)
        hh.keep(keep)
        hh.host = new_index[hh.host]
        occ = dw.occupant
        dw.occupant = np.where(occ >= 0, new_index[occ], NONE)
        return True

    def new_households(self, count: int, source: str, **values) -> np.ndarray:
        """Create ``count`` households arriving from outside the modelled population."""
        rows = self.hh.add(count, **values)
        self.hh._data["hid"][rows] = self.next_hid + np.arange(rows.size)
        self.next_hid += rows.size
        self.counters.inflow[source] += len(rows)
        self.totals["inflow"] += len(rows)
        return rows

    def remove(self, rows: np.ndarray, cause: str, vacancy_cause: VacancyCause = VacancyCause.LEFT_REGION) -> None:
        """Households leave the region or die: free their dwelling, mark them gone."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return
        hh = self.hh
        self._leave_host(rows)
        housed = rows[hh.place[rows] == Place.DWELLING]
        self.vacate(hh.dwelling[housed], vacancy_cause)
        hh.place[rows] = Place.GONE
        hh.dwelling[rows] = NONE
        hh.arrears[rows] = False
        hh.institution[rows] = NONE
        hh.seeking[rows] = False
        self.counters.outflow[cause] += rows.size
        self.totals["outflow"] += rows.size

    def vacate(self, dwellings: np.ndarray, cause: VacancyCause) -> None:
        """Dwellings become vacant now (the start of a vacancy, or a link in a chain)."""
        dwellings = np.asarray(dwellings, dtype=np.int64)
        if dwellings.size == 0:
            return
        dw = self.dw
        dw.occupant[dwellings] = NONE
        dw.vacant_since[dwellings] = self.month
        dw.vacancy_cause[dwellings] = cause
        if cause != VacancyCause.MOVE_WITHIN:  # a new vacancy chain starts here
            dw.chain_cause[dwellings] = cause
            dw.chain_moves[dwellings] = 0
            dw.chain_id[dwellings] = self._start_chains(dwellings, cause)
        self.counters.vacancies.append(dwellings)

    def _start_chains(self, dwellings: np.ndarray, cause) -> np.ndarray:
        ids = self.chains.start(self.month, cause, dwellings, self.dw.municipality[dwellings], self.dw.tenure[dwellings])
        self.counters.chain_starts.append(ids)
        return ids

    def demolish(self, dwellings: np.ndarray) -> None:
        """Vacant dwellings leave the stock (a flex site closes). The open chain of each such
        vacancy ends there (``ChainEnd.DEMOLISHED``, CBS: the vacancy left the stock)."""
        dwellings = np.asarray(dwellings, dtype=np.int64)
        if dwellings.size == 0:
            return
        dw = self.dw
        assert np.all(dw.occupant[dwellings] == NONE), "demolishing an occupied dwelling"
        dw.exists[dwellings] = False
        self.counters.removed_dwellings += dwellings.size
        self.totals["removed"] += dwellings.size
        # A vacant dwelling with a chain id holds that chain's open vacancy (vacate/move_in set it).
        d = dwellings[dw.chain_id[dwellings] >= 0]
        kind = np.full(d.size, ChainEnd.DEMOLISHED, dtype=np.int8)
        chunk = self.chains.record(self.month, dw.chain_id[d], dw.chain_moves[d].astype(np.int32), kind, dw.municipality[d], dw.tenure[d])
        self.counters.chain_events.append(chunk)

    def _leave_host(self, rows: np.ndarray) -> None:
        """Young adults who move out of a host household shrink it by one person."""
        hh = self.hh
        living_in = rows[(hh.place[rows] == Place.LIVING_IN) & (hh.host[rows] >= 0)]
        hosts = hh.host[living_in]
        ok = hosts[(hh.place[hosts] != Place.GONE) & (hh.size[hosts] > hh.adults[hosts])]
        np.subtract.at(hh._data["size"], ok, 1)
        hh.host[living_in] = NONE

    def move_in(
        self, rows: np.ndarray, dwellings: np.ndarray, social: bool, newcomers: bool = False, abroad: np.ndarray | None = None
    ) -> None:
        """Households move into vacant dwellings; their old homes become vacant (chains).

        A mover's old home continues the vacancy chain of the home it moves into, whatever its
        tenure; a mover from outside the stock ends that chain (``newcomers``: arrived from
        outside the region; ``abroad`` per row: an immigrant, not a mover from elsewhere in the
        Netherlands). Each move is one link of its chain (``ChainLog``, abm/chains.py).
        Accepting a social home ends the registration (inschrijfduur restarts), as
        in the Dutch allocation systems.
        """
        rows = np.asarray(rows, dtype=np.int64)
        dwellings = np.asarray(dwellings, dtype=np.int64)
        if rows.size == 0:
            return
        hh, dw = self.hh, self.dw
        assert np.all(dw.occupant[dwellings] == NONE), "dwelling already occupied"
        # The movers' groups before the move: a homeless household housed is a homeless move.
        self.counters.move_groups.append(self.groups_now(rows))
        self.counters.move_municipality.append(dw.municipality[dwellings].astype(np.int64))
        self._leave_host(rows)
        was_housed = hh.place[rows] == Place.DWELLING
        old = hh.dwelling[rows[was_housed]]
        end_kind = np.select(
            [
                np.full(int((~was_housed).sum()), newcomers),
                hh.place[rows[~was_housed]] == Place.INSTITUTION,
                hh.place[rows[~was_housed]] == Place.HOMELESS,
            ],
            [ChainEnd.NEWCOMER, ChainEnd.INSTITUTION, ChainEnd.HOMELESS],
            ChainEnd.STARTER,
        )
        # Vacancies left from the initial state join a chain (cause ``initial``) when first let.
        unchained = dwellings[dw.chain_id[dwellings] < 0]
        if unchained.size:
            dw.chain_id[unchained] = self._start_chains(unchained, dw.chain_cause[unchained])
        chain = dw.chain_id[dwellings].astype(np.int64)
        link = dw.chain_moves[dwellings].astype(np.int32) + 1  # this move's link number
        kind = np.full(rows.size, PASSED, dtype=np.int8)
        kind[~was_housed] = end_kind
        self.counters.chain_events.append(
            self.chains.record(self.month, chain, link, kind, dw.municipality[dwellings], dw.tenure[dwellings], abroad)
        )
        movers = rows[was_housed]
        self.vacate(old, VacancyCause.MOVE_WITHIN)
        # The old home is the next link's vacancy: same chain, same start cause (CBS).
        dw.chain_id[old] = chain[was_housed]
        dw.chain_cause[old] = dw.chain_cause[dwellings[was_housed]]
        dw.chain_moves[old] = link[was_housed]
        # A senior leaving a social family home as the chain's first mover makes it a
        # "senior move-on" chain (doorstroming), whatever home the senior moved into.
        senior_first = (link[was_housed] == 1) & (hh.age[movers] >= 65 * 12) & (dw.tenure[old] == Tenure.SOCIAL) & (dw.rooms[old] >= 4)
        self.chains.table.senior_first[chain[was_housed][senior_first]] = True
        hh.place[rows] = Place.DWELLING
        hh.dwelling[rows] = dwellings
        hh.municipality[rows] = dw.municipality[dwellings]
        hh.institution[rows] = NONE
        hh.ready_at[rows] = NEVER
        hh.homeless_since[rows] = NEVER
        hh.seeking[rows] = False
        hh.seek_since[rows] = NEVER
        hh.contract_end[rows] = dw.end_month[dwellings]
        hh.arrears[rows] = False
        # Urgency is a ticket to one home: it ends when the household is housed.
        hh.urgency[rows] = Urgency.NONE
        hh.urgency_until[rows] = NO_URGENCY
        self._start_label_clock(rows)
        if social:
            hh.registered[rows] = NEVER
        dw.occupant[dwellings] = rows
        dw.vacant_since[dwellings] = NEVER
        self.counters.moves.append(rows)

    def to_place(self, rows: np.ndarray, place: Place, vacancy_cause: VacancyCause = VacancyCause.EVICTION) -> None:
        """Households go to a place other than a dwelling (homeless, living in, institution)."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return
        hh = self.hh
        before = hh.place[rows].copy()
        housed = rows[before == Place.DWELLING]
        self.vacate(hh.dwelling[housed], vacancy_cause)
        if place != Place.LIVING_IN:
            self._leave_host(rows)
        hh.place[rows] = place
        hh.dwelling[rows] = NONE
        hh.arrears[rows] = False  # arrears belong to a tenancy
        if place != Place.INSTITUTION:
            hh.institution[rows] = NONE
            hh.ready_at[rows] = NEVER
        if place == Place.HOMELESS:
            hh.homeless_since[rows] = np.minimum(hh.homeless_since[rows], self.month)
            hh.labels[rows] |= Flag.HOMELESS_HISTORY
            # Losing a home starts a new episode: the support need is assessed again (abm/support.py).
            support.reset(hh, rows[np.isin(before, (Place.DWELLING, Place.LIVING_IN))])
        self._start_label_clock(rows)

    def start_seeking(self, rows: np.ndarray, regional_share: float, rng: np.random.Generator) -> None:
        """Households become active seekers; those not yet registered register now."""
        rows = np.asarray(rows, dtype=np.int64)
        hh = self.hh
        rows = rows[~hh.seeking[rows]]
        if rows.size == 0:
            return
        hh.seeking[rows] = True
        hh.seek_since[rows] = self.month
        hh.registered[rows] = np.minimum(hh.registered[rows], self.month)
        hh.regional[rows] = rng.random(rows.size, dtype=np.float32) < regional_share

    def grant_urgency(self, rows: np.ndarray, social: bool) -> None:
        """Grant social or medical urgency for the municipality's urgency duration."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return
        hh = self.hh
        hh.urgency[rows] = Urgency.SOCIAL if social else Urgency.MEDICAL
        hh.urgency_until[rows] = self.month + self.urgency_months[hh.municipality[rows]]

    # -- invariants --------------------------------------------------------------------------
    def check(self) -> None:
        """Raise ``AssertionError`` if a conservation invariant is broken."""
        hh, dw = self.hh, self.dw
        present = hh.place != Place.GONE
        housed = np.flatnonzero(hh.place == Place.DWELLING)
        d = hh.dwelling[housed]
        assert np.all(d >= 0), "housed household without a dwelling"
        assert np.unique(d).size == d.size, "two households in one dwelling"
        assert np.all(dw.occupant[d] == housed), "dwelling does not point back to its household"
        occ = dw.occupant[dw.occupant >= 0]
        assert occ.size == housed.size, "a dwelling points to a household that is not there"
        assert np.all(dw.exists[d]), "household in a dwelling that no longer exists"
        assert np.all(hh.dwelling[hh.place != Place.DWELLING] == NONE), "non-housed household holds a dwelling"
        assert not np.any(hh.arrears & (hh.place != Place.DWELLING)), "arrears without a tenancy"
        inst = hh.place == Place.INSTITUTION
        assert np.all(hh.institution[inst] >= 0) and np.all(hh.institution[~inst] == NONE), "institution mismatch"
        t = self.totals
        assert present.sum() == t["households_start"] + t["inflow"] - t["outflow"], "households not conserved"
        assert dw.exists.sum() == t["dwellings_start"] + t["completions"] - t["removed"], "dwellings not conserved"

    def social(self) -> np.ndarray:
        return self.dw.tenure == Tenure.SOCIAL
