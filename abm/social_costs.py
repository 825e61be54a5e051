"""Social-domain costs (*sociaal domein*) of the priority households a municipality houses: the
cost side of the devil's dilemma.

The report ('Beleid en samenwerking voor huisvesting aandachtsgroepen: Duivels lokaal dilemma')
says that the more a municipality does for priority groups, the more it attracts them from other
municipalities (*aanzuigende werking*) and the higher its social, work and income costs, "door
onder meer de lasten in de Jeugdwet, Wmo en Participatiewet"; and ('Financiën en regelgeving')
that municipalities should get means "voor zorg, ondersteuning, inkomensvoorziening,
begeleiding, enzovoorts van aandachtsgroepen die zij bereid zijn te huisvesten".

Two parts, both per municipality and month (EUR):

- **Support actually given** (*Wmo-begeleiding*, abm/support.py): every household with a Wmo
  support place costs the municipality where it lives the yearly unit cost of its level
  (``support_light_year``, ``support_intensive_year`` in ``abm/data/costs.csv``), for as long as
  it is supported. Housing First teams are paid by the measure; shelter and protected housing
  from the state's grants to the centre municipalities (neither is part of this cost).
- **Participation and income support of permit holders** (*Participatiewet* beyond the state's
  grant): every permit-holder household housed costs ``social_domain_refugee_year`` for
  ``social_support_months`` after the letting. The ledger keeps one row of counts per month, so
  it needs no household column and stays valid when household rows are compacted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .allocation import ROUTES
from .codes import Flag, Place, SupportBy, SupportLevel

if TYPE_CHECKING:
    from .model import HousingModel

#: support levels with a Wmo cost, and their unit-cost keys
SUPPORT_COST_KEYS = {SupportLevel.LIGHT: "support_light_year", SupportLevel.INTENSIVE: "support_intensive_year"}
REFUGEE_COST_KEY = "social_domain_refugee_year"


def refugee_lettings(labels: np.ndarray, route: np.ndarray) -> np.ndarray:
    """Mask of lettings to permit holders: the label, or the direct route for permit holders."""
    return ((np.asarray(labels) & Flag.REFUGEE) != 0) | (np.asarray(route) == ROUTES.index("direct_refugee"))


def supported(model: HousingModel) -> np.ndarray:
    """Households with a Wmo support place, per municipality where they live and level:
    array [municipality, level] over ``SUPPORT_COST_KEYS``."""
    hh, n = model.world.hh, model.region.size
    out = np.zeros((n, len(SUPPORT_COST_KEYS)))
    wmo = (hh.support_by == SupportBy.MUNICIPALITY) & (hh.place != Place.GONE)
    for j, level in enumerate(SUPPORT_COST_KEYS):
        out[:, j] = np.bincount(hh.municipality[wmo & (hh.support_need == level)], minlength=n)
    return out


class SocialCostLedger:
    """Social-domain costs per municipality (EUR a month): Wmo support given and permit holders'
    participation support (``latest`` = ``support`` + ``participation``)."""

    def __init__(self, n_municipalities: int, unit_costs: dict[str, float]) -> None:
        self.n = n_municipalities
        self.unit_support = np.array([float(unit_costs.get(k, 0.0)) for k in SUPPORT_COST_KEYS.values()])
        self.unit_refugee = float(unit_costs.get(REFUGEE_COST_KEY, 0.0))
        self.history: list[np.ndarray] = []  # newest last: permit-holder lettings per municipality
        self.support = np.zeros(n_municipalities)  # EUR this month: Wmo support given
        self.participation = np.zeros(n_municipalities)  # EUR this month: permit holders' participation support
        self.latest = np.zeros(n_municipalities)  # EUR this month, both

    def add_month(self, refugee_municipality: np.ndarray, supported: np.ndarray, support_months: float) -> np.ndarray:
        """Book this month's permit-holder lettings (municipality of the home) and the households
        supported now (array [municipality, level]); return the month's costs per municipality."""
        counts = np.bincount(np.asarray(refugee_municipality, dtype=np.int64), minlength=self.n).astype(np.float64)
        self.history.append(counts)
        keep = max(int(round(support_months)), 1)
        del self.history[:-keep]
        self.participation = np.sum(self.history, axis=0) * self.unit_refugee / 12.0
        self.support = np.asarray(supported, dtype=np.float64) @ self.unit_support / 12.0
        self.latest = self.support + self.participation
        return self.latest

    def update(self, model: HousingModel) -> np.ndarray:
        """Book the model's latest allocation and support state; return this month's
        social-domain costs per municipality (EUR)."""
        rows, _, route, dwellings = model.last_allocations
        refugees = refugee_lettings(model.world.hh.labels[rows], route)
        mun = model.world.dw.municipality[dwellings[refugees]]
        return self.add_month(mun, supported(model), model.params.social_support_months)
