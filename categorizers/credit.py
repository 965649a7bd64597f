"""Credit information (征信信息).

Art. 5(1)(3) names 征信信息.

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

ID = "credit"
CLASS = "credit"
TIER = "A"
HEADER_SYNONYMS = (
    "征信", "信用分", "信用评分", "逾期", "信用报告", "负债", "credit", "credit_score", "overdue",
    "delinquency", "credit_report",
)
