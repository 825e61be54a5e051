"""The social stock shrinks as well as grows: corporations sell, liberalise and demolish homes.

Besides building, corporations take homes out of social letting (issue 16 §2 and §4; report,
'Financiën en regelgeving': the landlord levy, *verhuurderheffing*, "vermindert de
investeringskracht van corporaties voor het bouwen en exploiteren van sociale huurwoningen";
the corporation stock grew only 1 % in 2015-2020, FACTS A). Each month each corporation takes
vacated homes of its own stock out at its yearly rates (``Corporation.stock_change_rates``):

- **demolition** (*sloop*, *herstructurering*): the vacant home in its weakest neighbourhood
  (lowest liveability) leaves the stock; its open vacancy chain ends (CBS: the vacancy left the
  stock, abm/chains.py);
- **sale** (*verkoop bij mutatie*): a vacant single-family home (else an apartment) becomes
  owner-occupied and is sold on the market in the same month (abm/processes/market.py); its
  vacancy chain goes on there;
- **liberalisation** (*liberalisatie bij mutatie*): the vacant home with its highest rent becomes
  a private rental at a market rent, at least the liberalisation limit (€752.33 in 2021, FACTS B).

With ``stock_sales_weak_first`` (the measure ``smart_allocation``: *minder sociale huur in
sociaal zwakke wijken*, report 'Financiën en regelgeving') homes in the weakest third of
neighbourhoods are sold and liberalised first: at 1 all of them before any other, in between the
two orders blend.

Sales and liberalisation pay for the investment the corporation's own financial room does not
cover: their rates are the base rates times ``(1 + e) / (1 + e × room)`` with ``room`` =
``corporation_capacity`` × its own ``investment_capacity`` and ``e`` = ``sale_room_response``.
Abolishing the levy (more room) therefore cuts sales and liberalisation as well as raising the
build rate; a corporation with less room sells more. Demolition (renewal) follows its own rate.

Only homes of the regular stock are taken: apartments and family homes without a label (never
rooms, flex units, senior, wheelchair, caravan or special homes) and not before their first
letting. Corporations sell and liberalise vacant homes at turnover. A share
``demolition_renewal_share`` of the demolition plan is urban renewal with sitting tenants
(*herstructurering*): the corporation gives notice on occupied homes in its weakest
neighbourhood; their tenants get urgency to be rehoused (*herhuisvestingsurgentie*, valid until
``renewal_notice_months`` after the demolition date) and seek; a home whose tenant has left is
never let again and is demolished in the next construction phase (``close_renewed``), its chain
ending there; one still occupied at its demolition date waits until its tenant has moved
(``social_renewal_notices`` counts the notices). The rest of the plan takes vacant homes of the
weakest neighbourhood, as if the corporation waited for the tenant to leave. A month's plan that
its vacancies cannot cover is carried to the next months, at most one year's plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..codes import DwellingType, Label, StockChange, Tenure, Urgency, VacancyCause
from ..households import NEVER
from ..synth_stock import LIBERALISATION_LIMIT, private_rent

if TYPE_CHECKING:
    from ..model import HousingModel


def regular_stock(dw) -> np.ndarray:
    """Corporation homes of the regular stock: permanent apartments and family homes without a
    label, not under notice of demolition (what sales, liberalisation and demolition may take)."""
    return (
        dw.exists
        & (dw.tenure == Tenure.SOCIAL)
        & (dw.corporation >= 0)
        & (dw.end_month == NEVER)
        & (dw.demolish_at == NEVER)
        & (dw.label == Label.NONE)
        & np.isin(dw.dtype, (DwellingType.APARTMENT, DwellingType.FAMILY))
    )


def candidates(model: HousingModel) -> np.ndarray:
    """Vacant homes of the regular social stock a corporation may take out (rows, ascending)."""
    dw = model.world.dw
    awaiting = (dw.vacancy_cause == VacancyCause.NEW_BUILD) & (dw.chain_moves == 0)  # a new build awaits its first letting
    return np.flatnonzero(regular_stock(dw) & (dw.occupant < 0) & ~awaiting)


def _first_per_corporation(rows: np.ndarray, corp: np.ndarray, key: np.ndarray, due: np.ndarray) -> np.ndarray:
    """Of ``rows`` (owned by ``corp``), each corporation's first ``due[c]`` by ascending ``key``."""
    if rows.size == 0:
        return rows
    order = np.lexsort((key, corp))
    rows, corp = rows[order], corp[order]
    start = np.searchsorted(corp, corp, side="left")  # first position of each row's corporation
    rank = np.arange(rows.size) - start
    return rows[rank < due[corp]]


