"""Housing corporations (*woningcorporaties*): own and let the social stock, build, evict.

A corporation is a ``mesa.Agent`` because it decides: how many homes to start each month
within its investment capacity (cut by the landlord levy, *verhuurderheffing*, in the report's
'Financiën en regelgeving'), and how strictly it evicts tenants in arrears.
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
        self.build_rate = model.params.social_build_rate  # share of own stock started per year
        self.investment_capacity = 1.0  # factor on build_rate; measures change it
        self.eviction_share = model.params.eviction_share_of_rulings  # of court rulings
        self.started = 0  # homes started since the start of the run

    @property
    def stock(self) -> int:
        """Social homes this corporation owns now."""
        return int(self.model.stock_by_corporation[self.index])

    @property
    def code(self) -> str:
        return f"{self.model.region.codes[self.municipality]}-C{self.index}"

    def step(self) -> None:
        """Start new social homes: a Poisson number around the yearly build rate of the stock."""
        m = self.model
        n = int(m.phase_rng.poisson(self.stock * self.build_rate * self.investment_capacity / 12.0))
        if n > 0:
            m.pipeline.start(
                m.month + lead_time(m.params.permanent_lead_time, m.phase_rng), self.municipality, Tenure.SOCIAL, n, corporation=self.index
            )
            self.started += n


def eviction_shares(corporations: list[Corporation], default: float) -> np.ndarray:
    """Eviction share of court rulings per corporation index, plus ``default`` as the last
    element, which index -1 (social homes without a corporation) picks up."""
    out = np.full(max((c.index for c in corporations), default=-1) + 2, default)
    for c in corporations:
        out[c.index] = c.eviction_share
    return out
