"""Real CBS data, the region graph, and the indicators contract."""

from __future__ import annotations

import numpy as np
import pytest

from abm import HousingModel
from abm.codes import GROUPS
from abm.indicators import INDICATOR_NAMES
from abm.region import build_region, municipalities, select

REQUIRED = [
    "households",
    "homeless",
    "in_institution",
    "blocked_in_institution",
    "waiting",
    "allocations",
    "wait_months_median",
    "wait_months_p90",
    "vacancies",
    "moves",
    "evictions",
    "completions",
]


def test_cbs_data_totals():
    df = municipalities()
    assert len(df) == 352
    assert df["households"].sum() == 8_043_443 and df["inhabitants"].sum() == 17_475_415
    utrecht = select(corop=["CR17"])
    assert len(utrecht) == 26
    assert utrecht["households"].sum() == pytest.approx(614_000, rel=0.01)
    assert utrecht["est_corporation_dwellings"].sum() == pytest.approx(162_000, rel=0.01)


def test_region_graph_links_the_corop_region():
    r = build_region(select(corop=["CR17", "CR23"]), np.random.default_rng(0))
    g = r.graph
    assert g.number_of_nodes() == 26 + 13
    assert g.has_edge("GM0344", "GM0307")  # Utrecht - Amersfoort, both CR17
    assert g.nodes["GM0344"]["households"] == 181775
    assert {d["kind"] for _, _, d in g.edges(data=True)} <= {"corop", "woningmarktregio"}
    assert r.centre[r.index_of("GM0344")] and not r.centre[r.index_of("GM0307")]


def test_real_single_municipality_builds_every_household():
    m = HousingModel(municipalities=["GM0589"], rng=1)  # Oudewater, 4,278 households
    w = m.world
    housed = int((w.hh.place == 0).sum())
    assert housed == 4278
    assert m.agents_by_type  # corporations and municipalities are mesa agents
    w.check()


def test_contract_columns_and_totals(small_runs):
    m = small_runs[1]
    df = m.indicators()
    assert set(REQUIRED) <= set(df["indicator"].cat.categories)
    assert set(df["group"].cat.categories) == {"all", *GROUPS}
    assert "total" in set(df["municipality"].cat.categories)
    assert set(df["municipality"].cat.categories) - {"total"} == set(m.region.codes)
    assert df["month"].dtype.kind == "i" and df["value"].dtype == np.float64
    # For counts, the total equals the sum over municipalities, and 'all' >= any group.
    counts = df[df["indicator"].isin(["households", "homeless", "allocations", "waiting", "evictions"])]
    by = counts[counts["municipality"] != "total"].groupby(["month", "indicator", "group"], observed=True)["value"].sum()
    tot = counts[counts["municipality"] == "total"].set_index(["month", "indicator", "group"])["value"]
    assert np.allclose(by.sort_index().to_numpy(), tot.loc[by.sort_index().index].to_numpy())
    wide = counts.pivot_table(index=["month", "municipality", "indicator"], columns="group", values="value", observed=True)
    assert (wide[list(GROUPS)].max(axis=1) <= wide["all"] + 1e-9).all()


def test_datacollector_matches_the_table(small_runs):
    m = small_runs[2]
    dc = m.datacollector.get_model_vars_dataframe()
    df = m.indicators()
    tot = df[(df["municipality"] == "total") & (df["group"] == "all")].pivot_table(
        index="month", columns="indicator", values="value", observed=True
    )
    for name in REQUIRED:
        assert np.allclose(dc[name].to_numpy(), tot[name].to_numpy(), equal_nan=True), name
    assert len(INDICATOR_NAMES) >= len(REQUIRED)


def test_household_and_dwelling_views(small_runs):
    m = small_runs[3]
    v = m.household(0)
    assert v.municipality.startswith("GM") and v.place in {"dwelling", "institution", "homeless", "living_in", "gone"}
    if v.dwelling is not None:
        assert m.dwelling(v.dwelling).occupant == 0


def test_group_definitions(small_runs):
    """The packed group bits agree with the plain definitions of each group."""
    from abm.codes import CareNeed, Flag, InstitutionKind, Place, Urgency

    m = small_runs[1]
    hh, month = m.world.hh, m.month
    masks = hh.group_masks(month)
    age, urgent = hh.age, hh.urgency_until > month
    ref = {
        "senior": age >= 65 * 12,
        "young_adult": (age >= 18 * 12) & (age < 23 * 12),
        "homeless": (hh.place == Place.HOMELESS)
        | ((hh.place == Place.INSTITUTION) & np.isin(hh.institution, (InstitutionKind.SHELTER, InstitutionKind.WOMENS_SHELTER))),
        "social_urgent": urgent & (hh.urgency == Urgency.SOCIAL),
        "medical_urgent": urgent & (hh.urgency == Urgency.MEDICAL),
        "wheelchair": hh.care == CareNeed.WHEELCHAIR,
        "refugee": (hh.labels & Flag.REFUGEE) != 0,
        "student": (hh.labels & Flag.STUDENT) != 0,
        "labour_migrant": (hh.labels & Flag.LABOUR_MIGRANT) != 0,
        "institution_leaver": (hh.labels & Flag.INSTITUTION_LEAVER) != 0,
        "caravan": (hh.labels & Flag.CARAVAN) != 0,
    }
    other = np.zeros(hh.n, dtype=bool)
    for g, mask in ref.items():
        assert np.array_equal(mask, masks[g]), g
        other |= mask
    assert np.array_equal(~other, masks["regular"])
    assert all(mask.any() for g, mask in masks.items() if g not in ("social_urgent", "medical_urgent", "caravan"))
