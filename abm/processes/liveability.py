"""Neighbourhood liveability (*leefbaarheid*) responds to the concentration of vulnerable households.

The report (introduction, 'Draagvlak en leefbaarheid'): *Door de concentratie van bepaalde typen
huisvesting en groepen in wijken ervaren inwoners en gemeenten dat het draagvlak voor bepaalde
groepen in deze wijken onder druk kan komen te staan*, and the need for *menging van dragende en
vragende bewoners*; welfare work and the neighbourhood approach keep a neighbourhood's
resilience (*veerkracht*). Issue 16 §4: before, each neighbourhood's liveability was drawn once
and never changed.

Each January every neighbourhood's liveability ``L`` (0 weak .. 1 strong) moves a share
``liveability_adjustment`` of the way toward its target

    target = L0 − ``liveability_concentration_effect`` × f × max(0, v / v̄ − 1)

where ``L0`` is its liveability at the start, ``v`` the share of vulnerable households among its
occupied homes (``allocation.classes.vulnerable_mask``: homeless history, institution leavers,
permit holders, social urgency), ``v̄`` the region's share, and ``f`` =
``weak_neighbourhood_concentration_factor`` in the weakest third (welfare work lowers it) and 1
elsewhere. ``v / v̄`` is the location quotient: a neighbourhood with twice the region's share has
its target lowered by the effect itself. (The model's vulnerable households are few, about 1 % of
households by the labels above, so a relative measure, not share points, carries the contrast.) A neighbourhood whose concentration falls recovers toward ``L0`` at the same pace.

What liveability does in the model: the weakest third (``Region.weak``, recomputed after each
update) has more refusals (``acceptance.weak_neighbourhood_refusal``) and, with
``weak_neighbourhood_arrears_factor``, more arrears; corporations demolish in their weakest
neighbourhood; new homes' rents and the permit-holder key (``refugee_key``) follow it. A
concentration that pushes a neighbourhood into the weakest third therefore makes regular seekers
refuse it more, which leaves its vacancies to those who accept — the spiral the report warns of.
"""

from __future__ import annotations

import numpy as np

from ..allocation.classes import vulnerable_mask
from ..codes import Place
from ..world import World


def vulnerable_counts(w: World) -> tuple[np.ndarray, np.ndarray]:
    """Per neighbourhood: housed vulnerable households and occupied homes (also the indicators'
    concentration measures, abm/indicators.py)."""
    hh, dw, reg = w.hh, w.dw, w.region
    n_nbh = reg.nbh_municipality.size
    total = np.bincount(dw.neighbourhood[dw.occupant >= 0], minlength=n_nbh).astype(np.float64)
    rows = np.flatnonzero(vulnerable_mask(w) & (hh.place == Place.DWELLING))
    v = np.bincount(dw.neighbourhood[hh.dwelling[rows]], minlength=n_nbh).astype(np.float64)
    return v, total


def vulnerable_shares(w: World) -> tuple[np.ndarray, float]:
    """Per neighbourhood, the vulnerable share of its occupied homes, and the region's share."""
    v, total = vulnerable_counts(w)
    n_nbh = v.size
    share = np.divide(v, total, out=np.zeros(n_nbh), where=total > 0)
    return share, float(v.sum() / total.sum()) if total.sum() else 0.0


def target(w: World) -> np.ndarray:
    """Each neighbourhood's liveability target (see the module docstring)."""
    reg, p = w.region, w.params
    share, mean = vulnerable_shares(w)
    factor = np.where(reg.weak, p.weak_neighbourhood_concentration_factor, 1.0)
    excess = np.maximum(share / mean - 1.0, 0.0) if mean > 0 else np.zeros(share.size)
    return np.clip(reg.nbh_liveability_start - p.liveability_concentration_effect * factor * excess, 0.0, 1.0)


def update(w: World) -> None:
    """Move liveability a share ``liveability_adjustment`` toward the target; the weakest third is
    then recomputed."""
    reg = w.region
    live = reg.nbh_liveability.astype(np.float64)
    new = live + w.params.liveability_adjustment * (target(w) - live)
    reg.nbh_liveability = new.astype(np.float32)
    reg.__dict__.pop("_weak", None)
