"""Income rules: housing allowance (*huurtoeslag*, 2021 rules) and the rent burden it leaves.

The report's premise is that a priority household needs a home it can pay (report, 'Aanpak 18-
tot 23-jarigen': under 23 there is no allowance above the quality-discount limit; 'Overzicht
instrumenten'). The allowance of 2021 (Wet op de huurtoeslag; FACTS B):

- only for self-contained homes (*zelfstandige woonruimte*): rooms with shared facilities get none;
- no allowance if the rent is above the maximum rent limit, €752.33 (= the liberalisation limit);
  for households of under-23s without children the limit is the quality-discount limit, €442.46;
- the household pays a base rent (*basishuur*) itself, which rises with its income; of the rent
  above it the allowance pays 100 % up to the quality-discount limit, 65 % up to the capping limit
  (*aftoppingsgrens*: €633.25 for one or two persons, €678.66 for three or more) and, above the
  capping limit, 40 % for one-person households and households of pension age (AOW), 0 % for others.

The base rent is the law's quadratic function of income in reality; here it is piecewise linear:
``allowance_base_rent_min`` (€/month) up to an income floor, then rising so that the allowance of a
household at its capping limit reaches zero at ``allowance_phase_out_single`` /
``allowance_phase_out_multi`` (FAH 2021: "met een inkomen tot 31.000 euro voor alleenstaanden en
41.000 euro voor gezinnen soms huurtoeslag"). Incomes are the model's yearly incomes (EUR/yr),
standing in for the allowance's assessed income (*toetsingsinkomen*); assets are not modelled.

The allowance enters the rent burden (net rent / income), which sets who falls into arrears
(abm/processes/economy.py), the private market's affordability test (abm/processes/market.py), the
``housing_allowance`` indicators, and the measure ``young_rent_support``, whose special assistance
(*bijzondere bijstand*) pays under-23s the allowance their age denies them.
"""

from __future__ import annotations

import numpy as np

from .allocation.classes import CAPPING_LIMIT_LARGE, CAPPING_LIMIT_SMALL, LIBERALISATION_LIMIT, QUALITY_DISCOUNT_LIMIT
from .codes import DwellingType, Place, Tenure
from .params import Params

AOW_AGE_MONTHS = 66 * 12 + 4  # pension age (AOW-leeftijd) in 2021: 66 years and 4 months (SVB)
SHARE_TO_CAPPING = 0.65  # share of the rent between the quality-discount and capping limits paid (2021, FACTS B, V)
SHARE_ABOVE_CAPPING = 0.40  # share above the capping limit for one-person and pension-age households (2021)


def capping_limit(size: np.ndarray) -> np.ndarray:
    """The household's capping limit (*aftoppingsgrens*), EUR/month: by household size."""
    return np.where(size <= 2, CAPPING_LIMIT_SMALL, CAPPING_LIMIT_LARGE)


def base_rent(income: np.ndarray, size: np.ndarray, p: Params) -> np.ndarray:
    """The base rent (*basishuur*) the household pays itself, EUR/month: the minimum up to the
    income floor, then linear so that it reaches the household's capping limit at the phase-out income."""
    single = size <= 1
    floor = np.where(single, p.allowance_income_floor_single, p.allowance_income_floor_multi)
    out = np.where(single, p.allowance_phase_out_single, p.allowance_phase_out_multi)
    slope = (capping_limit(size) - p.allowance_base_rent_min) / np.maximum(out - floor, 1.0)
    return p.allowance_base_rent_min + slope * np.maximum(np.asarray(income, dtype=np.float64) - floor, 0.0)


