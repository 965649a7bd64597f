"""Location or trajectory (行踪轨迹).

Art. 5(1)(3) of Fa Shi [2017] No. 10 names 行踪轨迹信息. Courts read trajectory narrowly (a position that
locates a specific person); a column is assigned only on its header, never on numbers alone.

Header-driven and not identifying on its own; see ``categorizers._text``.
"""

from ._text import *  # noqa: F403 (the shared contract names are this module's API)

ID = "location"
CLASS = "location"
TIER = "A"
HEADER_SYNONYMS = (
    "经纬度", "经度", "纬度", "轨迹", "行踪", "定位", "坐标", "位置信息", "gps", "latitude", "longitude", "lat",
    "lng", "lon", "location", "trajectory", "coordinates", "geo",
)
