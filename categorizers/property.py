"""Property information (财产信息).

Art. 5(1)(3) names 财产信息 (balances, deposits, real estate, registered vehicles).

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

ID = "property"
CLASS = "property"
TIER = "A"
HEADER_SYNONYMS = (
    "余额", "存款", "房产", "车辆登记", "资产", "账户余额", "持仓", "balance", "deposit", "deposits",
    "real_estate", "vehicle_registration", "assets", "account_balance",
)
