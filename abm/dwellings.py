"""Dwellings as columns: where each home is, who owns it, what it costs and who lives in it.

Units: rent in euros per month (social and private rent; for owner-occupied homes the value
is a monthly housing cost used only for comparisons), dates as model months.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .codes import DwellingType, Label, Tenure, VacancyCause
from .columns import ColumnStore
from .households import NEVER, NONE


class Dwellings(ColumnStore):
    """Column store of dwellings. ``occupant`` is a household row or -1 (vacant)."""

    SCHEMA = {
        "municipality": (np.int16, -1),
        "neighbourhood": (np.int32, -1),  # index into the region's neighbourhoods
        "tenure": (np.int8, Tenure.SOCIAL),
        "dtype": (np.int8, DwellingType.APARTMENT),
        "rooms": (np.int8, 3),
        "rent": (np.float32, 0.0),  # EUR/month
        "label": (np.int8, Label.NONE),
        "corporation": (np.int16, -1),  # owning corporation (social stock), else -1
        "occupant": (np.int32, NONE),
        "exists": (np.bool_, True),  # False once demolished or a flex site has closed
        "built": (np.int32, -1200),  # completion month
        "end_month": (np.int32, NEVER),  # flex/temporary: month the site closes
        "demolish_at": (np.int32, NEVER),  # under notice of demolition (urban renewal): its date; never let again
        "vacant_since": (np.int32, NEVER),
        "vacancy_cause": (np.int8, VacancyCause.INITIAL),
        # Vacancy chain (verhuisketen) the vacancy belongs to: its start and moves so far.
        "chain_cause": (np.int8, VacancyCause.INITIAL),  # what started the chain
        "chain_moves": (np.int16, 0),  # moves made in the chain before this vacancy (its link number)
        "chain_id": (np.int32, -1),  # the chain (row of World.chains.table); -1: initial vacancy not yet let
    }

    @property
    def vacant(self) -> np.ndarray:
        return self.exists & (self.occupant == NONE)

    @property
    def under_renewal(self) -> np.ndarray:
        """Homes under notice of demolition (urban renewal, abm/processes/stock_changes.py):
        never let again."""
        return self.exists & (self.demolish_at < NEVER)

    def lettable_until(self, month: int, min_months: float, rows: np.ndarray | None = None) -> np.ndarray:
        """Homes (all, or ``rows``) that may be let now: not under notice of demolition, and
        (flex homes) with at least ``min_months`` of their site's life left."""
        end = self.end_month if rows is None else self.end_month[rows]
        demolish = self.demolish_at if rows is None else self.demolish_at[rows]
        return (end > month + min_months) & (demolish == NEVER)


@dataclass(frozen=True)
class DwellingView:
    """A read-only snapshot of one dwelling, for inspection and tests."""

    row: int
    municipality: str
    neighbourhood: int
    tenure: str
    dtype: str
    rooms: int
    rent: float  # EUR/month
    label: str
    corporation: int | None
    occupant: int | None
