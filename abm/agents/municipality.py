"""Municipalities (*gemeenten*): urgency criteria, the refugee quota, shelters, care costs.

A municipality is a ``mesa.Agent``: it sets who qualifies for urgency and for how long
(art. 12-13 Huisvestingswet; the region's rule unless its own ``[municipalities.GMxxxx]``
settings say otherwise), may set its own direct-placement shares and share of the flex
programme, once a year decides on its effort, urgency duration and homeless ground, flex
sites, building permits and support places (``abm.decisions``; fixed where its settings say), receives its half-yearly share of the national permit-holder
quota (*taakstelling*, by population as today), runs shelters if it is a centre municipality
(*centrumgemeente*), and bears the care costs of the groups it houses or shelters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ..scenarios import MunicipalitySettings

if TYPE_CHECKING:
    from ..model import HousingModel


class Municipality(mesa.Agent):
    """One municipality of the region; ``index`` is its position in the region's table."""

    def __init__(self, model: HousingModel, index: int) -> None:
        super().__init__(model)
        row = model.region.table.iloc[index]
        self.index = index
        self.code: str = row["gm_code"]
        self.name: str = row["gm_name"]
        self.inhabitants = int(row["inhabitants"])
        self.centre = bool(model.region.centre[index])
        # Its own settings from the scenario's [municipalities.<code>] table (unset: the region's).
        self.settings: MunicipalitySettings = model.municipality_settings.get(self.code, MunicipalitySettings())
        # Urgency criteria: grounds that qualify and how long the status lasts (months).
        self.urgency_separation_with_children = True
        self.urgency_medical = True
        self.urgency_homeless = False
        self.urgency_months = 12
        # Refugee quota (taakstelling), persons per half year (this half year's share plus the
        # backlog), and what was realised; the share is released month by month (quota_available).
        self.quota = 0.0
        self.quota_housed = 0
        self.quota_backlog = 0.0
        self.care_costs = 0.0  # EUR since the start of the run
        self.flex_started = 0  # flex homes started since the start of the run
        # Its yearly decisions (abm/decisions.py; 1 and True: the scenario's policy).
        self.urgency_months_share = 1.0  # urgency duration as a share of the region's rule
        self.homeless_ground_kept = True  # False: it dropped homelessness as an urgency ground
        self.flex_factor = 1.0  # factor on its share of the flex programme
        own_permits = self.settings.permit_factor
        self.permit_factor = 1.0 if own_permits is None else own_permits  # factor on its corporations' build plans

    def set_urgency_criteria(self, rule) -> None:
        """Take the urgency criteria of the region's ``Urgency`` rule, with this municipality's
        own grounds and duration where its settings give them (no urgency at all when the
        region's rule is off: the allocation then gives urgency no priority)."""
        own = self.settings.urgency
        on = rule.enabled

        def ground(name: str) -> bool:
            mine = getattr(own, name)
            return on and (getattr(rule, name) if mine is None else mine)

        self.urgency_separation_with_children = ground("separation_with_children")
        self.urgency_medical = ground("medical")
        # Its own yearly decisions (abm/decisions.py) where its settings leave them open.
        self.urgency_homeless = ground("homeless") and (own.homeless is not None or self.homeless_ground_kept)
        self.urgency_months = max(1, round(rule.months * self.urgency_months_share)) if own.months is None else own.months

    @property
    def flex_share(self) -> float:
        """Its share of the national flex-home programme: its own setting, else its population
        share times the flex factor it decided (abm/decisions.py)."""
        own = self.settings.flex_share
        return float(self.model.region.population_share[self.index]) * self.flex_factor if own is None else own

    @property
    def build_mixing(self) -> float:
        """Where it puts new homes among its neighbourhoods (0..1, abm/processes/construction.py):
        its own setting, else the region's ``new_build_mixing`` (which a measure may change)."""
        own = self.settings.build_mixing
        return float(self.model.params.new_build_mixing) if own is None else own

    def direct_share(self, group: str) -> float:
        """Its own share of vacancies for direct placement of ``group`` (``homeless`` or
        ``institution_leavers``); NaN where it follows the region's policy."""
        own = getattr(self.settings.direct_placement, group)
        return np.nan if own is None else float(own)

    def step(self) -> None:
        """Start flex homes (*flexwoningen*) on temporary sites: the national programme shared
        by population (``flex_build_rate``, what municipalities build without the agreement),
        delivered within months, let as social homes by the local corporation. Like every flex
        home they are costed once, per completion, in the cost table (``flex_home_build``)."""
        m = self.model
        p = m.params
        n = int(m.phase_rng.poisson(self.planned_flex()))
        if n > 0:
            from ..codes import Tenure

            m.pipeline.start(
                m.month + max(1, round(p.flex_lead_time)),
                self.index,
                Tenure.SOCIAL,
                n,
                corporation=int(m.corporation_of_municipality[self.index]),
                flex=True,
            )
            self.flex_started += n

    def planned_flex(self) -> float:
        """Flex homes it plans to start this month (the mean of the Poisson draw)."""
        return self.model.params.flex_build_rate * self.flex_share / 12.0

    def receive_quota(self, national_persons: float) -> None:
        """At the start of each half year: the national quota shared out by population, plus
        what was not met in the previous half year (shortfalls carry over, FACTS B)."""
        share = self.model.region.population_share[self.index]
        self.quota_backlog = max(self.quota - self.quota_housed, 0.0)
        self.quota = national_persons * share + self.quota_backlog
        self.quota_housed = 0

    def quota_available(self, month: int) -> float:
        """Persons this municipality may still house against the quota in ``month``.

        Corporations let to permit holders through the half year rather than all in its first
        weeks (they are 'coupled' by the COA over the period and homes come free over time;
        report, 'Statushouders'; FACTS B): the half year's own share is released evenly over
        ``quota_pacing_months`` months, while the backlog carried over from earlier half years
        is due at once. The half year starts in January and July (months 1 and 7)."""
        # Under the province's aanschrijving (escalation 2+, abm/decisions.py) the whole quota is due at once.
        decisions = getattr(self.model, "decisions", None)
        pacing = 1.0 if decisions is not None and decisions.escalation[self.index] >= 2 else self.model.params.quota_pacing_months
        return paced_quota(self.quota, self.quota_backlog, self.quota_housed, month, pacing)


def paced_quota(quota: float, backlog: float, housed: float, month: int, pacing_months: float) -> float:
    """Persons still to be housed now: the backlog plus ``k / pacing_months`` (at most all) of
    the half year's own share ``quota - backlog`` in month ``k`` (1-6) of the half year, less
    what was housed since it began; never negative."""
    k = (month - 1) % 6 + 1
    released = backlog + (quota - backlog) * min(1.0, k / max(pacing_months, 1.0))
    return max(released - housed, 0.0)
