"""A fair limit on concurrent model steps: at most ``n`` at once, granted first come, first served.

With many sessions playing, a session that releases its slot and asks again goes to the back of
the queue (the slot is handed to the oldest waiter), so a participant's single click waits for
a few months of other sessions' work, never for whole runs.
"""

from __future__ import annotations

import threading
from collections import deque


class FairSlots:
    """A FIFO counting semaphore with hand-over (no barging), used as a context manager."""

    def __init__(self, n: int) -> None:
        if n < 1:
            raise ValueError("need at least one slot")
        self._free = n
        self._lock = threading.Lock()
        self._waiters: deque[threading.Event] = deque()

    def __enter__(self) -> FairSlots:
        with self._lock:
            if self._free > 0 and not self._waiters:
                self._free -= 1
                return self
            turn = threading.Event()
            self._waiters.append(turn)
        turn.wait()  # the releasing thread handed its slot to us
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._free += 1
