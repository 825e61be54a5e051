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

Only vacant homes of the regular stock are taken: apartments and family homes without a label
(never rooms, flex units, senior, wheelchair, caravan or special homes) and not before their
first letting. Corporations sell and liberalise at turnover; before a demolition they rehouse
the sitting tenants, which the model represents by waiting until the home falls vacant (the
rehousing urgency of sitting tenants, *herhuisvestingsurgentie*, is not modelled). A month's plan
that its vacancies cannot cover is carried to the next months, at most one year's plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..codes import DwellingType, Label, StockChange, Tenure, VacancyCause
from ..households import NEVER
from ..synth_stock import LIBERALISATION_LIMIT, private_rent

if TYPE_CHECKING:
    from ..model import HousingModel


def candidates(model: HousingModel) -> np.ndarray:
    """Vacant homes of the regular social stock a corporation may take out (rows, ascending)."""
    dw = model.world.dw
    ok = (
        dw.vacant
        & (dw.tenure == Tenure.SOCIAL)
        & (dw.corporation >= 0)
        & (dw.end_month == NEVER)
        & (dw.label == Label.NONE)
        & np.isin(dw.dtype, (DwellingType.APARTMENT, DwellingType.FAMILY))
        & ~((dw.vacancy_cause == VacancyCause.NEW_BUILD) & (dw.chain_moves == 0))  # a new build awaits its first letting
    )
    return np.flatnonzero(ok)


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
    dw = w.dw
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
            key = live[dw.neighbourhood[cand]] + 1e-3 * rng.random(cand.size)  # weakest neighbourhood first, ties at random
        elif kind == StockChange.SALE:
            key = (dw.dtype[cand] != DwellingType.FAMILY) + rng.random(cand.size)  # family homes first, at random
            key = key + 2.0 * weak_first * strong[cand]  # key < 2: at 1, every weak-neighbourhood home first
        else:
            key = -dw.rent[cand].astype(np.float64) / LIBERALISATION_LIMIT  # the highest rents first (key > -1)
            key = key + 1.0 * weak_first * strong[cand]
        rows = _first_per_corporation(cand, corp, key, due[:, kind])
        taken[:, kind] = np.bincount(dw.corporation[rows], minlength=len(corps))
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
    left = np.minimum(due - taken, np.ceil(yearly))  # what this month's vacancies could not take, at most a year's plan
    for c, rest in zip(corps, left, strict=True):
        c.stock_change_backlog = rest
