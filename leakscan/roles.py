"""Whose row it is: columns that hold the identifiers of a party other than the record's subject.

A hospital table lists patients with their treating doctor (``主治医生``), a CRM export
customers with their customer manager (``客户经理``), a rider roster riders with their
station (``站点地址``). The doctor's name is personal information of the doctor, but the
diagnosis next to it is the patient's: it does not become a tier-B item of the doctor's, and
a manager's phone shared by a thousand customers does not make them one person. So a column
of an identifying category whose header holds one of its categorizer's ``ROLE_WORDS`` is
*held by a role*: its values count as items of their own, but they carry none of the row's
attribute values and link no persons (``count.py``; ``docs/counting.md``, rule 2.4).

A role needs a subject to be other than: when no column of the input names an identifying
category without a role word (a roster of doctors: ``医生姓名``, ``医生电话``), the role *is*
the subject and nothing is held.

>>> from leakscan.registry import default_registry
>>> reg = default_registry()
>>> role_in("主治医生", reg.get("name")), role_in("客户经理电话", reg.get("phone"))
('主治医生', '客户经理')
>>> role_in("客户姓名", reg.get("name")) is None
True
"""

from __future__ import annotations

from .classify import Assignment
from .header_match import header_matches, synonym_matches
from .registry import Categorizer, Registry


def role_in(header: str, cat: Categorizer) -> str | None:
    """The longest of ``cat``'s role words found in ``header`` (matched as header synonyms
    are: Chinese as substrings, ASCII as whole words), or None."""
    hits = [w for w in cat.role_words if synonym_matches(header, w)]
    return max(hits, key=len) if hits else None


def assign_roles(assignments: list[Assignment], columns: list[str],
                 registry: Registry) -> list[str]:
    """Set ``role`` on the assignments whose header names a role other than the subject;
    return one note per input that has role words but no subject (the role is then read as
    the subject, and nothing is held)."""
    roles = {}
    for a in assignments:
        cat = registry.get(a.category)
        if cat.identifying and cat.personal:
            role = role_in(a.column, cat)
            if role:
                roles[a.position] = role
    if not roles:
        return []
    decided = {a.position: a for a in assignments}
    if not any(_names_subject(j, c, decided.get(j), registry) for j, c in enumerate(columns)
               if j not in roles):
        return [f"columns {', '.join(repr(a.column) for a in assignments if a.position in roles)}"
                f" name a role ({', '.join(sorted(set(roles.values())))}) but no column names "
                f"another subject: read as the records' subject"]
    for a in assignments:
        a.role = roles.get(a.position)
    return []


def _names_subject(j: int, column: str, decided: Assignment | None, registry: Registry) -> bool:
    """Does this column (not itself held by a role) hold, or name in its header, an
    identifier of the record's subject? A header counts even when its values failed (a
    ``患者姓名`` column of ``无名氏`` still says whose rows these are)."""
    if decided is not None:
        cat = registry.get(decided.category)
        if cat.identifying and cat.personal:
            return True
    for cat_id in header_matches(column, registry):
        cat = registry.get(cat_id)
        if cat.identifying and cat.personal and role_in(column, cat) is None:
            return True
    return False
