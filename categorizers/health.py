"""Health or physiological information (健康生理信息).

Art. 5(1)(4) names 健康生理信息.

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from . import _headers
from ._text import *  # noqa: F403 (the shared contract names are this module's API)
from ._text import COMMON_NEGATIVE_WORDS, validate_as

ID = "health"
CLASS = "health"
TIER = "B"
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)
#: A diagnosis, history or allergy in words, or a blood group; a clinic card number is not.
VALUE_KINDS = ("text", "blood_type")
VALIDATE_SQL, validate, is_valid = validate_as(VALUE_KINDS)
NEGATIVE_WORDS = COMMON_NEGATIVE_WORDS + ("卡号", "卡", "card", "号码",)
