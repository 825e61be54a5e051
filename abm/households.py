"""Households as columns, the groups they belong to, and a thin view for inspection.

A row is a household or a would-be household: young adults living with their parents
(*inwonend*) are rows of their own with place ``LIVING_IN`` and a ``host`` household, so that
household formation is a move, not a birth. Units: ages in months, income in euros per year,
dates as model months (0 = start; negative = before the start).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .codes import GROUPS, CareNeed, Flag, InstitutionKind, LabourMigrantType, Place, SupportBy, SupportLevel, Urgency
from .columns import ColumnStore

NEVER = np.iinfo(np.int32).max  # a date that never comes ("not registered", "no end")
NONE = -1  # no dwelling / host / institution
#: ``urgency_until`` of a household without urgency: a date long past, so that "no valid
#: urgency" (``urgency_until <= month``) holds for it as for an expired status.
NO_URGENCY = np.iinfo(np.int32).min

SENIOR_AGE_MONTHS = 65 * 12
YOUNG_MIN_MONTHS, YOUNG_MAX_MONTHS = 18 * 12, 23 * 12


_LABEL_OF_GROUP = {
    "refugee": Flag.REFUGEE,
    "student": Flag.STUDENT,
    "labour_migrant": Flag.LABOUR_MIGRANT,
    "institution_leaver": Flag.INSTITUTION_LEAVER,
    "caravan": Flag.CARAVAN,
}
_LABEL_MASK = int(np.bitwise_or.reduce([int(f) for f in _LABEL_OF_GROUP.values()]))
#: label bits (masked) -> group bits: which reported groups a row's labels put it in
_LABEL_GROUPS = np.array(
    [sum(1 << GROUPS.index(g) for g, f in _LABEL_OF_GROUP.items() if v & int(f)) for v in range(_LABEL_MASK + 1)], dtype=np.uint16
)


class Households(ColumnStore):
    """Column store of households; see the module docstring for units."""

    SCHEMA = {
        "hid": (np.int64, -1),  # stable id, equal to the row number
        "municipality": (np.int16, -1),  # index into the region's municipalities
        "age": (np.int16, 0),  # age of the head, months
        "female": (np.bool_, False),  # sex of the head (mortality differs)
        "size": (np.int8, 1),  # persons
        "adults": (np.int8, 1),  # 1 or 2 adults; size - adults children
        "income": (np.float32, 0.0),  # EUR/yr, current
        "income_base": (np.float32, 0.0),  # EUR/yr, before an income shock
        "shocked": (np.bool_, False),  # income shock in progress
        "care": (np.int8, CareNeed.NONE),
        "labels": (np.uint16, 0),  # Flag bits
        "lm_type": (np.int8, LabourMigrantType.NONE),
        "registered": (np.int32, NEVER),  # month of registration as social-housing seeker
        "urgency": (np.int8, Urgency.NONE),
        "urgency_until": (np.int32, NO_URGENCY),  # urgency is valid while month < urgency_until
        "place": (np.int8, Place.GONE),
        "dwelling": (np.int32, NONE),
        "institution": (np.int8, NONE),  # InstitutionKind while in an institution
        "ready_at": (np.int32, NEVER),  # month the resident is ready to leave the institution
        "host": (np.int32, NONE),  # household row a LIVING_IN young adult lives with
        "arrears": (np.bool_, False),  # huurachterstand
        "seeking": (np.bool_, False),  # actively seeking a social home
        "seek_since": (np.int32, NEVER),
        "regional": (np.bool_, False),  # also searches elsewhere in the region
        "contract_end": (np.int32, NEVER),  # end of a temporary tenancy (flex, campus contract)
        "stay_until": (np.int32, NEVER),  # planned departure or graduation (labour migrants, students)
        "reunion_at": (np.int32, NEVER),  # family members arrive (nareizigers)
        "homeless_since": (np.int32, NEVER),
        # Permit-holder and institution-leaver labels mean "recent": they hold while the household
        # is in the asylum centre / institution (NEVER) and end this month after leaving it.
        "refugee_until": (np.int32, NEVER),
        "leaver_until": (np.int32, NEVER),
        # Care and support (abm/support.py): the need's level and end, who supports, since when
        # the need waits for a place (queue order), and whether a placement waits for a place.
        "support_need": (np.int8, SupportLevel.NONE),
        "support_until": (np.int32, NEVER),
        "support_by": (np.int8, SupportBy.NONE),
        "support_since": (np.int32, NEVER),
        "support_waits": (np.bool_, False),
    }

    @property
    def present(self) -> np.ndarray:
        """Households in the region this month (not gone)."""
        return self.place != Place.GONE

    def age_years(self, i: int) -> float:
        return float(self.age[i]) / 12.0

    def group_combo(self, month: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Per row, the bit set of the reported groups it belongs to (bit i = ``GROUPS[i]``).

        ``homeless`` means roofless or in a homeless or women's shelter; ``regular`` means in none
        of the other groups; ``month`` decides whether urgency is still valid. ``rows`` (optional)
        restricts the result to those rows: the groups of the households of an event, taken at
        the moment it happens (a letting, a move, an eviction, a refusal). Built with a few
        elementwise operations and one look-up on the label bits (millions of rows a month).
        """
        d = self._data
        n = self.n

        def col(name: str) -> np.ndarray:
            return d[name][:n] if rows is None else d[name][rows]

        bit = {g: np.uint16(1 << i) for i, g in enumerate(GROUPS)}
        combo = _LABEL_GROUPS[col("labels") & np.uint16(_LABEL_MASK)]
        age = col("age")
        combo |= (age >= SENIOR_AGE_MONTHS) * bit["senior"]
        combo |= ((age >= YOUNG_MIN_MONTHS) & (age < YOUNG_MAX_MONTHS)) * bit["young_adult"]
        place, inst = col("place"), col("institution")
        shelter = (place == Place.INSTITUTION) & (inst <= InstitutionKind.WOMENS_SHELTER) & (inst >= 0)
        combo |= ((place == Place.HOMELESS) | shelter) * bit["homeless"]
        urgent = col("urgency_until") > month
        urgency = col("urgency")
        combo |= (urgent & (urgency == Urgency.SOCIAL)) * bit["social_urgent"]
        combo |= (urgent & (urgency == Urgency.MEDICAL)) * bit["medical_urgent"]
        combo |= (col("care") == CareNeed.WHEELCHAIR) * bit["wheelchair"]
        combo |= (combo == 0) * bit["regular"]
        return combo

    def expire_labels(self, month: int) -> int:
        """Clear the permit-holder and institution-leaver labels whose time is up (``*_until``
        reached): these labels mean "recent". Returns how many labels ended."""
        ended = 0
        for flag, col in ((Flag.REFUGEE, "refugee_until"), (Flag.INSTITUTION_LEAVER, "leaver_until")):
            labels = self.labels
            done = np.flatnonzero((self._data[col][: self.n] <= month) & ((labels & flag) != 0))
            labels[done] &= ~flag
            self._data[col][done] = NEVER
            ended += done.size
        return ended

    def group_masks(self, month: int) -> dict[str, np.ndarray]:
        """Boolean mask per reported group (a household may be in several groups)."""
        combo = self.group_combo(month)
        return {g: (combo & np.uint16(1 << i)) != 0 for i, g in enumerate(GROUPS)}

    def groups_of(self, i: int, month: int) -> list[str]:
        """Names of the groups household ``i`` belongs to this month."""
        # Computing all masks for one row is wasteful but this is for inspection only.
        return [g for g, m in self.group_masks(month).items() if m[i]]


@dataclass(frozen=True)
class HouseholdView:
    """A read-only snapshot of one household, for inspection and tests.

    ``HousingModel.household(i)`` returns one; the numbers are those of the current month.
    """

    hid: int
    municipality: str  # CBS code, e.g. GM0344
    age_years: float
    size: int
    adults: int
    income: float  # EUR/yr
    care: str
    groups: tuple[str, ...]
    place: str
    dwelling: int | None
    institution: str | None
    registered_month: int | None
    urgency: str
    seeking: bool
    arrears: bool
