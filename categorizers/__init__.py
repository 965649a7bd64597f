"""Built-in categorizers: one module per kind of personal information.

Each module keeps the contract described in ``leakscan.registry`` and ``docs/categorizers.md``.
Modules whose name starts with ``_`` hold shared helpers and are not categorizers.
"""
