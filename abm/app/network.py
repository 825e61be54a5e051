"""A map-like network of the region's municipalities, coloured by pressure, blocked outflow or
concentration of vulnerable households.

The data hold no coordinates, so the layout is schematic: Kamada-Kawai on the region graph
(municipalities of one housing-market region close together), computed once per region and
cached for the process; drawing a frame only recolours the nodes.
"""

from __future__ import annotations

from functools import lru_cache

import networkx as nx
import numpy as np
from matplotlib.figure import Figure

from . import series as s
from .texts import t

METRICS = ("pressure", "blocked", "concentration")


@lru_cache(maxsize=16)
def layout(region_key: str, codes: tuple[str, ...], centres: tuple[str, ...], edges: tuple[tuple[str, str], ...]) -> dict[str, np.ndarray]:
    """Node positions for a region (cached by region key and graph). One COROP region: its
    centre municipality (*centrumgemeente*, which runs the shelters) in the middle, the others
    around it; several: Kamada-Kawai on the graph, so each COROP region forms a cluster."""
    g = nx.Graph()
    g.add_nodes_from(codes)
    g.add_edges_from(edges)
    if len(codes) <= 2:
        return {c: np.array([float(i), 0.0]) for i, c in enumerate(codes)}
    if len(centres) == 1:
        return nx.shell_layout(g, nlist=[list(centres), [c for c in codes if c not in centres]])
    return nx.kamada_kawai_layout(g)


def positions(region_key: str, region) -> dict[str, np.ndarray]:
    codes = tuple(region.codes)
    centres = tuple(c for c, is_centre in zip(codes, region.centre, strict=True) if is_centre)
    return layout(region_key, codes, centres, tuple(sorted(region.graph.edges())))


def metric_values(model, metric: str) -> np.ndarray:
    """Per municipality: the chosen colouring metric from the latest month."""
    blocks = model.recorder.blocks
    if metric == "pressure":
        return np.asarray(model.waiting_per_letting(), dtype=float)
    households = np.maximum(s.latest_by_municipality(blocks, "households"), 1.0)
    if metric == "blocked":
        return s.latest_by_municipality(blocks, "blocked_in_institution") / households * 1000.0
    if metric == "concentration":
        return s.latest_by_municipality(blocks, "vulnerable_share")
    raise ValueError(f"unknown metric '{metric}' (known: {', '.join(METRICS)})")


def figure(model, region_key: str, metric: str, lang: str) -> Figure:
    reg = model.region
    pos = positions(region_key, reg)
    codes = reg.codes
    xy = np.array([pos[c] for c in codes])
    values = np.nan_to_num(metric_values(model, metric))
    households = reg.table["households"].to_numpy(dtype=float)
    size = 60 + 900 * np.sqrt(households / max(households.max(), 1.0))
    fig = Figure(figsize=(9.6, 5.6), dpi=80, layout="constrained")
    ax = fig.subplots()
    index = {c: i for i, c in enumerate(codes)}
    for a, b in reg.graph.edges():
        i, j = index[a], index[b]
        if reg.centre[i] != reg.centre[j]:  # spokes to the centre municipality of the COROP region
            ax.plot(xy[[i, j], 0], xy[[i, j], 1], color="#bdbdbd", lw=0.6, zorder=1)
    sc = ax.scatter(xy[:, 0], xy[:, 1], s=size, c=values, cmap="OrRd", edgecolors="#424242", linewidths=0.6, zorder=2)
    fig.colorbar(sc, ax=ax, shrink=0.8).ax.tick_params(labelsize=7)
    names = reg.table["gm_name"].tolist()
    for (x, y), name in zip(xy, names, strict=True):
        ax.annotate(name, (x, y), fontsize=6, ha="center", va="center", zorder=3)
    ax.set_title(t(metric, lang), fontsize=10)
    ax.set_axis_off()
    return fig
