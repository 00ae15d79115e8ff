"""The emulator's only source of time: a clock per account that can be frozen and advanced."""

from __future__ import annotations

import time


def wall_time() -> float:
    """Seconds since the epoch (the process's real time)."""
    return time.time()


def monotonic() -> float:
    """Monotonic seconds, for measuring durations."""
    return time.perf_counter()


class Clock:
    """Unix-seconds clock. Live by default; frozen clocks only move when advanced."""

    def __init__(self, frozen_at: int | None = None) -> None:
        self.frozen_at = frozen_at
        self._offset = 0

    def now(self) -> int:
        if self.frozen_at is not None:
            return self.frozen_at
        return int(wall_time()) + self._offset

    def seconds(self) -> float:
        """`now()` with the fraction of the second (what schedules on this clock compare with)."""
        if self.frozen_at is not None:
            return float(self.frozen_at)
        return wall_time() + self._offset

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def freeze(self, at: int | None = None) -> None:
        self.frozen_at = self.now() if at is None else int(at)

    def unfreeze(self) -> None:
        self.frozen_at = None

    def advance(self, seconds: int) -> None:
        if self.frozen_at is not None:
            self.frozen_at += int(seconds)
        else:
            self._offset += int(seconds)

    def untouched(self) -> bool:
        """Live and never advanced: as a new clock is."""
        return self.frozen_at is None and self._offset == 0

    def to_dict(self) -> dict:
        return {"now": self.now(), "frozen": self.frozen_at is not None}
