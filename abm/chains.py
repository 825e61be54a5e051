"""Vacancy chains (*verhuisketens*) as CBS counts them, so the model compares with published figures.

Definitions (CBS *Verhuisketens*; White 1971; ../shared/notes/vacancy-chains.md):

- **Start.** A chain starts when a dwelling becomes available: a completed new build or flex
  unit, or a home left by a household that does not move into another home of the stock
  (death, leaving the region, a nursing home, eviction, end of a temporary contract, merging
  with another household). A vacancy present at the start of a run becomes a chain of cause
  ``initial`` when it is first let (its real start is unknown).
- **Link.** Each move into the chain's vacancy is a link, numbered 1, 2, ...: link 1 is the move
  into the start dwelling. A mover who leaves a home of its own behind passes the vacancy on:
  that home is the link's *vacated* dwelling (the first link of a new build is the home its first
  occupants left) and it is *re-occupied* when the next link's mover moves in. Tenure does not
  matter: the chain passes through whatever home the mover left (social, private, owner-occupied).
- **Not vacated.** A mover without a home of its own (a young adult leaving the parental home, a
  newcomer) vacates nothing; its move ends the chain.
- **End.** A chain ends at link k when the k-th mover leaves no home behind (``ChainEnd``:
  starter living in, newcomer from outside the region, someone leaving an institution or
  homelessness) or when its vacancy leaves the stock before anyone moves in (``DEMOLISHED``,
  a closing flex site; the end link is then the number of moves made).
- **Cause.** A chain keeps its start cause along all its links. ``senior_first`` marks the chains
  whose first mover was a senior (65+) leaving a social family home (report, 'Doorstroming'):
  the model's "senior move-on" chains. They count under their start cause *and* as senior
  move-on chains (a new build taken by such a senior is a new-build chain for CBS).
- **Open chains** (a vacancy not yet re-occupied) count as far as they got, never dropped.

``ChainLog`` holds one row per chain and one event per move along a chain (or demolition of
its vacancy); ``World`` writes it (abm/world.py: ``vacate``, ``move_in``, ``demolish``). The
monthly indicators read the month's events (abm/indicators.py ``_chains``); ``cohort_table``
and ``cohort_summary`` give the published-style figures for the chains started in one year
(CBS follows the new builds of a year over an observation window).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .codes import ChainEnd, VacancyCause
from .columns import ColumnStore
from .households import NEVER

OPEN = -1  # end kind of a chain still running
PASSED = -1  # event kind of a move that vacated the mover's own home: the chain goes on
EVENT_FIELDS = ("chain", "link", "kind", "month", "municipality", "tenure", "abroad")
END_KINDS = tuple(e.name.lower() for e in ChainEnd)
#: The two kinds of newcomer from outside the region (``ChainEnd.NEWCOMER`` is both): an
#: immigrant from abroad, which ends a chain for CBS too, and a mover from elsewhere in the
#: Netherlands, whose chain runs on outside the region for CBS (it left a home there).
NEWCOMER_KINDS = ("immigrant", "domestic")
#: End kinds as CBS sees them in a national count: a domestic newcomer passes its chain on.
CBS_END_KINDS = ("starter", "institution", "homeless", "immigrant", "demolished")


class ChainTable(ColumnStore):
    """One row per chain (row number = chain id)."""

    SCHEMA = {
        "start_month": (np.int32, 0),
        "cause": (np.int8, VacancyCause.INITIAL),  # what made the start dwelling available
        "dwelling": (np.int64, -1),  # the start dwelling (dwelling rows are never renumbered)
        "municipality": (np.int16, -1),  # of the start dwelling
        "tenure": (np.int8, -1),  # of the start dwelling
        "senior_first": (np.bool_, False),  # first mover: a senior leaving a social family home
        "moves": (np.int32, 0),  # moves made so far (= the link number of the open vacancy)
        "end_kind": (np.int8, OPEN),  # ChainEnd, or OPEN
        "end_month": (np.int32, NEVER),
    }


class ChainLog:
    """Every vacancy chain of a run and every event along it.

    Events are appended in time order as chunks of arrays (one chunk per ``World.move_in`` or
    ``World.demolish`` call): ``chain`` id, ``link`` (the move's number; for a demolition the
    number of moves made), ``kind`` (``PASSED`` or a ``ChainEnd``), ``month``, and the
    ``municipality`` and ``tenure`` of the dwelling moved into (or demolished), and ``abroad``
    (a newcomer who came from abroad rather than from elsewhere in the Netherlands).
    """

    def __init__(self) -> None:
        self.table = ChainTable(1024)
        self._chunks: list[tuple[np.ndarray, ...]] = []
        self._cache: tuple[int, dict[str, np.ndarray] | None] = (0, None)

    def start(self, month: int, cause, dwellings: np.ndarray, municipality: np.ndarray, tenure: np.ndarray) -> np.ndarray:
        """New chains at ``dwellings`` (now available) with start ``cause``; returns their ids."""
        return self.table.add(dwellings.size, start_month=month, cause=cause, dwelling=dwellings, municipality=municipality, tenure=tenure)

    def record(
        self, month: int, chain: np.ndarray, link: np.ndarray, kind: np.ndarray, municipality, tenure, abroad: np.ndarray | None = None
    ) -> tuple[np.ndarray, ...]:
        """Append events; update the chains' moves and ends. Returns the chunk (for the month's counters).
        ``abroad`` (per event, default none): the mover is a newcomer from abroad."""
        t = self.table
        move = kind != ChainEnd.DEMOLISHED
        t.moves[chain[move]] = link[move]
        end = kind != PASSED
        t.end_kind[chain[end]] = kind[end]
        t.end_month[chain[end]] = month
        chunk = (
            chain.astype(np.int64),
            link.astype(np.int32),
            kind.astype(np.int8),
            np.full(chain.size, month, dtype=np.int32),
            np.asarray(municipality, dtype=np.int16),
            np.asarray(tenure, dtype=np.int8),
            np.zeros(chain.size, dtype=np.bool_)
            if abroad is None
            else np.broadcast_to(np.asarray(abroad, dtype=np.bool_), chain.shape).copy(),
        )
        self._chunks.append(chunk)
        return chunk

    def events(self) -> dict[str, np.ndarray]:
        """All events so far as arrays (``EVENT_FIELDS``), in time order."""
        n, cached = self._cache
        if cached is None or n != len(self._chunks):
            cached = concat(self._chunks)
            self._cache = (len(self._chunks), cached)
        return cached


def concat(chunks: list[tuple[np.ndarray, ...]]) -> dict[str, np.ndarray]:
    """Event chunks as one array per field."""
    dtypes = (np.int64, np.int32, np.int8, np.int32, np.int16, np.int8, np.bool_)
    if not chunks:
        return {f: np.empty(0, dtype=d) for f, d in zip(EVENT_FIELDS, dtypes, strict=True)}
    return {f: np.concatenate([c[i] for c in chunks]) for i, f in enumerate(EVENT_FIELDS)}


def cause_mask(table: ChainTable, cause: str) -> np.ndarray:
    """Chains of one start cause (``senior_move``: the senior-first chains, whatever their cause)."""
    if cause == "senior_move":
        return table.senior_first.copy()
    return table.cause == VacancyCause[cause.upper()]


def _source(source) -> tuple[ChainLog, int]:
    w = getattr(source, "world", source)
    return w.chains, int(w.month)


def cohort_table(
    source,
    year: int | None = None,
    cause: str = "new_build",
    months: tuple[int, int] | None = None,
    until: int | None = None,
    window: int | None = None,
) -> pd.DataFrame:
    """Per link, the published-style figures for the chains of one start cause started in a year.

    ``source`` is a ``HousingModel`` or ``World``; ``year`` 1 is months 1-12 of the run (or give
    ``months=(first, last)``). Events count up to month ``until`` (default: now) and, with
    ``window``, within that many months of each chain's start (CBS's observation window).
    Rows are links k = 0, 1, ... (0 is the start dwelling); every figure is per chain started
    (per new build for ``new_build``):

    - ``vacated``: dwellings vacated at link k (1 at link 0: the start dwelling itself);
    - ``reoccupied``: of those, re-occupied (someone moved in: link k+1 happened);
    - ``open``: still vacant at the end of the window (open chains, counted as far as they got);
    - ``ended``: chains ending at link k (the k-th mover left no home behind, or the link's
      vacancy left the stock), and ``ended_<kind>`` by kind;
    - ``end_share_<kind>``: share of the chains ending at link k that ended by that kind;
    - ``mover_share_<kind>``: of the households that moved in at link k, the share of that kind
      (``passed``: movers who left a home behind; the others end the chain). CBS publishes this
      per link: "per schakel ongeveer de helft van de huishoudens bestaat uit starters"
      (CBS news 2025/21, Verhuisketens dashboard; experiments/market/README.md).
    - ``newcomer`` (any newcomer from outside the region) splits into ``immigrant`` (from abroad)
      and ``domestic`` (from elsewhere in the Netherlands): ``ended_``, ``end_share_`` and
      ``mover_share_`` columns for each (``NEWCOMER_KINDS``). CBS counts nationally: only the
      immigrant ends a chain there, the domestic mover left a home elsewhere. The summary's
      ``cbs_end_share_<kind>`` (``CBS_END_KINDS``) are the shares of chain ends without the
      domestic newcomers, and ``cbs_mover_share_passed`` counts them as passing a home on.

    At each link ``vacated = reoccupied + open + ended_demolished`` and
    ``reoccupied(k) = vacated(k+1) + ended(k+1) - ended_demolished(k+1)``.
    ``df.attrs`` holds the cohort's size and its ``cohort_summary``.
    """
    log, now = _source(source)
    t = log.table
    if months is None:
        if year is None:
            raise ValueError("give year or months")
        months = (12 * (year - 1) + 1, 12 * year)
    first, last = months
    in_cohort = cause_mask(t, cause) & (t.start_month >= first) & (t.start_month <= last)
    n = int(in_cohort.sum())
    ev = log.events()
    until = now if until is None else until
    keep = in_cohort[ev["chain"]] & (ev["month"] <= until)
    if window is not None:
        keep &= ev["month"] <= t.start_month[ev["chain"]] + window
    chain, link, kind = ev["chain"][keep], ev["link"][keep].astype(np.int64), ev["kind"][keep]
    abroad = ev["abroad"][keep]
    move = kind != ChainEnd.DEMOLISHED
    n_links = int(link.max()) + 2 if link.size else 2
    moves_at = np.bincount(link[move], minlength=n_links + 1)[: n_links + 1]
    vacated = np.bincount(link[kind == PASSED], minlength=n_links)[:n_links].astype(np.float64)
    vacated[0] = n
    reoccupied = moves_at[1 : n_links + 1].astype(np.float64)
    ends = {e: np.bincount(link[kind == e], minlength=n_links)[:n_links].astype(np.float64) for e in ChainEnd}
    ended_chain = np.zeros(t.n, dtype=bool)
    ended_chain[chain[kind != PASSED]] = True
    last_link = np.zeros(t.n, dtype=np.int64)
    np.maximum.at(last_link, chain[move], link[move])
    open_ = np.bincount(last_link[in_cohort & ~ended_chain], minlength=n_links)[:n_links].astype(np.float64)
    ended = sum(ends.values())
    per = max(n, 1)
    df = pd.DataFrame({"vacated": vacated / per, "reoccupied": reoccupied / per, "open": open_ / per, "ended": ended / per})
    newcomer = kind == ChainEnd.NEWCOMER
    sub = {
        name: np.bincount(link[newcomer & (abroad if name == "immigrant" else ~abroad)], minlength=n_links)[:n_links].astype(np.float64)
        for name in NEWCOMER_KINDS
    }
    named = {e.name.lower(): k for e, k in ends.items()} | sub
    for e, k in named.items():
        df[f"ended_{e}"] = k / per
    with np.errstate(invalid="ignore", divide="ignore"):
        for e, k in named.items():
            df[f"end_share_{e}"] = np.where(ended > 0, k / np.where(ended > 0, ended, 1), np.nan)
    movers_at = np.zeros(n_links)
    movers_at[1:] = moves_at[1:n_links]  # households that moved in at link k (link 0 is the start)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(movers_at > 0, 1.0 / np.where(movers_at > 0, movers_at, 1), np.nan)
        df["mover_share_passed"] = np.bincount(link[kind == PASSED], minlength=n_links)[:n_links] * share
        for e, k in named.items():
            if e != "demolished":  # a demolition is no mover
                df[f"mover_share_{e}"] = k * share
    df.index.name = "link"
    # Drop trailing links nothing reached (the table keeps one link past the longest chain).
    reached = np.flatnonzero((df[["vacated", "reoccupied", "open", "ended"]] > 0).any(axis=1).to_numpy())
    df = df.iloc[: (int(reached.max()) + 1 if reached.size else 1)]
    df.attrs = {"cause": cause, "months": (first, last), "until": until, "window": window, "chains": n, **_summary(df, n)}
    return df


def _summary(df: pd.DataFrame, n: int) -> dict[str, float]:
    links = df.iloc[1:]
    ended = float(df["ended"].sum())
    first = df.loc[1] if 1 in df.index else None
    out = {
        "vacated_per_start": float(links["vacated"].sum()),
        "reoccupied_per_start": float(links["reoccupied"].sum()),
        "start_occupied_share": float(df.loc[0, "reoccupied"]),
        "first_link_vacated_per_start": float(first["vacated"]) if first is not None else 0.0,
        "first_link_reoccupied_per_start": float(first["reoccupied"]) if first is not None else 0.0,
        "first_link_reoccupied_share": float(first["reoccupied"] / first["vacated"])
        if first is not None and first["vacated"] > 0
        else float("nan"),
        "open_share": float(df["open"].sum()),
        "moves_per_start": float(df["reoccupied"].sum()),  # every move re-occupies the vacancy of the link before
    }
    for e in END_KINDS + NEWCOMER_KINDS:
        out[f"end_share_{e}"] = float(df[f"ended_{e}"].sum() / ended) if ended > 0 else float("nan")
    # As CBS counts nationally: a domestic newcomer does not end the chain (it runs on outside the region).
    domestic = float(df["ended_domestic"].sum())
    for e in CBS_END_KINDS:
        out[f"cbs_end_share_{e}"] = float(df[f"ended_{e}"].sum() / (ended - domestic)) if ended > domestic else float("nan")
    # Of all households moving in along the chains (any link), the share of each kind (CBS: about half starters).
    movers = float(df["reoccupied"].sum())
    out["mover_share_passed"] = float(links["vacated"].sum() / movers) if movers > 0 else float("nan")
    for e in END_KINDS + NEWCOMER_KINDS:
        if e != "demolished":
            out[f"mover_share_{e}"] = float(df[f"ended_{e}"].sum() / movers) if movers > 0 else float("nan")
    out["cbs_mover_share_passed"] = float((links["vacated"].sum() + domestic) / movers) if movers > 0 else float("nan")
    return out


def cohort_summary(source, year: int | None = None, cause: str = "new_build", **kw) -> dict[str, float]:
    """The headline figures of ``cohort_table`` (per chain started; see there)."""
    return dict(cohort_table(source, year, cause, **kw).attrs)
