"""Communication content (通信内容).

Art. 5(1)(3) names 通信内容 (what was said or written).

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from . import _headers
from ._text import *  # noqa: F403 (the shared contract names are this module's API)
from ._text import COMMON_NEGATIVE_WORDS, validate_as

ID = "communication_content"
CLASS = "communication_content"
TIER = "A"
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)
#: What was said or written, in words.
VALUE_KINDS = ("text",)
VALIDATE_SQL, validate, is_valid = validate_as(VALUE_KINDS)
NEGATIVE_WORDS = COMMON_NEGATIVE_WORDS
