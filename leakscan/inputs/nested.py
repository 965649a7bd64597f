"""Nested JSON documents as flat records: dotted columns, arrays as several values.

A MongoDB export or an API dump nests what a table would spread over columns. Each
top-level document stays **one record**; inside it:

- an object's fields become dotted columns: ``{"profile": {"email": x}}`` -> ``profile.email``;
- an array of scalars becomes several values of one record, in numbered columns: ``phones``
  holds the first, ``phones[2]`` the second... The columns of one array share a category,
  so they join the record's key as several values, as ``phone1``/``phone2`` columns do;
- an array of objects is flattened per field the same way: ``orders.address``,
  ``orders[2].address``;
- MongoDB extended JSON (``{"$oid": ...}``, ``{"$date": ...}``, ``{"$numberLong": ...}``...)
  is read as the value it stands for.

Bounds, each reported in a warning rather than silently cut: ``MAX_DEPTH`` levels of nesting
(deeper values are kept as JSON text in the column where the cut falls), ``MAX_ITEMS``
elements of one array (later ones are not read) and ``MAX_COLUMNS`` columns per input
(``readers.write_records_csv`` reads no others).
"""

from __future__ import annotations

import json

MAX_DEPTH = 16
MAX_ITEMS = 100
MAX_COLUMNS = 2000
#: A JSON file that is one pretty-printed object (not one object per line) is loaded whole;
#: it may be at most this large.
MAX_DOCUMENT_BYTES = 256 << 20
EXTENDED = {"$oid", "$date", "$numberLong", "$numberInt", "$numberDouble", "$numberDecimal",
            "$uuid", "$symbol", "$code", "$timestamp", "$binary", "$regularExpression"}


def scalar_of_extended(value: dict):
    """The plain value of a MongoDB extended-JSON wrapper, or None if it is not one.

    >>> scalar_of_extended({"$numberLong": "13800138000"}), scalar_of_extended({"a": 1})
    ('13800138000', None)
    >>> scalar_of_extended({"$date": {"$numberLong": "0"}})
    '0'
    """
    if len(value) != 1:
        return None
    (key, inner), = value.items()
    if key not in EXTENDED:
        return None
    if isinstance(inner, dict):
        if key == "$binary":
            return inner.get("base64")
        if key == "$timestamp":
            return str(inner.get("t", ""))
        nested = scalar_of_extended(inner)
        return nested if nested is not None else json.dumps(inner, ensure_ascii=False)
    return inner if isinstance(inner, str) else json.dumps(inner)


class Flattener:
    """Flattens documents and remembers which bounds were hit (for one warning each)."""

    def __init__(self):
        self.deep = 0  # values cut at MAX_DEPTH
        self.long_arrays = 0  # arrays cut at MAX_ITEMS

    def flatten(self, doc: dict) -> dict:
        out: dict = {}
        self._walk(doc, "", 0, out)
        return out

    def _walk(self, value, name: str, depth: int, out: dict) -> None:
        if isinstance(value, dict):
            ext = scalar_of_extended(value)
            if ext is not None:
                _put(out, name, ext)
                return
            if depth >= MAX_DEPTH:
                self.deep += 1
                _put(out, name, value)
                return
            for k, v in value.items():
                self._walk(v, f"{name}.{k}" if name else str(k), depth + 1, out)
            return
        if isinstance(value, list):
            if depth >= MAX_DEPTH:
                self.deep += 1
                _put(out, name, value)
                return
            if len(value) > MAX_ITEMS:
                self.long_arrays += 1
            for i, v in enumerate(value[:MAX_ITEMS], start=1):
                self._walk(v, _indexed(name, i), depth + 1, out)
            return
        _put(out, name, value)

    def notes(self, shown: str) -> list[str]:
        out = []
        if self.deep:
            out.append(f"{shown}: {self.deep:,} value(s) nested deeper than {MAX_DEPTH} levels "
                       f"were kept as JSON text and searched as text, not as fields")
        if self.long_arrays:
            out.append(f"{shown}: {self.long_arrays:,} array(s) longer than {MAX_ITEMS} "
                       f"elements: elements after the {MAX_ITEMS}th were not read")
        return out


def _indexed(name: str, i: int) -> str:
    """``phones`` for the first element, ``phones[2]`` for the second; inside an array of
    objects the index goes on the array's name: ``orders[2]`` then ``.address``."""
    return name if i == 1 else f"{name}[{i}]"


def _put(out: dict, name: str, value) -> None:
    key = name or "value"
    while key in out:  # "a.b" as a key and as a path: keep both
        key += "_"
    out[key] = value


def unwrap(doc) -> tuple[list, str | None]:
    """A wrapper object holding one array of records (``{"data": [...], "total": 300}``):
    its records and the key it held them under; anything else: ``[doc]`` and None."""
    if isinstance(doc, dict):
        arrays = [k for k, v in doc.items()
                  if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(arrays) == 1:
            return doc[arrays[0]], arrays[0]
    return [doc], None
