"""Caravan pitches (*woonwagenstandplaatsen*): municipalities add pitches for the caravan dwellers who wait.

The report ('Woonwagenbewoners'; 'Ruimtelijk': *de behoefte aan ruimte voor de eigen leefstijl,
bijvoorbeeld woonwagenstandplaatsen*) and the national policy framework of 2018 (*Beleidskader
gemeentelijk woonwagen- en standplaatsenbeleid*: municipalities assess the need for pitches and
plan for it) make the pitches a stock of their own, with their own waiting list: caravan
dwellers are a need class of the queues and pitches are labelled for them (abm/allocation).

Each January a municipality compares the caravan dwellers seeking a pitch in it (households with
the caravan flag who seek) with its vacant pitches and the pitches under construction, and
starts each missing pitch with ``caravan_pitch_response`` (a binomial draw: that share of the gap
on average), let by its corporation as labelled social homes after ``permanent_lead_time``. Without a corporation in the municipality no pitches are started.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..codes import DwellingType, Flag, Label, Place, Tenure
from .construction import lead_time

if TYPE_CHECKING:
    from ..model import HousingModel


def waiting(model: HousingModel) -> np.ndarray:
    """Caravan dwellers seeking (a pitch), per municipality, not already living on a pitch."""
    w = model.world
    hh, dw = w.hh, w.dw
    rows = np.flatnonzero(((hh.labels & Flag.CARAVAN) != 0) & hh.seeking & (hh.place != Place.GONE))
    on_pitch = (hh.place[rows] == Place.DWELLING) & (dw.dtype[np.maximum(hh.dwelling[rows], 0)] == DwellingType.CARAVAN_PITCH)
    return np.bincount(hh.municipality[rows[~on_pitch]], minlength=w.region.size)


def under_construction(model: HousingModel) -> np.ndarray:
    """Pitches under construction per municipality."""
    out = np.zeros(model.region.size, dtype=np.int64)
    for projects in model.pipeline.by_month.values():
        for pr in projects:
            if pr.label == Label.CARAVAN:
                out[pr.municipality] += pr.count
    return out


def plan(model: HousingModel, rng: np.random.Generator) -> np.ndarray:
    """In January: start pitches where caravan dwellers wait for more pitches than are free or
    coming. Returns the pitches started per municipality."""
    started = np.zeros(model.region.size, dtype=np.int64)
    share = model.params.caravan_pitch_response
    if model.month % 12 != 1 or share <= 0:  # month 1 is January (month 0: 1 January after the spin-up)
        return started
    dw = model.world.dw
    vacant = np.bincount(dw.municipality[dw.vacant & (dw.dtype == DwellingType.CARAVAN_PITCH)], minlength=model.region.size)
    gap = waiting(model) - vacant - under_construction(model)
    for m in np.flatnonzero(gap > 0):
        corp = int(model.corporation_of_municipality[m])
        if corp < 0:
            continue
        n = int(rng.binomial(gap[m], share))
        if n == 0:
            continue
        model.pipeline.start(
            model.month + lead_time(model.params.permanent_lead_time, rng), m, Tenure.SOCIAL, n, corporation=corp, label=Label.CARAVAN
        )
        started[m] = n
    model.world.counters.pitches_started.append(started)
    return started
