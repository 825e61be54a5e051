"""Unit costs for the social cost table of ``abm compare``.

``abm/data/costs.csv`` holds one row per unit cost: ``key``, ``value`` (euros), ``unit``,
``year`` (the price year of the figure), ``source`` and ``status``. Status letters follow the
convention of ``abm.params``: **V** verified in a public source, **D** derived from shipped
data, **M** an assumption or placeholder that still needs a source, **C** calibrated. A figure
is never marked V without a source.
"""

from __future__ import annotations

import io
from importlib import resources

import pandas as pd

COLUMNS = ["key", "value", "unit", "year", "source", "status"]
STATUSES = ("V", "D", "M", "C")

#: every unit cost the table must carry (the cost table uses some; the rest are for measures and reports)
KEYS = (
    "shelter_place_year",
    "protected_housing_year",
    "housing_first_year",
    "homeless_societal_year",
    "eviction_cost",
    "debt_assistance_case",
    "social_home_build",
    "flex_home_build",
    "housing_allowance_year",
    "asylum_place_year",
    "womens_shelter_place_year",
    "landlord_levy_year",
    "municipal_bonus_per_place",
    "skaeve_huse_year",
)


def load_costs(text: str | None = None) -> pd.DataFrame:
    """The unit-cost table (``abm/data/costs.csv``, or ``text`` in the same CSV format), validated.

    Raises ``ValueError`` with one line naming the key or column at fault.
    """
    if text is None:
        text = resources.files("abm.data").joinpath("costs.csv").read_text(encoding="utf-8")
    df = pd.read_csv(io.StringIO(text), dtype={"key": str, "unit": str, "source": str, "status": str}, keep_default_na=False)
    return validate_costs(df)


def validate_costs(df: pd.DataFrame) -> pd.DataFrame:
    """Check a unit-cost table: all columns and keys, numeric non-negative values, known statuses."""
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"costs: missing column(s) {', '.join(missing)}")
    df = df[COLUMNS].copy()
    if df["key"].duplicated().any():
        raise ValueError(f"costs: duplicate key '{df.loc[df['key'].duplicated(), 'key'].iloc[0]}'")
    absent = [k for k in KEYS if k not in set(df["key"])]
    if absent:
        raise ValueError(f"costs: missing key(s) {', '.join(absent)}")
    values = pd.to_numeric(df["value"], errors="coerce")
    for key, v, status, source in zip(df["key"], values, df["status"], df["source"], strict=True):
        if pd.isna(v) or v < 0:
            raise ValueError(f"costs: {key}: value must be a number >= 0")
        if status not in STATUSES:
            raise ValueError(f"costs: {key}: status must be one of {', '.join(STATUSES)}, got '{status}'")
        if not str(source).strip():
            raise ValueError(f"costs: {key}: no source")
        if status == "V" and str(source).lower().startswith("placeholder"):
            raise ValueError(f"costs: {key}: status V needs a source, not a placeholder")
    df["value"] = values.astype(float)
    return df.reset_index(drop=True)


def cost_value(costs: pd.DataFrame, key: str) -> float:
    """The value of one unit cost."""
    row = costs.loc[costs["key"] == key]
    if row.empty:
        raise ValueError(f"costs: no key '{key}'")
    return float(row["value"].iloc[0])


def unit_costs() -> dict[str, float]:
    """The unit costs as ``{key: value}`` (euros), for measures that price what they do."""
    costs = load_costs()
    return dict(zip(costs["key"], costs["value"].astype(float), strict=True))
