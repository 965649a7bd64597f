"""Compiled kernels: load the C extension and register its kernels on DuckDB.

Why: a categorizer's ``VALIDATE_SQL`` costs about a microsecond a cell in DuckDB (a Luhn sum
is 19 ``substr``/``POSITION`` calls); its compiled twin in ``leakscan._kernels`` costs a few
nanoseconds; so do the extension regexes of a phone's first normalisation steps. A
categorizer declares its twin as ``KERNEL`` (``docs/categorizers.md``, "Kernels"): of its
validation, or of its first normalisation steps for the cells the kernel decides. This
module finds it through the registry (the engine names no category), builds the kernel's
table once from the categorizer's own data, and registers a DuckDB Arrow UDF
``leakscan_kernel_<category>`` that hands each chunk's Arrow buffers to C, which loops with
the GIL released. ``expressions.layered_select`` then calls that UDF instead of the SQL for
the categories ``register`` returned.

A scan of small plain files (``row_wise_pays``) registers the same kernels as row-by-row
("native") UDFs instead: each value goes to the same C function as a one-element Arrow
array built by hand, so pyarrow is not imported (about 70 ms of a 1 s start, beyond the
numpy that any DuckDB UDF needs) where a few thousand calls at some microseconds each cost
less.

The SQL path stays: when the extension was not built (no compiler at install time), or
``LEAKSCAN_KERNELS=0`` is set, or the scan option ``kernels`` is false (``--no-kernels``),
nothing is registered and the SQL runs, with the same counts. ``status`` says which path ran
and why, for the report's ``provenance.validation``.
"""

from __future__ import annotations

import contextvars
import functools
import importlib
import os
import stat
import struct
import sys
import threading
from collections.abc import Callable

import duckdb

from .registry import Categorizer, Registry

#: Environment variable that disables the kernels when set to ``0``.
ENV = "LEAKSCAN_KERNELS"
#: The calling convention and table layouts this module and the categorizers expect; the
#: C source says its own (``ABI``). A build left over from another version of the source
#: (an editable install not rebuilt) is not used.
ABI = 2
#: Inputs of at most this many bytes in all run the kernels row by row (``row_wise_pays``):
#: at a few microseconds a call, a file this size costs less than pyarrow's import.
ROW_WISE_BYTES = 64 << 10
#: Bytes a normalising kernel may add to a cell (a country code's ``+86`` before a national
#: number): its output buffer holds the input's bytes and this many more per cell.
GROWTH = 4
#: The first bytes of inputs that are not plain text (compressed, zip, Parquet): their
#: content may be far larger than the file, or pyarrow is imported to read them anyway.
_NOT_PLAIN = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"(\xb5/\xfd", b"PK\x03\x04", b"PAR1")


@functools.cache
def extension():
    """``leakscan._kernels``, or None when it was not built, cannot be loaded here or was
    built from another version of the source."""
    try:
        ext = importlib.import_module("leakscan._kernels")
    except ImportError:
        return None
    return ext if getattr(ext, "ABI", None) == ABI else None


def disabled_by_environment() -> bool:
    return os.environ.get(ENV, "").strip() == "0"


def validation_name(cat: Categorizer) -> str | None:
    """The SQL function of ``cat``'s compiled validation, or None: its kernel's own name
    when the kernel replaces ``validate``, ``<name>_valid`` when a normalising kernel also
    ``validates``."""
    kernel = cat.kernel or {}
    if kernel.get("replaces") == "validate":
        return sql_name(cat)
    return f"{sql_name(cat)}_valid" if "validates" in kernel else None


def sql_name(cat: Categorizer) -> str:
    """The DuckDB function name of ``cat``'s kernel (its ID is an identifier: registry)."""
    return f"leakscan_kernel_{cat.id}"


def available(registry: Registry, *, enabled: bool = True) -> tuple[list[Categorizer], str]:
    """The categorizers whose kernel will run, and why the others' will not: ``""`` when
    the extension is loaded and enabled, else ``disabled`` or ``not_built``."""
    if not enabled or disabled_by_environment():
        return [], "disabled"
    ext = extension()
    if ext is None:
        return [], "not_built"
    return [c for c in registry if c.kernel
            and all(callable(getattr(ext, c.kernel[k], None))
                    for k in ("function", "validates") if k in c.kernel)], ""


