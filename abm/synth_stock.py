"""Initial dwelling stock of a region, from CBS counts per municipality (KWB 2021).

Per municipality the occupied self-contained stock is the CBS dwelling count less the CBS
vacancy share (*leegstand*, mostly homes between tenants, for sale or under renovation, which
the model leaves out). Households beyond that stock live in rooms with shared facilities
(*onzelfstandige eenheden*): student and other rooms, which is why Utrecht, Groningen or Leiden
have more households than dwellings. Tenure follows the CBS ownership shares.
"""

from __future__ import annotations

import numpy as np

from .codes import DwellingType, Label, Tenure
from .dwellings import Dwellings
from .params import Params
from .region import Region

# Dwelling-type mix by tenure (shares; the rest of the mix comes from the named types).
# Report section 'Woonwensen en aandachtsgroepen' names the types; the shares are M.
TYPE_MIX = {
    Tenure.SOCIAL: {
        DwellingType.FAMILY: 0.35,
        DwellingType.APARTMENT: 0.43,
        DwellingType.ZERO_STEP: 0.17,
        DwellingType.WHEELCHAIR: 0.01,
        DwellingType.CLUSTERED: 0.035,
        DwellingType.CARAVAN_PITCH: 0.005,
    },
    Tenure.PRIVATE: {DwellingType.FAMILY: 0.30, DwellingType.APARTMENT: 0.60, DwellingType.ZERO_STEP: 0.10},
    Tenure.OWNER: {DwellingType.FAMILY: 0.70, DwellingType.APARTMENT: 0.22, DwellingType.ZERO_STEP: 0.08},
}
ROOMS = {  # dwelling type -> (min, max) rooms including the living room
    DwellingType.FAMILY: (3, 6),
    DwellingType.APARTMENT: (1, 4),
    DwellingType.ZERO_STEP: (2, 3),
    DwellingType.WHEELCHAIR: (2, 4),
    DwellingType.ROOM: (1, 1),
    DwellingType.FLEX: (1, 2),
    DwellingType.CLUSTERED: (2, 3),
    DwellingType.CARAVAN_PITCH: (3, 4),
    DwellingType.SKAEVE_HUSE: (1, 2),
}
LIBERALISATION_LIMIT = 752.33  # EUR/month 2021, max social rent (FACTS B, V)


