"""Accommodation record (住宿信息).

Art. 5(1)(4) names 住宿信息 (hotel stays).

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from . import _headers
from ._text import *  # noqa: F403 (the shared contract names are this module's API)
from ._text import COMMON_NEGATIVE_WORDS, validate_as

ID = "accommodation"
CLASS = "accommodation"
TIER = "B"
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)
#: When (check-in, check-out), where (the hotel) and which room.
VALUE_KINDS = ("datetime", "text", "room")
VALIDATE_SQL, validate, is_valid = validate_as(VALUE_KINDS)
NEGATIVE_WORDS = tuple(w for w in COMMON_NEGATIVE_WORDS if w not in ("_no", "编号"))  # room_no
