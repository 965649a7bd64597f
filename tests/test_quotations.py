"""Every quotation marked as such (「…」) in a shipped ruleset must appear verbatim in the
legal reference (../shared/legal-reference.md): a quotation a court cannot find in the source
is worse than a paraphrase marked as one."""
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULESETS = sorted((ROOT / "leakscan" / "rulesets").glob("*.toml"))
REFERENCE = ROOT.parent.parent / "shared" / "legal-reference.md"
QUOTE = re.compile(r"「([^」]*)」")


def _reference_text() -> str:
    if not REFERENCE.exists():
        pytest.skip(f"legal reference not present at {REFERENCE}")
    # the reference sets the planted items' numbers in bold (**五十条以上**); a quotation
    # of the statute carries no markup, so compare on the text without it
    return REFERENCE.read_text(encoding="utf-8").replace("**", "")


def _strings(node):
    """Every string value in a parsed ruleset (TOML escapes such as \\" already undone)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _quotations(path: Path) -> list[str]:
    with path.open("rb") as f:
        return [q for s in _strings(tomllib.load(f)) for q in QUOTE.findall(s)]


def test_the_rulesets_quote_something():
    assert sum(len(_quotations(p)) for p in RULESETS) > 0


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.name)
def test_every_marked_quotation_is_verbatim_in_the_legal_reference(path):
    text = _reference_text()
    missing = [q for q in _quotations(path) if q not in text]
    assert missing == [], f"{path.name}: not verbatim in the legal reference: {missing}"
