"""Communication record (通信记录).

Art. 5(1)(4) names 通信记录 (who called whom, when, how long), not the content.

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from . import _headers
from ._text import *  # noqa: F403 (the shared contract names are this module's API)
from ._text import COMMON_NEGATIVE_WORDS, validate_as

ID = "communication_record"
CLASS = "communication_record"
TIER = "B"
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)
#: When a call was made and how long it lasted (the numbers are phone columns of their own).
VALUE_KINDS = ("datetime", "duration")
VALIDATE_SQL, validate, is_valid = validate_as(VALUE_KINDS)
NEGATIVE_WORDS = COMMON_NEGATIVE_WORDS