def social_rent(rooms: np.ndarray, liveability: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Social rent (EUR/month): cheaper in weak neighbourhoods and for fewer rooms; mean ≈ 530,
    most homes below the capping limits (ILT 2022: a growing share of the stock is)."""
    rooms = rooms.astype(np.float64)
    rent = 360 + 40 * rooms + 100 * liveability + rng.normal(0, 45, rooms.size)
    return np.clip(rent, 250, LIBERALISATION_LIMIT).astype(np.float32)


def private_rent(rooms: np.ndarray, liveability: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Private rent (EUR/month); rooms with shared facilities cost about 450."""
    rooms = rooms.astype(np.float64)
    rent = 600 + 180 * rooms + 250 * liveability + rng.normal(0, 120, rooms.size)
    rent = np.where(rooms <= 1, 450 + rng.normal(0, 80, rooms.size), rent)
    return np.clip(rent, 250, None).astype(np.float32)


def draw_rooms(dtype: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    lo = np.array([ROOMS[DwellingType(t)][0] for t in range(len(DwellingType))])
    hi = np.array([ROOMS[DwellingType(t)][1] for t in range(len(DwellingType))])
    return rng.integers(lo[dtype], hi[dtype] + 1).astype(np.int8)


def placement_weights(social: bool, liveability: np.ndarray) -> np.ndarray:
    """Where a tenure's homes stand among a municipality's neighbourhoods (relative weights).

    Social homes lean to the weak neighbourhoods (weight 1.4 − L) and private and owner homes to
    the strong (0.4 + L), the pattern the report describes: *de goedkope sociale huurwoningen
    [staan] vaak in de kwetsbare wijken* ('Ruimtelijk: locaties en spreiding'). Calibrated by eye
    to the 2021 snapshot's contrast (status M); new homes start from it (abm/processes/construction.py).
    """
    return (1.4 - liveability) if social else (0.4 + liveability)


def stock_counts(region: Region) -> dict[str, np.ndarray]:
    """Per municipality: occupied social, private and owner dwellings and rooms (counts)."""
    t = region.table
    dwellings = t["dwellings"].to_numpy(dtype=float)
    households = t["households"].to_numpy(dtype=float)
    occupied = np.round(dwellings * (1 - t["pct_unoccupied"].to_numpy() / 100.0))
    occupied = np.minimum(occupied, households)
    corp = t["est_corporation_dwellings"].to_numpy(dtype=float)
    other = t["est_other_rental_dwellings"].to_numpy(dtype=float)
    share_corp = corp / np.maximum(dwellings, 1)
    share_other = other / np.maximum(dwellings, 1)
    social = np.round(occupied * share_corp)
    private = np.round(occupied * share_other)
    owner = occupied - social - private
    rooms = households - occupied
    return {"social": social.astype(int), "private": private.astype(int), "owner": owner.astype(int), "rooms": rooms.astype(int)}


def build_stock(region: Region, p: Params, rng: np.random.Generator) -> tuple[Dwellings, np.ndarray]:
    """All dwellings of the region (occupied stock plus rooms), with no occupants yet.

    Returns the store and, per corporation, its municipality index. Social homes are placed
    mostly in weak neighbourhoods, private and owner homes mostly in strong ones.
    """
    counts = stock_counts(region)
    d = Dwellings(capacity=int(region.table["households"].sum() * 1.15) + 1024)
    corp_muni: list[int] = []
    for m in range(region.size):
        nbh = np.flatnonzero(region.nbh_municipality == m)
        live = region.nbh_liveability[nbh]
        n_corp = 0
        if counts["social"][m] > 0:
            n_corp = int(np.ceil(counts["social"][m] / p.corporation_size))
            first_corp = len(corp_muni)
            corp_muni.extend([m] * n_corp)
        for tenure, n in ((Tenure.SOCIAL, counts["social"][m]), (Tenure.PRIVATE, counts["private"][m]), (Tenure.OWNER, counts["owner"][m])):
            if n <= 0:
                continue
            mix = TYPE_MIX[tenure]
            dtype = rng.choice(np.array(list(mix), dtype=np.int8), size=n, p=np.array(list(mix.values())) / sum(mix.values()))
            w = placement_weights(tenure == Tenure.SOCIAL, live)
            k = rng.choice(nbh.size, size=n, p=w / w.sum())
            rooms = draw_rooms(dtype, rng)
            rent = social_rent(rooms, live[k], rng) if tenure == Tenure.SOCIAL else private_rent(rooms, live[k], rng)
            label = np.full(n, Label.NONE, dtype=np.int8)
            label[dtype == DwellingType.WHEELCHAIR] = Label.WHEELCHAIR
            label[dtype == DwellingType.CARAVAN_PITCH] = Label.CARAVAN
            label[(dtype == DwellingType.ZERO_STEP) & (rng.random(n, dtype=np.float32) < p.senior_label_share)] = Label.SENIOR
            corp = (first_corp + (k % n_corp)) if tenure == Tenure.SOCIAL else -1
            d.add(
                n, municipality=m, neighbourhood=nbh[k], tenure=tenure, dtype=dtype, rooms=rooms, rent=rent, label=label, corporation=corp
            )
        n = counts["rooms"][m]
        if n > 0:
            social = rng.random(n, dtype=np.float32) < (p.room_social_share if n_corp else 0.0)
            k = rng.choice(nbh.size, size=n, p=(0.5 + live) / (0.5 + live).sum())
            rooms = np.ones(n, dtype=np.int8)
            rent = private_rent(rooms, live[k], rng)
            label = np.where(rng.random(n, dtype=np.float32) < p.room_student_share, Label.STUDENT, Label.NONE).astype(np.int8)
            corp = np.where(social, (first_corp + (k % max(n_corp, 1))) if n_corp else -1, -1)
            d.add(
                n,
                municipality=m,
                neighbourhood=nbh[k],
                tenure=np.where(social, Tenure.SOCIAL, Tenure.PRIVATE),
                dtype=DwellingType.ROOM,
                rooms=rooms,
                rent=rent,
                label=label,
                corporation=corp,
            )
    return d, np.array(corp_muni, dtype=np.int16)
