"""Typed validation failures, so a report can say *why* values were rejected.

Modelled on python-stdnum's small exception tree; categorizers raise these from
``validate()`` and ``is_valid()`` turns them into ``False``.
"""

from __future__ import annotations


class ValidationError(ValueError):
    """The value is not a valid identifier of this category."""

    reason = "invalid"


class InvalidFormat(ValidationError):
    reason = "format"


class InvalidLength(ValidationError):
    reason = "length"


class InvalidChecksum(ValidationError):
    reason = "checksum"


class InvalidComponent(ValidationError):
    """A part of the value (date, region code, number range) does not exist."""

    reason = "component"
