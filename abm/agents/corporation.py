"""Housing corporations (*woningcorporaties*): own and let the social stock, build, evict.

A corporation is a ``mesa.Agent`` because it decides: how many homes to start each month
within its investment capacity (cut by the landlord levy, *verhuurderheffing*, in the report's
'Financiën en regelgeving'), how many vacated homes it sells, liberalises and demolishes (sales and
liberalisation pay for what its financial room does not cover; abm/processes/stock_changes.py),
and how strictly it evicts tenants in arrears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ..codes import Tenure
from ..processes.construction import lead_time

if TYPE_CHECKING:
    from ..model import HousingModel


class Corporation(mesa.Agent):
    """One corporation working in one municipality; ``index`` is its id in the dwelling columns."""

    def __init__(self, model: HousingModel, index: int, municipality: int) -> None:
        super().__init__(model)
        self.index = index
        self.municipality = municipality
        # Its own settings: [municipalities.<code>.corporation] of the scenario (default 1).
        own = model.municipality_settings.get(model.region.codes[municipality])
        own = own.corporation if own is not None else None
        capacity = own.investment_capacity if own is not None else None
        eviction = own.eviction_factor if own is not None else None
        self.investment_capacity = 1.0 if capacity is None else capacity  # own factor on the model's build rate and capacity
        self.eviction_factor = 1.0 if eviction is None else eviction  # own strictness: factor on the eviction share of court rulings
        self.started = 0  # homes started since the start of the run
        self.stock_change_backlog = np.zeros(3)  # homes still to demolish, sell, liberalise (StockChange order)

    @property
    def stock(self) -> int:
        """Social homes this corporation owns now."""
        return int(self.model.stock_by_corporation[self.index])

    @property
    def code(self) -> str:
        return f"{self.model.region.codes[self.municipality]}-C{self.index}"

    def planned_starts(self) -> float:
        """Social homes it plans to start this month (the mean of the Poisson draw): its stock times
        the build rate, the sector's and its own investment capacity, and the permit factor of its
        municipality (abm/decisions.py)."""
        m = self.model
        permits = m.municipality_agents[self.municipality].permit_factor
        rate = m.params.social_build_rate * m.params.corporation_capacity * self.investment_capacity * permits
        return self.stock * rate / 12.0

    @property
    def financial_room(self) -> float:
        """Its investment room as a factor (1 = the sector's room in 2021): the sector's capacity
        (``corporation_capacity``, raised by abolishing the landlord levy) times its own."""
        return self.model.params.corporation_capacity * self.investment_capacity

    def stock_change_rates(self) -> tuple[float, float, float]:
        """Homes a year per home of its stock it demolishes, sells and liberalises (StockChange
        order). Sales and liberalisation fill the gap its financial room leaves: the base rates
        times (1 + e) / (1 + e × room), e = ``sale_room_response`` (1 at the sector's room of 2021)."""
        p = self.model.params
        e = p.sale_room_response
        gap = (1.0 + e) / (1.0 + e * self.financial_room)
        return p.social_demolition_rate, p.social_sale_rate * gap, p.social_liberalisation_rate * gap

    def step(self) -> None:
        """Start new social homes: a Poisson number around the yearly build rate of the stock,
        times the building permits its municipality grants (its ``permit_factor``, abm/decisions.py)."""
        m = self.model
        n = int(m.phase_rng.poisson(self.planned_starts()))
        if n > 0:
            m.pipeline.start(
                m.month + lead_time(m.params.permanent_lead_time, m.phase_rng), self.municipality, Tenure.SOCIAL, n, corporation=self.index
            )
            self.started += n


def eviction_shares(corporations: list[Corporation], default: float) -> np.ndarray:
    """Eviction share of court rulings per corporation index (``default`` × the corporation's own
    factor), plus ``default`` as the last element, which index -1 (homes without a corporation)
    picks up."""
    out = np.full(max((c.index for c in corporations), default=-1) + 2, default)
    for c in corporations:
        out[c.index] = min(1.0, default * c.eviction_factor)
    return out
