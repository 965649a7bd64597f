"""Communication content (通信内容).

Art. 5(1)(3) names 通信内容 (what was said or written).

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

ID = "communication_content"
CLASS = "communication_content"
TIER = "A"
HEADER_SYNONYMS = (
    "短信内容", "聊天记录", "聊天内容", "消息内容", "通信内容", "邮件内容", "sms_content", "message_content",
    "message_text", "chat_log", "chat_content",
)
