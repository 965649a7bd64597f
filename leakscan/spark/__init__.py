"""leakscan on Apache Spark (``--engine spark``, ``docs/scale-out.md``).

Per-input work (staging, classification, the one pass that reduces an input to its key table)
runs leakscan's unchanged DuckDB plan inside Spark tasks (``tasks.py``); the case-level stages
(counting, person linking, assessment) run on Spark SQL through ``engine.SparkEngine``, which
translates the statements ``count.py`` writes in DuckDB's dialect (``dialect.py``). pyspark
is imported only here, and only when a Spark scan is asked for.
"""
