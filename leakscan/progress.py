"""A progress line on stderr for long scans: share of bytes done, MB/s, ETA.

DuckDB reports the progress of the running query (``query_progress()``, callable from another
thread); the scan tells this module which input it is reducing. Progress is measured in input
bytes: a finished input counts whole, the running one by DuckDB's estimate. The line is drawn
only on a terminal (and never with ``--quiet``), after the scan has run for ``delay`` seconds,
so short scans and pipelines stay silent.
"""

from __future__ import annotations

import sys
import threading
import time


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Polls a DuckDB connection while the scan runs; ``None``-safe no-op when disabled."""

    def __init__(self, stream=None, *, enabled: bool | None = None, delay: float = 2.0,
                 interval: float = 0.5):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.delay, self.interval = delay, interval
        self._con = None
        self._sizes: list[int] = []
        self._done_bytes = 0
        self._current: tuple[int, str] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._drawn = False
        self._start = time.monotonic()

    # -- called by the scanner ------------------------------------------------------------
    def begin(self, con, sizes: list[int]) -> None:
        if not self.enabled:
            return
        self._con, self._sizes, self._start = con, list(sizes), time.monotonic()
        self._thread = threading.Thread(target=self._loop, name="leakscan-progress", daemon=True)
        self._thread.start()

    def reducing(self, index: int, path: str) -> None:
        """Input ``index`` is being read in its full pass."""
        if not self.enabled:
            return
        if self._current is not None:
            self._done_bytes += self._sizes[self._current[0]]
        self._current = (index, path)

    def end(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        if self._drawn:
            self._draw(final=True)
            self.stream.write("\n")
            self.stream.flush()

    # -- drawing ---------------------------------------------------------------------------
    def fraction(self) -> float:
        total = sum(self._sizes) or 1
        done = self._done_bytes
        if self._current is not None and self._con is not None:
            try:
                pct = self._con.query_progress()
            except Exception:  # noqa: BLE001 - progress must never break a scan
                pct = -1
            if pct and pct > 0:
                done += self._sizes[self._current[0]] * min(pct, 100.0) / 100.0
        return min(done / total, 1.0)

    def line(self, final: bool = False) -> str:
        elapsed = max(time.monotonic() - self._start, 1e-9)
        frac = 1.0 if final else self.fraction()
        total_mb = sum(self._sizes) / 1e6
        rate = total_mb * frac / elapsed
        eta = "" if final or frac <= 0 else f", ETA {_clock(elapsed * (1 - frac) / frac)}"
        where = f"  {self._current[1]}" if self._current and not final else ""
        bar = ("#" * int(frac * 20)).ljust(20)
        return (f"leakscan [{bar}] {frac:4.0%}  {total_mb * frac:,.0f}/{total_mb:,.0f} MB, "
                f"{rate:,.1f} MB/s, {_clock(elapsed)}{eta}{where}")

    def _draw(self, final: bool = False) -> None:
        self.stream.write("\r\x1b[2K" + self.line(final))
        self.stream.flush()
        self._drawn = True

    def _loop(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self._draw()
            self._stop.wait(self.interval)
