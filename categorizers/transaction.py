"""Transaction information (交易信息).

Art. 5(1)(4) names 交易信息 (orders, payments, purchases).

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

ID = "transaction"
CLASS = "transaction"
TIER = "B"
HEADER_SYNONYMS = (
    "订单", "交易", "支付", "消费", "付款", "购买", "order", "transaction", "payment", "purchase",
)
