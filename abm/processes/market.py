"""The private-rent and owner-occupied market, kept simple: no price formation.

Each month (report, 'Doorstroming'; CBS *Verhuisketens*; ../shared/notes/vacancy-chains.md):

1. A share ``market_fill_rate`` of the vacant market homes (and student rooms) comes on offer.
2. New owner-occupied homes go first, at ``new_owner_couple_share``, to couples already housed in
   the region (buyers of new homes mostly move from another home of the region).
3. Households already housed move: private tenants and owner-occupiers decide to move at the
   CBS 2017 rates by the head's age (``moving_rates_by_age_2017.csv``) times ``market_turnover``:
   moves within their municipality, and moves between municipalities that stay in the region
   (the share ``leave_region_share`` of those leaves the region in ``flows.leave_region``, which
   reads the same table: the two processes partition the between-municipality moves). Social
   tenants' moves are the social allocation's (seekers, ``seek_rate``), except middle incomes
   (``buy_income``) who move to the market at ``buy_rate`` (*doorstroming*). A mover takes a vacant
   market home that fits: rooms for its size (``needed_rooms``), an owner-occupied home if its
   income reaches ``buy_income`` or it owns its home now, a private home if the rent is at most
   ``rent_share_max`` of its income. Local movers search their municipality, the others the COROP
   region. The home a mover leaves continues the vacancy chain whatever its tenure
   (``World.move_in``); a market home left joins this month's offer (later rounds), a social home
   the social allocation of the month.
4. Student rooms go to students; what remains goes to starters living in (young adults and
   separated partners who seek, labour migrants) whom the home fits as for movers (``fits``):
   rooms for their size, a rent of at most ``rent_share_max`` of their income, an
   owner-occupied home only with a buying income (first-time buyers: starters of their age's
   income, ``demography.young_adult_income``, and starter couples with two incomes,
   ``demography.starter_couples``). They end chains. A few rounds, so a home one starter cannot
   take can go to another.
5. Newcomers are demand: ``newcomer_rate`` (a year, per housed household of the COROP region)
   households arrive from outside the region and take vacant market homes there; they come for a
   home, so no more arrive than there are vacancies. Vacancies beyond them stay vacant (and are
   counted as market vacancies) until a later month. A share ``newcomer_abroad_share`` comes
   from abroad (for CBS an immigrant ends the chain), the others from elsewhere in the
   Netherlands (for CBS their chain runs on outside the region); in a national run all come
   from abroad. The chain log records which (``ChainLog`` event ``abroad``).

Matching is by random pairing within municipality or COROP, a few rounds a month: cost
O(movers + vacancies) per round, never a scan of all households per vacancy.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import income_rules
from ..codes import Flag, Label, Place, Tenure, VacancyCause
from ..households import NEVER
from ..tables import _read
from ..world import World
from .demography import candidates, monthly, needed_rooms

#: Rounds of matching a month (an implementation cap, not an assumption): each round pairs the
#: movers still without a home with the homes on offer, including those left by the last round.
MATCH_ROUNDS = 8
#: Housed couples sampled per new owner-occupied home reserved for them (a sampling cap).
COUPLE_SAMPLE = 20


@lru_cache(maxsize=4)
def region_move_rates(national: bool, leave_region_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Per age in years (0..120): the yearly share of persons moving within the region (CBS 2017:
    within their municipality, plus moves between municipalities that stay in the region), and
    the share of those moves that stay within the municipality. In a national run every move
    between municipalities stays; ages past 73 keep the age-73 value."""
    df = _read("moving_rates_by_age_2017.csv").sort_values("age")
    within, between = np.zeros(121), np.zeros(121)
    a = df["age"].to_numpy()
    within[a] = df["pct_moved_within_municipality"].to_numpy() / 100.0
    between[a] = df["pct_moved_between_municipalities"].to_numpy() / 100.0
    within[a[-1] + 1 :], between[a[-1] + 1 :] = within[a[-1]], between[a[-1]]
    stay = between * (1.0 if national else 1.0 - leave_region_share)
    total = within + stay
    return total, np.where(total > 0, within / np.where(total > 0, total, 1), 1.0)


