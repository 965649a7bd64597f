"""The Clopper-Pearson exact confidence interval for a binomial share.

Verification by sampling (``sampling.py``, docs/counting.md "Verification by sampling") reads
how many of ``n`` sampled records an examiner found genuine and needs an interval for the
genuine share of the whole tier that holds whatever the share is: the exact (Clopper-Pearson)
interval, because it never covers less than its confidence, even for small samples and shares
near 0 or 1, where the normal approximation fails and a court would be right to distrust it.

The bounds are the roots of binomial tails (equivalently, quantiles of the beta
distribution, the regularized incomplete beta inverse):

- lower ``p_L``: ``P(X >= x | n, p_L) = alpha / 2`` (0 when ``x = 0``);
- upper ``p_U``: ``P(X <= x | n, p_U) = alpha / 2`` (1 when ``x = n``).

For integer arguments the regularized incomplete beta is a finite binomial sum,
``I_p(x, n - x + 1) = P(X >= x | n, p)``, so it is computed exactly as a sum of ``n + 1``
terms in 60-digit decimal arithmetic and inverted by bisection (no scipy: a few hundred
evaluations of a sum are fast enough for samples of thousands). The bisection keeps a bracket
around each root and returns the *outer* end: the lower bound is never above the true root
and the upper bound never below it, so a count at the lower bound (``floor(count * lower)``)
is never larger than exact arithmetic would give.

>>> [f"{b:.6f}" for b in clopper_pearson(5, 10)]
['0.187086', '0.812914']
>>> [f"{b:.6f}" for b in clopper_pearson(0, 10)], [f"{b:.6f}" for b in clopper_pearson(10, 10)]
(['0.000000', '0.308497'], ['0.691503', '1.000000'])
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation, localcontext
from math import comb

#: Decimal digits of the tail sums: far beyond what any figure shown or floored needs.
PRECISION = 60
#: The bisection stops when the bracket is narrower than this (well below a double's step).
TOLERANCE = Decimal("1e-25")
#: The largest sample per tier the interval is computed for (time grows with n).
MAX_SAMPLE = 100_000


def confidence_level(value) -> Decimal:
    """A confidence level strictly between 0 and 1 (``0.95``; ``95%`` is read as 0.95).

    >>> confidence_level("95%"), confidence_level(0.9)
    (Decimal('0.95'), Decimal('0.9'))
    """
    text = str(value).strip()
    try:
        level = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        raise ValueError(f"a confidence level such as 0.95, not {text!r}") from None
    if not level.is_finite() or not 0 < level < 1:
        raise ValueError(f"a confidence level between 0 and 1 (such as 0.95), not {text!r}")
    return level


def tail_at_least(x: int, n: int, p: Decimal) -> Decimal:
    """``P(X >= x)`` for ``X ~ Binomial(n, p)``, ``0 < p < 1``: the regularized incomplete
    beta ``I_p(x, n - x + 1)``, summed term by term (each from the one before it)."""
    if x <= 0:
        return Decimal(1)
    if x > n:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        q = 1 - p
        term = Decimal(comb(n, x)) * p ** x * q ** (n - x)
        total = term
        ratio = p / q
        for j in range(x, n):
            term = term * (n - j) / (j + 1) * ratio
            total += term
        return +total


def _root(f, target: Decimal) -> tuple[Decimal, Decimal]:
    """The bracket ``(lo, hi)`` around the ``p`` in (0, 1) where the increasing ``f`` crosses
    ``target``: ``f(lo) < target <= f(hi)``, ``hi - lo < TOLERANCE``."""
    lo, hi = Decimal(0), Decimal(1)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        while hi - lo >= TOLERANCE:
            mid = (lo + hi) / 2
            if f(mid) < target:
                lo = mid
            else:
                hi = mid
    return lo, hi


def clopper_pearson(x: int, n: int, confidence=Decimal("0.95")) -> tuple[Decimal, Decimal]:
    """The two-sided exact interval ``(lower, upper)`` for ``x`` successes in ``n`` trials.

    The lower bound is rounded down and the upper bound up, by less than ``TOLERANCE``.
    """
    if not (isinstance(x, int) and isinstance(n, int)) or not 0 <= x <= n or n < 1:
        raise ValueError(f"need 0 <= x <= n and n >= 1, not x={x!r}, n={n!r}")
    if n > MAX_SAMPLE:
        raise ValueError(f"a sample of at most {MAX_SAMPLE:,} per tier, not {n:,}")
    half = (1 - confidence_level(confidence)) / 2
    lower = Decimal(0) if x == 0 else _root(lambda p: tail_at_least(x, n, p), half)[0]
    # P(X <= x | p) = 1 - P(X >= x + 1 | p) decreases in p; its root is that of the increasing
    # P(X >= x + 1 | p) at 1 - alpha/2
    upper = Decimal(1) if x == n else _root(lambda p: tail_at_least(x + 1, n, p),
                                             1 - half)[1]
    return lower, upper
