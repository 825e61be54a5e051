"""Social-domain costs (*sociaal domein*) of the priority households a municipality houses: the
cost side of the devil's dilemma.

The report ('Beleid en samenwerking voor huisvesting aandachtsgroepen: Duivels lokaal dilemma')
says that the more a municipality does for priority groups, the more it attracts them from other
municipalities (*aanzuigende werking*) and the higher its social, work and income costs, "door
onder meer de lasten in de Jeugdwet, Wmo en Participatiewet"; and ('Financiën en regelgeving')
that municipalities should get means "voor zorg, ondersteuning, inkomensvoorziening,
begeleiding, enzovoorts van aandachtsgroepen die zij bereid zijn te huisvesten".

So a municipality carries, for every priority household housed in it (by urgency or a direct
placement), a yearly social-domain cost by group (unit costs ``social_domain_<group>_year`` in
``abm/data/costs.csv``) for ``social_support_months`` after the letting. Shelter and protected
housing are paid from the state's grants to the centre municipalities and are not part of this
cost. The ledger keeps one row of counts per month, so it needs no household column and stays
valid when household rows are compacted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .allocation import ROUTES
from .codes import Flag

if TYPE_CHECKING:
    from .model import HousingModel

#: priority groups with a social-domain cost, in the ledger's column order
GROUPS = ("homeless", "institution_leaver", "refugee", "urgent")
COST_KEYS = {g: f"social_domain_{g}_year" for g in GROUPS}
PRIORITY_ROUTES = tuple(ROUTES.index(r) for r in ROUTES if r.startswith("direct") or r == "urgency")


def priority_group(labels: np.ndarray, route: np.ndarray) -> np.ndarray:
    """Group index (into ``GROUPS``) of priority lettings, from the route and the household's
    labels: formerly homeless first, then institution leavers, permit holders, and other
    urgent households (social and medical urgency)."""
    labels, route = np.asarray(labels), np.asarray(route)
    homeless = ((labels & Flag.HOMELESS_HISTORY) != 0) | (route == ROUTES.index("direct_homeless"))
    leaver = ((labels & Flag.INSTITUTION_LEAVER) != 0) | (route == ROUTES.index("direct_institution"))
    refugee = ((labels & Flag.REFUGEE) != 0) | (route == ROUTES.index("direct_refugee"))
    return np.select([homeless, leaver, refugee], [0, 1, 2], 3).astype(np.int64)


class SocialCostLedger:
    """Priority households housed per month, municipality and group, kept for the support
    period; the social-domain costs they bring (EUR a month per municipality)."""

    def __init__(self, n_municipalities: int, unit_costs: dict[str, float]) -> None:
        self.n = n_municipalities
        self.unit_year = np.array([float(unit_costs.get(COST_KEYS[g], 0.0)) for g in GROUPS])
        self.history: list[np.ndarray] = []  # newest last: counts [municipality, group]
        self.latest = np.zeros(n_municipalities)  # EUR this month

    def add_month(self, municipality: np.ndarray, group: np.ndarray, support_months: float) -> np.ndarray:
        """Book this month's priority lettings (municipality of the home, group) and return the
        month's social-domain costs per municipality (EUR)."""
        counts = np.zeros((self.n, len(GROUPS)))
        np.add.at(counts, (np.asarray(municipality, dtype=np.int64), np.asarray(group, dtype=np.int64)), 1.0)
        self.history.append(counts)
        keep = max(int(round(support_months)), 1)
        del self.history[:-keep]
        self.latest = self.supported() @ self.unit_year / 12.0
        return self.latest

    def supported(self) -> np.ndarray:
        """Households in their support period, per municipality and group."""
        return np.sum(self.history, axis=0) if self.history else np.zeros((self.n, len(GROUPS)))

    def update(self, model: HousingModel) -> np.ndarray:
        """Book the model's latest allocation (the month's lettings) and return this month's
        social-domain costs per municipality (EUR)."""
        rows, _, route, dwellings = model.last_allocations
        prio = np.isin(route, PRIORITY_ROUTES)
        mun = model.world.dw.municipality[dwellings[prio]]
        group = priority_group(model.world.hh.labels[rows[prio]], route[prio])
        return self.add_month(mun, group, model.params.social_support_months)
