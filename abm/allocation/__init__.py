"""Allocation of social vacancies (*woningtoewijzing*): competing rules combined in a policy.

``AllocationPolicy`` holds the rules and their settings (``policy.py``); ``Allocator`` lets a
month's vacancies under it (``engine.py``), using queues by eligibility bucket
(``queues.py``, ``classes.py``) so that a month costs O(n log n + v·b), never O(v·n).
"""

from .classes import size_class
from .engine import Allocator, Result
from .policy import ROUTES, AllocationPolicy

__all__ = ["ROUTES", "AllocationPolicy", "Allocator", "Result", "size_class"]
