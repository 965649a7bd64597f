"""A progress bar on stderr for long scans: share of the whole scan done, MB/s, ETA (tqdm).

The scan has three stages whose cost was measured (``benchmarks/RESULTS.md``; 1M-row CSV,
6.9 s: hashing, sniffing and classifying about 1 s, the main pass 3.9 s, counting and person
linking about 1.6 s; at 20M rows under 1 GB the counting share grows: main pass 86 s, counting
and linking about 64 s), so the bar weighs them ``STAGE_WEIGHTS``: preparing 10 %, the main
pass 60 %, counting 30 %. Within preparing and the main pass, progress is measured in input
bytes (a finished input whole, the running one by DuckDB's ``query_progress()``, callable from
another thread); counting has no byte measure, so it advances with its elapsed time against
the time it is expected to take (the main pass's time times the ratio of the weights), and
stops at 95 % of its share until it is done. Without the weighting the bar stood at 100 % and
ETA 0:00 for the whole counting stage.

A thread polls and moves a tqdm bar, which draws the line (rate, ETA, terminal width). The bar
is drawn only on a terminal (and never with ``--quiet``), after the scan has run for ``delay``
seconds, so short scans and pipelines stay silent.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tqdm import tqdm

#: The share of the bar each stage takes, from the measured stage costs above.
STAGE_WEIGHTS = {"prepare": 0.10, "reduce": 0.60, "count": 0.30}

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
        self._stage = "prepare"
        self._prepared_bytes = 0
        self._reduce_started: float | None = None
        self._count_started: float | None = None
        self._reduce_time = 0.0
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

    def resize(self, sizes: list[int]) -> None:
        """The inputs' sizes as hashed (before, only the sizes on disk were known)."""
        if self.enabled:
            self._sizes = list(sizes)
            if self._bar is not None:
                self._bar.total = sum(sizes)

    def preparing(self, index: int, path: str) -> None:
        """Input ``index`` is being hashed, sniffed and classified (the inputs before it are
        done)."""
        if not self.enabled:
            return
        self._prepared_bytes = sum(self._sizes[:index])
        self._current = (index, path)

    def counting(self) -> None:
        """The main pass is over: counting, person linking and assessment run."""
        if not self.enabled:
            return
        self._stage, self._current = "count", None
        self._done_bytes = sum(self._sizes)
        self._count_started = time.monotonic()
        self._reduce_time = self._count_started - (self._reduce_started or self._start)

    def reducing(self, index: int, path: str) -> None:
        """Input ``index`` is being read in its full pass."""
        if not self.enabled:
            return
        if self._stage != "reduce":
            self._stage, self._current = "reduce", None
            self._reduce_started = time.monotonic()
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
        """The share of the whole scan done, weighing the stages by ``STAGE_WEIGHTS``."""
        w = STAGE_WEIGHTS
        if self._stage == "prepare":
            total = sum(self._sizes) or 1
            return w["prepare"] * min(self._prepared_bytes / total, 1.0)
        if self._stage == "reduce":
            return w["prepare"] + w["reduce"] * self._reduced()
        now = time.monotonic()
        expected = max(self._reduce_time, 0.1) * w["count"] / w["reduce"]
        share = min((now - (self._count_started or now)) / expected, 0.95)
        return w["prepare"] + w["reduce"] + w["count"] * share

    def _reduced(self) -> float:
        """The main pass's share done, in input bytes."""
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
            from tqdm import tqdm  # imported with the bar: most scans draw none (15 ms)

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
