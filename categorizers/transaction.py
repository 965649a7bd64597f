"""Transaction information (交易信息).

Art. 5(1)(4) names 交易信息 (orders, payments, purchases).

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from . import _headers
from ._text import *  # noqa: F403 (the shared contract names are this module's API)
from ._text import COMMON_NEGATIVE_WORDS, validate_as

ID = "transaction"
CLASS = "transaction"
TIER = "B"
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)
#: What was paid and when: an amount or a date-time (an order's state or method is neither).
VALUE_KINDS = ("money", "datetime")
VALIDATE_SQL, validate, is_valid = validate_as(VALUE_KINDS)
NEGATIVE_WORDS = COMMON_NEGATIVE_WORDS + ("数量", "次数", "号", "quantity", "qty", "count",)
