"""Read inside ``.gz`` and ``.zip`` files without trusting them.

A leak often arrives compressed, and a compressed file is the classic way to exhaust a
scanner's disk or memory (a "zip bomb"). So members are streamed, never loaded; every byte
written out is counted against a cap on the total and on the compression ratio, checked as
the bytes arrive (the sizes a zip declares may lie); and a zip member whose name would escape
the archive (``../``, an absolute path, a drive letter) is refused. Each zip member becomes an
input of its own, shown as ``archive.zip!member.csv``.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from .errors import InputError

#: At most this many decompressed bytes from one archive (all members together).
MAX_DECOMPRESSED_BYTES = 64 << 30
#: Output may be at most this many times the compressed input...
MAX_RATIO = 250
#: ...once more than this much has been written (small members compress very well).
RATIO_GRACE_BYTES = 8 << 20
COPY_CHUNK = 1 << 20
#: What the zip and gzip modules raise on damaged or hostile archives.
ARCHIVE_ERRORS = (zipfile.BadZipFile, gzip.BadGzipFile, OSError, EOFError, zlib.error,
                  ValueError, NotImplementedError, RuntimeError, struct.error, KeyError,
                  UnicodeDecodeError, OverflowError)


@dataclass(frozen=True)
class Member:
    name: str  # as stored in the archive
    size: int  # declared uncompressed size
    compressed: int  # declared compressed size


def member_escapes(name: str) -> bool:
    """Would extracting ``name`` write outside the archive's directory?

    >>> member_escapes("dump/users.csv"), member_escapes("../etc/passwd"), member_escapes("/x")
    (False, True, True)
    """
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return True
    return ".." in PurePosixPath(norm).parts


def list_zip(path: str, shown: str) -> tuple[list[Member], list[str]]:
    """The zip's file members in stored order, and warnings for the ones refused."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except ARCHIVE_ERRORS as e:
        raise InputError(shown, f"is not a readable zip archive ({_reason(e)})") from None
    members, warnings = [], []
    seen: dict[str, int] = {}
    for info in infos:
        if info.is_dir():
            continue
        seen[info.filename] = k = seen.get(info.filename, 0) + 1
        if k > 1:  # a second member of the same name is another file, not the first again
            warnings.append(f"{shown}!{info.filename}: the archive holds more than one member "
                            f"of this name; copy {k} is read as {info.filename}#{k}")
        if member_escapes(info.filename):
            warnings.append(f"{shown}!{info.filename}: refused, the member's path escapes the "
                            f"archive")
            continue
        if info.flag_bits & 0x1:
            warnings.append(f"{shown}!{info.filename}: skipped, the member is encrypted; "
                            f"decrypt the archive and scan the files")
            continue
        name = info.filename if k == 1 else f"{info.filename}#{k}"
        members.append(Member(name, info.file_size, info.compress_size))
    return members, warnings


def zip_info(zf: zipfile.ZipFile, member: str) -> zipfile.ZipInfo:
    """The member ``list_zip`` named ``member``: the first of that name, or for ``name#k``
    the k-th member called ``name`` (``ZipFile.getinfo`` would give the last, every time)."""
    infos = zf.infolist()
    same = [i for i in infos if i.filename == member]
    if same:
        return same[0]
    base, _, k = member.rpartition("#")
    same = [i for i in infos if i.filename == base]
    if k.isdigit() and 2 <= int(k) <= len(same):
        return same[int(k) - 1]
    raise KeyError(member)


class CappedCopy:
    """Counts what one archive decompresses and stops it at the caps."""

    def __init__(self, shown: str, budget: int | None = None):
        self.shown = shown
        self.budget = MAX_DECOMPRESSED_BYTES if budget is None else budget
        self.written = 0

    def charge(self, n: int, local: int, packed: int, name: str) -> None:
        """Count ``n`` more bytes written (``local`` so far for this member, from ``packed``
        compressed bytes); raise past the total cap or the ratio cap. The total is that of
        the whole tree: archives inside this archive charge the same counter."""
        self.written += n
        if self.written > self.budget:
            raise InputError(name, f"refused: more than {self.budget:,} bytes decompressed "
                                   f"from {self.shown} (archive size cap)")
        if local > RATIO_GRACE_BYTES and local / max(packed, 1) > MAX_RATIO:
            raise InputError(name, f"refused: decompresses more than {MAX_RATIO}x "
                                   f"(a zip bomb?); extract it yourself if it is genuine")

    def copy(self, src: BinaryIO, dst: BinaryIO, compressed_pos, name: str) -> str:
        """Copy ``src`` to ``dst``; return the SHA-256 of the bytes copied."""
        h = hashlib.sha256()
        local = 0
        while chunk := src.read(COPY_CHUNK):
            local += len(chunk)
            self.charge(len(chunk), local, compressed_pos(), name)
            h.update(chunk)
            dst.write(chunk)
        return h.hexdigest()


def extract_zip_member(path: str, shown: str, member: str, dst: BinaryIO,
                       capper: CappedCopy) -> str:
    """Stream one member to ``dst`` under the caps; return its SHA-256."""
    name = f"{shown}!{member}"
    try:
        with zipfile.ZipFile(path) as zf:
            info = zip_info(zf, member)
            with zf.open(info) as src:
                raw = getattr(src, "_fileobj", None)
                start = raw.tell() if raw is not None else 0

                def consumed() -> int:
                    if raw is None:
                        return info.compress_size
                    return raw.tell() - start

                return capper.copy(src, dst, consumed, name)
    except InputError:
        raise
    except ARCHIVE_ERRORS as e:
        raise InputError(name, f"cannot be extracted ({_reason(e)})") from None


def gunzip(path: str, shown: str, dst: BinaryIO, capper: CappedCopy) -> str:
    """Stream a ``.gz`` file to ``dst`` under the caps; return the SHA-256 of its content."""
    try:
        with open(path, "rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as src:
            return capper.copy(src, dst, raw.tell, shown)
    except InputError:
        raise
    except ARCHIVE_ERRORS as e:
        raise InputError(shown, f"is not a readable gzip file ({_reason(e)})") from None


def inner_name(name: str) -> str:
    """The name of what a ``.gz`` holds: ``users.csv.gz`` -> ``users.csv``."""
    base = os.path.basename(name)
    return base[:-3] if base.lower().endswith(".gz") else base


def _reason(e: BaseException) -> str:
    text = str(e) or type(e).__name__
    return " ".join(text.split())[:200]
