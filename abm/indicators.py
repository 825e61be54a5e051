"""The output contract: a tidy table of indicators per month, municipality and group.

``indicators.parquet`` has the columns ``month`` (int, 0 = start), ``municipality`` (CBS code
such as GM0344, or ``total``), ``group`` (a group name or ``all``), ``indicator`` and
``value`` (float; NaN where a statistic has no observations, e.g. a median of no lettings).
The indicators are listed in ``INDICATORS`` with their meaning and unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .codes import GROUPS, InstitutionKind, Place, Tenure
from .households import NEVER

#: indicator name -> (meaning, unit, broken down by group?)
INDICATORS: dict[str, tuple[str, str, bool]] = {
    "households": ("households present in the region (incl. living in, homeless, institutions)", "households", True),
    "homeless": ("roofless people plus residents of homeless and women's shelters", "households", True),
    "in_institution": ("residents of any institution", "households", True),
    "blocked_in_institution": ("institution residents ready to leave but without a home", "households", True),
    "blocked_months_mean": ("mean months blocked of those blocked", "months", True),
    "waiting": ("registered seekers actively seeking a social home", "households", True),
    "allocations": ("social homes let this month", "lettings", True),
    "wait_months_median": ("registration time at letting, median, of those housed this month", "months", True),
    "wait_months_p90": ("registration time at letting, 90th percentile", "months", True),
    "vacancies": ("social homes that fell vacant this month (incl. new builds, chain links)", "dwellings", False),
    "moves": ("households that moved into a dwelling this month (any tenure)", "households", True),
    "evictions": ("evictions of corporation tenants this month", "households", True),
    "completions": ("dwellings completed this month (any tenure, incl. flex)", "dwellings", False),
    "social_stock": ("social homes (corporation-owned) in existence", "dwellings", False),
    "vacant_social": ("social homes vacant at the end of the month", "dwellings", False),
    "in_shelter": ("residents of homeless shelters (MO)", "households", False),
    "in_womens_shelter": ("residents of women's shelters", "households", False),
    "in_protected_housing": ("residents of protected housing (BW)", "households", False),
    "in_asylum_centre": ("permit holders in asylum centres", "households", False),
    "in_detention": ("people in detention", "households", False),
    "in_youth_care": ("residents of residential youth care", "households", False),
}
INDICATOR_NAMES = list(INDICATORS)
GROUP_NAMES = ["all", *GROUPS]
KIND_INDICATOR = {
    InstitutionKind.SHELTER: "in_shelter", InstitutionKind.WOMENS_SHELTER: "in_womens_shelter",
    InstitutionKind.PROTECTED_HOUSING: "in_protected_housing", InstitutionKind.ASYLUM_CENTRE: "in_asylum_centre",
    InstitutionKind.DETENTION: "in_detention", InstitutionKind.YOUTH_CARE: "in_youth_care",
}


class Recorder:
    """Collects one block of indicator values per month; ``frame()`` returns the tidy table."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes
        self.blocks: list[tuple[int, np.ndarray]] = []  # (month, values[indicator, municipality+1, group])
        self.latest: np.ndarray | None = None

    def record(self, month: int, values: np.ndarray) -> None:
        self.blocks.append((month, values))
        self.latest = values

    def total(self, indicator: str, group: str = "all") -> float:
        """Latest value for the whole region."""
        if self.latest is None:
            return float("nan")
        return float(self.latest[INDICATOR_NAMES.index(indicator), -1, GROUP_NAMES.index(group)])

    def frame(self) -> pd.DataFrame:
        """The tidy table of all months recorded so far (categorical string columns)."""
        n_ind, n_mun, n_grp = len(INDICATOR_NAMES), len(self.codes) + 1, len(GROUP_NAMES)
        ind, mun, grp = np.meshgrid(np.arange(n_ind), np.arange(n_mun), np.arange(n_grp), indexing="ij")
        # Indicators without a group breakdown only have the 'all' rows.
        keep = np.array([INDICATORS[name][2] for name in INDICATOR_NAMES])[ind] | (grp == 0)
        ind, mun, grp = ind[keep], mun[keep], grp[keep]
        months = np.array([m for m, _ in self.blocks], dtype=np.int32)
        values = np.stack([v[ind, mun, grp] for _, v in self.blocks]) if self.blocks else np.empty((0, ind.size))
        k = ind.size
        return pd.DataFrame({
            "month": np.repeat(months, k),
            "municipality": pd.Categorical.from_codes(np.tile(mun, len(months)), [*self.codes, "total"]),
            "group": pd.Categorical.from_codes(np.tile(grp, len(months)), GROUP_NAMES),
            "indicator": pd.Categorical.from_codes(np.tile(ind, len(months)), INDICATOR_NAMES),
            "value": values.reshape(-1).astype(np.float64),
        })


