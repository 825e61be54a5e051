"""Measures of the emergency package (*spoedpakket*) and the other measures of the report, as
pluggable objects with a timeline (see ``base.py``). ``REGISTRY`` maps each ``type`` name to
its class; ``measure_from_dict`` builds one from a scenario file's ``[[measures]]`` entry."""

from . import (  # noqa: F401  (registers)
    allocation_settings,
    homelessness,
    iron_stock,
    money,
    moving_on,
    prevention,
    refugees,
    smart_allocation,
    spreading,
    supply,
    young_adults,
)
from .base import PHASES, REGISTRY, Measure, measure_from_dict, register

__all__ = ["PHASES", "REGISTRY", "Measure", "measure_from_dict", "register"]
