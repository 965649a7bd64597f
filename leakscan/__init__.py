"""leakscan: how much personal information a leaked dataset holds, and what that means.

>>> import leakscan
>>> report = leakscan.scan("sample_data/")                    # doctest: +SKIP
>>> report.to_dict()["records"]["unique"]                     # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("leakscan")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

from .report import Report  # noqa: E402
from .scan import scan  # noqa: E402

__all__ = ["Report", "scan", "__version__"]