def step(model: HousingModel, rng: np.random.Generator) -> None:
    """Corporations demolish, sell and liberalise vacant homes of their stock at their yearly
    rates: a Poisson number a month plus what earlier months could not take (carried at most a
    year's plan)."""
    corps = model.corporations
    if not corps:
        return
    w = model.world
    dw, p = w.dw, w.params
    owned = dw.exists & (dw.corporation >= 0)
    stock = np.bincount(dw.corporation[owned], minlength=len(corps)).astype(np.float64)
    rates = np.array([c.stock_change_rates() for c in corps])  # (corporations, 3) per year, StockChange order
    yearly = stock[:, None] * rates
    backlog = np.array([c.stock_change_backlog for c in corps])
    due = (backlog + rng.poisson(yearly / 12.0)).astype(np.int64)
    cand = candidates(model)
    live = w.region.nbh_liveability
    # Less social rent in weak neighbourhoods (stock_sales_weak_first): homes outside the weakest third wait.
    weak_first = float(w.params.stock_sales_weak_first)
    strong = ~w.region.weak[dw.neighbourhood]
    taken = np.zeros_like(due)
    for kind in StockChange:
        corp = dw.corporation[cand].astype(np.int64)
        if kind == StockChange.DEMOLITION:
            renew = rng.binomial(due[:, kind], p.demolition_renewal_share)  # urban renewal with sitting tenants
            taken[:, kind] = give_notice(model, renew, rng)
            due[:, kind] -= renew
            key = live[dw.neighbourhood[cand]] + 1e-3 * rng.random(cand.size)  # weakest neighbourhood first, ties at random
        elif kind == StockChange.SALE:
            key = (dw.dtype[cand] != DwellingType.FAMILY) + rng.random(cand.size)  # family homes first, at random
            key = key + 2.0 * weak_first * strong[cand]  # key < 2: at 1, every weak-neighbourhood home first
        else:
            key = -dw.rent[cand].astype(np.float64) / LIBERALISATION_LIMIT  # the highest rents first (key > -1)
            key = key + 1.0 * weak_first * strong[cand]
        rows = _first_per_corporation(cand, corp, key, due[:, kind])
        taken[:, kind] += np.bincount(dw.corporation[rows], minlength=len(corps))
        cand = np.setdiff1d(cand, rows, assume_unique=True)
        if rows.size == 0:
            continue
        if kind == StockChange.DEMOLITION:
            w.demolish(rows)
        else:
            market = private_rent(dw.rooms[rows], live[dw.neighbourhood[rows]], rng)
            dw.tenure[rows] = Tenure.OWNER if kind == StockChange.SALE else Tenure.PRIVATE
            dw.rent[rows] = market if kind == StockChange.SALE else np.maximum(market, LIBERALISATION_LIMIT)
            dw.corporation[rows] = -1
        w.counters.stock_changes.append((rows, np.full(rows.size, int(kind), dtype=np.int8)))
    due[:, StockChange.DEMOLITION] += renew
    left = np.minimum(due - taken, np.ceil(yearly))  # what this month's vacancies could not take, at most a year's plan
    for c, rest in zip(corps, left, strict=True):
        c.stock_change_backlog = rest


def give_notice(model: HousingModel, due: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each corporation gives notice on ``due[c]`` occupied regular homes of its weakest
    neighbourhood (ties at random): demolition in ``renewal_notice_months``, the tenant urgency to
    be rehoused until ``renewal_notice_months`` after that, and seeking. Returns the notices per corporation."""
    w = model.world
    dw, hh, p = w.dw, w.hh, w.params
    if due.sum() == 0:
        return np.zeros_like(due)
    cand = np.flatnonzero(regular_stock(dw) & (dw.occupant >= 0))
    key = w.region.nbh_liveability[dw.neighbourhood[cand]] + 1e-3 * rng.random(cand.size)
    rows = _first_per_corporation(cand, dw.corporation[cand].astype(np.int64), key, due)
    if rows.size == 0:
        return np.zeros_like(due)
    notice = int(round(p.renewal_notice_months))
    dw.demolish_at[rows] = w.month + notice
    tenants = dw.occupant[rows]
    hh.urgency[tenants] = Urgency.RENEWAL  # priority in the queues like any urgency; not a vulnerable household
    hh.urgency_until[tenants] = w.month + 2 * notice
    w.start_seeking(tenants, p.regional_search_share, rng)
    w.counters.renewal_notices.append(rows)
    return np.bincount(dw.corporation[rows], minlength=due.size)


def close_renewed(model: HousingModel) -> None:
    """Homes under notice whose tenant has left are demolished (their open chain ends there)."""
    w = model.world
    dw = w.dw
    gone = np.flatnonzero(dw.under_renewal & (dw.occupant < 0))
    if gone.size:
        w.demolish(gone)
        w.counters.stock_changes.append((gone, np.full(gone.size, int(StockChange.DEMOLITION), dtype=np.int8)))
