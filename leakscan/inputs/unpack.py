"""Archives beyond zip: tar (plain, gzip, bzip2, xz), 7z, and single-file bzip2 and xz.

Libraries: the standard library's ``tarfile``, ``bz2`` and ``lzma`` (nothing to install), and
py7zr for 7z (pure Python with compiled codecs from PyPI, actively maintained, reads every 7z
method in common use, and lets the caller supply the writer of each member, so every byte is
counted against the caps as it is decompressed rather than after it reached the disk). RAR is
refused: every RAR reader on PyPI (rarfile, unrar, patool) drives an ``unrar`` program or a
shared library that is not on PyPI, and leakscan installs nothing outside PyPI.

A tar or 7z file is read from start to end once: members are extracted in stored order to the
scan's temporary directory under the caps of ``archives.CappedCopy`` (the total counts every
level of nesting of one top-level file). Only regular files are extracted; links, devices and
members whose path escapes the archive are refused with a warning.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import tarfile
from dataclasses import dataclass

from .. import archives
from ..errors import InputError

#: Archives inside archives are opened to this depth (a top-level file is depth 0).
MAX_DEPTH = 3
#: At most this many members over the whole tree of one top-level file.
MAX_MEMBERS = 100_000

TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz")
SINGLE = {".bz2": "bzip2", ".xz": "xz"}
RAR_REFUSAL = ("RAR archives are not read: no RAR reader on PyPI works without an external "
               "unrar program; extract it (unrar x, 7z x) and scan the result")


@dataclass(frozen=True)
class Extracted:
    name: str  # the member's path inside its archive
    path: str  # where it was written


def archive_kind(path: str) -> str | None:
    """"tar", "7z" or "rar" for a multi-file archive, by name then by content; else None."""
    low = path.lower()
    if low.endswith(TAR_SUFFIXES):
        return "tar"
    if low.endswith(".7z"):
        return "7z"
    if low.endswith(".rar"):
        return "rar"
    try:
        with open(path, "rb") as f:
            head = f.read(512)
    except OSError:
        return None
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head[257:262] == b"ustar":
        return "tar"
    opener = {b"\x1f\x8b": gzip.open, b"BZ": bz2.open, b"\xfd7": lzma.open}.get(head[:2])
    if opener is not None:
        try:
            with opener(path, "rb") as f:
                inner = f.read(512)
        except (*archives.ARCHIVE_ERRORS, lzma.LZMAError):
            return None  # damaged: the error is reported when the file is read
        if inner[257:262] == b"ustar":
            return "tar"
    return None


def single_kind(path: str) -> str | None:
    """"bzip2" or "xz" for a compressed single file (``users.csv.bz2``), by name or magic."""
    low = path.lower()
    for suffix, kind in SINGLE.items():
        if low.endswith(suffix):
            return kind
    try:
        with open(path, "rb") as f:
            head = f.read(6)
    except OSError:
        return None
    if head.startswith(b"BZh"):
        return "bzip2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    return None


def decompress_single(path: str, shown: str, kind: str, dst, capper: archives.CappedCopy) -> str:
    """Stream a ``.bz2`` or ``.xz`` file to ``dst`` under the caps; return its SHA-256."""
    opener = bz2.BZ2File if kind == "bzip2" else lzma.LZMAFile
    try:
        with open(path, "rb") as raw, opener(raw, "rb") as src:
            return capper.copy(src, dst, raw.tell, shown)
    except InputError:
        raise
    except (*archives.ARCHIVE_ERRORS, lzma.LZMAError) as e:
        raise InputError(shown, f"is not a readable {kind} file ({_reason(e)})") from None


def inner_name(name: str) -> str:
    """``users.csv.bz2`` -> ``users.csv``."""
    base = os.path.basename(name)
    for suffix in (*SINGLE, ".gz"):
        if base.lower().endswith(suffix):
            return base[: -len(suffix)]
    return base


def extract_all(path: str, shown: str, kind: str, outdir: str, capper: archives.CappedCopy,
                warnings: list[str], counter: list[int]) -> list[Extracted]:
    """Extract every regular member of a tar or 7z archive under the caps, in stored order."""
    if kind == "rar":
        raise InputError(shown, RAR_REFUSAL)
    os.makedirs(outdir, exist_ok=True)
    if kind == "tar":
        return _extract_tar(path, shown, outdir, capper, warnings, counter)
    return _extract_7z(path, shown, outdir, capper, warnings, counter)


def _target(outdir: str, k: int, name: str) -> str:
    d = os.path.join(outdir, f"m{k}")
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, os.path.basename(name.rstrip("/")) or "member")


def _count(counter: list[int], shown: str) -> None:
    counter[0] += 1
    if counter[0] > MAX_MEMBERS:
        raise InputError(shown, f"refused: more than {MAX_MEMBERS:,} members in the archive "
                                f"tree (an archive bomb?)")


def _extract_tar(path, shown, outdir, capper, warnings, counter) -> list[Extracted]:
    out: list[Extracted] = []
    try:
        with open(path, "rb") as raw, tarfile.open(fileobj=raw, mode="r|*") as tf:
            for info in tf:
                if info.isdir():
                    continue
                name = info.name
                if not info.isfile():
                    warnings.append(f"{shown}!{name}: skipped, not a regular file (a link or "
                                    f"device inside the archive)")
                    continue
                if archives.member_escapes(name):
                    warnings.append(f"{shown}!{name}: refused, the member's path escapes the "
                                    f"archive")
                    continue
                _count(counter, shown)
                target = _target(outdir, len(out), name)
                src = tf.extractfile(info)
                with open(target, "wb") as dst:
                    capper.copy(src, dst, raw.tell, f"{shown}!{name}")
                out.append(Extracted(name, target))
    except InputError:
        raise
    except (*archives.ARCHIVE_ERRORS, tarfile.TarError, lzma.LZMAError) as e:
        raise InputError(shown, f"is not a readable tar archive ({_reason(e)})") from None
    return out


def _extract_7z(path, shown, outdir, capper, warnings, counter) -> list[Extracted]:
    import py7zr
    from py7zr.io import Py7zIO, WriterFactory

    packed = os.path.getsize(path)

    class CappedFile(Py7zIO):
        def __init__(self, target: str, name: str):
            self.f = open(target, "wb")
            self.name, self.local = name, 0

        def write(self, s):
            self.local += len(s)
            capper.charge(len(s), self.local, packed, self.name)
            return self.f.write(s)

        def read(self, size=None):
            return b""

        def seek(self, offset, whence=0):
            return self.f.seek(offset, whence)

        def flush(self):
            self.f.flush()

        def size(self):
            return self.local

        def close(self):
            self.f.close()

    wanted: dict[str, str] = {}
    opened: list[CappedFile] = []

    class Factory(WriterFactory):
        def create(self, filename):
            w = CappedFile(wanted[filename], f"{shown}!{filename}")
            opened.append(w)
            return w

    try:
        with py7zr.SevenZipFile(path, mode="r") as z:
            if z.needs_password():
                raise InputError(shown, "is an encrypted 7z archive; decrypt it and scan the "
                                        "files")
            names = []
            for info in z.list():
                if info.is_directory:
                    continue
                if archives.member_escapes(info.filename):
                    warnings.append(f"{shown}!{info.filename}: refused, the member's path "
                                    f"escapes the archive")
                    continue
                if getattr(info, "is_symlink", False):
                    warnings.append(f"{shown}!{info.filename}: skipped, a link inside the "
                                    f"archive")
                    continue
                _count(counter, shown)
                wanted[info.filename] = _target(outdir, len(names), info.filename)
                names.append(info.filename)
            if names:
                z.extract(targets=names, factory=Factory())
    except InputError:
        raise
    except Exception as e:  # py7zr raises many types (Bad7zFile, CrcError, lzma errors...)
        raise InputError(shown, f"is not a readable 7z archive ({_reason(e)})") from None
    finally:
        for w in opened:
            w.f.close()
    return [Extracted(n, wanted[n]) for n in names if os.path.exists(wanted[n])]


def _reason(e: BaseException) -> str:
    return " ".join((str(e) or type(e).__name__).split())[:200]