def pair(v: np.ndarray, v_key: np.ndarray, c: np.ndarray, c_key: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair vacancies ``v`` with candidates ``c`` of the same key (municipality or COROP), in the
    given (shuffled) order: per key the first min(#v, #c) of each."""
    if v.size == 0 or c.size == 0:
        return v[:0], c[:0]
    vo, co = np.argsort(v_key, kind="stable"), np.argsort(c_key, kind="stable")
    v, vk, c, ck = v[vo], v_key[vo], c[co], c_key[co]
    bounds = np.arange(n_keys + 1)
    v_at, c_at = np.searchsorted(vk, bounds), np.searchsorted(ck, bounds)
    k = np.minimum(np.diff(v_at), np.diff(c_at))
    # Position of each vacancy within its key: kept if below k of its key.
    rank_v = np.arange(v.size) - v_at[vk]
    rank_c = np.arange(c.size) - c_at[ck]
    return v[rank_v < k[vk]], c[rank_c < k[ck]]


def fits(w: World, rows: np.ndarray, homes: np.ndarray) -> np.ndarray:
    """Whether each housed or starting household can take the market home paired with it: rooms
    for its size; an owner-occupied home with a buying income or a home of its own to sell; a
    private home at a net rent (rent less the housing allowance it would get there,
    abm/income_rules.py) of at most ``rent_share_max`` of its income."""
    hh, dw, p = w.hh, w.dw, w.params
    owner_now = (hh.place[rows] == Place.DWELLING) & (dw.tenure[np.maximum(hh.dwelling[rows], 0)] == Tenure.OWNER)
    buy = (hh.income[rows] >= p.buy_income) | owner_now
    net = dw.rent[homes] - income_rules.of_households(w, rows, homes)
    rent_ok = net * 12 <= p.rent_share_max * hh.income[rows]
    room_ok = dw.rooms[homes] >= needed_rooms(hh.size[rows])
    return room_ok & np.where(dw.tenure[homes] == Tenure.OWNER, buy, rent_ok)


class Offer:
    """The market homes on offer this month (not student rooms), as the rounds let them."""

    def __init__(self, w: World, homes: np.ndarray) -> None:
        self.w, self.homes = w, homes
        self.moved: list[np.ndarray] = []  # households moved by the market this month

    def now(self) -> np.ndarray:
        self.homes = self.homes[self.w.dw.vacant[self.homes]]
        return self.homes

    def move(self, rows: np.ndarray, homes: np.ndarray) -> None:
        """``rows`` move into ``homes``; the market homes they leave join the offer."""
        w = self.w
        hh, dw, p = w.hh, w.dw, w.params
        if rows.size == 0:
            return
        housed = hh.place[rows] == Place.DWELLING
        old = hh.dwelling[rows[housed]].astype(np.int64)
        from_social = rows[housed][dw.tenure[old] == Tenure.SOCIAL]
        w.counters.moved_up.append(from_social)  # doorstroming out of the social stock
        w.move_in(rows, homes, social=False)
        self.moved.append(rows)
        left = old[
            (dw.tenure[old] != Tenure.SOCIAL) & (dw.label[old] != Label.STUDENT) & (dw.end_month[old] > w.month + p.min_letting_months)
        ]
        self.homes = np.concatenate([self.homes, left])


def match(w: World, offer: Offer, movers: np.ndarray, local: np.ndarray, rng: np.random.Generator) -> None:
    """Movers take homes on offer that fit them, in rounds: local movers within their
    municipality, the others within the COROP region; the homes they leave are offered in the
    next round (the vacancy chain runs on within the month)."""
    hh, dw = w.hh, w.dw
    corop = w.region.corop_index
    n_mun, n_corop = w.region.size, len(w.region.corops)
    waiting = ~np.isin(movers, np.concatenate([np.empty(0, dtype=np.int64), *offer.moved]))  # not moved yet this month
    for _ in range(MATCH_ROUNDS):
        moved = 0
        for scope in (True, False):
            sel = np.flatnonzero(waiting & (local == scope))
            homes = offer.now()
            if sel.size == 0 or homes.size == 0:
                continue
            sel = rng.permutation(sel)
            homes = rng.permutation(homes)
            rows = movers[sel]
            if scope:
                hv, hc = pair(homes, dw.municipality[homes].astype(np.int64), sel, hh.municipality[rows].astype(np.int64), n_mun)
            else:
                hv, hc = pair(homes, corop[dw.municipality[homes]], sel, corop[hh.municipality[rows]], n_corop)
            ok = fits(w, movers[hc], hv)
            hv, hc = hv[ok], hc[ok]
            waiting[hc] = False
            offer.move(movers[hc], hv)
            moved += hc.size
        if moved == 0:
            break


def new_owner_homes_to_couples(w: World, offer: Offer, rng: np.random.Generator) -> None:
    """A share ``new_owner_couple_share`` of the new owner-occupied homes on offer goes to couples
    already housed in the region (any tenure) who can buy and fit it, sampled in its COROP region."""
    hh, dw, p = w.hh, w.dw, w.params
    homes = offer.now()
    new = homes[(dw.tenure[homes] == Tenure.OWNER) & (dw.vacancy_cause[homes] == VacancyCause.NEW_BUILD)]
    new = new[rng.random(new.size, dtype=np.float32) < p.new_owner_couple_share]
    if new.size == 0:
        return
    couple = (hh.place == Place.DWELLING) & (hh.adults >= 2)
    q = min(1.0, COUPLE_SAMPLE * new.size / max(hh.n, 1))
    pool, _ = candidates(rng, couple, q)
    pool = pool[(hh.labels[pool] & Flag.STUDENT) == 0]
    corop = w.region.corop_index
    n_corop = len(w.region.corops)
    for _ in range(MATCH_ROUNDS):
        new = new[dw.vacant[new]]
        if new.size == 0 or pool.size == 0:
            break
        pool, shuffled = rng.permutation(pool), rng.permutation(new)  # the keys follow the shuffled order
        hv, hc = pair(shuffled, corop[dw.municipality[shuffled]], pool, corop[hh.municipality[pool]], n_corop)
        ok = fits(w, hc, hv)
        offer.move(hc[ok], hv[ok])
        pool = pool[~np.isin(pool, hc[ok])]
        if not ok.any():
            break


def movers_of_month(w: World, rng: np.random.Generator, national: bool) -> tuple[np.ndarray, np.ndarray]:
    """Housed households deciding to move this month and whether each searches locally: private
    tenants and owner-occupiers at the CBS rates by age times ``market_turnover``; social tenants
    with a buying income at ``buy_rate``."""
    hh, dw, p = w.hh, w.dw, w.params
    total, local_share = region_move_rates(national, float(p.leave_region_share))
    rate = monthly(np.clip(total * p.market_turnover, 0.0, 1.0))
    p_max = max(float(rate.max()), monthly(p.buy_rate))
    rows, u = candidates(rng, (hh.place == Place.DWELLING) & ((hh.labels & Flag.STUDENT) == 0), p_max)
    age = np.minimum(hh.age[rows] // 12, 120)
    tenure = dw.tenure[hh.dwelling[rows]]
    social_rate = np.where(hh.income[rows] >= p.buy_income, monthly(p.buy_rate), 0.0)
    r = np.where(tenure == Tenure.SOCIAL, social_rate, rate[age])
    rows, age = rows[u < r], age[u < r]
    local = rng.random(rows.size, dtype=np.float32) < local_share[age]
    return rows, local


def step(w: World, rng: np.random.Generator, national: bool = False) -> None:
    """Let and sell this month's market vacancies (see the module docstring)."""
    hh, dw, p = w.hh, w.dw, w.params
    vac = np.flatnonzero(
        dw.vacant & (dw.end_month > w.month + p.min_letting_months) & ((dw.tenure != Tenure.SOCIAL) | (dw.label == Label.STUDENT))
    )
    vac = vac[rng.random(vac.size, dtype=np.float32) < p.market_fill_rate]
    vac = rng.permutation(vac)
    student_room = dw.label[vac] == Label.STUDENT
    offer = Offer(w, vac[~student_room])
    w.counters.moved_up.append(np.empty(0, dtype=np.int64))  # the month's record exists even without moves
    # Housed households first: buyers of new homes, then this month's movers (chains run on).
    new_owner_homes_to_couples(w, offer, rng)
    movers, local = movers_of_month(w, rng, national)
    match(w, offer, movers, local, rng)
    # Student rooms to students; what remains to starters living in (they end chains).
    rooms = vac[student_room]
    students = np.flatnonzero((hh.place == Place.LIVING_IN) & ((hh.labels & Flag.STUDENT) != 0))
    corop = w.region.corop_index
    n_corop = len(w.region.corops)
    rooms = rooms[dw.vacant[rooms]]
    pool = rng.permutation(students)
    dv, dh = pair(rooms, corop[dw.municipality[rooms]], pool, corop[hh.municipality[pool]], n_corop)
    w.move_in(dh, dv, social=False)
    to_starters(w, offer, rng)
    # Newcomers from outside the region arrive at their rate and take remaining homes.
    rest = newcomer_homes(w, offer.now(), rng)
    n = rest.size
    if n == 0:
        return
    tenure = dw.tenure[rest]
    median = np.where(tenure == Tenure.OWNER, p.income_median_owner, p.income_median_private)
    income = (median * np.exp(rng.normal(0, p.income_sigma, n))).astype(np.float32)
    size = np.clip(np.minimum(dw.rooms[rest], 1 + rng.poisson(p.newcomer_household_size - 1, n)), 1, 6).astype(np.int8)
    registered = np.where(rng.random(n, dtype=np.float32) < p.newcomer_register_share, w.month, NEVER)
    abroad = rng.random(n, dtype=np.float32) < (1.0 if national else p.newcomer_abroad_share)
    rows = w.new_households(
        n,
        "newcomer",
        municipality=dw.municipality[rest],
        age=(rng.uniform(p.newcomer_age_min, p.newcomer_age_max, n) * 12).astype(np.int16),
        female=rng.random(n, dtype=np.float32) < p.newcomer_female_share,
        size=size,
        adults=np.where(size >= 2, 2, 1),
        income=income,
        income_base=income,
        registered=registered,
        place=Place.LIVING_IN,
    )
    w.move_in(rows, rest, social=False, newcomers=True, abroad=abroad)


def to_starters(w: World, offer: Offer, rng: np.random.Generator) -> None:
    """The market homes still on offer go to starters living in (seekers not students, and
    labour migrants) whom they fit (``fits``: rooms, rent share, a buying income for an
    owner-occupied home), paired at random within the COROP region, in rounds; starters who can
    take no home on offer (not the cheapest rent, no buying income) do not apply.

    Before issue 11, small homes went to any starter who could pay the rent and larger homes only
    to single starters with a buying income, in one pairing: a home the first starter paired
    with could not take went to a newcomer."""
    hh = w.hh
    lm = (hh.labels & Flag.LABOUR_MIGRANT) != 0
    pool = np.flatnonzero((hh.place == Place.LIVING_IN) & ((hh.labels & Flag.STUDENT) == 0) & (lm | hh.seeking))
    corop = w.region.corop_index
    n_corop = len(w.region.corops)
    for _ in range(MATCH_ROUNDS):
        homes = offer.now()
        pool = pool[hh.place[pool] == Place.LIVING_IN]
        if homes.size == 0 or pool.size == 0:
            break
        # Only starters who can take some home on offer apply (the cheapest rent, or a buying income).
        # The gross cheapest rent: the cheapest homes are rooms, which get no housing allowance.
        rented = homes[w.dw.tenure[homes] != Tenure.OWNER]
        cheapest = float(w.dw.rent[rented].min()) * 12 if rented.size else np.inf
        pool = pool[(hh.income[pool] * w.params.rent_share_max >= cheapest) | (hh.income[pool] >= w.params.buy_income)]
        if pool.size == 0:
            break
        pool, homes = rng.permutation(pool), rng.permutation(homes)  # the keys follow the shuffled order
        dv, dh = pair(homes, corop[w.dw.municipality[homes]], pool, corop[hh.municipality[pool]], n_corop)
        ok = fits(w, dh, dv)
        if not ok.any():
            break
        w.move_in(dh[ok], dv[ok], social=False)


def newcomer_homes(w: World, vacant: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The vacant market homes (from ``vacant``, in its order) that newcomers take this month:
    per COROP region a Poisson number at ``newcomer_rate`` per housed household, at most the
    vacancies there."""
    hh, dw = w.hh, w.dw
    corop = w.region.corop_index
    n_corop = len(w.region.corops)
    housed = np.bincount(corop[hh.municipality[hh.place == Place.DWELLING]], minlength=n_corop)
    arrive = rng.poisson(monthly(w.params.newcomer_rate) * housed)
    vc = corop[dw.municipality[vacant]]
    # Rank of each vacancy within its COROP region, in the given (shuffled) order.
    order = np.argsort(vc, kind="stable")
    starts = np.searchsorted(vc[order], np.arange(n_corop))
    rank = np.empty(vacant.size, dtype=np.int64)
    rank[order] = np.arange(vacant.size) - starts[vc[order]]
    return vacant[rank < arrive[vc]]
