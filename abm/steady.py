"""The baseline's own drift: is the model in a steady state (issue 11, section 1)?

One definition for the steady-state test (``tests/test_steady_state.py``) and the calibration's
drift term (``abm calibrate``): run a region's baseline with the driver series held at their
parameter values (scenario ``baseline_constant``, ``[drivers] use = "none"``), take the yearly
means of six stocks, pool them over seeds and compare the last year's mean with the first's.

Why the bands have these widths (ten years, year 10 / year 1; pooled over three seeds of CR17 at
15,000 households):
- household rows: construction adds ~0.7 % homes a year and every home holds a household: at most
  +15 %, at least −5 %;
- waiting list and rows living in with others: ±15 % (year-to-year noise of the pooled means
  ~3 %, so a drift of more than ~1.5 % a year fails);
- median registration time at letting of regular seekers: ±20 % (a median of ~40 lettings a
  month; the pooled yearly mean varies by ~8 %);
- vacant social homes: ±35 % (~150 homes pooled; they grow with the social stock);
- homeless people: ±30 % (~100 people pooled; entries and exits are small numbers).
"""

from __future__ import annotations

import math

import numpy as np

#: The stocks followed, as yearly means: registered active seekers (*woningzoekenden*), rows living
#: in with others (*inwonend*), household rows in the region, vacant social homes, the median
#: registration time at letting of regular seekers (months) and roofless homeless people.
SERIES = ("waiting", "living_in", "households", "vacant_social", "wait_regular", "homeless")
#: Allowed ratio of year 10's mean to year 1's (see the module docstring).
BANDS: dict[str, tuple[float, float]] = {
    "households": (0.95, 1.15),
    "waiting": (0.85, 1.15),
    "living_in": (0.85, 1.15),
    "wait_regular": (0.80, 1.20),
    "vacant_social": (0.65, 1.35),
    "homeless": (0.70, 1.30),
}
BAND_YEARS = 10  # the bands are for year 10 / year 1
#: The series the calibration's drift term uses: the ones its candidates move and that are not
#: small-number noise at calibration scale (vacant homes and homeless people are tens of cases).
DRIFT_SERIES = ("waiting", "living_in", "households", "wait_regular")


def stocks(m) -> dict[str, float]:
    """``SERIES`` of a model at the end of its current month."""
    from .codes import Place, Tenure
    from .households import NEVER

    hh, dw = m.world.hh, m.world.dw
    return {
        "waiting": float((hh.seeking & (hh.registered != NEVER) & (hh.place != Place.GONE)).sum()),
        "living_in": float((hh.place == Place.LIVING_IN).sum()),
        "households": float((hh.place != Place.GONE).sum()),
        "vacant_social": float((dw.exists & (dw.tenure == Tenure.SOCIAL) & (dw.occupant < 0)).sum()),
        "wait_regular": float(m.recorder.series("wait_months_median", "regular")[1][-1]),
        "homeless": float((hh.place == Place.HOMELESS).sum()),
    }


def yearly_means(
    seed: int, years: int = 10, households: int = 15000, corop: str = "CR17", params: dict | None = None
) -> dict[str, np.ndarray]:
    """Yearly means of ``SERIES`` of one baseline run (driver series held, the default spin-up)."""
    from . import HousingModel

    m = HousingModel(scenario="baseline_constant", corop=[corop], households=households, rng=seed, params=params)
    out: dict[str, list[float]] = {k: [] for k in SERIES}
    for _ in range(years * 12):
        m.step()
        for k, v in stocks(m).items():
            out[k].append(v)
    return {k: np.nanmean(np.array(v, dtype=float).reshape(years, 12), axis=1) for k, v in out.items()}


def ratios(runs: list[dict[str, np.ndarray]]) -> dict[str, float]:
    """Last year's mean / first year's, of the series summed over ``runs`` (seeds pooled: less noise)."""
    pooled = {k: np.sum([r[k] for r in runs], axis=0) for k in runs[0]}
    return {k: float(v[-1] / v[0]) if v[0] else float("nan") for k, v in pooled.items()}


def outside(r: dict[str, float]) -> dict[str, float]:
    """The series whose ten-year ratio is outside its band (rounded), for an assertion message."""
    return {k: round(v, 2) for k, v in r.items() if k in BANDS and not BANDS[k][0] <= v <= BANDS[k][1]}


def drift_z(r: dict[str, float], years: int) -> dict[str, float]:
    """The calibration's drift scores: for each ``DRIFT_SERIES``, the yearly log drift of a run of
    ``years`` years, centred and scaled by its band (the band's yearly log drift over ten years), so
    that |z| <= 1 is within the band whatever the run length and z² adds to the loss like a target's."""
    out = {}
    for k in DRIFT_SERIES:
        lo, hi = BANDS[k]
        centre, half = (math.log(lo) + math.log(hi)) / 2 / (BAND_YEARS - 1), (math.log(hi) - math.log(lo)) / 2 / (BAND_YEARS - 1)
        v = r.get(k, float("nan"))
        out[k] = (math.log(v) / (years - 1) - centre) / half if v > 0 and math.isfinite(v) else float("nan")
    return out
