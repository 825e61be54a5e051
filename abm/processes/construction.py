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
from ..synth_stock import LIBERALISATION_LIMIT, draw_rooms, placement_weights, private_rent, social_rent
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
    small: bool = False  # small units (1-2 rooms): split homes, transformed offices, rooms
    max_rent: float = float("inf")  # EUR/month: highest rent of these homes (young people's homes)


@dataclass
class Pipeline:
    """Projects under construction, by month of completion."""

    by_month: dict[int, list[Project]] = field(default_factory=dict)

    def start(
        self,
        complete_at: int,
        municipality: int,
        tenure: Tenure,
        count: int,
        corporation: int = -1,
        flex: bool = False,
        label: Label = Label.NONE,
        small: bool = False,
        max_rent: float = float("inf"),
    ) -> None:
        if count > 0:
            project = Project(
                int(municipality), Tenure(tenure), int(count), int(corporation), bool(flex), Label(label), bool(small), float(max_rent)
            )
            self.by_month.setdefault(int(complete_at), []).append(project)

    def take(self, month: int) -> list[Project]:
        """Remove and return the projects completing in ``month``."""
        return self.by_month.pop(month, [])

    def social_by_municipality(self, n_mun: int) -> np.ndarray:
        """Permanent social homes under construction per municipality."""
        out = np.zeros(n_mun)
        for projects in self.by_month.values():
            for pr in projects:
                if pr.tenure == Tenure.SOCIAL and not pr.flex:
                    out[pr.municipality] += pr.count
        return out

    def permanent_by_municipality(self, n_mun: int) -> np.ndarray:
        """Permanent homes (any tenure, not flex) under construction per municipality."""
        out = np.zeros(n_mun)
        for projects in self.by_month.values():
            for pr in projects:
                if not pr.flex:
                    out[pr.municipality] += pr.count
        return out

    @property
    def under_construction(self) -> int:
        return sum(pr.count for projects in self.by_month.values() for pr in projects)


def lead_time(mean: float, rng: np.random.Generator) -> int:
    """Start-to-keys time in months: gamma-distributed around ``mean`` (shape 6)."""
    return max(1, int(round(rng.gamma(6.0, mean / 6.0))))


def neighbourhood_weights(liveability: np.ndarray, social: bool, mixing: float) -> np.ndarray:
    """Relative chance of each of a municipality's neighbourhoods (their ``liveability``) to get
    a new home, under the municipality's placement policy ``mixing`` (0..1).

    The report asks for *slim toewijzen dat twee kanten op werkt: meer sociale huur in
    veerkrachtige wijken en minder in sociaal zwakke wijken* ('Financiën en regelgeving') and for
    room for higher incomes in weak neighbourhoods and for lower incomes in strong ones
    ('Ruimtelijk: locaties en spreiding'). ``mixing`` 0 builds each tenure where its stock
    already stands (``synth_stock.placement_weights``: social homes in weak neighbourhoods,
    market homes in strong ones), 1 the reverse, 0.5 evenly over the neighbourhoods; in between
    the weights are a linear blend.
    """
    own = placement_weights(social, liveability)
    other = placement_weights(not social, liveability)
    return (1.0 - mixing) * own + mixing * other


