"""Health or physiological information (健康生理信息).

Art. 5(1)(4) names 健康生理信息.

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

ID = "health"
CLASS = "health"
TIER = "B"
HEADER_SYNONYMS = (
    "诊断", "病历", "病史", "血型", "病情", "过敏", "体检", "就诊", "疾病", "diagnosis", "medical_record",
    "medical_history", "blood_type", "allergy", "disease", "health",
)
