"""Eligibility classes of seekers and which classes a vacancy may be offered to.

A seeker falls in one bucket per search unit: need (none; senior or mobility; wheelchair;
caravan) × household size (1, 2, 3-4, 5+ persons) × income class (allowance-level under 23;
allowance-level; up to the 80-10-10 low limit; the middle band; above) × vulnerable or not.
A vacancy's eligible buckets follow from its label, rooms and rent band and from the state of
the quota rules (passend toewijzen exceptions, 80-10-10 bands, neighbourhood cap).
"""

from __future__ import annotations

import numpy as np

from ..codes import CareNeed, Flag, Label, Place, Urgency
from ..processes.demography import needed_rooms
from ..world import World

# Rent limits 2021, EUR/month (FACTS B, V).
QUALITY_DISCOUNT_LIMIT = 442.46  # kwaliteitskortingsgrens; max rent with allowance under 23
CAPPING_LIMIT_SMALL = 633.25  # aftoppingsgrens 1-2 persons
CAPPING_LIMIT_LARGE = 678.66  # aftoppingsgrens 3+ persons
LIBERALISATION_LIMIT = 752.33  # liberalisatiegrens
# Allowance-level income limits 2021, EUR/yr (FACTS B, status M): single / multi-person.
ALLOWANCE_INCOME_SINGLE = 23725.0
ALLOWANCE_INCOME_MULTI = 32200.0

N_NEED, N_SIZE, N_INCOME, N_VULN = 4, 4, 5, 2
# Two bucket systems per search unit: fine buckets (with the need class) for labelled homes,
# and coarse buckets (need pooled) for the far more common unlabelled homes, which any need
# class may take — so an unlabelled vacancy looks at a quarter of the buckets.
N_FINE = N_NEED * N_SIZE * N_INCOME * N_VULN
N_COARSE = N_SIZE * N_INCOME * N_VULN
PER_UNIT = N_FINE + N_COARSE
NEED_NONE, NEED_SENIOR, NEED_WHEELCHAIR, NEED_CARAVAN = range(4)
INC_YOUNG_LOW, INC_LOW, INC_BELOW, INC_MIDDLE, INC_HIGH = range(5)
ALLOWANCE_CLASSES = (INC_YOUNG_LOW, INC_LOW)


def size_class(size: np.ndarray) -> np.ndarray:
    """0: one person, 1: two, 2: three or four, 3: five or more."""
    return np.select([size <= 1, size == 2, size <= 4], [0, 1, 2], 3).astype(np.int64)


SIZE_CLASS_NEED = needed_rooms(np.array([1, 2, 3, 5]))  # rooms needed per size class


def income_class(income: np.ndarray, size: np.ndarray, age: np.ndarray, low_limit: float, middle_limit: float) -> np.ndarray:
    """Income class: allowance-level under 23 / allowance-level / ≤ low limit / middle band / above."""
    allowance = income <= np.where(size <= 1, ALLOWANCE_INCOME_SINGLE, ALLOWANCE_INCOME_MULTI)
    return np.select(
        [allowance & (age < 23 * 12), allowance, income <= low_limit, income <= middle_limit],
        [INC_YOUNG_LOW, INC_LOW, INC_BELOW, INC_MIDDLE],
        INC_HIGH,
    ).astype(np.int64)


def rent_cap(income_cls: int, size_cls: int, young_support: bool = False) -> float:
    """Highest rent a class may be offered under passend toewijzen (EUR/month): allowance-level
    households up to their capping limit (one or two persons / three or more), under-23s up to
    the quality-discount limit, above which they get no housing allowance; with
    ``young_support`` (the measure ``young_rent_support``) under-23s may go up to their capping
    limit as other allowance households (report, 'Aanpak 18- tot 23-jarigen': *net boven de
    kwaliteitskortingsgrens*)."""
    if income_cls == INC_YOUNG_LOW and not young_support:
        return QUALITY_DISCOUNT_LIMIT
    if income_cls in ALLOWANCE_CLASSES:
        return CAPPING_LIMIT_SMALL if size_cls <= 1 else CAPPING_LIMIT_LARGE
    return LIBERALISATION_LIMIT


def need_class(w: World, rows: np.ndarray) -> np.ndarray:
    hh = w.hh
    care = hh.care[rows]
    return np.select(
        [care == CareNeed.WHEELCHAIR, (care == CareNeed.MOBILITY) | (hh.age[rows] >= 65 * 12), (hh.labels[rows] & Flag.CARAVAN) != 0],
        [NEED_WHEELCHAIR, NEED_SENIOR, NEED_CARAVAN],
        NEED_NONE,
    ).astype(np.int64)


def vulnerable(w: World, rows: np.ndarray) -> np.ndarray:
    """Vulnerable households (*kwetsbare / vragende bewoners*): homeless now or before, in or
    leaving an institution, permit holders, and social-urgency cases."""
    hh = w.hh
    vuln_flags = Flag.HOMELESS_HISTORY | Flag.INSTITUTION_LEAVER | Flag.REFUGEE
    urgent = (hh.urgency[rows] == Urgency.SOCIAL) & (hh.urgency_until[rows] > w.month)
    place = hh.place[rows]
    return ((hh.labels[rows] & vuln_flags) != 0) | urgent | (place == Place.HOMELESS) | (place == Place.INSTITUTION)


