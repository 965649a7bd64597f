"""Where leakscan writes: checked before anything is read, written whole or not at all.

The inputs are evidence. So every output (``-o``, ``--evidence-out``, ``--duplicates-out``)
is checked before the scan starts (``check_outputs``): it may not be an input, lie inside a
scanned directory, or be another output, compared by resolved path and, for files that exist,
by device and inode (a hard link or a symlink is the same file); its folder must exist and be
writable; a directory, socket or block device is refused. Standard output and other character
devices and FIFOs (``-o /dev/stdout``) are written through, never replaced.

A regular file is written to a temporary file beside it and renamed into place only when
complete (``replacing``): Ctrl-C, a signal or a full disk never leaves a truncated file that
looks complete, and a message names the file asked for, never the temporary one. The temporary
file is created readable by its owner only (``mkstemp``), and keeps that mode when renamed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import LeakscanError, UsageError


class OutputError(LeakscanError):
    """An output cannot be written (full disk, permissions); the message names the file."""

    exit_code = UsageError.exit_code


@dataclass(frozen=True)
class _Place:
    option: str
    path: str
    real: str
    ident: tuple[int, int] | None  # (st_dev, st_ino) when the file exists
    special: bool  # standard output, a terminal, a pipe: written through


def _ident(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def is_special(path: str) -> bool:
    """Is ``path`` an existing character device or FIFO (standard output, a terminal, a pipe)?
    Those are written through; everything else is written by rename."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def check_outputs(inputs: list[str], outputs: list[tuple[str, str | None]]) -> None:
    """Refuse, before the scan, any output that could destroy an input or another output.

    ``outputs`` are ``(option, path)`` pairs (``("-o", "report.json")``); ``None`` paths are
    skipped.
    """
    places = []
    for option, path in outputs:
        if path is None:
            continue
        # /dev/stdout resolves to /proc/self/fd/1 and then to "pipe:[...]", which is no path:
        # a special file is opened by the name given, and stat() follows the links itself
        special = is_special(path)
        real = os.path.realpath(path)
        places.append(_Place(option, path, real, _ident(path), special))
        if os.path.isdir(real):
            raise UsageError(f"{option} {path}: is a directory; give a file name")
        if special and option != "-o":
            raise UsageError(f"{option} {path}: must be a file (the report records its "
                             f"SHA-256); use -o for standard output")
        if os.path.exists(real) and not special:
            mode = os.stat(real).st_mode
            if not stat.S_ISREG(mode):
                raise UsageError(f"{option} {path}: is not a regular file, standard output, "
                                 f"a terminal or a pipe; refusing to replace it")
        if not special:
            folder = os.path.dirname(real)
            if not os.path.isdir(folder):
                raise UsageError(f"{option} {path}: the folder {os.path.dirname(path) or '.'} "
                                 f"does not exist")
            if not os.access(folder, os.W_OK | os.X_OK):
                raise UsageError(f"{option} {path}: the folder {os.path.dirname(path) or '.'} "
                                 f"is not writable")
    for given in inputs:
        real_in = os.path.realpath(given)
        ident_in = _ident(real_in)
        is_dir = os.path.isdir(real_in)
        for p in places:
            if p.special:
                continue  # standard output is never an input file
            if p.real == real_in or (p.ident is not None and p.ident == ident_in):
                raise UsageError(f"{p.option} {p.path}: is the input {given}; refusing to "
                                 f"overwrite evidence")
            if is_dir and p.real.startswith(real_in.rstrip(os.sep) + os.sep):
                raise UsageError(f"{p.option} {p.path}: is inside the scanned directory "
                                 f"{given}; write outputs elsewhere, so no input is replaced")
    for k, a in enumerate(places):
        for b in places[k + 1:]:
            if a.special and b.special:
                continue  # two outputs to the terminal: both are written, in order
            if a.real == b.real or (a.ident is not None and a.ident == b.ident):
                raise UsageError(f"{b.option} {b.path}: is also {a.option}; give each output "
                                 f"its own file")


@contextlib.contextmanager
def replacing(path: str, *, option: str = "output") -> Iterator[str]:
    """Yield the name to write ``path`` under; rename it into place when the block ends.

    A special file (``is_special``) is written directly. Otherwise the temporary file sits in
    the same folder (so the rename is atomic) and keeps the suffix (the writers choose CSV or
    Parquet by it); on any failure it is removed, and an ``OSError`` becomes an
    ``OutputError`` naming ``path``.
    """
    if is_special(path):
        try:
            yield path
        except OSError as e:
            raise OutputError(f"{path}: cannot write: {e.strerror or e}") from None
        return
    real = os.path.realpath(path)  # through a symlink: the file it names is replaced
    folder, name = os.path.split(real)
    suffix = os.path.splitext(name)[1]
    try:
        fd, tmp = tempfile.mkstemp(prefix=".leakscan-", suffix=".part" + suffix, dir=folder)
        os.close(fd)
    except OSError as e:
        raise OutputError(f"{option} {path}: cannot write: {e.strerror or e}") from None
    try:
        yield tmp
        os.replace(tmp, real)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        reason = "no space left on the device" if e.errno == errno.ENOSPC else (e.strerror
                                                                                 or str(e))
        raise OutputError(f"{option} {path}: cannot write: {reason}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: str, text: str, *, option: str = "-o") -> None:
    """Write a whole report to ``path`` (``replacing``), as UTF-8."""
    with replacing(path, option=option) as target, open(target, "w", encoding="utf-8") as f:
        f.write(text)
