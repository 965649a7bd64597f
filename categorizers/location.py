"""Location or trajectory (行踪轨迹).

Art. 5(1)(3) of Fa Shi [2017] No. 10 names 行踪轨迹信息. Courts read trajectory narrowly (a position that
locates a specific person); a column is assigned on its header confirmed by positions that
parse and fall in range (``VALUE_KINDS``), or, for an adjacent latitude/longitude pair, on
such values alone (``docs/classification.md``, rule 3a).

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from . import _headers
from ._text import *  # noqa: F403 (the shared contract names are this module's API)
from ._text import COMMON_NEGATIVE_WORDS, validate_as

ID = "location"
CLASS = "location"
TIER = "A"
#: Header words, from the vocabulary file ``data/headers.toml`` (``_headers``).
HEADER_SYNONYMS = _headers.synonyms(ID)
#: A position that parses and is in range: a coordinate, or a pair in one cell. A timestamp, a
#: method (``GPS``/``基站``) or a datum (``WGS-84``) locates nobody.
VALUE_KINDS = ("coordinate",)
VALIDATE_SQL, validate, is_valid = validate_as(VALUE_KINDS)
NEGATIVE_WORDS = COMMON_NEGATIVE_WORDS + ("坐标系", "时间", "日期", "精度", "半径", "来源", "time", "date", "accuracy", "radius", "source",)
