"""A progress bar on stderr for long scans: share of bytes done, MB/s, ETA (drawn by tqdm).

DuckDB reports the progress of the running query (``query_progress()``, callable from another
thread); the scan tells this module which input it is reducing. Progress is measured in input
bytes: a finished input counts whole, the running one by DuckDB's estimate. A thread polls
DuckDB and moves a tqdm bar, which draws the line (rate, ETA, terminal width). The bar is drawn
only on a terminal (and never with ``--quiet``), after the scan has run for ``delay`` seconds,
so short scans and pipelines stay silent.
"""

from __future__ import annotations

import sys
import threading
import time

from tqdm import tqdm

#: The bar's look: ``leakscan [#####     ]  50%  79.0M/158M B, 25.4MB/s, 0:03<0:03  file.csv``
BAR_FORMAT = ("{desc} [{bar:20}] {percentage:3.0f}%  {n_fmt}/{total_fmt} B, {rate_fmt}, "
              "{elapsed}<{remaining}{postfix}")


class Progress:
    """Polls a DuckDB connection while the scan runs; a no-op when disabled."""

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
        self._bar: tqdm | None = None
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
        if self._bar is not None:
            self._update(final=True)
            self._bar.close()

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

    def _update(self, final: bool = False) -> None:
        total = sum(self._sizes)
        if self._bar is None:
            self._bar = tqdm(total=total, desc="leakscan", unit="B", unit_scale=True,
                             unit_divisor=1000, file=self.stream, bar_format=BAR_FORMAT,
                             ascii=" #", dynamic_ncols=True, mininterval=0, leave=True)
            # the scan began before the bar: rates and the ETA count from the scan's start
            self._bar.start_t = self._bar._time() - (time.monotonic() - self._start)
        self._bar.n = total if final else int(total * self.fraction())
        self._bar.set_postfix_str("" if final or not self._current
                                  else self._current[1], refresh=False)
        self._bar.refresh()

    def _loop(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self._update()
            self._stop.wait(self.interval)
