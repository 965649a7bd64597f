"""Errors leakscan raises, and the exit codes the CLI maps them to.

The library raises; only ``leakscan.cli`` prints and exits. Every message says what went
wrong, where, and what to try, in one line, because an analyst reads it in a terminal at
3 a.m. and a SOAR pipeline greps it.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Exit codes of ``leakscan``; documented in ``--help`` and the README."""

    OK = 0  #: every input was scanned and the report written
    INTERNAL = 1  #: a bug in leakscan (please report it, with ``-v`` output)
    USAGE = 2  #: bad command line: unknown option, missing path, bad override
    PARTIAL = 3  #: some inputs could not be read; the report covers the rest and says which
    NOTHING_READABLE = 4  #: no input could be read; no counts were produced
    NOT_VERIFIED = 5  #: ``leakscan verify``: a file changed, is missing, or is not in the report
    LEVEL_REACHED = 6  #: ``--fail-on LEVEL``: a ruleset reached that level; the report is written
    HANGUP = 129  #: stopped by SIGHUP (the terminal closed); no report, temporary files removed
    INTERRUPTED = 130  #: stopped by Ctrl-C; no report was written
    TERMINATED = 143  #: stopped by SIGTERM; no report, temporary files removed


class LeakscanWarning(UserWarning):
    """A report warning, issued through Python's ``warnings`` by ``leakscan.scan()``."""


class LeakscanError(Exception):
    """Base of every error leakscan raises on purpose."""

    exit_code = ExitCode.INTERNAL


class UsageError(LeakscanError):
    """The caller asked for something that cannot be done (bad option, missing path)."""

    exit_code = ExitCode.USAGE


class InputError(LeakscanError):
    """One input file cannot be read; the message names the file and the reason."""

    exit_code = ExitCode.NOTHING_READABLE

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NothingReadable(LeakscanError):
    """No input could be read at all."""

    exit_code = ExitCode.NOTHING_READABLE


class RegistryError(LeakscanError):
    """A categorizer module breaks the contract (missing name, duplicate id...)."""


class RulesetError(LeakscanError):
    """A ruleset file is malformed; the message names the file and the rule."""

    exit_code = ExitCode.USAGE
