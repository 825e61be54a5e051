"""Agent-based model of the Dutch housing market seen through its priority groups
(*aandachtsgroepen*). ``HousingModel`` is the entry point; ``abm --help`` the command line."""

from .model import HousingModel

__all__ = ["HousingModel"]
__version__ = "0.1.0"
