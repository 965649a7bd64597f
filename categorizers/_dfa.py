"""Regular expressions over ASCII digits compiled to deterministic automata, for C kernels.

Why: the phone categorizer's rules are libphonenumber's regular expressions (national-number
patterns, the national prefix for parsing), read at import time from the installed
``phonenumbers`` metadata. DuckDB runs them through RE2 at several hundred nanoseconds a
call, and a cell needs up to a dozen calls; a table-driven automaton in C answers each in a
few nanoseconds. The automaton is built here, at start-up, from the same pattern text the
SQL uses, so nothing is typed twice: the kernel is a third twin of the SQL, not a new rule.

Only what the metadata uses is accepted: digits, ``\\d``, character classes of digits,
groups, alternation and repetition (greedy or lazy: for full matches and for the set of
match ends, which is all a kernel asks, laziness changes nothing). Anything else (anchors,
back-references, look-around, a character that is not a digit, a class such as ``\\s``)
raises ``Unsupported`` (a class of characters is read as its digits: the input holds
nothing else), and the categorizer then declares no kernel: the SQL runs, with the same
results.

>>> a = compile_digits(r"1(?:[12]\\d|79)\\d\\d|0")
>>> a.fullmatch("0"), a.fullmatch("17912"), a.fullmatch("1791"), a.fullmatch("10")
(True, True, False, False)
>>> a.match_ends("012345"), a.match_ends("11234567")
([1], [5])
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

try:  # Python 3.11+: the parser behind ``re``
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

DIGITS = frozenset(range(10))
#: More states than this and the pattern is left to the SQL (the CN metadata needs a few
#: hundred per pattern; the table stays small enough to build at start-up in milliseconds).
MAX_STATES = 20_000
DEAD = -1


class Unsupported(ValueError):
    """The pattern uses something this compiler does not translate."""


class _Nfa:
    """Thompson automaton over the symbols 0-9: ``eps[s]`` and ``edges[s]`` (symbols, target)."""

    def __init__(self):
        self.eps: list[list[int]] = []
        self.edges: list[list[tuple[frozenset[int], int]]] = []

    def state(self) -> int:
        self.eps.append([])
        self.edges.append([])
        return len(self.eps) - 1

    def seq(self, items) -> tuple[int, int]:
        start = end = self.state()
        for op, arg in items:
            s, e = self.node(op, arg)
            self.eps[end].append(s)
            end = e
        return start, end

    def node(self, op, arg) -> tuple[int, int]:
        if op is _c.LITERAL:
            return self.symbols(frozenset([_digit(arg)]))
        if op is _c.ANY:
            return self.symbols(DIGITS)  # the input holds digits only
        if op is _c.IN:
            return self.symbols(_class(arg))
        if op is _c.SUBPATTERN:
            return self.seq(arg[-1])
        if op is _c.BRANCH:
            start, end = self.state(), self.state()
            for alt in arg[1]:
                s, e = self.seq(alt)
                self.eps[start].append(s)
                self.eps[e].append(end)
            return start, end
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            lo, hi, sub = arg
            start = end = self.state()
            for _ in range(lo):
                s, e = self.seq(sub)
                self.eps[end].append(s)
                end = e
            if hi is _c.MAXREPEAT:
                s, e = self.seq(sub)
                self.eps[end].append(s)
                self.eps[e].append(end)  # loop back; ``end`` stays accepting
                return start, end
            if hi - lo > 64:
                raise Unsupported("repetition too wide")
            final = self.state()
            self.eps[end].append(final)
            for _ in range(hi - lo):
                s, e = self.seq(sub)
                self.eps[end].append(s)
                self.eps[e].append(final)
                end = e
            return start, final
        raise Unsupported(f"regular-expression construct {op} is not translated")

    def symbols(self, syms: frozenset[int]) -> tuple[int, int]:
        s, e = self.state(), self.state()
        if syms:
            self.edges[s].append((syms, e))
        return s, e

    def closure(self, states) -> frozenset[int]:
        seen, stack = set(states), list(states)
        while stack:
            for t in self.eps[stack.pop()]:
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        return frozenset(seen)


def _digit(code: int) -> int:
    if not 0x30 <= code <= 0x39:
        raise Unsupported(f"character {chr(code)!r} is not a digit")
    return code - 0x30


def _class(items) -> frozenset[int]:
    out: set[int] = set()
    negate = False
    for op, arg in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            if 0x30 <= arg <= 0x39:
                out.add(arg - 0x30)  # other characters never occur in the input
        elif op is _c.RANGE:
            lo, hi = arg
            out |= {c - 0x30 for c in range(max(lo, 0x30), min(hi, 0x39) + 1)}
        elif op is _c.CATEGORY and arg is _c.CATEGORY_DIGIT:
            out |= DIGITS
        else:
            raise Unsupported(f"class item {op} {arg} is not translated")
    return frozenset(DIGITS - out) if negate else frozenset(out)


@dataclass(frozen=True)
class Dfa:
    """``trans[s * 10 + d]``: the state after digit ``d`` in state ``s`` (``DEAD``: none);
    ``accept[s]``: whether the input read so far is a match. State 0 is the start."""

    trans: tuple[int, ...]
    accept: tuple[bool, ...]

    def run(self, text: str):
        """The states after each prefix of ``text`` (stops at a non-digit or a dead end)."""
        s = 0
        yield s
        for ch in text:
            if not "0" <= ch <= "9":
                return
            s = self.trans[s * 10 + ord(ch) - 48]
            if s == DEAD:
                return
            yield s

    def fullmatch(self, text: str) -> bool:
        states = list(self.run(text))
        return len(states) == len(text) + 1 and self.accept[states[-1]]

    def match_ends(self, text: str) -> list[int]:
        """The lengths of the prefixes of ``text`` that the pattern matches in full."""
        return [i for i, s in enumerate(self.run(text)) if self.accept[s]]

    def pack(self) -> bytes:
        """``int32 states``, then ``int32 trans[states * 10]``, then ``uint8 accept[states]``
        padded to a multiple of 4 bytes (the layout ``leakscan/_kernels.c`` reads)."""
        n = len(self.accept)
        accept = bytes(self.accept) + bytes(-n % 4)
        return struct.pack(f"<i{n * 10}i", n, *self.trans) + accept


def compile_digits(pattern: str) -> Dfa:
    """The automaton of ``pattern`` over strings of ASCII digits (``Unsupported`` if it
    cannot be translated, or needs more than ``MAX_STATES`` states)."""
    try:
        tree = _p.parse(pattern)
    except Exception as e:  # re.error
        raise Unsupported(str(e)) from None
    nfa = _Nfa()
    start, end = nfa.seq(list(tree))
    first = nfa.closure([start])
    index = {first: 0}
    todo = [first]
    trans: list[int] = []
    accept: list[bool] = []
    while todo:
        cur = todo.pop(0)
        accept.append(end in cur)
        row = []
        for d in range(10):
            nxt = nfa.closure([t for s in cur for syms, t in nfa.edges[s] if d in syms])
            if not nxt:
                row.append(DEAD)
                continue
            if nxt not in index:
                if len(index) >= MAX_STATES:
                    raise Unsupported("automaton too large")
                index[nxt] = len(index)
                todo.append(nxt)
            row.append(index[nxt])
        trans += row
    return Dfa(tuple(trans), tuple(accept))


def translatable(pattern: str) -> bool:
    """Does ``pattern`` use only what ``compile_digits`` translates? (Its Thompson automaton
    is built, not the deterministic one: cheap enough to ask at import time.)"""
    try:
        _Nfa().seq(list(_p.parse(pattern)))
    except Exception:  # Unsupported, re.error
        return False
    return True
