"""Construction pipeline: projects start, take their lead time, and complete as vacant homes.

Permanent homes take years from start to keys (and more from plan to start, outside the
model's horizon); flex homes take months and stand on a site with a limited lifetime
(report, 'Flexwonen': 5-15 year sites). Completed homes are vacancies that start chains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..codes import DwellingType, Label, Tenure, VacancyCause
from ..households import NEVER
from ..synth_stock import draw_rooms, private_rent, social_rent
from ..world import World

NEW_MIX = {
    Tenure.SOCIAL: ([DwellingType.APARTMENT, DwellingType.ZERO_STEP, DwellingType.FAMILY], [0.5, 0.3, 0.2]),
    Tenure.PRIVATE: ([DwellingType.APARTMENT, DwellingType.FAMILY, DwellingType.ZERO_STEP], [0.6, 0.3, 0.1]),
    Tenure.OWNER: ([DwellingType.FAMILY, DwellingType.APARTMENT, DwellingType.ZERO_STEP], [0.55, 0.35, 0.1]),
}


@dataclass(frozen=True)
class Project:
    """A batch of identical homes under construction."""

    municipality: int
    tenure: Tenure
    count: int
    corporation: int = -1  # -1 for market projects
    flex: bool = False
    label: Label = Label.NONE


@dataclass
class Pipeline:
    """Projects under construction, by month of completion."""

    by_month: dict[int, list[Project]] = field(default_factory=dict)

    def start(self, complete_at: int, municipality: int, tenure: Tenure, count: int, corporation: int = -1,
              flex: bool = False, label: Label = Label.NONE) -> None:
        if count > 0:
            self.by_month.setdefault(int(complete_at), []).append(
                Project(int(municipality), Tenure(tenure), int(count), int(corporation), bool(flex), Label(label)))

    def take(self, month: int) -> list[Project]:
        """Remove and return the projects completing in ``month``."""
        return self.by_month.pop(month, [])

    @property
    def under_construction(self) -> int:
        return sum(pr.count for projects in self.by_month.values() for pr in projects)


def lead_time(mean: float, rng: np.random.Generator) -> int:
    """Start-to-keys time in months: gamma-distributed around ``mean`` (shape 6)."""
    return max(1, int(round(rng.gamma(6.0, mean / 6.0))))


def complete(w: World, pipe: Pipeline, rng: np.random.Generator) -> np.ndarray:
    """Projects due this month add their homes to the stock, vacant. Returns the new rows."""
    new_rows = []
    p = w.params
    for pr in pipe.take(w.month):
        m, tenure, n = pr.municipality, pr.tenure, pr.count
        nbh = np.flatnonzero(w.region.nbh_municipality == m)
        k = nbh[rng.integers(0, nbh.size, n)]
        live = w.region.nbh_liveability[k]
        if pr.flex:
            dtype = np.full(n, DwellingType.FLEX, dtype=np.int8)
            end = w.month + int(p.flex_site_lifetime)
        else:
            types, probs = NEW_MIX[tenure]
            dtype = rng.choice(np.array(types, dtype=np.int8), size=n, p=probs)
            end = NEVER
        rooms = draw_rooms(dtype, rng)
        rent = social_rent(rooms, live, rng) + (40 if tenure == Tenure.SOCIAL else 0)
        if tenure != Tenure.SOCIAL:
            rent = private_rent(rooms, live, rng)
        label = np.where(dtype == DwellingType.ZERO_STEP, Label.SENIOR, pr.label).astype(np.int8)
        rows = w.dw.add(n, municipality=m, neighbourhood=k, tenure=tenure, dtype=dtype, rooms=rooms,
                        rent=np.minimum(rent, 752.33) if tenure == Tenure.SOCIAL else rent, label=label,
                        corporation=pr.corporation, built=w.month, end_month=end)
        w.vacate(rows, VacancyCause.FLEX if pr.flex else VacancyCause.NEW_BUILD)
        w.counters.completions["flex" if pr.flex else tenure.name.lower()] += n
        w.totals["completions"] += n
        new_rows.append(rows)
    return np.concatenate(new_rows) if new_rows else np.empty(0, dtype=np.int64)


def close_sites(w: World) -> None:
    """Flex sites reach the end of their lifetime: vacant units go; occupied units go when
    their tenants have left (their contract ends with the site)."""
    dw = w.dw
    closing = np.flatnonzero(dw.exists & (dw.end_month <= w.month))
    if closing.size == 0:
        return
    occupants = dw.occupant[closing]
    occupied = occupants >= 0
    w.hh.contract_end[occupants[occupied]] = np.minimum(w.hh.contract_end[occupants[occupied]], w.month)
    gone = closing[~occupied]
    dw.exists[gone] = False
    w.counters.removed_dwellings += gone.size
    w.totals["removed"] += gone.size


def market_starts(w: World, pipe: Pipeline, rng: np.random.Generator) -> None:
    """Private and owner-occupied construction: a steady share of the market stock a year."""
    dw, p = w.dw, w.params
    market = dw.exists & (dw.tenure != Tenure.SOCIAL)
    stock = np.bincount(dw.municipality[market], minlength=w.region.size)
    n = rng.poisson(stock * p.market_build_rate / 12.0)
    for m in np.flatnonzero(n):
        owner = rng.binomial(n[m], 0.75)
        pipe.start(w.month + lead_time(p.permanent_lead_time, rng), m, Tenure.OWNER, owner)
        pipe.start(w.month + lead_time(p.permanent_lead_time, rng), m, Tenure.PRIVATE, n[m] - owner)
