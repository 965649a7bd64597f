"""Transaction information (交易信息).

Art. 5(1)(4) names 交易信息 (orders, payments, purchases).

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from ._text import *  # noqa: F403 (the shared contract names are this module's API)

ID = "transaction"
CLASS = "transaction"
TIER = "B"
HEADER_SYNONYMS = (
    "订单", "交易", "支付", "消费", "付款", "购买", "order", "transaction", "payment", "purchase",
)