class Kernels:
    """The kernels of one scan: which are registered on its connection, which ran.

    ``register`` puts every available kernel on the connection before the first query; a
    kernel's table is built the first time DuckDB calls it (``validate_udf``), so a scan
    without a column of its category pays nothing for it (the resident-ID table takes 0.1 s
    to build). ``use`` records the categories of an input's plan; ``status`` is the
    report's ``provenance.validation``."""

    def __init__(self, registry: Registry, *, enabled: bool = True):
        self.candidates, self.reason = available(registry, enabled=enabled)
        self.used: set[str] = set()

    def register(self, con: duckdb.DuckDBPyConnection, *,
                 row_wise: bool = False) -> frozenset[str]:
        """Register every available kernel on ``con`` (row by row with ``row_wise``: the
        same values, see ``row_wise_pays``); return their categories."""
        for cat in self.candidates:
            _register_one(con, cat, row_wise=row_wise)
        return frozenset(c.id for c in self.candidates)

    def use(self, categories) -> frozenset[str]:
        """The categories among ``categories`` whose kernel is registered (recorded as run)."""
        ran = {c.id for c in self.candidates} & set(categories)
        self.used |= ran
        return frozenset(ran)

    def status(self) -> dict:
        """``{"path": "kernels", "kernels": [ids whose kernel ran]}`` or ``{"path": "sql",
        "kernels": [], "reason": "disabled" | "not_built" | "none_declared"}``."""
        if self.candidates:
            return {"path": "kernels", "kernels": sorted(self.used)}
        return {"path": "sql", "kernels": [], "reason": self.reason or "none_declared"}


def _register_one(con: duckdb.DuckDBPyConnection, cat: Categorizer, *,
                  row_wise: bool = False) -> None:
    """Register ``cat``'s kernel; its table is built at the first call, in the context
    (reference date: ``asof``) of this registration, not of DuckDB's worker thread."""
    fn = getattr(extension(), cat.kernel["function"])
    normalizes = cat.kernel["replaces"] == "normalize"
    if row_wise:
        make = normalize_row_udf if normalizes else validate_row_udf
    else:
        make = normalize_udf if normalizes else validate_udf
    table = _lazy(cat.kernel["table"])
    functions = [(sql_name(cat), make(fn, table), "VARCHAR" if normalizes else "BOOLEAN")]
    if "validates" in cat.kernel:  # a normalising kernel's compiled validation, same table
        valid = getattr(extension(), cat.kernel["validates"])
        functions.append((validation_name(cat),
                          (validate_row_udf if row_wise else validate_udf)(valid, table),
                          "BOOLEAN"))
    for name, udf, returns in functions:
        try:
            con.remove_function(name)
        except (duckdb.Error, ValueError):  # not registered yet
            pass
        con.create_function(name, udf, ["VARCHAR"], returns,
                            type="native" if row_wise else "arrow", null_handling="special",
                            side_effects=False)


def row_wise_pays(inputs) -> bool:
    """Should a scan of ``inputs`` (``sources.Input``, containers expanded) register the
    kernels row by row? Yes when pyarrow is not imported yet and the inputs are plain files
    (not in a zip or workbook, not compressed, not Parquet: ``_NOT_PLAIN``) of at most
    ``ROW_WISE_BYTES`` in all, so that the calls stay few: the sample and the main pass
    call a kernel at most once per cell of a column."""
    return "pyarrow" not in sys.modules and small_plain_files(inputs)


def small_plain_files(inputs) -> bool:
    """Are ``inputs`` plain files (``row_wise_pays``) of ``ROW_WISE_BYTES`` or fewer in all?"""
    total = 0
    for inp in inputs:
        if inp.member is not None or inp.container is not None:
            return False
        try:
            st = os.stat(inp.real_path)
            total += st.st_size
            if not stat.S_ISREG(st.st_mode) or total > ROW_WISE_BYTES:
                return False  # a FIFO is not opened here: its bytes are the input's
            with open(inp.real_path, "rb") as f:
                if f.read(8).startswith(_NOT_PLAIN):
                    return False
        except (OSError, TypeError, ValueError):
            return False
    return True


def _lazy(build: Callable[[], bytes]) -> Callable[[], bytes]:
    """``build()`` once, at the first call, in the context current now."""
    context = contextvars.copy_context()
    lock = threading.Lock()
    built: list[bytes] = []

    def table() -> bytes:
        with lock:
            if not built:
                built.append(context.run(build))
            return built[0]

    return table


def register(con: duckdb.DuckDBPyConnection, registry: Registry, *,
             enabled: bool = True, row_wise: bool = False) -> dict:
    """Register every available kernel on ``con`` (tests, measurements); return the status
    with every registered kernel listed."""
    kernels = Kernels(registry, enabled=enabled)
    kernels.use(kernels.register(con, row_wise=row_wise))
    return kernels.status()


def active(status: dict | None) -> frozenset[str]:
    """The category ids whose kernel ``register`` put on the connection."""
    return frozenset(status["kernels"]) if status else frozenset()