def _counts(key: np.ndarray, n_mun: int, member: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Counts (or sums of ``weights``) per (municipality, group incl. 'all'), with a total row.

    ``key`` is municipality × n_combo + combo, where combo is the bit set of a household's
    groups; bins past the last municipality (absent households) are dropped.
    """
    n_combo = member.shape[0]
    c = np.bincount(key, weights=weights, minlength=n_mun * n_combo + 1)[: n_mun * n_combo].reshape(n_mun, n_combo)
    out = np.empty((n_mun + 1, len(GROUP_NAMES)))
    out[:n_mun, 0] = c.sum(axis=1)
    out[:n_mun, 1:] = c @ member
    out[n_mun] = out[:n_mun].sum(axis=0)
    return out


def _quantiles(mun: np.ndarray, combo: np.ndarray, x: np.ndarray, n_mun: int, member: np.ndarray, q: float) -> np.ndarray:
    """Quantile ``q`` of ``x`` per (municipality, group) and for the total; NaN where empty."""
    out = np.full((n_mun + 1, len(GROUP_NAMES)), np.nan)
    if x.size == 0:
        return out
    in_group = np.column_stack([np.ones(x.size, bool), member[combo].astype(bool)])
    df = pd.DataFrame(in_group, columns=range(len(GROUP_NAMES)))
    df["mun"], df["x"] = mun, x
    long = df.melt(id_vars=["mun", "x"], var_name="g", value_name="in")
    long = long[long["in"]]
    per = long.groupby(["mun", "g"])["x"].quantile(q)
    out[per.index.get_level_values(0).to_numpy(), per.index.get_level_values(1).to_numpy().astype(int)] = per.to_numpy()
    tot = long.groupby("g")["x"].quantile(q)
    out[n_mun, tot.index.to_numpy().astype(int)] = tot.to_numpy()
    return out


def measure(model) -> np.ndarray:
    """All indicators of the current month as an array [indicator, municipality+total, group]."""
    w = model.world
    hh, dw, month = w.hh, w.dw, w.month
    n_mun = w.region.size
    masks = hh.group_masks(month)
    combo = np.zeros(hh.n, dtype=np.uint16)
    for bit, g in enumerate(GROUPS):
        combo |= masks[g].astype(np.uint16) << np.uint16(bit)
    n_combo = 1 << len(GROUPS)
    member = ((np.arange(n_combo)[:, None] >> np.arange(len(GROUPS))[None, :]) & 1).astype(np.float64)
    place = hh.place
    # One key per household; absent households go to a bin past the last municipality.
    key = np.where(place != Place.GONE, hh.municipality.astype(np.int32) * n_combo + combo, n_mun * n_combo)
    out = np.full((len(INDICATOR_NAMES), n_mun + 1, len(GROUP_NAMES)), 0.0)

    def put(name: str, sel: np.ndarray | None, weights: np.ndarray | None = None) -> None:
        out[INDICATOR_NAMES.index(name)] = _counts(key if sel is None else key[sel], n_mun, member, weights)

    put("households", None)
    put("homeless", np.flatnonzero(masks["homeless"]))
    inst = np.flatnonzero(place == Place.INSTITUTION)
    put("in_institution", inst)
    blocked = inst[hh.ready_at[inst] <= month]
    put("blocked_in_institution", blocked)
    months_blocked = (month - hh.ready_at[blocked]).astype(np.float64)
    total_blocked = _counts(key[blocked], n_mun, member, months_blocked)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[INDICATOR_NAMES.index("blocked_months_mean")] = total_blocked / out[INDICATOR_NAMES.index("blocked_in_institution")]
    put("waiting", np.flatnonzero(hh.seeking & (hh.registered != NEVER) & (place != Place.GONE)))
    alloc_rows, alloc_reg, alloc_route, _ = model.last_allocations
    put("allocations", alloc_rows)
    wait = (month - alloc_reg).astype(np.float64)
    for name, q in (("wait_months_median", 0.5), ("wait_months_p90", 0.9)):
        out[INDICATOR_NAMES.index(name)] = _quantiles(hh.municipality[alloc_rows], combo[alloc_rows].astype(np.int64), wait, n_mun, member, q)
    c = w.counters
    moved = np.concatenate(c.moves) if c.moves else np.empty(0, dtype=np.int64)
    put("moves", moved)
    evicted = np.concatenate(c.evictions) if c.evictions else np.empty(0, dtype=np.int64)
    put("evictions", evicted)

    def put_dw(name: str, rows: np.ndarray) -> None:
        counts = np.bincount(dw.municipality[rows], minlength=n_mun).astype(np.float64)
        out[INDICATOR_NAMES.index(name), :n_mun, 0] = counts
        out[INDICATOR_NAMES.index(name), n_mun, 0] = counts.sum()
        out[INDICATOR_NAMES.index(name), :, 1:] = np.nan

    vac = np.concatenate(c.vacancies) if c.vacancies else np.empty(0, dtype=np.int64)
    put_dw("vacancies", vac[dw.tenure[vac] == Tenure.SOCIAL])
    put_dw("completions", np.flatnonzero(dw.built == month) if month > 0 else np.empty(0, dtype=np.int64))
    social = dw.exists & (dw.tenure == Tenure.SOCIAL)
    put_dw("social_stock", np.flatnonzero(social))
    put_dw("vacant_social", np.flatnonzero(social & (dw.occupant < 0)))
    kinds = hh.institution[inst]
    for kind, name in KIND_INDICATOR.items():
        rows = inst[kinds == kind]
        counts = np.bincount(hh.municipality[rows], minlength=n_mun).astype(np.float64)
        out[INDICATOR_NAMES.index(name), :n_mun, 0] = counts
        out[INDICATOR_NAMES.index(name), n_mun, 0] = counts.sum()
        out[INDICATOR_NAMES.index(name), :, 1:] = np.nan
    return out
