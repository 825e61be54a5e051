"""The cost-sharing rule (*kostendelersnorm*, Participatiewet art. 22a): young adults pushed out of
benefit households.

Social assistance (*bijstand*) is lower for each adult who shares a home with other adults
counted as cost sharers (*kostendelers*): from ``cost_sharing_age`` (21 in 2021) a young adult
living with parents on a benefit cuts the parents' benefit. The report ('Dak- en thuisloze
mensen'): *sinds de invoering van de kostendelersnorm in 2015 [is] een grotere uitstroom zichtbaar
uit bijstandshuishoudens van jongeren in het jaar waarin ze 21 jaar worden* (Significant APE,
2020), and ('Aanpak 18- tot 23-jarigen') *de kostendelersnorm kan een belemmering vormen voor
woningdelen en kan bijdragen aan dakloosheid van jongeren*.

The rule in the model: on the birthday at which a young adult living in (not a student or labour
migrant) starts to count as a cost sharer, if the household hosting it lives at the level of social
assistance (``at_benefit_level``: its income at most the social minimum for its adults), the young
adult leaves home with ``cost_sharing_push_share`` without a home of its own: sofa-surfing or
roofless, which CBS counts as homeless. It seeks a home from there; the inflow is booked under the
cause ``left_home`` (``homeless_inflow_left_home``). The measure ``no_cost_sharing`` raises the age
(the report: *pas de kostendelersnorm in elk geval niet toe voor de groep tot 23 jaar*), so the push
comes later, when more of them have left home on their own or earn more.

Not modelled: the parents' benefit cut when the young adult stays (the push is the modelled
response), and the rule for other adults sharing a home (the pairing of young benefit recipients
under ``no_cost_sharing`` is its other side).
"""

from __future__ import annotations

import numpy as np

from ..codes import Flag, HomelessCause, Place
from ..world import World


def social_minimum(adults: np.ndarray, p) -> np.ndarray:
    """The social minimum (EUR/yr) of a household with ``adults`` adults: the social-assistance
    norm for a single person or a couple (``social_minimum_single``, ``social_minimum_couple``)."""
    return np.where(np.asarray(adults) >= 2, p.social_minimum_couple, p.social_minimum_single)


def at_benefit_level(w: World, rows: np.ndarray) -> np.ndarray:
    """Households ``rows`` whose income is at most the social minimum for their adults: they live
    on social assistance, or would be topped up to it (Participatiewet)."""
    hh = w.hh
    return hh.income[rows] <= social_minimum(hh.adults[rows], w.params)


def push(w: World, rng: np.random.Generator) -> np.ndarray:
    """Young adults reaching ``cost_sharing_age`` this month in a benefit-level host household
    leave home with ``cost_sharing_push_share``, homeless. Returns their rows."""
    hh, p = w.hh, w.params
    age = int(round(p.cost_sharing_age * 12))
    young = (
        (hh.place == Place.LIVING_IN)
        & (hh.host >= 0)
        & (hh.age == age)
        & ((hh.labels & (Flag.STUDENT | Flag.LABOUR_MIGRANT)) == 0)
        & (hh.adults <= 1)
        & (hh.size <= 1)
    )
    rows = np.flatnonzero(young)
    if rows.size == 0:
        return rows
    host = hh.host[rows]
    rows = rows[(hh.place[host] != Place.GONE) & at_benefit_level(w, host)]
    rows = rows[rng.random(rows.size, dtype=np.float32) < p.cost_sharing_push_share]
    if rows.size:
        w.count_homeless_inflow(rows, HomelessCause.LEFT_HOME)
        w.to_place(rows, Place.HOMELESS)
        w.start_seeking(rows, p.regional_search_share, rng)
    return rows
