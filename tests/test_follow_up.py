"""Follow-up housing for temporary tenants (doorstroomgarantie): ``temporary_follow_up`` is the
share of flex and transitional tenants who get urgency for a regular social home when their
contract ends (issue 10: it was read as a switch at 0.5, so values between did nothing)."""

from __future__ import annotations

import numpy as np
import pytest

from abm import HousingModel
from abm.codes import Place, Urgency
from abm.households import NEVER
from abm.processes import flows


def _world_with_ending_contracts(share: float, n: int = 600):
    m = HousingModel(corop=["CR17"], households=4000, params={"temporary_follow_up": share}, rng=7)
    w = m.world
    w.month = 5
    hh = w.hh
    rows = np.flatnonzero(hh.place == Place.DWELLING)[:n]
    w.dw.end_month[hh.dwelling[rows]] = 100  # flex sites: temporary homes
    hh.contract_end[rows] = w.month
    hh.urgency[rows] = Urgency.NONE
    hh.urgency_until[rows] = NEVER
    return w, rows


@pytest.mark.parametrize("share", [0.0, 0.3, 0.7, 1.0])
def test_follow_up_is_a_share_of_ending_contracts(share):
    w, rows = _world_with_ending_contracts(share)
    flows.contracts_ending(w, np.random.default_rng(1))
    urgent = (w.hh.urgency[rows] == Urgency.SOCIAL) & (w.hh.urgency_until[rows] > w.month)
    assert abs(urgent.mean() - share) < 0.06, (share, urgent.mean())


def test_follow_up_is_decided_once_not_every_month():
    w, rows = _world_with_ending_contracts(0.5)
    flows.contracts_ending(w, np.random.default_rng(1))
    first = (w.hh.urgency[rows] == Urgency.SOCIAL).sum()
    w.month += 1  # still in the grace period: no second draw for those who got none
    flows.contracts_ending(w, np.random.default_rng(2))
    assert (w.hh.urgency[rows] == Urgency.SOCIAL).sum() == first
