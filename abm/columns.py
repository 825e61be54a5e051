"""A growable table of numpy columns: the storage behind households and dwellings.

Households are many (8 M nationally), so they are stored as one numpy array per attribute
rather than one Python object each; a month's processes are then a handful of vector
operations over those arrays. Rows are appended; a household that leaves keeps its row (marked
gone) until the store is compacted at the start of a month, which renumbers rows. A stable
identifier, where one is needed, is a column of its own (households have ``hid``).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class ColumnStore:
    """Columns of equal length ``n`` with spare capacity; subclasses declare ``SCHEMA``.

    ``SCHEMA`` maps a column name to ``(dtype, default)``. Column arrays are exposed as
    attributes, sliced to the live length ``n`` (views, so writes go to the store).
    """

    SCHEMA: dict[str, tuple[Any, Any]] = {}

    def __init__(self, capacity: int = 1024) -> None:
        self.n = 0
        self._cap = max(16, int(capacity))
        self._data = {name: np.full(self._cap, default, dtype=dt) for name, (dt, default) in self.SCHEMA.items()}

    def __len__(self) -> int:
        return self.n

    def __getattr__(self, name: str) -> np.ndarray:
        # Only reached when normal lookup fails: serve columns as live-length views.
        data = self.__dict__.get("_data")
        if data is not None and name in data:
            return data[name][: self.__dict__["n"]]
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        data = self.__dict__.get("_data")
        if data is not None and name in data:
            data[name][: self.n] = value
        else:
            object.__setattr__(self, name, value)

    def _grow(self, need: int) -> None:
        cap = self._cap
        while cap < need:
            cap *= 2
        if cap == self._cap:
            return
        for name, (dt, default) in self.SCHEMA.items():
            new = np.full(cap, default, dtype=dt)
            new[: self.n] = self._data[name][: self.n]
            self._data[name] = new
        self._cap = cap

    def add(self, count: int, **values: Any) -> np.ndarray:
        """Append ``count`` rows; ``values`` give columns (scalars or arrays). Returns the new row numbers."""
        count = int(count)
        if count <= 0:
            return np.empty(0, dtype=np.int64)
        unknown = set(values) - set(self.SCHEMA)
        if unknown:
            raise KeyError(f"unknown columns: {sorted(unknown)}")
        self._grow(self.n + count)
        start, stop = self.n, self.n + count
        for name, value in values.items():
            self._data[name][start:stop] = value
        self.n = stop
        return np.arange(start, stop, dtype=np.int64)

    def keep(self, rows: np.ndarray) -> None:
        """Keep only ``rows`` (in order), dropping the others; row numbers change."""
        k = rows.size
        for name, (_, default) in self.SCHEMA.items():
            col = self._data[name]
            col[:k] = col[rows]
            col[k : self.n] = default  # rows added later must start from the defaults
        self.n = k

    def row(self, i: int) -> dict[str, Any]:
        """All columns of row ``i`` as plain Python values."""
        if not 0 <= i < self.n:
            raise IndexError(f"row {i} out of range 0..{self.n - 1}")
        return {name: self._data[name][i].item() for name in self.SCHEMA}

    def columns(self) -> dict[str, np.ndarray]:
        return {name: self._data[name][: self.n] for name in self.SCHEMA}

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self._data.values())
