"""Credit information (征信信息).

Art. 5(1)(3) names 征信信息.

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from . import _headers
from ._text import *  # noqa: F403 (the shared contract names are this module's API)
from ._text import COMMON_NEGATIVE_WORDS, validate_as

ID = "credit"
CLASS = "credit"
TIER = "A"
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)
#: A score, an overdue amount or days, or a report in words; a yes/no flag says only whether.
VALUE_KINDS = ("score", "money", "text")
VALIDATE_SQL, validate, is_valid = validate_as(VALUE_KINDS)
NEGATIVE_WORDS = COMMON_NEGATIVE_WORDS + ("额度", "limit",)
