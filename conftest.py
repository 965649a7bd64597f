"""Collection rules for the whole checkout (``pytest`` collects doctests under ``leakscan/``).

``leakscan/spark/`` needs the ``spark`` extra (pyspark, sqlglot), which the main suite does
not install (``pip install -e '.[test]'``): without it those modules are not collected; the
``spark`` group (``pytest -m spark``, after ``pip install -e '.[test,spark]'``) runs them.
"""

import importlib.util

collect_ignore_glob = []
if importlib.util.find_spec("sqlglot") is None or importlib.util.find_spec("pyspark") is None:
    collect_ignore_glob.append("leakscan/spark/*.py")
