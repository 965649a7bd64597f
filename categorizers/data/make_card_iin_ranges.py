"""Regenerate ``card_iin_ranges.tsv``: the issuer identifier (IIN) ranges of the card schemes
that issue bank cards, with the card lengths each issues.

No package on PyPI keeps these ranges as maintained data (the few that list card "brands" are
regular expressions of unclear origin, unmaintained or aimed at Brazilian acquirers), so the
table below is kept here, each range with its source, and written to the TSV that
``categorizers/bank_card.py`` reads. The ranges are the ones the schemes publish for
acquirers and that ISO/IEC 7812-1 registers (major industry identifiers 2-6 for banking and
finance; 8 only for UnionPay's 81 range, since 89 is the telecommunications MII of SIM card
ICCIDs, ITU-T E.118). Private ranges (loyalty and gift cards, 60xxxx outside Discover,
MII 7 petroleum, MII 9 national use) are left out on purpose: they are not bank cards.

Sources:
- UnionPay: 62 (JR/T 0008-2018 and UnionPay International's BIN list; 16-19 digits), 81
  (8100-8171, UnionPay's ISO 7812 allocation of 2016-2017, 16-19 digits);
- Visa: 4 (Visa "BIN range" rules; 16 and 19 digits, 13-digit cards withdrawn);
- Mastercard: 51-55 and 2221-2720 (Mastercard Rules, "Mastercard BIN ranges", 16 digits);
- Maestro: 5018, 5020, 5038, 5893, 6304, 6759, 6761-6763 (Mastercard, 16-19 digits kept);
- American Express: 34, 37 (15 digits);
- JCB: 3528-3589 (16-19 digits), and its older 3088-3094, 3096-3102, 3112-3120, 3158-3159,
  3337-3349 ranges (16 digits);
- Discover Global Network: 6011, 644-649, 65 (16-19 digits); Diners Club International:
  300-305, 3095, 36, 38-39 (16-19 digits kept: 14-digit Diners cards are out of scope, see
  ``bank_card``'s length rule);
- Mir: 2200-2204 (16-19 digits).

Run from the repository root after editing the table:

    python3 categorizers/data/make_card_iin_ranges.py
"""

from __future__ import annotations

from pathlib import Path

#: (first 6-digit IIN, last 6-digit IIN, card lengths, scheme)
RANGES = (
    (620000, 629999, "16-19", "unionpay"),
    (810000, 817199, "16-19", "unionpay"),
    (400000, 499999, "16,19", "visa"),
    (510000, 559999, "16", "mastercard"),
    (222100, 272099, "16", "mastercard"),
    (501800, 501899, "16-19", "maestro"),
    (502000, 502099, "16-19", "maestro"),
    (503800, 503899, "16-19", "maestro"),
    (589300, 589399, "16-19", "maestro"),
    (630400, 630499, "16-19", "maestro"),
    (675900, 675999, "16-19", "maestro"),
    (676100, 676399, "16-19", "maestro"),
    (340000, 349999, "15", "amex"),
    (370000, 379999, "15", "amex"),
    (352800, 358999, "16-19", "jcb"),
    (308800, 309499, "16", "jcb"),
    (309600, 310299, "16", "jcb"),
    (311200, 312099, "16", "jcb"),
    (315800, 315999, "16", "jcb"),
    (333700, 334999, "16", "jcb"),
    (601100, 601199, "16-19", "discover"),
    (644000, 659999, "16-19", "discover"),
    (300000, 305999, "16-19", "diners"),
    (309500, 309599, "16-19", "diners"),
    (360000, 369999, "16-19", "diners"),
    (380000, 399999, "16-19", "diners"),
    (220000, 220499, "16-19", "mir"),
)


def main() -> None:
    out = Path(__file__).with_name("card_iin_ranges.tsv")
    lines = ["# IIN ranges of bank card schemes: first, last (6-digit IIN), card lengths, scheme.",
             "# Origin and sources: categorizers/data/make_card_iin_ranges.py (regenerate with it)."]
    lines += [f"{lo}\t{hi}\t{lengths}\t{scheme}" for lo, hi, lengths, scheme in sorted(RANGES)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(RANGES)} ranges written to {out}")


if __name__ == "__main__":
    main()
