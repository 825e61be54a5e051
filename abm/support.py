"""Care and support (*begeleiding*, *Wmo*, *beschermd wonen*): a home and the support around it.

The report's premise is that a priority household needs a home **and** the conditions around it:
"Tijdelijke en permanente betaalbare woonplekken, vaak met een combinatie van zorg en
begeleiding ... De begeleiding moet ook voldoende lang, intensief en op- en afschaalbaar zijn"
and "Terugvalopties (als iemand het niet redt in de wijk, kan diegene dan snel ergens weer terug
in het beschermd wonen)" ('Dak- en thuisloze mensen: Wat is er nodig?'); the outflow from
shelters stalls through "onvoldoende structurele middelen voor passende zorg en begeleiding"
(idem, 'Concluderend'); institution leavers go to "een zelfstandige woning (met evt. ambulante
begeleiding)" ('Uitstroom intramurale situatie'); social urgents receive "relatief veel zorg en
ondersteuning" ('Sociaal urgenten').

The submodel, step by step (docs/ODD.md, 'Care and support'):

1. **Need.** When a household enters a group that can need support — roofless or in a homeless
   shelter, in a women's shelter, ready to leave protected housing, detention or youth care, or
   granted social urgency — its need is assessed once for that episode (``assess``): a level
   (none, light or intensive ambulatory support, or 24-hour care in protected housing) drawn from
   the group's shares (``abm/data/support_needs.csv``), and a duration (geometric, mean
   ``support_light_months`` / ``support_intensive_months``). Losing a home or entering protected
   housing, detention or youth care starts a new episode (``reset``).
2. **Places.** Each municipality has Wmo support places (``support_wmo_places`` nationally, by
   population); protected-housing places are the institution places of the centre municipalities.
   After the month's lettings, places are given in order of need (``give_places``): households
   whose support was arranged before leaving an institution first (warm outflow), then by the
   month the need arose. A Housing First team supports the formerly homeless tenants it covers
   (``housing_first_coverage``) outside the Wmo places; they do not queue for a Wmo place.
3. **Waiting or going ahead.** A household with an unmet need either waits for a support place
   before it is housed (a share ``support_wait_share``, and every household whose support was
   arranged) or is housed without one and joins the queue in its new home (``held``, read by the
   allocation). Someone who needs 24-hour care is not housed but waits for a protected-housing
   place (``institutions.step`` takes them in first). Both are recorded at letting.
4. **Effects.** A tenant with an unmet need falls into rent arrears more often
   (``unmet_support_arrears_factor``) and causes nuisance (``nuisance_rate``), which can end in an
   eviction; support lowers both (``met_support_arrears_factor``, ``met_support_nuisance_factor``).
   A supported tenant who is evicted anyway may fall back on a protected-housing or shelter place
   rather than the street (``evicted_fallback_share``, arranged by the support worker).
5. **Costs.** Support places cost the municipality where the household lives, by level
   (``support_light_year``, ``support_intensive_year`` in ``abm/data/costs.csv``;
   ``abm.social_costs``); Housing First teams are paid by the measure.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from .codes import Flag, InstitutionKind, Place, SupportBy, SupportLevel, Urgency
from .households import NEVER

if TYPE_CHECKING:
    from .households import Households
    from .model import HousingModel
    from .params import Params
    from .region import Region
    from .world import World

#: Groups whose need is assessed, in ``abm/data/support_needs.csv`` order.
NEED_GROUPS = ("homeless", "womens_shelter", "protected_housing", "detention", "youth_care", "social_urgent")
LEVELS = ("none", "light", "intensive", "protected")
AMBULATORY = (SupportLevel.LIGHT, SupportLevel.INTENSIVE)
GOLDEN = 0.6180339887498949  # hid × this, mod 1: a fixed draw per household (Housing First coverage)


@cache
def need_shares() -> np.ndarray:
    """Shares [group, level] of ``abm/data/support_needs.csv`` (rows in ``NEED_GROUPS`` order,
    columns in ``LEVELS`` order); each row sums to one."""
    text = resources.files("abm.data").joinpath("support_needs.csv").read_text(encoding="utf-8")
    rows = {r["group"]: r for r in csv.DictReader(text.splitlines())}
    if set(rows) != set(NEED_GROUPS):
        raise ValueError(f"support_needs.csv: groups must be {', '.join(NEED_GROUPS)}")
    shares = np.array([[float(rows[g][lvl]) for lvl in LEVELS] for g in NEED_GROUPS])
    if (shares < 0).any() or not np.allclose(shares.sum(axis=1), 1.0, atol=1e-9):
        raise ValueError("support_needs.csv: shares must be >= 0 and sum to 1 per group")
    return shares


def capacity(region: Region, p: Params) -> np.ndarray:
    """Wmo support places per municipality: the national places shared by population."""
    return np.round(p.support_wmo_places * region.population_share)


def need_group(hh: Households, month: int) -> np.ndarray:
    """Per row, the index into ``NEED_GROUPS`` of the group whose need would be assessed now, or -1."""
    place, inst = hh.place, hh.institution
    in_inst = place == Place.INSTITUTION
    ready = in_inst & (hh.ready_at <= month)
    urgent = (hh.urgency == Urgency.SOCIAL) & (hh.urgency_until > month) & ((place == Place.DWELLING) | (place == Place.LIVING_IN))
    return np.select(
        [
            (place == Place.HOMELESS) | (in_inst & (inst == InstitutionKind.SHELTER)),
            in_inst & (inst == InstitutionKind.WOMENS_SHELTER),
            ready & (inst == InstitutionKind.PROTECTED_HOUSING),
            ready & (inst == InstitutionKind.DETENTION),
            ready & (inst == InstitutionKind.YOUTH_CARE),
            urgent,
        ],
        np.arange(len(NEED_GROUPS)),
        -1,
    )


def assess(w: World, rng: np.random.Generator) -> np.ndarray:
    """Assess the support need of households that entered a group this episode and were not yet
    assessed: level from the group's shares, duration, and whether a placement waits for a place.
    Ready leavers of protected housing, detention and youth care have their support arranged
    before they leave with chance ``support_prepared_share`` (warm outflow): they wait for it and
    come first. Returns the rows assessed."""
    hh, p, month = w.hh, w.params, w.month
    group = need_group(hh, month)
    rows = np.flatnonzero((group >= 0) & ((hh.labels & Flag.SUPPORT_ASSESSED) == 0))
    if rows.size == 0:
        return rows
    g = group[rows]
    u = rng.random((4, rows.size))  # level, duration, waiting, prepared: four draws per row
    cum = np.cumsum(need_shares(), axis=1)[g]
    level = (u[0][:, None] >= cum[:, :-1]).sum(axis=1).astype(np.int8)
    mean = np.where(level == SupportLevel.LIGHT, p.support_light_months, p.support_intensive_months)
    # Geometric duration with the level's mean, by inversion of the duration draw.
    months = np.ceil(np.log1p(-u[1]) / np.log1p(-1.0 / np.maximum(mean, 1.0 + 1e-9))).astype(np.int64)
    months = np.maximum(months, 1)
    until = np.where(level == SupportLevel.NONE, NEVER, month + months)
    until = np.where(level == SupportLevel.PROTECTED, NEVER, until)  # until a protected-housing place
    leaver = np.isin(g, [NEED_GROUPS.index(k) for k in ("protected_housing", "detention", "youth_care")])
    prepared = leaver & (level != SupportLevel.NONE) & (u[3] < p.support_prepared_share)
    hh.labels[rows] |= Flag.SUPPORT_ASSESSED
    hh.labels[rows[prepared]] |= Flag.SUPPORT_PREPARED
    hh.support_need[rows] = level
    hh.support_until[rows] = until
    hh.support_since[rows] = np.where(level == SupportLevel.NONE, NEVER, month)
    hh.support_waits[rows] = prepared | (u[2] < p.support_wait_share)
    hh.support_by[rows] = SupportBy.NONE
    return rows


def reset(hh: Households, rows: np.ndarray) -> None:
    """A new episode: the need is assessed again (and any support place is given up)."""
    hh.labels[rows] &= ~np.uint16(Flag.SUPPORT_ASSESSED | Flag.SUPPORT_PREPARED)
    hh.support_need[rows] = SupportLevel.NONE
    hh.support_until[rows] = NEVER
    hh.support_by[rows] = SupportBy.NONE
    hh.support_since[rows] = NEVER
    hh.support_waits[rows] = False


def housing_first_covers(hh: Households, coverage: float, rows: np.ndarray | None = None) -> np.ndarray:
    """Formerly homeless households whom a Housing First team would support (a fixed draw per
    household, so the same households are covered every month)."""
    hid = hh.hid if rows is None else hh.hid[rows]
    labels = hh.labels if rows is None else hh.labels[rows]
    return ((labels & Flag.HOMELESS_HISTORY) != 0) & ((hid * GOLDEN) % 1.0 < coverage)


def held(hh: Households, p: Params) -> np.ndarray:
    """Rows whose placement in a home waits for support: not housed, and either needing 24-hour
    care (they wait for a protected-housing place) or needing ambulatory support without a place
    and waiting for one (``support_waits``). Housing First covers formerly homeless people
    instead: they are housed at once and supported by its team."""
    need = hh.support_need
    unhoused = (hh.place != Place.DWELLING) & (hh.place != Place.GONE)
    wmo_wait = ((need == SupportLevel.LIGHT) | (need == SupportLevel.INTENSIVE)) & hh.support_waits & (hh.support_by == SupportBy.NONE)
    waits = (need == SupportLevel.PROTECTED) | wmo_wait
    if p.housing_first_coverage > 0:
        waits &= ~housing_first_covers(hh, p.housing_first_coverage)
    return unhoused & waits


def wmo_in_use(hh: Households, n_municipalities: int) -> np.ndarray:
    """Wmo support places in use per municipality (households supported where they live now)."""
    rows = np.flatnonzero((hh.support_by == SupportBy.MUNICIPALITY) & (hh.place != Place.GONE))
    return np.bincount(hh.municipality[rows], minlength=n_municipalities)


def give_places(model: HousingModel) -> dict[str, np.ndarray]:
    """After the month's lettings: needs that ended are closed; this month's lettings of
    households with a need are recorded (with or without a support place at letting); Housing
    First teams take on the formerly homeless tenants they cover; free Wmo places go to the queue
    in order (arranged first, then the oldest need). Returns the month's support events: masks
    over this month's lettings of households that needed support, with and without a place."""
    w, p = model.world, model.params
    hh, month, n = w.hh, w.month, model.region.size
    present = hh.place != Place.GONE
    ended = np.flatnonzero(present & (hh.support_need > 0) & (hh.support_until <= month))
    hh.support_need[ended] = SupportLevel.NONE
    hh.support_by[ended] = SupportBy.NONE
    hh.support_until[ended] = NEVER
    hh.support_since[ended] = NEVER
    hh.support_waits[ended] = False
    # Lettings of households with a need, at the moment of the letting (before places are given).
    rows = model.last_allocations[0]
    need = hh.support_need[rows] > 0
    # Masks over this month's lettings (the order of ``model.last_allocations``).
    events = {
        "with_support": need & (hh.support_by[rows] != SupportBy.NONE),
        "without_support": need & (hh.support_by[rows] == SupportBy.NONE),
    }
    housed = hh.place == Place.DWELLING
    unmet = present & (hh.support_need > 0) & (hh.support_by == SupportBy.NONE)
    if p.housing_first_coverage > 0:
        covers = housing_first_covers(hh, p.housing_first_coverage)
        hf = np.flatnonzero(unmet & housed & covers)
        # Housing First supports people with the heaviest needs at home too (24-hour needs become intensive support).
        hh.support_need[hf[hh.support_need[hf] == SupportLevel.PROTECTED]] = SupportLevel.INTENSIVE
        hh.support_until[hf[hh.support_until[hf] == NEVER]] = month + int(round(p.support_intensive_months))
        hh.support_by[hf] = SupportBy.HOUSING_FIRST
        # Housing First teams, not Wmo places, support the people they cover: housed ones now,
        # unhoused ones once housed (they do not queue for a Wmo place meanwhile).
        unmet &= ~covers
    ambulatory = (hh.support_need == SupportLevel.LIGHT) | (hh.support_need == SupportLevel.INTENSIVE)
    queue = np.flatnonzero(unmet & ambulatory & (housed | (hh.support_waits & hh.seeking)))
    free = np.maximum(model.support_capacity - wmo_in_use(hh, n), 0).astype(np.int64)
    if queue.size and free.any():
        mun = hh.municipality[queue].astype(np.int64)
        first = (hh.labels[queue] & Flag.SUPPORT_PREPARED) == 0  # False (arranged) sorts first
        order = np.lexsort((hh.hid[queue], hh.support_since[queue], first, mun))
        q, m = queue[order], mun[order]
        start = np.searchsorted(m, np.arange(n))
        rank = np.arange(q.size) - start[m]
        take = q[rank < free[m]]
        hh.support_by[take] = SupportBy.MUNICIPALITY
    return events


def arrears_factor(hh: Households, rows: np.ndarray, p: Params) -> np.ndarray:
    """Arrears-entry factor of ``rows`` from their support state: unmet need, met need, or 1."""
    need = hh.support_need[rows] > 0
    met = hh.support_by[rows] != SupportBy.NONE
    return np.where(need, np.where(met, p.met_support_arrears_factor, p.unmet_support_arrears_factor), 1.0)
