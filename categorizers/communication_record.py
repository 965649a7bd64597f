"""Communication record (通信记录).

Art. 5(1)(4) names 通信记录 (who called whom, when, how long), not the content.

Header-driven: any non-blank cell of a column whose header matches a synonym is a valid value
(see ``categorizers._text``). Not identifying on its own: it raises the tier of a record that
an identifying value (ID, phone, name...) already makes personal information.
"""

from ._text import (  # noqa: F401  (the shared contract functions are this module's API)
    IDENTIFYING,
    NORMALIZE_SQL,
    VALIDATE_SQL,
    VALUE_DETECTION,
    is_valid,
    mask,
    normalize,
    validate,
)

ID = "communication_record"
CLASS = "communication_record"
TIER = "B"
HEADER_SYNONYMS = (
    "通话", "主叫", "被叫", "通话时长", "通话记录", "话单", "call_log", "call_record", "caller", "callee",
    "call_duration", "call_time",
)
