"""Health or physiological information (健康生理信息).

Art. 5(1)(4) names 健康生理信息.

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from ._text import *  # noqa: F403 (the shared contract names are this module's API)

ID = "health"
CLASS = "health"
TIER = "B"
HEADER_SYNONYMS = (
    "诊断", "病历", "病史", "血型", "病情", "过敏", "体检", "就诊", "疾病", "diagnosis", "medical_record",
    "medical_history", "blood_type", "allergy", "disease", "health",
)
