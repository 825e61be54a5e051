"""Demographic tables read from the CBS files in ``abm/data`` (see ``PROVENANCE.md``)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd


def _read(name: str) -> pd.DataFrame:
    with resources.files("abm.data").joinpath(name).open("rb") as f:
        return pd.read_csv(f)


@lru_cache(maxsize=1)
def monthly_death_probability() -> np.ndarray:
    """Array ``[female, age_years]`` (2 × 121) of the monthly probability of dying.

    From CBS 37360ned 2019 one-year death probabilities qx (ages 0-99); ages 100-120 take
    qx = 0.5 (M). Monthly: 1 − (1 − qx)^(1/12).
    """
    df = _read("mortality_nl_qx_2019.csv")
    out = np.full((2, 121), 0.5)
    for female, sex in ((0, "M"), (1, "F")):
        s = df[df["sex"] == sex].sort_values("age")
        out[female, s["age"].to_numpy()] = s["qx"].to_numpy()
    return 1.0 - (1.0 - out) ** (1.0 / 12.0)


@lru_cache(maxsize=1)
def living_with_parents() -> tuple[np.ndarray, np.ndarray]:
    """Ages 18-30 and the % living with parent(s) on 1 Jan 2021 (CBS)."""
    df = _read("living_with_parents_by_age_2021.csv")
    return df["age"].to_numpy(), df["pct_total"].to_numpy(dtype=float)


@lru_cache(maxsize=1)
def monthly_leave_home_hazard() -> np.ndarray:
    """Per age in years (0..120): monthly hazard that a young adult at home wants to leave.

    Derived from the cross-section of CBS living-with-parents shares: the share at home falls
    from P(a) to P(a+1) in a year, so the yearly hazard is 1 − P(a+1)/P(a); after 30 the
    age-30 hazard is kept. Below 18 it is zero.
    """
    ages, pct = living_with_parents()
    yearly = 1.0 - pct[1:] / pct[:-1]
    out = np.zeros(121)
    out[ages[:-1]] = yearly
    out[ages[-1] :] = yearly[-1]
    return 1.0 - (1.0 - out) ** (1.0 / 12.0)


@lru_cache(maxsize=1)
def yearly_move_rates() -> tuple[np.ndarray, np.ndarray]:
    """Per age in years (0..120): yearly share of persons moving between municipalities and
    emigrating (CBS 2017). Ages past 73 keep the age-73 value."""
    df = _read("moving_rates_by_age_2017.csv").sort_values("age")
    between = np.zeros(121)
    emigrate = np.zeros(121)
    a = df["age"].to_numpy()
    between[a] = df["pct_moved_between_municipalities"].to_numpy() / 100.0
    emigrate[a] = df["pct_emigrated"].to_numpy() / 100.0
    between[a[-1] + 1 :] = between[a[-1]]
    emigrate[a[-1] + 1 :] = emigrate[a[-1]]
    return between, emigrate


@lru_cache(maxsize=1)
def population_by_age() -> np.ndarray:
    """Persons in the Netherlands per single year of age 0..104 on 1 Jan 2020 (CBS five-year
    bands, spread evenly within each band)."""
    df = _read("population_by_age_2020.csv")
    out = np.zeros(105)
    for lo, hi, n in df[["age_from", "age_to", "persons"]].itertuples(index=False):
        out[lo:hi] = n / (hi - lo)
    return out
