"""Values computed from a unit's records, reused while the head of its event chain is unchanged.

Every change to the records appends an event to the unit's hash chain (:mod:`gongkai.core.records.chain`),
which moves the chain's head, so the database, the unit, the head and what else the value
depends on (the day, the page asked for, the reader's roles) are an exact key: a value is
reused only while nothing it was computed from has changed. The caches live in each process
(a worker of ``gongkai serve``), bounded, least recently used dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import text

T = TypeVar("T")

_HEAD = text("SELECT length, last_hash FROM audit_chain WHERE unit_id = :unit_id")


def chain_head(session: Any) -> tuple[Any, ...] | None:
    """Where the session's records stand: (database, unit, events in the chain, last hash);
    None on a district-wide session (no one chain covers it: nothing is reused).

    Read it in the same transaction as the records the value comes from (on SQLite the
    transaction's snapshot holds both)."""
    from gongkai.core.records.scoping import unit_of

    unit_id = unit_of(session)
    if unit_id is None:
        return None
    row = session.execute(_HEAD, {"unit_id": unit_id}).first()
    return (str(session.get_bind().url), unit_id, *(row or (0, "")))


class HeadCache:
    """A bounded map from (chain head, key) to a computed value.

    A value is computed once per worker at a time: the threads that ask for it while one
    computes it wait for that one (after a write, every reader of a busy page would otherwise
    build the same page at once, each on the same records)."""

    WAIT_SECONDS = 30.0  # then a waiting thread computes the value itself

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._computing: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()  # the worker's request threads share it

    def _known(self, full: Hashable) -> tuple[bool, Any]:
        with self._lock:
            if full in self._values:
                self._values.move_to_end(full)
                return True, self._values[full]
        return False, None

    def get(self, head: tuple[Any, ...] | None, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key`` at ``head`` (:func:`chain_head`), computed if not yet known."""
        if head is None:
            return compute()
        full = (head, key)
        with self._lock:
            if full in self._values:
                self._values.move_to_end(full)
                return self._values[full]  # type: ignore[no-any-return]
            computing = self._computing.get(full)
            if computing is None:
                mine = self._computing[full] = threading.Event()
        if computing is not None:  # another thread computes it: the same records, the same value
            computing.wait(self.WAIT_SECONDS)
            known, value = self._known(full)
            return value if known else compute()  # type: ignore[no-any-return]  # (it failed: compute here)
        try:
            value = compute()
            with self._lock:
                self._values[full] = value
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
        finally:
            with self._lock:
                del self._computing[full]
            mine.set()
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
