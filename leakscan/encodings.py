"""Which text encoding an input is in, and a streaming transcoder to UTF-8.

DuckDB here reads UTF-8 only (its encodings extension cannot be downloaded), while Chinese
exports are usually GB18030/GBK, Excel writes UTF-16 and Taiwan or Hong Kong sources use
Big5. So leakscan decides the encoding from a sample of the first bytes and, when it is not
UTF-8, copies the input once, in fixed-size chunks, to a UTF-8 file in the scan's temporary
directory. Memory stays bounded by the chunk size whatever the file's size; measured against
pyarrow's streaming CSV reader (``benchmarks/encoding_memory.py``) the chunked copy was the
faster of the two and keeps DuckDB's own reader, with its per-line reject records.

Detection order, most certain first: a byte-order mark; strict UTF-8; UTF-16 without a mark
(NUL bytes at every other position); charset-normalizer's guess, accepted only if it is a
Chinese or Unicode encoding and the sample decodes strictly with it; then strict trials of
GB18030 and Big5; then, for damaged text, the candidate under which fewest bytes fail, if
they are very few. Anything else needs ``--encoding``. The same line endings are
written out as ``\\n`` (DuckDB refuses a file that mixes them).
"""

from __future__ import annotations

import codecs
import contextvars
from dataclasses import dataclass
from typing import BinaryIO

from .errors import InputError, UsageError

CHUNK_BYTES = 4 << 20
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))
#: charset-normalizer names of the GB family all decode as GB18030, their superset.
GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
TRIALS = ("gb18030", "big5", "cp950")
#: Guesses leakscan accepts without --encoding. Single-byte code pages decode any bytes, so a
#: detector's vote for one is no evidence; they must be asked for with --encoding.
GUESSABLE = {"gb18030", "big5", "cp950", "big5hkscs", "utf-8", "utf-16-le", "utf-16-be"}
#: A sample with more than one undecodable byte in this many is not text in that encoding.
MAX_BAD_SHARE = 500


@dataclass(frozen=True)
class Detected:
    encoding: str  # a Python codec name; "utf-8" means no transcoding is needed
    bom: int = 0  # bytes of byte-order mark at the start
    how: str = "detected"  # "bom", "utf-8", "guessed", "forced"


def check_encoding_name(name: str) -> str:
    """The canonical codec name for ``--encoding``, or a usage error."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError(f"--encoding {name!r} is not a known text encoding; try utf-8, "
                         f"gb18030, big5 or utf-16") from None


def detect(path: str, sample: bytes, *, truncated: bool, forced: str | None = None) -> Detected:
    """The encoding of a text input, from its first bytes."""
    if forced:
        name = check_encoding_name(forced)
        # Skip a mark that belongs to the forced encoding; "utf-16"/"utf-32" read their own.
        bom = next((len(b) for b, n in BOMS if sample.startswith(b)
                    and codecs.lookup(n).name in (name, name + "-sig")), 0)
        return Detected(name, bom, "forced")
    for bom, name in BOMS:
        if sample.startswith(bom):
            return Detected("utf-8" if name == "utf-8-sig" else name, len(bom), "bom")
    if _decodes(sample, "utf-8", truncated):
        return Detected("utf-8", 0, "utf-8")
    utf16 = _utf16_without_bom(sample)
    if utf16 and _decodes(sample, utf16, truncated):
        return Detected(utf16, 0, "guessed")
    candidates = _candidates(sample)
    for name in candidates:
        if _decodes(sample, name, truncated):
            return Detected(name, 0, "guessed")
    # Damaged text: the encoding under which the fewest bytes fail, if they are very few.
    errors = {name: _replacements(sample, name) for name in ["utf-8", *candidates]}
    best = min(errors, key=lambda n: errors[n])
    if errors[best] <= max(1, len(sample) // MAX_BAD_SHARE):
        return Detected(best, 0, "guessed")
    raise InputError(path, "cannot tell the text encoding (not UTF-8, UTF-16, GB18030 or Big5); "
                           "try --encoding NAME")


def _candidates(sample: bytes) -> list[str]:
    from charset_normalizer import from_bytes  # imported late: it loads language models

    out = []
    best = from_bytes(sample[:65536]).best()
    if best is not None:
        name = codecs.lookup(best.encoding).name
        name = "gb18030" if name in GB_FAMILY else name
        if name in GUESSABLE:
            out.append(name)
    return out + [t for t in TRIALS if t not in out]


def _replacements(sample: bytes, encoding: str) -> int:
    return sample.decode(encoding, errors="replace").count("\ufffd")


def _decodes(sample: bytes, encoding: str, truncated: bool) -> bool:
    """Does the sample decode strictly? A character cut by the sample's end is allowed."""
    dec = codecs.getincrementaldecoder(encoding)("strict")
    try:
        dec.decode(sample, final=not truncated)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a mark: mostly-ASCII text has a NUL in every other byte."""
    n = len(sample) - len(sample) % 2
    if n < 8:
        return None
    even, odd = sample[0:n:2].count(0), sample[1:n:2].count(0)
    half = n // 2
    if odd > 0.6 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode_sample(path: str, sample: bytes, det: Detected, *, truncated: bool) -> str:
    """The sample as text (for sniffing); undecodable bytes become U+FFFD."""
    dec = codecs.getincrementaldecoder(det.encoding)("replace")
    return dec.decode(sample[det.bom:], final=not truncated)


@dataclass
class TranscodeStats:
    bytes_in: int = 0
    bytes_out: int = 0
    replaced: int = 0  # undecodable byte runs replaced by U+FFFD
    first_bad_byte: int | None = None


def transcode(path: str, src: BinaryIO, dst: BinaryIO, det: Detected, *,
              strict: bool = False, chunk: int = CHUNK_BYTES) -> TranscodeStats:
    """Copy ``src`` (from its start) to ``dst`` as UTF-8 with ``\\n`` line ends, in chunks.

    Bytes that do not decode are replaced by U+FFFD and counted (the row still scans, its
    damaged value will not validate); with ``strict`` the first one is an error instead.
    """
    stats = TranscodeStats()
    token = _CURRENT.set(stats)
    try:
        dec = codecs.getincrementaldecoder(det.encoding)("strict" if strict else _HANDLER)
        src.read(det.bom)
        pending_cr = False
        while True:
            raw = src.read(chunk)
            final = not raw
            try:
                text = dec.decode(raw, final=final)
            except UnicodeDecodeError as e:
                where = det.bom + stats.bytes_in + e.start
                raise InputError(path, f"is not valid {det.encoding} at byte {where:,} "
                                       f"(--strict); try --encoding NAME") from None
            stats.bytes_in += len(raw)
            if pending_cr:
                text = "\r" + text
            pending_cr = text.endswith("\r") and not final
            if pending_cr:
                text = text[:-1]
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            out = text.encode("utf-8")
            dst.write(out)
            stats.bytes_out += len(out)
            if final:
                return stats
    finally:
        _CURRENT.reset(token)


_HANDLER = "leakscan-count-replace"
_CURRENT: contextvars.ContextVar[TranscodeStats] = contextvars.ContextVar("leakscan_transcode")


def _count_and_replace(error: UnicodeError):
    """A codec error handler: replace like ``errors="replace"`` and count into the stats."""
    stats = _CURRENT.get(None)
    if stats is not None:
        stats.replaced += 1
        if stats.first_bad_byte is None and isinstance(error, UnicodeDecodeError):
            stats.first_bad_byte = stats.bytes_in + error.start
    return "\ufffd", error.end


codecs.register_error(_HANDLER, _count_and_replace)
