"""Accommodation record (住宿信息).

Art. 5(1)(4) names 住宿信息 (hotel stays).

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from ._text import *  # noqa: F403 (the shared contract names are this module's API)

ID = "accommodation"
CLASS = "accommodation"
TIER = "B"
HEADER_SYNONYMS = (
    "酒店", "宾馆", "旅馆", "住宿", "入住", "退房", "房号", "房间号", "hotel", "check_in", "checkin",
    "check_out", "checkout", "room_no", "room_number", "lodging",
)
