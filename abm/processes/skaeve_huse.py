"""Skaeve Huse: low-stimulus homes for tenants who cause serious nuisance, and the way back.

The report ('Woonwensen en aandachtsgroepen', box *Skaeve Huse - Oplossing ernstige
woonoverlast*, after Rotterdam): *een bijzondere woonvorm voor bewoners van de stad die zich niet
aan een gewone woonomgeving kunnen of willen aanpassen. In het Skaeve Huse wonen zij onder
begeleiding, in een rustige omgeving, met weinig prikkels van buitenaf. Zo zorgen zij ervoor dat
woonoverlast wordt voorkomen ... Skaeve Huse is niet bedoeld als 'eindstation' - de bewoners
kunnen op termijn terugkeren naar woonwijken. Dit gebeurt alleen als ze geen woonoverlast meer
veroorzaken.* Issue 16 §4 and issue 17 item 12 (before, the ODD listed the type but no unit
existed). The model:

- **Stock.** The centre municipality of each COROP region (the one that also runs the shelters)
  holds ``skaeve_huse_per_100k`` units per 100,000 inhabitants of its region
  (CBS 2021), rounded; one-room corporation homes
  (type ``SKAEVE_HUSE``, label ``SKAEVE``) in the municipality's middle neighbourhood by
  liveability, vacant at the start. They are never let through the queues or the
  direct-placement routes (abm/allocation).
- **Placement** (economy phase, in ``economy.nuisance``). A nuisance case that would end in an
  eviction is referred, with chance ``skaeve_huse_referral_share``, to a free unit of the centre
  municipality serving the tenant's municipality; the tenant moves there instead of being
  evicted (the home it leaves starts the next link of the unit's vacancy chain).
- **While there.** Residents cause no nuisance (the quiet setting is what prevents it); arrears
  and everything else run as for any corporation tenant.
- **The way back** (outflow phase, ``returns``). Nuisance in the model comes from a support need
  (abm/support.py), so a resident no longer causes nuisance once the need has ended: such a
  resident then seeks a regular home with (social) urgency for the municipality's urgency
  duration, and leaves the unit free for the next case when it is let one.
"""

from __future__ import annotations

import numpy as np

from ..codes import DwellingType, Label, Tenure
from ..world import World


def units_per_centre(w: World) -> np.ndarray:
    """Skaeve Huse units per municipality: in each COROP region's centre municipality, the
    region's inhabitants (CBS 2021, scaled with the region) / 100,000 × ``skaeve_huse_per_100k``,
    rounded."""
    reg = w.region
    pop = reg.table["inhabitants"].to_numpy(dtype=np.float64)
    per_corop = np.bincount(reg.corop_index, weights=pop, minlength=len(reg.corops))
    units = np.zeros(reg.size, dtype=np.int64)
    centres = np.flatnonzero(reg.centre)
    for c in range(len(reg.corops)):
        members = centres[reg.corop_index[centres] == c]
        if members.size:
            units[members[0]] = int(round(per_corop[c] / 1e5 * w.params.skaeve_huse_per_100k))
    return units


def add_units(w: World, corporation_of_municipality: np.ndarray) -> np.ndarray:
    """Add the initial Skaeve Huse units (vacant) to the stock; returns their dwelling rows.
    A centre municipality without a corporation gets none."""
    reg, dw = w.region, w.dw
    units = units_per_centre(w)
    rows = []
    for m in np.flatnonzero(units > 0):
        corp = int(corporation_of_municipality[m])
        if corp < 0:
            continue
        nbh = np.flatnonzero(reg.nbh_municipality == m)
        k = nbh[np.argsort(reg.nbh_liveability[nbh], kind="stable")[nbh.size // 2]]
        rent = 360.0 + 40.0 + 100.0 * float(reg.nbh_liveability[k])  # synth_stock.social_rent for one room, without noise
        rows.append(
            dw.add(
                int(units[m]),
                municipality=m,
                neighbourhood=k,
                tenure=Tenure.SOCIAL,
                dtype=DwellingType.SKAEVE_HUSE,
                rooms=1,
                rent=rent,
                label=Label.SKAEVE,
                corporation=corp,
                vacant_since=w.month,
            )
        )
    return np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)


def residents(w: World) -> np.ndarray:
    """Rows of households living in a Skaeve Huse unit."""
    dw = w.dw
    return dw.occupant[(dw.label == Label.SKAEVE) & dw.exists & (dw.occupant >= 0)].astype(np.int64)


def refer(w: World, cases: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Tenants of ``cases`` (nuisance cases heading for an eviction) referred to a free unit of
    the centre municipality serving their municipality, in order while units last, move there.
    Returns the rows placed; the others are evicted by the caller."""
    if cases.size == 0:
        return cases
    from ..institutions import centre_of  # institutions imports processes: import here

    dw = w.dw
    referred = cases[rng.random(cases.size, dtype=np.float32) < w.params.skaeve_huse_referral_share]
    free = np.flatnonzero((dw.label == Label.SKAEVE) & dw.vacant)
    if referred.size == 0 or free.size == 0:
        return referred[:0]
    where = centre_of(w, w.hh.municipality[referred])
    placed, units = [], []
    for m in np.unique(where):
        unit = free[dw.municipality[free] == m]
        who = referred[where == m][: unit.size]
        placed.append(who)
        units.append(unit[: who.size])
    placed_rows, unit_rows = np.concatenate(placed), np.concatenate(units)
    w.counters.skaeve_huse_placed.append(w.groups_now(placed_rows))
    w.counters.skaeve_huse_placed_municipality.append(dw.municipality[unit_rows].astype(np.int64))
    w.move_in(placed_rows, unit_rows, social=True)
    return placed_rows


def returns(w: World, rng: np.random.Generator) -> np.ndarray:
    """Residents whose support need has ended (they no longer cause nuisance) seek a regular
    home with social urgency; returns the rows that started the way back this month."""
    hh = w.hh
    rows = residents(w)
    back = rows[(hh.support_need[rows] == 0) & ~hh.seeking[rows]]
    w.start_seeking(back, w.params.regional_search_share, rng)
    w.grant_urgency(back, social=True)
    return back
