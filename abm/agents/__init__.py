"""The few actors that make decisions: housing corporations and municipalities (``mesa.Agent``)."""

from .corporation import Corporation
from .municipality import Municipality

__all__ = ["Corporation", "Municipality"]