def vulnerable_mask(w: World) -> np.ndarray:
    """``vulnerable`` for every row at once (elementwise, no gathers)."""
    hh = w.hh
    vuln_flags = Flag.HOMELESS_HISTORY | Flag.INSTITUTION_LEAVER | Flag.REFUGEE
    urgent = (hh.urgency == Urgency.SOCIAL) & (hh.urgency_until > w.month)
    place = hh.place
    return ((hh.labels & vuln_flags) != 0) | urgent | (place == Place.HOMELESS) | (place == Place.INSTITUTION)


def offset(need: int, size: int, income: int, vuln: int) -> int:
    """Offset of a fine bucket (need known); ``need = -1`` gives the coarse bucket."""
    if need < 0:
        return N_FINE + (size * N_INCOME + income) * N_VULN + vuln
    return ((need * N_SIZE + size) * N_INCOME + income) * N_VULN + vuln


ANY_ROOMS = 99  # no upper limit on rooms (a stale vacancy, abm/allocation/engine.py)


def size_fits(rooms: int, size_cls: int, max_extra_rooms: int) -> bool:
    """A home fits a household if it has the rooms it needs and, for one- and two-person
    households, at most ``max_extra_rooms`` more; families (3+) may take any larger home, so
    that big houses do not stand empty for want of very large families."""
    need = int(SIZE_CLASS_NEED[size_cls])
    return need <= rooms and (size_cls >= 2 or rooms <= need + max_extra_rooms)


def rent_band(rent: np.ndarray) -> np.ndarray:
    """Which 2021 limits a rent is below: 3 = ≤ quality-discount limit ... 0 = above both capping limits."""
    return (rent <= QUALITY_DISCOUNT_LIMIT).astype(np.int64) + (rent <= CAPPING_LIMIT_SMALL) + (rent <= CAPPING_LIMIT_LARGE)


# Need classes a labelled home is for (doelgroepenlabel): wheelchair homes to wheelchair users,
# senior/zero-step homes to seniors and people with a mobility or wheelchair need, caravan
# pitches to caravan dwellers. Young-adult homes go by income class (allowance-level under 23).
LABEL_NEEDS = {
    Label.WHEELCHAIR: (NEED_WHEELCHAIR,),
    Label.SENIOR: (NEED_SENIOR, NEED_WHEELCHAIR),
    Label.CARAVAN: (NEED_CARAVAN,),
}


def label_admits(label: int, need: int, income_cls: int, labels_on: bool) -> bool:
    """Whether a seeker of this need and income class may take a home with this label — the
    same rule the queues apply through ``eligible_offsets``, for the direct-placement routes.
    Transitional homes are not decided here (only permit holders, by direct placement)."""
    if not labels_on or label in (Label.NONE, Label.STUDENT):
        return True
    if label == Label.YOUNG:
        return income_cls == INC_YOUNG_LOW
    needs = LABEL_NEEDS.get(label)
    return needs is not None and need in needs


BAND_RENT = {3: QUALITY_DISCOUNT_LIMIT, 2: CAPPING_LIMIT_SMALL, 1: CAPPING_LIMIT_LARGE, 0: LIBERALISATION_LIMIT}


def eligible_offsets(
    label: int,
    rooms: int,
    band: int,
    max_extra_rooms: int,
    passend: bool,
    exception_ok: bool,
    middle_ok: bool,
    high_ok: bool,
    vulnerable_ok: bool,
    labels_on: bool,
    young_support: bool = False,
) -> list[int]:
    """Bucket offsets that may be offered a dwelling with this label, rooms and rent band.

    ``passend``: allowance-level classes only up to their cap unless ``exception_ok`` (the
    5 % tolerance has room); ``middle_ok`` / ``high_ok``: the 80-10-10 bands have room;
    ``vulnerable_ok``: the neighbourhood cap has room; ``labels_on``: labels restrict who may
    take labelled homes.
    """
    rent = BAND_RENT[band]
    if not labels_on or label in (Label.NONE, Label.STUDENT, Label.YOUNG):
        needs = [-1]  # every need class: the coarse buckets (young-adult homes: filtered by income below)
    elif label == Label.TRANSITIONAL:  # only by direct placement of permit holders
        return []
    else:
        needs = list(LABEL_NEEDS[label])
    incomes = [INC_YOUNG_LOW] if labels_on and label == Label.YOUNG else list(range(N_INCOME))
    out = []
    # A caravan pitch takes a household of any size: it places its own caravan (standplaats), so
    # the size rule does not apply (before, single young caravan dwellers could never take one).
    pitch = labels_on and label == Label.CARAVAN
    for nd in needs:
        for sc in range(N_SIZE):
            if not pitch and not size_fits(rooms, sc, max_extra_rooms):
                continue
            for ic in incomes:
                if ic == INC_MIDDLE and not middle_ok or ic == INC_HIGH and not high_ok:
                    continue
                if passend and ic in ALLOWANCE_CLASSES and rent > rent_cap(ic, sc, young_support) and not exception_ok:
                    continue
                for v in (0, 1) if vulnerable_ok else (0,):
                    out.append(offset(nd, sc, ic, v))
    return out
