"""Regions built from real CBS data: municipalities, their graph, neighbourhoods.

The data are CBS Kerncijfers wijken en buurten 2021 for all 352 municipalities, shipped in
``abm/data`` (see ``PROVENANCE.md`` there). A region is any set of municipalities: a COROP
region (the default scenario is COROP CR17 Utrecht), a province, a list of codes or the
whole country.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import networkx as nx
import numpy as np
import pandas as pd


@lru_cache(maxsize=1)
def municipalities() -> pd.DataFrame:
    """All 352 municipalities of 1 Jan 2021 with CBS figures and the woningmarktregio."""
    with resources.files("abm.data").joinpath("gemeenten_2021.csv").open("rb") as f:
        df = pd.read_csv(f)
    with resources.files("abm.data").joinpath("woningmarktregio_2021_reconstructed.csv").open("rb") as f:
        wmr = pd.read_csv(f)[["gm_code", "woningmarktregio_nr", "woningmarktregio"]]
    df = df.merge(wmr, on="gm_code", how="left", validate="one_to_one")
    return df.sort_values("gm_code").reset_index(drop=True)


def select(codes: list[str] | None = None, corop: list[str] | None = None, province: list[str] | None = None) -> pd.DataFrame:
    """Rows of the municipalities named by CBS code, COROP code (CR17) or province name.

    Raises ``ValueError`` naming the first unknown code. With no argument: the whole country.
    """
    df = municipalities()
    keep = np.zeros(len(df), dtype=bool)
    if not (codes or corop or province):
        return df.copy()
    for values, column, what in (
        (codes, "gm_code", "municipality code"),
        (corop, "corop_code", "COROP code"),
        (province, "province", "province"),
    ):
        for v in values or []:
            hit = df[column].str.lower() == str(v).lower()
            if not hit.any():
                raise ValueError(f"unknown {what} '{v}' (e.g. {df[column].iloc[0]})")
            keep |= hit.to_numpy()
    return df[keep].reset_index(drop=True)


@dataclass
class Region:
    """The municipalities of a run, their graph and their neighbourhoods.

    ``graph`` has one node per municipality (CBS code, carrying its data) and edges between
    municipalities of the same COROP region (``kind='corop'``) and of the same
    woningmarktregio (``kind='woningmarktregio'``). Seekers search in their own municipality
    and, with a lower chance, anywhere in their COROP region.
    """

    table: pd.DataFrame
    graph: nx.Graph
    corop_index: np.ndarray  # per municipality: index of its COROP region in ``corops``
    corops: list[str]
    centre: np.ndarray  # per municipality: centrumgemeente for shelter (MO)
    population_share: np.ndarray  # per municipality: share of the national population
    nbh_municipality: np.ndarray  # per neighbourhood: municipality index
    nbh_liveability: np.ndarray  # per neighbourhood: 0 (weak) .. 1 (strong); changes yearly (abm/processes/liveability.py)

    def __post_init__(self) -> None:
        # The liveability drawn at the start: what a neighbourhood recovers toward.
        self.nbh_liveability_start = self.nbh_liveability.copy()

    @property
    def weak(self) -> np.ndarray:
        """Per neighbourhood: in the weakest third of the region's neighbourhoods by liveability."""
        w = self.__dict__.get("_weak")
        if w is None:
            order = np.argsort(self.nbh_liveability, kind="stable")
            w = np.zeros(order.size, dtype=bool)
            w[order[: max(1, order.size // 3)]] = True
            self.__dict__["_weak"] = w
        return w

    @property
    def codes(self) -> list[str]:
        return self.table["gm_code"].tolist()

    @property
    def size(self) -> int:
        return len(self.table)

    def index_of(self, code: str) -> int:
        try:
            return self.codes.index(code)
        except ValueError:
            raise ValueError(f"municipality {code} is not in this region") from None


#: The four big cities (G4): Amsterdam, Rotterdam, Den Haag, Utrecht.
G4 = ("GM0363", "GM0599", "GM0518", "GM0344")
#: Relative homelessness per inhabitant by CBS urbanity class 1 (very strongly urban) .. 5 (not
#: urban) outside the G4; index 0 unused. M: homelessness concentrates in cities (report,
#: 'Dak- en thuisloze mensen'; costs and groups concentrate in centre municipalities and big cities).
URBANITY_WEIGHT = np.array([0, 3.0, 1.5, 1.0, 0.6, 0.4])


def homeless_shares(table: pd.DataFrame, g4_share: float) -> np.ndarray:
    """Per municipality of ``table``: its share of the country's homeless people (CBS count).

    The G4 together hold ``g4_share`` of them (CBS 1 Jan 2021: 37 %, FACTS D), spread over the
    four by inhabitants; the other municipalities share the rest by inhabitants times
    ``URBANITY_WEIGHT`` of their urbanity class. Shares are of the unscaled country, so a scaled
    region (``households=``) gets its scaled part and the shares of all 352 sum to 1."""
    all_df = municipalities()

    def weights(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        g4 = df["gm_code"].isin(G4).to_numpy()
        return g4, df["inhabitants"].to_numpy() * np.where(g4, 1.0, URBANITY_WEIGHT[df["urbanity_1to5"].to_numpy()])

    g4_all, w_all = weights(all_df)
    g4, w = weights(table)
    return np.where(g4, g4_share * w / w_all[g4_all].sum(), (1 - g4_share) * w / w_all[~g4_all].sum())


def _centre_municipalities(all_df: pd.DataFrame) -> set[str]:
    """Centre municipalities (centrumgemeenten MO/BW) approximated as the largest municipality
    of each COROP region: 40 centres against 43 in reality (no machine-readable list shipped)."""
    idx = all_df.groupby("corop_code")["inhabitants"].idxmax()
    return set(all_df.loc[idx, "gm_code"])


def _graph(df: pd.DataFrame) -> nx.Graph:
    g = nx.Graph()
    for row in df.itertuples(index=False):
        g.add_node(
            row.gm_code,
            **{
                k: getattr(row, k)
                for k in (
                    "gm_name",
                    "corop_code",
                    "province",
                    "inhabitants",
                    "households",
                    "dwellings",
                    "est_corporation_dwellings",
                    "woningmarktregio",
                )
            },
        )
    for key, kind in (("corop_code", "corop"), ("woningmarktregio_nr", "woningmarktregio")):
        for _, members in df.groupby(key)["gm_code"]:
            members = list(members)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if not g.has_edge(a, b):
                        g.add_edge(a, b, kind=kind)
    return g


def build_region(df: pd.DataFrame, rng: np.random.Generator, households_per_neighbourhood: int = 3000) -> Region:
    """Build a region from municipality rows, drawing neighbourhood liveability with ``rng``.

    Each municipality gets one neighbourhood per ``households_per_neighbourhood`` households
    (at least one). Liveability is spread evenly from weak to strong with a little noise, so
    every municipality has weak and strong parts; cheap social homes are put in the weak ones
    when the stock is built (report, 'Ruimtelijk: locaties en spreiding').
    """
    all_df = municipalities()
    centres = _centre_municipalities(all_df)
    corops = sorted(df["corop_code"].unique())
    corop_index = np.array([corops.index(c) for c in df["corop_code"]], dtype=np.int16)
    n_nbh = np.maximum(1, np.round(df["households"].to_numpy() / households_per_neighbourhood)).astype(int)
    nbh_mun = np.repeat(np.arange(len(df), dtype=np.int16), n_nbh)
    live = []
    for k in n_nbh:
        base = (np.arange(k) + 0.5) / k
        live.append(np.clip(base + rng.normal(0, 0.05, k), 0, 1))
    centre = df["gm_code"].isin(centres).to_numpy().copy()
    for c in range(len(corops)):
        members = np.flatnonzero(corop_index == c)
        if not centre[members].any():  # the region cut off its centre: the largest member serves
            centre[members[np.argmax(df["inhabitants"].to_numpy()[members])]] = True
    return Region(
        table=df.reset_index(drop=True),
        graph=_graph(df),
        corop_index=corop_index,
        corops=corops,
        centre=centre,
        population_share=(df["inhabitants"] / all_df["inhabitants"].sum()).to_numpy(),
        nbh_municipality=nbh_mun,
        nbh_liveability=np.concatenate(live).astype(np.float32),
    )
