"""Communication record (通信记录).

Art. 5(1)(4) names 通信记录 (who called whom, when, how long), not the content.

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from ._text import *  # noqa: F403 (the shared contract names are this module's API)
from ._text import COMMON_NEGATIVE_WORDS, validate_as

ID = "communication_record"
CLASS = "communication_record"
TIER = "B"
HEADER_SYNONYMS = (
    "通话", "主叫", "被叫", "通话时长", "通话记录", "话单", "call_log", "call_record", "caller", "callee",
    "call_duration", "call_time",
)
#: When a call was made and how long it lasted (the numbers are phone columns of their own).
VALUE_KINDS = ("datetime", "duration")
VALIDATE_SQL, validate, is_valid = validate_as(VALUE_KINDS)
NEGATIVE_WORDS = COMMON_NEGATIVE_WORDS
