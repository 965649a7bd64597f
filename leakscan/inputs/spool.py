"""Standard input and other special files: copied once to the scan's temporary directory.

A pipe can be read only once, and DuckDB (and the hash, and the sniffer) each want to read
the input from its start. So ``-`` (standard input), a named pipe or ``/dev/stdin`` given on
the command line is copied, in 1 MB chunks, to a file in the scan's temporary directory,
hashed as it is read; the report's ``sha256`` is that of the bytes received. The copy is
bounded (``MAX_SPOOL_BYTES``): past it the input is refused as a whole, never counted half.
Terminals and other character or block devices are refused: they have no end, or are disks.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from dataclasses import dataclass

from ..errors import InputError

MAX_SPOOL_BYTES = 64 << 30
CHUNK = 1 << 20
STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Spooled:
    path: str  # the copy
    sha256: str
    bytes: int


def special_kind(path: str) -> str | None:
    """"pipe" for a FIFO or socket, "device" for a character or block device, else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return "pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return None


def spool(shown: str, src, dst_path: str, limit: int = MAX_SPOOL_BYTES) -> Spooled:
    """Copy the binary stream ``src`` to ``dst_path`` whole, or raise InputError."""
    h = hashlib.sha256()
    n = 0
    with open(dst_path, "wb") as dst:
        while chunk := src.read(CHUNK):
            n += len(chunk)
            if n > limit:
                raise InputError(shown, f"refused: more than {limit:,} bytes on the stream "
                                        f"(the spool limit); save it to a file and scan that")
            h.update(chunk)
            dst.write(chunk)
    return Spooled(dst_path, h.hexdigest(), n)


def spool_stdin(dst_path: str) -> Spooled:
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError(STDIN_NAME, "standard input is a terminal, not data; pipe a file in "
                                     "(cat dump.csv | leakscan scan -)")
    return spool(STDIN_NAME, sys.stdin.buffer, dst_path)


def spool_path(shown: str, path: str, dst_path: str) -> Spooled:
    try:
        with open(path, "rb") as src:
            return spool(shown, src, dst_path)
    except OSError as e:
        raise InputError(shown, f"cannot read: {e.strerror or e}") from None
