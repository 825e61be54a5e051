"""What the model offers measures: the effective parameters and allocation policy of the month,
phase hooks, spending, and a few operations measures need (merging young seekers into one
household, quota shares, pressure per municipality). ``HousingModel`` mixes this in.

A measure's ``act`` does not get the model itself but its ``MeasureView``: a small typed
interface with read access to what measures read, the levers they may set and the actions
they may take. Setting anything else raises, so a lever that nothing reads cannot exist
silently (``transitional_housing`` once set ``model.transitional_contract_months``, which no
process read)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .allocation import ROUTES, AllocationPolicy
from .codes import Place
from .costs import unit_costs
from .params import Params
from .policies import Measure, measure_from_dict
from .social_costs import SocialCostLedger


def merge(base: dict, over: dict) -> dict:
    """Nested dict merge: ``over`` wins, tables merge key by key."""
    out = dict(base)
    for k, v in over.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


class MeasureSupport:
    """Mixin for ``HousingModel``: measures and the state they act on."""

    def _init_measures(self, measures: list[dict[str, Any] | Measure], base_params: Params, base_policy: AllocationPolicy) -> None:
        self.measures = [m if isinstance(m, Measure) else measure_from_dict(m) for m in measures]
        self.base_params = base_params
        self.base_policy = base_policy.to_dict()
        n = self.region.size
        self.measure_spending = np.zeros(n)  # EUR this month, per municipality
        self.municipal_income = np.zeros(n)  # EUR this month: bonuses and compensation received
        self.care_costs_month = np.zeros(n)  # EUR last month: shelter, protected housing, social domain
        self.municipal_effort = np.ones(n)  # 0..1: how much a municipality does (devil's dilemma)
        self.spreading_factor = np.ones(n)  # factor on direct-placement shares from a regional spreading agreement (this month)
        self.quota_shares = self.region.population_share.copy()
        self._active_key: tuple = ()
        self.costs = unit_costs()  # EUR by key, abm/data/costs.csv
        self.social_costs = SocialCostLedger(n, self.costs)  # social-domain costs of housed priority households
        self.measure_view = MeasureView(self)

    def _apply_measures(self) -> None:
        """Effective parameters and allocation policy of this month from the active measures."""
        self.measure_spending = np.zeros(self.region.size)
        self.municipal_income = np.zeros(self.region.size)
        self.spreading_factor = np.ones(self.region.size)  # set again each month by a spreading agreement while it runs
        active = tuple(i for i, m in enumerate(self.measures) if m.active(self.month))
        if active == self._active_key:
            return
        self._active_key = active
        p, policy = self.base_params, self.base_policy
        for i in active:
            m = self.measures[i]
            over = m.params(p)
            if over:
                p = p.with_overrides(over, where=f"measures[{i}] ({m.type})")
            policy = merge(policy, m.allocation(policy))
        self.params = self.world.params = p
        self.policy = self.allocator.policy = AllocationPolicy.model_validate(policy)
        for mun in self.municipality_agents:
            mun.set_urgency_criteria(self.policy.urgency)

    def _act(self, phase: str, timing: str, rng: np.random.Generator) -> None:
        """The active measures of ``phase`` with this ``timing`` act, in list order, on the measure interface."""
        for m in self.measures:
            if m.phase == phase and m.timing == timing and m.active(self.month):
                m.act(self.measure_view, rng)

    # -- what measures use ----------------------------------------------------------------------
    def spend(self, euros: np.ndarray) -> None:
        """Record spending on measures this month (EUR per municipality)."""
        self.measure_spending = self.measure_spending + np.asarray(euros, dtype=float)

    def priority_housed_by_municipality(self) -> np.ndarray:
        """Households housed by urgency or direct placement in the latest allocation, per
        municipality of the home (dwelling rows stay valid when household rows are compacted)."""
        _, _, route, dwellings = self.last_allocations
        prio = np.isin(route, [ROUTES.index(r) for r in ROUTES if r.startswith("direct") or r == "urgency"])
        return np.bincount(self.world.dw.municipality[dwellings[prio]], minlength=self.region.size)

    def waiting_per_letting(self) -> np.ndarray:
        """Per municipality: seekers waiting per letting in the last twelve months (pressure)."""
        from .indicators import INDICATOR_NAMES

        blocks = [v for _, v in self.recorder.blocks[-12:]]
        n = self.region.size
        lettings = sum(b[INDICATOR_NAMES.index("allocations"), :n, 0] for b in blocks) if blocks else np.zeros(n)
        waiting = self.recorder.latest[INDICATOR_NAMES.index("waiting"), :n, 0]
        return waiting / (lettings + 1.0)

    def lettings_last(self, months: int) -> np.ndarray:
        """Per municipality: social lettings in the last ``months`` months."""
        from .indicators import INDICATOR_NAMES

        n = self.region.size
        blocks = [v for _, v in self.recorder.blocks[-months:]]
        return sum(b[INDICATOR_NAMES.index("allocations"), :n, 0] for b in blocks) if blocks else np.zeros(n)

    def direct_placements_last(self, months: int) -> np.ndarray:
        """Per municipality: direct placements of homeless people and institution leavers in the
        last ``months`` months (the homes' municipalities)."""
        from .indicators import INDICATOR_NAMES

        n = self.region.size
        blocks = [v for _, v in self.recorder.blocks[-months:]]
        rows = [INDICATOR_NAMES.index(f"allocations_{r}") for r in ("direct_homeless", "direct_institution")]
        return sum(b[i, :n, 0] for b in blocks for i in rows) if blocks else np.zeros(n)

    def set_quota_shares(self, shares: np.ndarray) -> None:
        """Distribute this half year's permit-holder quota (and arrivals) by ``shares``."""
        self.quota_shares = np.asarray(shares, dtype=float)
        for mun in self.municipality_agents:
            mun.quota = self.params.refugee_quota_half_year * self.quota_shares[mun.index] + mun.quota_backlog

    def merge_households(
        self, groups: np.ndarray, rng: np.random.Generator, contract_months: int | None, dwelling: int | None = None
    ) -> None:
        """Young seekers share a home: each group of rows becomes one household (the first row
        keeps persons, incomes and the earliest registration; the others join it). A 1-D array is
        paired within municipalities. With ``dwelling`` the group moves into it at once, on a
        contract of ``contract_months``."""
        w = self.world
        hh = w.hh
        groups = np.asarray(groups, dtype=np.int64)
        if groups.ndim == 1:
            rows = groups[np.argsort(hh.municipality[groups], kind="stable")]
            same = hh.municipality[rows[:-1:2]] == hh.municipality[rows[1::2]] if rows.size >= 2 else np.empty(0, bool)
            groups = np.stack([rows[:-1:2][same], rows[1::2][same]], axis=1) if rows.size >= 2 else np.empty((0, 2), np.int64)
        if groups.size == 0:
            return
        keep, join = groups[:, 0], groups[:, 1:]
        hh.size[keep] = groups.shape[1]
        hh.adults[keep] = 2
        extra = hh.income[join].sum(axis=1)
        hh.income[keep] += extra
        hh.income_base[keep] += hh.income_base[join].sum(axis=1)
        hh.registered[keep] = np.minimum(hh.registered[keep], hh.registered[join].min(axis=1))
        w.remove(join.ravel(), "joined_household")
        if dwelling is not None:
            w.move_in(keep, np.full(keep.size, dwelling), social=True)
            if contract_months:
                hh.contract_end[keep] = self.month + contract_months

    def _effort_share_factor(self) -> np.ndarray:
        """Factor on the direct-placement shares of homeless people and institution leavers per
        municipality: its effort (devil's dilemma, decisions) times a spreading agreement's factor."""
        return self.municipal_effort * self.spreading_factor

    def _care_costs_now(self) -> None:
        """This month's care costs per municipality (EUR): shelter and protected housing plus the
        social-domain costs: Wmo support given where the supported households live, and permit
        holders' participation support (``abm.social_costs``).
        Roofless people's societal costs (police, justice, health) are not a municipal cost."""
        hh = self.world.hh
        from .codes import InstitutionKind

        inst = hh.place == Place.INSTITUTION
        n = self.region.size
        shelter = np.bincount(
            hh.municipality[inst & np.isin(hh.institution, (InstitutionKind.SHELTER, InstitutionKind.WOMENS_SHELTER))], minlength=n
        )
        bw = np.bincount(hh.municipality[inst & (hh.institution == InstitutionKind.PROTECTED_HOUSING)], minlength=n)
        self.care_costs_month = self.monthly_care_costs(shelter, bw, 0) + self.social_costs.update(self)

    def monthly_care_costs(self, shelter, protected, roofless):
        """EUR a month for residents of shelters and protected housing and roofless people, at the
        unit costs of ``abm/data/costs.csv`` (sources there)."""
        c = self.costs
        return (
            np.asarray(shelter) * c.get("shelter_place_year", 0.0)
            + np.asarray(protected) * c.get("protected_housing_year", 0.0)
            + np.asarray(roofless) * c.get("homeless_societal_year", 0.0)
        ) / 12.0


def _per_municipality(model: Any, name: str, value: Any, lo: float, hi: float) -> np.ndarray:
    """``value`` as a float array with one finite entry in [lo, hi] per municipality, or raise."""
    a = np.asarray(value, dtype=float)
    n = model.region.size
    if a.shape != (n,) or not np.all(np.isfinite(a)) or a.min(initial=lo) < lo or a.max(initial=hi) > hi:
        raise ValueError(f"{name} must be {n} finite values in [{lo}, {hi}], one per municipality")
    return a


class MeasureView:
    """The model as a measure's ``act`` sees it (``act(self, model, rng)``).

    Read: ``world`` (household and dwelling columns), ``region``, ``params`` and ``policy`` of
    the month, ``month``, ``costs`` (unit costs), ``pipeline`` (construction),
    ``municipality_agents``, ``corporations``, ``corporation_of_municipality``,
    ``care_costs_month``, ``quota_shares``, ``last_allocations``, ``base_params``,
    ``social_costs``.

    Levers (settable, each read by a process): ``municipal_effort`` (0..1 per municipality;
    scales the direct-placement shares of homeless people and institution leavers in
    allocation), ``spreading_factor`` (0..10 per municipality, this month: a further factor on
    those shares, from a regional spreading agreement) and ``municipal_income`` (EUR this month per municipality; offsets care costs
    in the devil's dilemma) and ``municipal_budget`` (EUR this month per municipality: the
    budget the municipalities' yearly decisions weigh their costs against, abm/decisions.py).

    Actions: ``spend``, ``set_quota_shares``, ``merge_households``, ``move_in``,
    ``grant_urgency``, ``set_transitional_contract_months``; and the helpers
    ``waiting_per_letting``, ``lettings_last``, ``direct_placements_last``, ``priority_housed_by_municipality``,
    ``monthly_care_costs``.
    Reading or setting any other name raises ``AttributeError``.
    """

    __slots__ = ("_model",)
    READ = (
        "world",
        "region",
        "params",
        "policy",
        "month",
        "costs",
        "pipeline",
        "municipality_agents",
        "corporations",
        "corporation_of_municipality",
        "care_costs_month",
        "quota_shares",
        "last_allocations",
        "base_params",  # the scenario's parameters before measures (what a measure's effect is measured against)
        "social_costs",  # the social-domain cost ledger (abm/social_costs.py, issue 10 section 3)
    )
    LEVERS = ("municipal_effort", "municipal_income", "municipal_budget", "spreading_factor")
    ACTIONS = (
        "spend",
        "set_quota_shares",
        "merge_households",
        "waiting_per_letting",
        "lettings_last",
        "direct_placements_last",
        "priority_housed_by_municipality",
        "monthly_care_costs",
    )

    def __init__(self, model: Any) -> None:
        object.__setattr__(self, "_model", model)

    def __getattr__(self, name: str) -> Any:
        if name in self.READ or name in self.ACTIONS:
            return getattr(self._model, name)
        raise AttributeError(f"measures cannot read 'model.{name}' (the measure interface offers: {', '.join(self._offers())})")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.LEVERS:
            object.__setattr__(self, name, value)  # the property's setter checks it
            return
        raise AttributeError(
            f"measures cannot set 'model.{name}': no process reads it (levers: {', '.join(self.LEVERS)}; "
            f"actions: {', '.join(a for a in self._offers() if a in self.ACTIONS or a in _OWN_ACTIONS)})"
        )

    def __dir__(self) -> list[str]:
        return sorted(self._offers())

    def _offers(self) -> list[str]:
        return [*self.READ, *self.LEVERS, *self.ACTIONS, *_OWN_ACTIONS]

    # -- levers -------------------------------------------------------------------------------------
    @property
    def municipal_effort(self) -> np.ndarray:
        """0..1 per municipality: how much a municipality does for priority groups (devil's dilemma)."""
        return self._model.municipal_effort

    @municipal_effort.setter
    def municipal_effort(self, value: np.ndarray) -> None:
        self._model.municipal_effort = _per_municipality(self._model, "municipal_effort", value, 0.0, 1.0)

    @property
    def spreading_factor(self) -> np.ndarray:
        """Factor per municipality on the direct-placement shares of homeless people and institution
        leavers this month (a regional spreading agreement; 1 without one)."""
        return self._model.spreading_factor

    @spreading_factor.setter
    def spreading_factor(self, value: np.ndarray) -> None:
        self._model.spreading_factor = _per_municipality(self._model, "spreading_factor", value, 0.0, 10.0)

    @property
    def municipal_income(self) -> np.ndarray:
        """EUR this month per municipality: bonuses and compensation received."""
        return self._model.municipal_income

    @municipal_income.setter
    def municipal_income(self, value: np.ndarray) -> None:
        self._model.municipal_income = _per_municipality(self._model, "municipal_income", value, 0.0, np.inf)

    @property
    def municipal_budget(self) -> np.ndarray | None:
        """EUR this month per municipality: the budget set by a measure (None: the reference year's)."""
        return self._model.decisions.budget_month

    @municipal_budget.setter
    def municipal_budget(self, value: np.ndarray) -> None:
        self._model.decisions.budget_month = _per_municipality(self._model, "municipal_budget", value, 0.0, np.inf)

    # -- actions ------------------------------------------------------------------------------------
    def move_in(self, rows: np.ndarray, dwellings: np.ndarray, social: bool) -> None:
        """Households ``rows`` move into vacant ``dwellings`` (see ``World.move_in``)."""
        self._model.world.move_in(rows, dwellings, social=social)

    def grant_urgency(self, rows: np.ndarray, social: bool = True) -> None:
        """Grant urgency to ``rows`` for their municipality's urgency duration (``World.grant_urgency``)."""
        self._model.world.grant_urgency(rows, social=social)

    def set_transitional_contract_months(self, months: int) -> None:
        """Contract length of the temporary tenancy in transitional homes (*doorstroomhuizen*),
        which the allocation gives a permit holder who moves into one."""
        months = int(months)
        if not 1 <= months <= 600:
            raise ValueError(f"transitional contract months must be in [1, 600], got {months}")
        self._model.allocator.transitional_months = months


_OWN_ACTIONS = ("move_in", "grant_urgency", "set_transitional_contract_months")
