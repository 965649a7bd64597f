"""Location or trajectory (行踪轨迹).

Art. 5(1)(3) of Fa Shi [2017] No. 10 names 行踪轨迹信息. Courts read trajectory narrowly (a position that
locates a specific person); a column is assigned only on its header, never on numbers alone.

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

ID = "location"
CLASS = "location"
TIER = "A"
HEADER_SYNONYMS = (
    "经纬度", "经度", "纬度", "轨迹", "行踪", "定位", "坐标", "位置信息", "gps", "latitude", "longitude", "lat",
    "lng", "lon", "location", "trajectory", "coordinates", "geo",
)
