"""Allocation settings as a measure: any setting of the allocation policy (urgency criteria,
quota shares, lottery share, neighbourhood cap, priority for those who free a home) changed for
a period (report, 'Beleid en samenwerking'; the competing rules of ``abm.allocation``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import field_validator

from .base import Measure, register


@register
class AllocationSettings(Measure):
    """Change allocation settings while active, e.g. ``{"lottery": {"enabled": true, "share":
    0.2}}`` or ``{"urgency": {"homeless": true}}``; validated against the allocation policy."""

    type: Literal["allocation_settings"] = "allocation_settings"
    settings: dict[str, Any] = {}
    category = "allocation"
    target = "allocations_lottery"
    direction = 1

    @field_validator("settings")
    @classmethod
    def _valid(cls, v: dict[str, Any]) -> dict[str, Any]:
        from ..scenarios import policy_error

        msg = policy_error(v)
        if msg:
            raise ValueError(msg)
        return v

    def allocation(self, policy):
        return self.settings
