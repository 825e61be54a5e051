"""The monthly letting of social vacancies under an ``AllocationPolicy``.

For each vacancy, in order of vacancy start: (1) direct placement routes may claim it for a
group (permit holders against the quota, institution leavers, homeless people); (2) otherwise
it goes to a queue — by lottery for a share of vacancies, else by seniority with urgency and
mover priority as priority classes — restricted to the municipality's own residents for the
local-ties share; (3) eligibility follows the labels, size, rent and the quota rules' room;
(4) the best candidate may refuse, then the next is asked, up to ``max_offers``. Homes freed
by winners are let in the next round of the same month (vacancy chains).

Direct placement (``_direct``). Each route in mode ``share`` claims a vacancy with probability
equal to its share (scaled by the municipality's effort for homeless people and institution
leavers), with its own uniform draw, once per vacancy (in the month the vacancy starts), so the
shares are independent: raising one leaves the others' claims unchanged. Routes with a target (mode ``quota``: permit holders against the
paced quota; mode ``number``: homes per half year) claim every vacancy while the target has
room. Claimants are tried in this order: target routes in ``ROUTES`` order, then share routes
in a random order (one more draw). The first claimant with a fitting candidate (size, rent,
label, neighbourhood cap) wins. A share claim that lost the vacancy to another route, or whose
candidates the home does not fit, is kept for the municipality's next vacancy (``pending``), at
most one kept claim per candidate still waiting, so each route's realised share equals its
setting while it has candidates; claims lapse when nobody waits. Direct placements respect the
dwelling labels as the queues do (``classes.label_admits``); the labels' spill-over applies only
in the queue, after the group the label serves had its chance. Transitional homes go only to
permit holders, outside the quota. A share ``flex_target_share`` of flex homes (a fixed set of
dwelling rows) goes first to homeless people or institution leavers, whether or not their
routes are on (the ``flex_housing`` measure).

Random numbers: a fixed number of uniforms per vacancy (``N_DRAWS``), whatever rules are on,
so scenarios that differ in their rules keep the draws of the other rules aligned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import support
from ..codes import Flag, InstitutionKind, Label, Place, Tenure, Urgency
from ..households import NEVER
from ..world import World
from . import classes as C
from .policy import ROUTES, AllocationPolicy
from .queues import QueueSet

# Implementation caps, not assumptions about reality:
MAX_ROUNDS = 30  # vacancy-chain rounds per month; a safety cap (chains end well before it in practice)
DIRECT_SEARCH_DEPTH = 50  # candidates per direct route scanned for a fitting one, longest waiting first (speed)
#: Labels whose homes go to other seekers after ``label_release_months`` without an eligible tenant
#: (student rooms are let by the market, transitional homes only by direct placement).
RELEASED_LABELS = (Label.SENIOR, Label.WHEELCHAIR, Label.CARAVAN, Label.YOUNG)
HELD = 2  # taken-code of a candidate who refused the current vacancy

DIRECT_ROUTES = ("direct_refugee", "direct_institution", "direct_homeless")
# Uniforms per vacancy: lottery, urgency share, local ties; one per direct route; the order of claimants.
N_QUEUE_DRAWS = 3
N_DRAWS = N_QUEUE_DRAWS + len(DIRECT_ROUTES) + 1
FLEX_TARGETS = ("direct_homeless", "direct_institution")  # the groups earmarked flex homes go to (flex_target_share)
IRON_GROUPS = ("direct_homeless", "direct_institution", "direct_refugee")  # the groups an iron-stock home serves, in turn
GOLDEN = 0.6180339887498949  # dwelling row × this, mod 1: an even spread that marks a share of flex homes


@dataclass
class Budgets:
    """Running counts for the quota rules, reset every January: per corporation (lettings,
    allowance-level lettings, exceptions above the cap, middle-band and free lettings) and per
    neighbourhood (lettings, lettings to vulnerable households)."""

    n_corp: int
    n_nbh: int
    year: int | None = None  # none yet (months before 0, in the spin-up, are year -1)
    corp: list = field(default=None)  # [corp + 1][5]: index -1 = homes without a corporation
    nbh: list = field(default=None)  # [nbh][2]
    # Plain Python lists: read and written once per vacancy, where numpy scalars are slow.

    def reset_if_new_year(self, month: int) -> None:
        if month // 12 != self.year:
            self.year = month // 12
            self.corp = [[0] * 5 for _ in range(self.n_corp + 1)]
            self.nbh = [[0, 0] for _ in range(self.n_nbh)]


@dataclass
class Result:
    """The month's social lettings: household rows, registration month at letting, route index
    (into ``ROUTES``), dwelling rows; plus refusals and offers made."""

    rows: list = field(default_factory=list)
    reg: list = field(default_factory=list)
    route: list = field(default_factory=list)
    dwelling: list = field(default_factory=list)
    origin: list = field(default_factory=list)  # municipality of the household before the move
    refusals: int = 0
    groups: list = field(default_factory=list)  # per round: winners' group bit sets just before the move
    refused: list = field(default_factory=list)  # (household row, municipality of the home) per refusal
    refused_groups: list = field(default_factory=list)  # per round: the refusers' group bit sets at the offer
    iron: list = field(default_factory=list)  # per letting: let through the iron stock (ijzeren voorraad)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (
            np.array(self.rows, dtype=np.int64),
            np.array(self.reg, dtype=np.int64),
            np.array(self.route, dtype=np.int64),
            np.array(self.dwelling, dtype=np.int64),
        )


class Allocator:
    """Lets social vacancies month by month; holds the rules' budgets between months."""

    def __init__(self, policy: AllocationPolicy, n_corporations: int, n_neighbourhoods: int) -> None:
        self.policy = policy
        self.transitional_months = 24  # contract length in transitional homes (set by the measure)
        self.budgets = Budgets(n_corporations, n_neighbourhoods)
        # Share claims per direct route and municipality that lost a vacancy to another route or
        # found no candidate it fits, waiting for the municipality's next vacancy (kept between months).
        self.pending: dict[str, list[int]] = {}

    # -- seekers -------------------------------------------------------------------------------
    def _seekers(self, w: World) -> np.ndarray:
        hh = w.hh
        # Seekers whose placement waits for support (a Wmo place, or protected housing) are not offered a home (abm/support.py).
        ok = hh.seeking & (hh.registered != NEVER) & (hh.place != Place.GONE) & ((hh.labels & Flag.STUDENT) == 0)
        return np.flatnonzero(ok & ~support.held(hh, w.params))

    def _build(self, w: World, rng: np.random.Generator) -> None:
        pol, hh, reg = self.policy, w.hh, w.region
        rows = self._seekers(w)
        self.seeker_rows = rows
        m = reg.size
        size = hh.size[rows]
        bands = pol.income_bands
        size_c = C.size_class(size)
        inc_c = C.income_class(hh.income[rows], size, hh.age[rows], bands.low_limit, bands.middle_limit)
        vuln = C.vulnerable(w, rows)
        v_off = vuln.astype(np.int64) if pol.neighbourhood_cap.enabled else 0
        need = C.need_class(w, rows)
        off = ((need * C.N_SIZE + size_c) * C.N_INCOME + inc_c) * C.N_VULN + v_off
        coarse = C.N_FINE + (size_c * C.N_INCOME + inc_c) * C.N_VULN + v_off
        # Per seeker row: size class (bits 0-1), income class (2-4), vulnerable (5), for the
        # budgets; need class (6-7), for the labels in direct placement.
        self.info = np.full(hh.n, -1, dtype=np.int16)
        self.info[rows] = size_c + (inc_c << 2) + (vuln.astype(np.int64) << 5) + (need << 6)
        mun = hh.municipality[rows].astype(np.int64)
        regional = hh.regional[rows]
        # Every seeker stands in its municipality's unit; regional seekers also in their COROP's;
        # in each unit in a coarse bucket and — if it has a need that labelled homes serve — also
        # in a fine one (need-class NONE seekers never take labelled homes but young-adult ones,
        # which use the coarse buckets).
        corop_unit = (m + reg.corop_index[mun[regional]].astype(np.int64)) * C.PER_UNIT
        mun_unit = mun * C.PER_UNIT
        fine = need != C.NEED_NONE
        fine_reg = fine[regional]
        parts = [
            (mun_unit + coarse, slice(None), None),
            (corop_unit + coarse[regional], regional, None),
            (mun_unit[fine] + off[fine], fine, None),
            (corop_unit[fine_reg] + off[regional][fine_reg], regional & fine, None),
        ]
        key = np.concatenate([k for k, _, _ in parts])
        qrows = np.concatenate([rows[sel] for _, sel, _ in parts])
        n_keys = (m + len(reg.corops)) * C.PER_UNIT
        self.taken = np.zeros(hh.n, dtype=np.int8)
        urgent = pol.urgency.enabled & (hh.urgency[rows] != Urgency.NONE) & (hh.urgency_until[rows] > w.month)
        mover = np.zeros(rows.size, dtype=bool)
        if pol.mover_priority.enabled:
            housed = hh.place[rows] == Place.DWELLING
            d = np.where(housed, hh.dwelling[rows], 0)
            mover = housed & (w.dw.tenure[d] == Tenure.SOCIAL) & (w.dw.rooms[d] >= pol.mover_priority.min_rooms)
            if pol.mover_priority.seniors_only:
                mover &= hh.age[rows] >= 65 * 12
        registered = hh.registered[rows].astype(np.int64)
        both = np.concatenate

        def qs(cls: np.ndarray, rank: np.ndarray) -> QueueSet:
            return QueueSet(
                qrows, key, both([cls[sel] for _, sel, _ in parts]), both([rank[sel] for _, sel, _ in parts]), n_keys, self.taken
            )

        cls_priority = np.where(urgent, 0, np.where(mover, 1, 2))
        self.q_priority = qs(cls_priority, registered)
        self.q_plain = qs(np.where(mover, 1, 2), registered) if pol.urgency.enabled and pol.urgency.vacancy_share < 1 else None
        self.q_lottery = qs(np.zeros(rows.size, dtype=np.int64), rng.integers(0, 1 << 15, rows.size)) if pol.lottery.enabled else None
        self.urgent_rows = set(rows[urgent].tolist())
        # Seekers of 65+ in a social home: (current rent, municipality), for their acceptance.
        housed = hh.place[rows] == Place.DWELLING
        d = hh.dwelling[rows]
        sen = housed & (hh.age[rows] >= 65 * 12) & (w.dw.tenure[np.where(housed, d, 0)] == Tenure.SOCIAL)
        self.senior_tenants = dict(
            zip(rows[sen].tolist(), zip(w.dw.rent[d[sen]].tolist(), hh.municipality[rows[sen]].tolist(), strict=True), strict=True)
        )
        self._build_direct(w, rows)

    def _build_direct(self, w: World, rows: np.ndarray) -> None:
        """Candidate lists of the direct-placement groups, longest waiting first."""
        pol, hh = self.policy, w.hh
        place, inst = hh.place[rows], hh.institution[rows]
        ready = place == Place.INSTITUTION
        groups = {
            "direct_refugee": (pol.refugees, ready & (inst == InstitutionKind.ASYLUM_CENTRE), hh.ready_at[rows], "municipality"),
            "direct_institution": (
                pol.institution_leavers,
                ready & np.isin(inst, (InstitutionKind.PROTECTED_HOUSING, InstitutionKind.DETENTION, InstitutionKind.YOUTH_CARE)),
                hh.ready_at[rows],
                "corop",
            ),
            "direct_homeless": (
                pol.homeless,
                (place == Place.HOMELESS) | (ready & np.isin(inst, (InstitutionKind.SHELTER, InstitutionKind.WOMENS_SHELTER))),
                np.minimum(hh.homeless_since[rows], hh.ready_at[rows]),
                "corop",
            ),
        }
        self.direct = {}
        for route, (rule, sel, since, scope) in groups.items():
            # permit holders also take transitional homes; homeless people and institution leavers earmarked flex homes
            if not rule.enabled and route != "direct_refugee" and w.params.flex_target_share <= 0 and not pol.iron_stock.enabled:
                continue
            r = rows[sel]
            order = np.lexsort((r, since[sel]))
            r = r[order]
            unit = hh.municipality[r] if scope == "municipality" else w.region.corop_index[hh.municipality[r]]
            lists: dict[int, list[int]] = {}
            for u, h in zip(unit.tolist(), r.tolist(), strict=True):
                lists.setdefault(u, []).append(h)
            self.direct[route] = (rule, scope, lists)

    # -- one month -----------------------------------------------------------------------------
    def allocate(
        self,
        w: World,
        rng: np.random.Generator,
        quota_left: np.ndarray,
        number_left: dict,
        share_factor: np.ndarray | None = None,
        route_shares: dict[str, np.ndarray] | None = None,
    ) -> Result:
        """Let this month's social vacancies. ``quota_left`` (persons per municipality) and
        ``number_left`` (homes per route and municipality) are drawn down in place;
        ``share_factor`` (per municipality, default 1) scales the direct-placement shares of
        homeless people and institution leavers (a municipality's effort); ``route_shares``
        (route -> per municipality, NaN = the policy's) are municipalities' own shares."""
        dw = w.dw
        self.share_factor = np.ones(w.region.size) if share_factor is None else share_factor
        self.route_shares = route_shares or {}
        self.budgets.reset_if_new_year(w.month)
        if len(self.pending.get(DIRECT_ROUTES[0], ())) != w.region.size:
            self.pending = {r: [0] * w.region.size for r in DIRECT_ROUTES}
        self._build(w, rng)
        result = Result()
        open_ = np.flatnonzero(
            dw.vacant
            & (dw.tenure == Tenure.SOCIAL)
            & (dw.label != Label.STUDENT)
            & (dw.label != Label.SKAEVE)  # Skaeve Huse units take only referred nuisance cases
            & dw.lettable_until(w.month, w.params.min_letting_months)
        )
        # A home that found no tenant for some months is let at the lower capping limit (aftoppen,
        # the limit for one- and two-person households), so that allowance-level households of
        # any size may take it: it is then offered without the size rule (``_round``).
        stale_after = w.params.stale_vacancy_months
        stale = open_[(w.month - dw.vacant_since[open_] >= stale_after) & (dw.rent[open_] > C.CAPPING_LIMIT_SMALL)]
        dw.rent[stale] = C.CAPPING_LIMIT_SMALL
        open_ = open_[np.lexsort((open_, dw.vacant_since[open_]))]
        self._cache: dict = {}
        for _ in range(MAX_ROUNDS):
            if open_.size == 0:
                break
            n_before = len(result.rows)
            n_refused = len(result.refused)
            self._round(w, rng, open_, result, quota_left, number_left)
            if len(result.refused) > n_refused:  # groups at the offer; most rounds have no refusals
                result.refused_groups.append(w.groups_now(np.array([h for h, _ in result.refused[n_refused:]], dtype=np.int64)))
            if len(result.rows) == n_before:
                break
            h = np.array(result.rows[n_before:], dtype=np.int64)
            d = np.array(result.dwelling[n_before:], dtype=np.int64)
            old = np.where(w.hh.place[h] == Place.DWELLING, w.hh.dwelling[h], -1)
            result.groups.append(w.groups_now(h))
            self._move(w, h, d)
            freed = old[old >= 0]
            open_ = freed[
                (dw.tenure[freed] == Tenure.SOCIAL)
                & (dw.label[freed] != Label.STUDENT)
                & (dw.label[freed] != Label.SKAEVE)
                & dw.lettable_until(w.month, w.params.min_letting_months, freed)
            ]
        self.last_result = result
        return result

    def _move(self, w: World, h: np.ndarray, d: np.ndarray) -> None:
        w.move_in(h, d, social=True)
        # Transitional homes (doorstroomhuizen) come with a temporary contract.
        trans = w.dw.label[d] == Label.TRANSITIONAL
        w.hh.contract_end[h[trans]] = w.month + self.transitional_months

    def _round(self, w: World, rng: np.random.Generator, open_: np.ndarray, res: Result, quota_left: np.ndarray, number_left: dict) -> None:
        dw, hh, pol, reg = w.dw, w.hh, self.policy, w.region
        b = self.budgets
        n = open_.size
        u_route = rng.random((n, N_DRAWS)).tolist()  # see N_DRAWS
        mun = dw.municipality[open_].astype(np.int64)
        corop = reg.corop_index[mun].astype(np.int64)
        band = C.rent_band(dw.rent[open_])
        # A vacancy is drawn for the direct-placement shares once, in the month its vacancy
        # starts (homes vacant from the start: in the first month), not again each month it stays
        # empty, so that the shares are shares of vacancies.
        since = dw.vacant_since[open_]
        new = (since == w.month) | ((since == NEVER) & (w.month <= 1))
        # A home let to no one for ``stale_vacancy_months`` is offered without the size rule
        # (any household it has room for): corporations let hard-to-let family homes freely
        # rather than leave them empty while small households queue (issue 11).
        stale_open = (since != NEVER) & (w.month - since >= w.params.stale_vacancy_months)
        # A labelled home (senior, wheelchair, caravan, young-adult) that found no eligible tenant
        # for ``label_release_months`` is offered to other seekers too: advertisements say that
        # without candidates of the target group the home goes to other seekers (spill-over).
        released = (since != NEVER) & (w.month - since >= w.params.label_release_months) & np.isin(dw.label[open_], RELEASED_LABELS)
        attrs = zip(
            open_.tolist(),
            mun.tolist(),
            corop.tolist(),
            dw.label[open_].tolist(),
            dw.rooms[open_].tolist(),
            band.tolist(),
            dw.corporation[open_].tolist(),
            dw.neighbourhood[open_].tolist(),
            dw.rent[open_].tolist(),
            new.tolist(),
            stale_open.tolist(),
            released.tolist(),
            strict=True,
        )
        live = reg.weak
        acc = pol.acceptance
        tolerance = 1 - pol.income_appropriate.min_share
        bands_on, middle_share, free_share = pol.income_bands.enabled, pol.income_bands.middle_share, pol.income_bands.free_share
        cap_on, cap_share = pol.neighbourhood_cap.enabled, pol.neighbourhood_cap.max_share
        lottery_share = pol.lottery.share
        urgency_share, local_on, local_share = pol.urgency.vacancy_share, pol.local_ties.enabled, pol.local_ties.share
        young = pol.income_appropriate.young_rent_support
        registered, municipality = hh.registered, hh.municipality
        max_extra = w.params.max_extra_rooms
        iron_on = pol.iron_stock.enabled and pol.iron_stock.share > 0
        for (d, m, c, label, rooms, band_i, corp, nbh, rent, first, stale_d, released_d), u in zip(attrs, u_route, strict=True):
            bc = b.corp[corp]
            bn = b.nbh[nbh]
            exception_ok = (bc[2] + 1) <= tolerance * (bc[1] + 1)
            middle_ok = not bands_on or (bc[3] + 1) <= middle_share * (bc[0] + 1)
            high_ok = not bands_on or (bc[4] + 1) <= free_share * (bc[0] + 1)
            vuln_ok = not cap_on or (bn[1] + 1) <= cap_share * (bn[0] + 1)
            extra = C.ANY_ROOMS if stale_d else max_extra
            state = (rooms, band_i, exception_ok, middle_ok, high_ok, vuln_ok, extra)
            offs = self._offsets(w, label, state)
            # (0) the iron stock, (1) direct placement
            winner, route = self._iron(w, d, m, c, rent, rooms, label, vuln_ok, extra) if iron_on else (-1, "")
            iron = winner >= 0
            if not iron:
                winner, route = self._direct(w, d, m, c, rent, rooms, label, vuln_ok, u, first, quota_left, number_left, extra)
            if winner < 0:
                # (2) queue: lottery, or seniority with or without urgency priority
                if self.q_lottery is not None and u[0] < lottery_share:
                    q, route = self.q_lottery, "lottery"
                elif self.q_plain is not None and u[1] >= urgency_share:
                    q, route = self.q_plain, "seniority"
                else:
                    q, route = self.q_priority, "seniority"
                local = local_on and u[2] < local_share
                bases = [m * C.PER_UNIT] if local else [m * C.PER_UNIT, (reg.size + c) * C.PER_UNIT]
                winner, pos = self._offer(w, q, bases, offs, d, m, rent, nbh, live, acc, rng, res)
                if winner < 0 and label != Label.NONE and (pol.labels.spill_over or released_d):
                    spill = self._offsets(w, Label.NONE, state)
                    winner, pos = self._offer(w, q, bases, spill, d, m, rent, nbh, live, acc, rng, res)
                if winner >= 0 and route == "seniority":
                    route = ("urgency", "mover_priority", "seniority")[q.cls(pos)] if q is not self.q_lottery else route
            if winner < 0:
                continue
            self.taken[winner] = 1
            res.rows.append(winner)
            res.reg.append(int(registered[winner]))
            res.route.append(ROUTES.index(route))
            res.dwelling.append(d)
            res.origin.append(int(municipality[winner]))
            res.iron.append(iron)
            # budgets of the quota rules
            info = int(self.info[winner])
            size_c, inc_c, vuln = info & 3, (info >> 2) & 7, (info >> 5) & 1
            bc[0] += 1
            if inc_c in C.ALLOWANCE_CLASSES:
                bc[1] += 1
                if rent > C.rent_cap(inc_c, size_c, young):
                    bc[2] += 1
            if inc_c == C.INC_MIDDLE:
                bc[3] += 1
            if inc_c == C.INC_HIGH:
                bc[4] += 1
            bn[0] += 1
            bn[1] += vuln

    def _offsets(self, w: World, label: int, state: tuple) -> list[int]:
        """Eligible bucket offsets for a label and vacancy state (rooms, rent band, budgets), cached."""
        key = (label, *state)
        offs = self._cache.get(key)
        if offs is None:
            pol = self.policy
            rooms, band, exception_ok, middle_ok, high_ok, vuln_ok, extra = state
            offs = self._cache[key] = C.eligible_offsets(
                label,
                rooms,
                band,
                extra,
                pol.income_appropriate.enabled,
                exception_ok,
                middle_ok,
                high_ok,
                vuln_ok,
                pol.labels.enabled,
                pol.income_appropriate.young_rent_support,
            )
        return offs

    def _offer(self, w, q: QueueSet, bases, offs, d, m, rent, nbh, live, acc, rng, res: Result) -> tuple[int, int]:
        """Offer the home to the best eligible candidates in turn until one accepts."""
        held = []
        winner, pos = -1, -1
        for _ in range(acc.max_offers if acc.enabled else 1):
            bkt, p = q.best(bases, offs)
            if p < 0:
                break
            h = q.row(p)
            if not acc.enabled or h in self.urgent_rows or rng.random() < self._accept_prob(h, rent, m, bool(live[nbh]), acc):
                winner, pos = h, p
                q.ptr[bkt] = p + 1
                break
            res.refusals += 1
            res.refused.append((h, m))
            self.taken[h] = HELD
            held.append(h)
        for h in held:
            self.taken[h] = 0
        if held:
            for qq in (self.q_priority, self.q_plain, self.q_lottery):
                if qq is not None:
                    qq.restore()
        return winner, pos

    def _accept_prob(self, h: int, rent: float, m: int, weak: bool, acc) -> float:
        """Chance that household ``h`` accepts: base refusals, more in weak neighbourhoods;
        seniors leaving a social home are reluctant unless rent does not rise and it is nearby."""
        p = 1.0 - acc.refusal - (acc.weak_neighbourhood_refusal if weak else 0.0)
        old = self.senior_tenants.get(h)
        if old is not None:
            pays = rent <= old[0] and old[1] == m
            p *= acc.senior_accept_if_pays if pays else acc.senior_accept
        return max(p, 0.0)

    def _iron(self, w, d, m, c, rent, rooms, label, vuln_ok, extra) -> tuple[int, str]:
        """An iron-stock home (*ijzeren voorraad*): a fixed share of the unlabelled permanent
        social homes (dwelling row × golden ratio mod 1 below ``share``, so the same homes each
        time). Of these, those below ``regular_share`` of the range go to the regular queue (the
        mix); the others go to the first group in their turn (``IRON_GROUPS`` rotated by the
        home's place in the range) with a fitting candidate. Returns (winner, route) or (-1, '')."""
        rule = self.policy.iron_stock
        if label != Label.NONE or w.dw.end_month[d] != NEVER:
            return -1, ""
        x = (d * GOLDEN) % 1.0
        if x >= rule.share:
            return -1, ""
        y = x / rule.share
        if y < rule.regular_share:
            return -1, ""
        k = min(int((y - rule.regular_share) / max(1.0 - rule.regular_share, 1e-12) * len(IRON_GROUPS)), len(IRON_GROUPS) - 1)
        for route in IRON_GROUPS[k:] + IRON_GROUPS[:k]:
            entry = self.direct.get(route)
            h = self._candidate(w, entry, m, c, rent, rooms, label, vuln_ok, extra)[0] if entry is not None else -1
            if h >= 0:
                return h, route
        return -1, ""

    def _direct(self, w, d, m, c, rent, rooms, label, vuln_ok, u, first, quota_left, number_left, extra) -> tuple[int, str]:
        """Let the direct-placement routes claim the vacancy (see the module docstring); return
        (winner, route) or (-1, ''). ``u``: the vacancy's draws; ``first``: its first month on
        offer (later, only kept claims and target routes may claim it)."""
        if label == Label.TRANSITIONAL:  # only for permit holders, outside the quota
            entry = self.direct.get("direct_refugee")
            h = self._candidate(w, entry, m, c, rent, rooms, label, vuln_ok, extra)[0] if entry is not None else -1
            return (h, "direct_refugee") if h >= 0 else (-1, "")
        flex_share = w.params.flex_target_share
        if flex_share > 0 and label == Label.NONE and w.dw.end_month[d] != NEVER:
            # An earmarked flex home (a fixed share of dwelling rows, no random draw) goes first
            # to homeless people or institution leavers, half of them each way round.
            x = (d * GOLDEN) % 1.0
            if x < flex_share:
                for route in FLEX_TARGETS if x < flex_share / 2 else FLEX_TARGETS[::-1]:
                    entry = self.direct.get(route)
                    h = self._candidate(w, entry, m, c, rent, rooms, label, vuln_ok, extra)[0] if entry is not None else -1
                    if h >= 0:
                        return h, route
        targets, shares = [], []
        for i, route in enumerate(DIRECT_ROUTES):
            entry = self.direct.get(route)
            if entry is None or not entry[0].enabled:
                continue
            rule = entry[0]
            if rule.mode == "share":
                own = self.route_shares[route][m] if route in self.route_shares else np.nan  # NaN: the policy's share
                share = (rule.share if own != own else own) * (self.share_factor[m] if route != "direct_refugee" else 1.0)
                claims = self.pending[route][m] + int(first and u[N_QUEUE_DRAWS + i] < share)
                if claims:
                    shares.append((route, claims))
            elif rule.mode == "quota":
                if quota_left[m] > 0:
                    targets.append((route, 0))
            elif number_left[route][m] > 0:
                targets.append((route, 0))
        if len(shares) > 1:  # a random order among share claimants
            k = int(u[-1] * len(shares))
            shares = shares[k:] + shares[:k]
        winner, won = -1, ""
        for route, claims in targets + shares:
            entry = self.direct[route]
            h, waiting = self._candidate(w, entry, m, c, rent, rooms, label, vuln_ok, extra) if winner < 0 else (-1, -1)
            if h >= 0:
                winner, won = h, route
                waiting -= 1
                if entry[0].mode == "quota":
                    quota_left[m] -= int(w.hh.size[h])
                elif entry[0].mode == "number":
                    number_left[route][m] -= 1
            if entry[0].mode == "share":
                # A claim that was served is used; one that lost the vacancy to another route or
                # found no candidate this home fits is kept for a later vacancy — at most one
                # kept claim per candidate still waiting (none when nobody waits).
                left = claims - (h >= 0)
                self.pending[route][m] = min(left, waiting) if waiting >= 0 else left
        return winner, won

    def _candidate(self, w, entry, m, c, rent, rooms, label, vuln_ok, extra) -> tuple[int, int]:
        """The longest-waiting candidate of a direct route whom the home fits (size, rent under
        passend toewijzen, label, neighbourhood cap), removed from the route's list, or -1; and
        how many candidates the list held."""
        rule, scope, lists = entry
        cand = lists.get(m if scope == "municipality" else c)
        if not cand:
            return -1, 0
        pol = self.policy
        if pol.neighbourhood_cap.enabled and not vuln_ok:
            return -1, len(cand)  # every direct-placement group counts as vulnerable
        passend, young = pol.income_appropriate.enabled, pol.income_appropriate.young_rent_support
        labels_on = pol.labels.enabled
        transitional = label == Label.TRANSITIONAL
        pitch = labels_on and label == Label.CARAVAN  # any household size (classes.eligible_offsets)
        for k, h in enumerate(cand[:DIRECT_SEARCH_DEPTH]):  # the longest waiting; later ones wait for a later home
            if self.taken[h]:
                continue
            info = int(self.info[h])
            size_c, inc_c, need = info & 3, (info >> 2) & 7, (info >> 6) & 3
            if not pitch and not C.size_fits(rooms, size_c, extra):
                continue
            if passend and rent > C.rent_cap(inc_c, size_c, young):
                continue
            if not transitional and not C.label_admits(label, need, inc_c, labels_on):
                continue
            n = len(cand)
            del cand[k]
            return h, n
        return -1, len(cand)