def _per_chunk(one: Callable, empty) -> Callable:
    """An Arrow UDF applying ``one`` to each string chunk (``string`` or ``large_string``;
    other spellings of text are cast to ``large_string``) and joining the results."""
    import pyarrow as pa

    string_types = {pa.string(): False, pa.large_string(): True}

    def each(arr):
        large = string_types.get(arr.type)
        if large is None:  # string_view or another spelling of text: as large_string
            arr, large = arr.cast(pa.large_string()), True
        return one(arr, large)

    def udf(values):
        if isinstance(values, pa.ChunkedArray):
            if values.num_chunks == 1:
                return each(values.chunk(0))
            return pa.concat_arrays([each(c) for c in values.chunks]) if values.num_chunks \
                else empty()
        return each(values)

    return udf


def _table_of(table) -> Callable[[], bytes]:
    return table if callable(table) else (lambda: table)


def validate_udf(fn: Callable, table) -> Callable:
    """An Arrow UDF (VARCHAR -> BOOLEAN, never NULL) running ``fn`` over each chunk; ``table``
    is the kernel's bytes or a callable returning them."""
    import pyarrow as pa

    table_of = _table_of(table)

    def one(arr, large):
        n = len(arr)
        out = bytearray((n + 7) // 8)
        if n:
            validity, offsets, data = arr.buffers()
            fn(table_of(), validity, offsets, data if data is not None else b"", arr.offset, n,
               large, out)
        return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(out)])

    return _per_chunk(one, lambda: pa.array([], pa.bool_()))


def normalize_udf(fn: Callable, table) -> Callable:
    """An Arrow UDF (VARCHAR -> VARCHAR) running ``fn`` over each chunk: the value after the
    categorizer's first normalisation steps where the kernel decides it, NULL where it
    leaves the cell to the SQL (and for NULL)."""
    import pyarrow as pa

    table_of = _table_of(table)

    def one(arr, large):
        n = len(arr)
        typ = pa.large_string() if large else pa.string()
        if not n:
            return pa.array([], typ)
        validity, offsets, data = arr.buffers()
        width = 8 if large else 4
        first = int.from_bytes(offsets[arr.offset * width:(arr.offset + 1) * width], "little",
                               signed=True)
        last = int.from_bytes(offsets[(arr.offset + n) * width:(arr.offset + n + 1) * width],
                              "little", signed=True)
        out_validity = bytearray((n + 7) // 8)
        out_offsets = bytearray((n + 1) * width)
        out_data = bytearray(max(last - first, 0) + GROWTH * n)
        used = fn(table_of(), validity, offsets, data if data is not None else b"", arr.offset,
                  n, large, out_validity, out_offsets, out_data)
        return pa.Array.from_buffers(typ, n, [pa.py_buffer(out_validity),
                                              pa.py_buffer(out_offsets),
                                              pa.py_buffer(out_data)[:used]])

    return _per_chunk(one, lambda: pa.array([], pa.string()))


def _one_value(value: str | None) -> tuple[bytes | None, bytes, bytes]:
    """Validity, offsets and data of a one-element Arrow string array holding ``value``."""
    if value is None:
        return b"\x00", bytes(8), b""
    data = value.encode("utf-8")
    return None, struct.pack("=ii", 0, len(data)), data


def validate_row_udf(fn: Callable, table) -> Callable:
    """``validate_udf`` row by row (a DuckDB native UDF, VARCHAR -> BOOLEAN): ``fn`` on a
    one-element array, without pyarrow."""
    table_of = _table_of(table)

    def udf(value):
        validity, offsets, data = _one_value(value)
        out = bytearray(1)
        fn(table_of(), validity, offsets, data, 0, 1, False, out)
        return bool(out[0] & 1)

    return udf


def normalize_row_udf(fn: Callable, table) -> Callable:
    """``normalize_udf`` row by row (a DuckDB native UDF, VARCHAR -> VARCHAR): ``fn`` on a
    one-element array, without pyarrow; NULL where the kernel leaves the cell to the SQL."""
    table_of = _table_of(table)

    def udf(value):
        validity, offsets, data = _one_value(value)
        out_validity, out_offsets = bytearray(1), bytearray(8)
        out_data = bytearray(len(data) + GROWTH)
        fn(table_of(), validity, offsets, data, 0, 1, False, out_validity, out_offsets, out_data)
        if not out_validity[0] & 1:
            return None
        start, end = struct.unpack("=ii", out_offsets)
        return out_data[start:end].decode("utf-8")

    return udf


def run(kernel: dict, values: list[str | None], *, validates: bool = False) -> list:
    """Run a categorizer's ``KERNEL`` over Python values (tests and measurements); with
    ``validates``, its ``validates`` function."""
    import pyarrow as pa

    arr = pa.array(values, pa.string())
    if validates:
        make, fn = validate_udf, kernel["validates"]
    else:
        make = normalize_udf if kernel["replaces"] == "normalize" else validate_udf
        fn = kernel["function"]
    return make(getattr(extension(), fn), kernel["table"]())(arr).to_pylist()