def _place(w: World, mun: np.ndarray, social: np.ndarray, mixing: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
    """A neighbourhood for each new home (its municipality ``mun``, ``social`` or not) drawn by
    its municipality's placement policy (``neighbourhood_weights``); one uniform draw per home."""
    reg = w.region
    # Neighbourhoods are stored grouped by municipality.
    first = np.searchsorted(reg.nbh_municipality, np.arange(reg.size))
    n_nbh = np.bincount(reg.nbh_municipality, minlength=reg.size)
    u = rng.random(mun.size)
    nbh = np.empty(mun.size, dtype=np.int64)
    live = reg.nbh_liveability.astype(np.float64)
    for m in np.unique(mun):
        lo, k = int(first[m]), int(n_nbh[m])
        mix = w.params.new_build_mixing if mixing is None else float(mixing[m])
        for flag in (True, False):
            sel = np.flatnonzero((mun == m) & (social == flag))
            if sel.size == 0:
                continue
            cum = np.cumsum(neighbourhood_weights(live[lo : lo + k], flag, mix))
            nbh[sel] = lo + np.minimum(np.searchsorted(cum / cum[-1], u[sel], side="right"), k - 1)
    return nbh


def complete(w: World, pipe: Pipeline, rng: np.random.Generator, mixing: np.ndarray | None = None) -> np.ndarray:
    """Projects due this month add their homes to the stock, vacant. Returns the new rows.

    All due projects are built in one batch: each home gets a neighbourhood of its municipality
    by the municipality's placement policy (``mixing`` per municipality, default the region's
    ``new_build_mixing``; ``neighbourhood_weights``), a type from the new-build mix of its tenure (flex homes are flex), rooms
    and a rent as in the existing stock. Social new builds are ``new_social_rent_premium``
    dearer, capped at the liberalisation limit (``synth_stock.LIBERALISATION_LIMIT``, FACTS B).
    A project may set a highest rent (``Project.max_rent``): homes for young people
    (*jongerenwoningen*, measure ``more_rooms``) are let at most at the quality-discount limit,
    €442.46 in 2021, below which under-23s get housing allowance (report, 'Overzicht
    instrumenten': kwaliteitskortingsgrens).
    """
    projects = pipe.take(w.month)
    if not projects:
        return np.empty(0, dtype=np.int64)
    p, reg = w.params, w.region
    count = np.array([pr.count for pr in projects])
    mun = np.repeat([pr.municipality for pr in projects], count)
    tenure = np.repeat([int(pr.tenure) for pr in projects], count).astype(np.int8)
    flex = np.repeat([pr.flex for pr in projects], count)
    small = np.repeat([pr.small for pr in projects], count)
    label = np.repeat([int(pr.label) for pr in projects], count).astype(np.int8)
    corp = np.repeat([pr.corporation for pr in projects], count)
    n = mun.size
    nbh = _place(w, mun, tenure == Tenure.SOCIAL, mixing, rng)
    live = reg.nbh_liveability[nbh]
    dtype = np.full(n, DwellingType.FLEX, dtype=np.int8)
    for t, (types, probs) in NEW_MIX.items():
        sel = np.flatnonzero((tenure == t) & ~flex)
        dtype[sel] = rng.choice(np.array(types, dtype=np.int8), size=sel.size, p=probs)
    dtype[small & ~flex] = DwellingType.APARTMENT
    dtype[(label == Label.CARAVAN) & ~flex] = DwellingType.CARAVAN_PITCH  # new pitches (abm/processes/pitches.py)
    rooms = draw_rooms(dtype, rng)
    rooms[small] = rng.integers(1, 3, int(small.sum()))  # small units: 1-2 rooms
    social = tenure == Tenure.SOCIAL
    new_social = np.minimum(social_rent(rooms, live, rng) + p.new_social_rent_premium, LIBERALISATION_LIMIT)
    rent = np.where(social, new_social, private_rent(rooms, live, rng))
    max_rent = np.repeat([pr.max_rent for pr in projects], count)
    rent = np.minimum(rent, max_rent).astype(np.float32)
    label = np.where(dtype == DwellingType.ZERO_STEP, Label.SENIOR, label).astype(np.int8)
    end = np.where(flex, w.month + int(p.flex_site_lifetime), NEVER)
    rows = w.dw.add(
        n,
        municipality=mun,
        neighbourhood=nbh,
        tenure=tenure,
        dtype=dtype,
        rooms=rooms,
        rent=rent,
        label=label,
        corporation=corp,
        built=w.month,
        end_month=end,
    )
    w.vacate(rows[~flex], VacancyCause.NEW_BUILD)
    w.vacate(rows[flex], VacancyCause.FLEX)
    for t in Tenure:
        w.counters.completions[t.name.lower()] += int(((tenure == t) & ~flex).sum())
    w.counters.completions["flex"] += int(flex.sum())
    w.counters.built.append(rows)
    w.totals["completions"] += n
    return rows


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
    w.demolish(closing[~occupied])  # their open vacancy chains end (abm/chains.py)


def market_starts(w: World, pipe: Pipeline, rng: np.random.Generator) -> None:
    """Private and owner-occupied construction: a steady share of the market stock a year."""
    dw, p = w.dw, w.params
    market = dw.exists & (dw.tenure != Tenure.SOCIAL)
    stock = np.bincount(dw.municipality[market], minlength=w.region.size)
    n = rng.poisson(stock * p.market_build_rate / 12.0)
    for m in np.flatnonzero(n):
        owner = rng.binomial(n[m], p.market_owner_share)
        pipe.start(w.month + lead_time(p.permanent_lead_time, rng), m, Tenure.OWNER, owner)
        pipe.start(w.month + lead_time(p.permanent_lead_time, rng), m, Tenure.PRIVATE, n[m] - owner)