def allowance(
    rent: np.ndarray,
    income: np.ndarray,
    size: np.ndarray,
    adults: np.ndarray,
    age: np.ndarray,
    self_contained: np.ndarray,
    p: Params,
    young_rule: bool = True,
) -> np.ndarray:
    """Housing allowance (*huurtoeslag*) in EUR/month under the 2021 rules (module docstring).
    ``age`` is the head's in months; ``young_rule=False`` treats under-23s as 23 (what
    ``young_rent_support``'s special assistance pays)."""
    rent = np.asarray(rent, dtype=np.float64)
    young = (np.asarray(age) < 23 * 12) & (np.asarray(size) == np.asarray(adults))  # under 23, no children
    limit = np.where(young & young_rule, QUALITY_DISCOUNT_LIMIT, LIBERALISATION_LIMIT)
    entitled = np.asarray(self_contained, dtype=bool) & (rent <= limit)
    basis = base_rent(income, size, p)
    cap = capping_limit(size)
    full = np.maximum(np.minimum(rent, QUALITY_DISCOUNT_LIMIT) - basis, 0.0)
    part = SHARE_TO_CAPPING * np.maximum(np.minimum(rent, cap) - np.maximum(basis, QUALITY_DISCOUNT_LIMIT), 0.0)
    above_share = np.where((np.asarray(size) <= 1) | (np.asarray(age) >= AOW_AGE_MONTHS), SHARE_ABOVE_CAPPING, 0.0)
    above = above_share * np.maximum(np.minimum(rent, LIBERALISATION_LIMIT) - np.maximum(basis, cap), 0.0)
    return np.where(entitled, full + part + above, 0.0)


def self_contained(dtype: np.ndarray) -> np.ndarray:
    """Self-contained homes (*zelfstandige woonruimte*): every type but rooms with shared facilities."""
    return np.asarray(dtype) != DwellingType.ROOM


def of_households(w, rows: np.ndarray, homes: np.ndarray | None = None, young_rule: bool = True, p: Params | None = None) -> np.ndarray:
    """Allowance (EUR/month) of households ``rows`` in their homes, or in ``homes`` (one per row):
    rented homes only (social or private); owner-occupiers get none. ``p``: the rules' parameters
    (default the run's)."""
    hh, dw = w.hh, w.dw
    p = w.params if p is None else p
    homes = hh.dwelling[rows] if homes is None else homes
    homes = np.asarray(homes, dtype=np.int64)
    rented = (homes >= 0) & (dw.tenure[np.maximum(homes, 0)] != Tenure.OWNER)
    d = np.maximum(homes, 0)
    a = allowance(dw.rent[d], hh.income[rows], hh.size[rows], hh.adults[rows], hh.age[rows], self_contained(dw.dtype[d]), p, young_rule)
    return np.where(rented, a, 0.0)


def rent_burden(w, rows: np.ndarray, p: Params | None = None, paid: np.ndarray | None = None) -> np.ndarray:
    """Net rent (rent less allowance) over income, of housed renters ``rows``; capped at 1 (the
    whole income) so that a household without income weighs as one that pays all of it.
    ``p``: the allowance's parameters (default the run's); ``paid``: their allowance when it is
    already known (``assessed``), else it is computed."""
    hh, dw = w.hh, w.dw
    d = hh.dwelling[rows]
    paid = of_households(w, rows, p=p) if paid is None else paid
    net = np.maximum(dw.rent[d].astype(np.float64) - paid, 0.0) * 12.0
    return np.minimum(net / np.maximum(hh.income[rows].astype(np.float64), 1.0), 1.0)


def housed_renters(w) -> np.ndarray:
    """Rows of households renting the home they live in (social or private)."""
    hh, dw = w.hh, w.dw
    rows = np.flatnonzero(hh.place == Place.DWELLING)
    return rows[dw.tenure[hh.dwelling[rows]] != Tenure.OWNER]


def assess(w) -> tuple[np.ndarray, np.ndarray]:
    """This month's allowance: the housed renters and what each gets (EUR/month), assessed once,
    at the economy phase after the income shocks (the Belastingdienst pays by the month on the
    income and rent it knows). The schedule keeps the result in ``w.allowance_assessed`` for the
    month, so arrears and the indicators share one computation (before, each computed it)."""
    rows = housed_renters(w)
    paid = of_households(w, rows)
    w.allowance_assessed = (w.month, rows, paid)
    return rows, paid


def assessed(w) -> tuple[np.ndarray, np.ndarray]:
    """This month's assessment (``assess``) if the schedule made one, else a fresh one."""
    cached = getattr(w, "allowance_assessed", None)
    if cached is not None and cached[0] == w.month:
        return cached[1], cached[2]
    return housed_renters(w), of_households(w, housed_renters(w))
