"""Property information (财产信息).

Art. 5(1)(3) names 财产信息 (balances, deposits, real estate, registered vehicles).

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from . import _headers
from ._text import *  # noqa: F403 (the shared contract names are this module's API)
from ._text import COMMON_NEGATIVE_WORDS, validate_as

ID = "property"
CLASS = "property"
TIER = "A"
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)
#: An amount of money. Points (积分), phone credit (话费) and counts are not property.
VALUE_KINDS = ("money",)
VALIDATE_SQL, validate, is_valid = validate_as(VALUE_KINDS)
NEGATIVE_WORDS = COMMON_NEGATIVE_WORDS + ("积分", "话费", "点数", "数量", "points", "quantity", "qty",)
