"""Accommodation record (住宿信息).

Art. 5(1)(4) names 住宿信息 (hotel stays).

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

ID = "accommodation"
CLASS = "accommodation"
TIER = "B"
HEADER_SYNONYMS = (
    "酒店", "宾馆", "旅馆", "住宿", "入住", "退房", "房号", "房间号", "hotel", "check_in", "checkin",
    "check_out", "checkout", "room_no", "room_number", "lodging",
)
