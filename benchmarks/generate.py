"""Generate large synthetic leak dumps with a ground truth known by construction.

    python3 benchmarks/generate.py --rows 1000000 --out benchmarks/data
    python3 benchmarks/generate.py --rows 10000 --verify

Each run writes ``<name>.csv``, ``<name>.parquet`` (the same rows) and ``<name>.truth.json`` into
the output directory; ``<name>`` is ``leak_<rows>`` unless ``--name`` is given. Every value is
computed in DuckDB SQL from ``hash(key, seed, salt)``: no Python loop per row, so five million
rows take seconds, and the same seed, row count and DuckDB version give the same bytes.

Columns (header, category leakscan is expected to assign, shares per mille of rows):

=========  ==============  ====================================================================
姓名       name            970 valid 2-3 Han characters, 30 blank
身份证号   cn_resident_id  900 valid; 40 wrong check digit; 20 impossible date (Feb 30, month
                           13) with a correct check digit; 10 unknown region (9xxxxx) with a
                           correct check digit; 30 blank
手机号     phone           900 valid mobile; 30 valid fixed line (``0AREA-NUMBER``); 30 11-digit
                           number under an unassigned prefix (sampled: phonenumbers rejects
                           every number under it); 20 10-digit; 20 blank
邮箱       email           800 valid (``example.*`` domains); 50 invalid (no @ / two @); 150 blank
地址       address         900 valid ``[省]市区路号``; 100 blank
银行卡号   bank_card       300 valid (two thirds 19 digits, a third 16; ``62xxxx`` BIN, Luhn);
                           30 wrong Luhn digit; 670 blank
订单号     (none)          600 18-digit order numbers ``YYYYMMDD`` + 10 digits (decoys for
                           the ID and bank card detectors: never a valid ID, about 10% pass
                           Luhn); 400 blank
金额       (none)          amount, ``123.45``
备注       (none)          short remarks without identifiers, 300 blank
注册时间   (none)          registration timestamp
=========  ==============  ====================================================================

On top of that, 10 per mille of the keys are *junk rows* whose identifying cells are all blank
or invalid (no personal information; they take precedence over the shares above), and every
50th row (``i % 50 == 49``, so exactly
``rows // 50`` rows) is a byte-identical copy of one of the 1,000 rows before it. The
normalised form of every value is its written form (IDs upper-case, phones E.164), so
record duplicates are exactly the copies plus chance collisions, which the truth counts.

The truth is computed in SQL from the per-value validity flags the generator sets, with the
counting rules of the report format: a record is a row with at least one valid identifying
value; records dedup on the tuple of normalised valid values over the categorised columns;
a record's tier is A if it holds a valid bank card, else C. An order number is not transaction
information (it names the order, not what was paid or when: the negative word 号 of the
transaction category, ``docs/classification.md`` rule 4), so the dump holds no tier-B item.
``--verify`` recomputes all of it row by row from the written CSV with python-stdnum and
phonenumbers (the reference validator of ``sample_data/make_samples.py``) and compares.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import zlib
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leakscan import synth  # noqa: E402

COLUMNS = {  # header -> the category leakscan is expected to assign (None: not categorised)
    "姓名": "name", "身份证号": "cn_resident_id", "手机号": "phone", "邮箱": "email",
    "地址": "address", "银行卡号": "bank_card", "订单号": None, "金额": None,
    "备注": None, "注册时间": None,
}
TIERS = {"name": "C", "cn_resident_id": "C", "phone": "C", "email": "C", "address": "C",
         "bank_card": "A"}
IDENTIFYING = ("name", "cn_resident_id", "phone", "email", "address", "bank_card")
SHARES = {  # per mille; the cumulative bounds below are derived from these
    "cn_resident_id": {"valid": 900, "bad_check_digit": 40, "bad_date": 20,
                       "unknown_region": 10, "blank": 30},
    "phone": {"valid_mobile": 900, "valid_fixed_line": 30, "unassigned_prefix": 30,
              "ten_digits": 20, "blank": 20},
    "email": {"valid": 800, "invalid": 50, "blank": 150},
    "name": {"valid": 970, "blank": 30},
    "address": {"valid": 900, "blank": 100},
    "bank_card": {"valid": 300, "bad_luhn": 30, "blank": 670},
    "transaction": {"present": 600, "blank": 400},
    "junk_rows": 10,
    "exact_duplicate_rows": 20,
}
REMARKS = ("老客户", "已回访", "VIP会员", "投诉过一次", "地址待核实", "优惠券用户", "批量导入",
           "活动报名", "线下门店注册", "需要发票", "已退款", "电话未接通", "推荐人：同事",
           "周末配送", "夜间勿扰")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
GIVEN_CHARS = tuple(dict.fromkeys(synth.GIVEN))


def _sql_list(values) -> str:
    out = []
    for v in values:
        out.append(str(v) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'")
    return "[" + ", ".join(out) + "]"


def invalid_mobile_prefixes() -> list[str]:
    """Three-digit ``1xx`` prefixes under which phonenumbers parses every sampled 11-digit number
    and accepts none (unassigned mobile ranges such as ``149``)."""
    import random

    import phonenumbers as pn

    probe = random.Random(13)
    out = []
    for prefix in range(100, 200):
        try:
            samples = [pn.parse(f"{prefix}{probe.randrange(10**8):08d}", "CN") for _ in range(24)]
        except pn.NumberParseException:
            continue
        if not any(pn.is_valid_number(s) for s in samples):
            out.append(str(prefix))
    return out


def reference_lists() -> dict[str, list]:
    """Reference lists from leakscan.synth (i.e. from stdnum's and phonenumbers' data). Numbers
    are packed into integers so that one lookup fetches a region code with its years, or an
    area code with its subscriber-number length."""
    regions = [(int(c), max(s or 1950, 1950), min(e or 2005, 2005))
               for c, s, e in synth.region_codes()]
    return {
        # code * 10^10 + first year * 10^6 + last year * 100 + (weighted digit sum of the code
        # mod 11, its share of the check digit); years clipped to 1950-2005
        "reg": [c * 10**10 + lo * 10**6 + hi * 100 + _region_sum(c) for c, lo, hi in regions
                if lo <= hi],
        "mob": [int(p) for p in synth.mobile_prefixes()],
        "badmob": [int(p) for p in invalid_mobile_prefixes()],
        "area": [int(a) * 10 + n for a, n in synth.fixed_line_areas()],  # area * 10 + length
        "place": [p + c + d for p, c, ds in synth.address_parts() for d in ds],
        "road": list(synth.ROADS), "bin": [int(b) for b in synth.BINS],
        "surname": list(synth.SURNAMES), "given": list(GIVEN_CHARS),
        "syl": list(dict.fromkeys(synth.SYLLABLES)), "domain": list(synth.EMAIL_DOMAINS),
        "remark": list(REMARKS),
    }


def _region_sum(code: int) -> int:
    return sum(int(d) * w for d, w in zip(f"{code:06d}", ID_WEIGHTS, strict=False)) % 11


def setup(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """The macros the generator uses: ``r(k, salt)`` is the seeded hash of key ``k``."""
    con.execute(f"CREATE OR REPLACE MACRO r(k, salt) AS hash(k, {int(seed)}, salt)")
    # num(k, salt, n): a pseudo-random integer of at most n digits; digits(): the same, padded
    con.execute("CREATE OR REPLACE MACRO num(k, salt, n) AS "
                "(r(k, salt) % (10::UBIGINT ** n)::UBIGINT)::BIGINT")
    con.execute("CREATE OR REPLACE MACRO digits(k, salt, n) AS "
                "lpad(num(k, salt, n)::VARCHAR, n, '0')")


class _Picker:
    """``pick(name, salt)``: SQL for a pseudo-random element of a reference list.

    The list is inlined as a literal with its length as a constant: a lookup then costs about
    as much as a hash (``len()`` of a list, or a join, would be several times slower, and a
    join would not keep the row order)."""

    def __init__(self, lists: dict[str, list]):
        self.lists = lists
        self._literals: dict[str, str] = {}

    def __call__(self, name: str, salt: str) -> str:
        values = self.lists[name]
        return f"{self.literal(name)}[1 + (r(k, '{salt}') % {len(values)})::BIGINT]"

    def literal(self, name: str) -> str:
        if name not in self._literals:
            self._literals[name] = _sql_list(self.lists[name])
        return self._literals[name]


def _digit(number: str, j: int) -> str:
    """SQL: the digit of BIGINT ``number`` at position ``j`` from the right (0 = last)."""
    return f"(({number} // {10**j}) % 10)" if j else f"({number} % 10)"


def _weighted(number: str, weights: tuple[int, ...]) -> str:
    """SQL: the digits of ``number`` (as many as there are weights) times the weights, summed."""
    n = len(weights)
    return "(" + " + ".join(f"{_digit(number, n - 1 - i)} * {w}"
                            for i, w in enumerate(weights)) + ")"


def _luhn_sum(body: str) -> str:
    """Luhn sum of a BIGINT ``body`` (up to 18 digits) whose check digit is to be appended:
    every other digit from the right, starting with the last, is doubled (2d - 9 if d >= 5)."""
    terms = []
    for j in range(18):
        d = _digit(body, j)
        terms.append(f"(2 * {d} - 9 * ({d} // 5))" if j % 2 == 0 else d)
    return " + ".join(terms)


def _bounds(shares: dict[str, int]) -> dict[str, int]:
    total, out = 0, {}
    for name, n in shares.items():
        total += n
        out[name] = total
    assert total == 1000, shares
    return out


def _int_salts(sql: str) -> str:
    """Replace the readable salt names (``r(k, 'uid')``) by their CRC-32: hashing an integer
    salt is about three times cheaper than hashing a string, and a name keeps its number when
    other salts are added."""
    return re.sub(r"\b(r|num|digits)\((\w+), '(\w+)'",
                  lambda m: f"{m[1]}({m[2]}, {zlib.crc32(m[3].encode())}", sql)


def generate_sql(rows: int, lists: dict[str, list]) -> str:
    """One query: a row per ``i`` with the ten output columns plus validity flags."""
    return _int_salts(_generate_sql(rows, lists))


def _generate_sql(rows: int, lists: dict[str, list]) -> str:
    pick = _Picker(lists)
    b = {c: _bounds(s) for c, s in SHARES.items() if isinstance(s, dict)}
    idb, phb, emb, nmb = b["cn_resident_id"], b["phone"], b["email"], b["name"]
    adb, cdb, trb = b["address"], b["bank_card"], b["transaction"]
    return f"""
WITH keys AS (
  SELECT i, CASE WHEN i % 50 = 49 THEN i - 1 - (r(i, 'dup') % least(i, 1000)::UBIGINT)::BIGINT
                 ELSE i END AS k0
  FROM range({int(rows)}) t(i)
), kinds AS (
  SELECT i, k,
    (r(k, 'junk') % 1000) < {SHARES["junk_rows"]} AS junk,
    r(k, 'uid') % 1000 AS u_id, r(k, 'uph') % 1000 AS u_ph, r(k, 'uem') % 1000 AS u_em,
    r(k, 'unm') % 1000 AS u_nm, r(k, 'uad') % 1000 AS u_ad, r(k, 'ucd') % 1000 AS u_cd,
    r(k, 'utr') % 1000 AS u_tr, {pick('reg', 'reg')} AS reg
  FROM (SELECT i, CASE WHEN k0 % 50 = 49 THEN k0 - 1 ELSE k0 END AS k FROM keys)
), draw AS (
  SELECT i, k,
    CASE WHEN junk THEN 'bad_check' WHEN u_id < {idb["valid"]} THEN 'valid'
         WHEN u_id < {idb["bad_check_digit"]} THEN 'bad_check'
         WHEN u_id < {idb["bad_date"]} THEN 'bad_date'
         WHEN u_id < {idb["unknown_region"]} THEN 'unknown_region' END AS id_kind,
    CASE WHEN junk THEN 'unassigned' WHEN u_ph < {phb["valid_mobile"]} THEN 'mobile'
         WHEN u_ph < {phb["valid_fixed_line"]} THEN 'fixed'
         WHEN u_ph < {phb["unassigned_prefix"]} THEN 'unassigned'
         WHEN u_ph < {phb["ten_digits"]} THEN 'ten' END AS ph_kind,
    CASE WHEN junk THEN NULL WHEN u_em < {emb["valid"]} THEN 'valid'
         WHEN u_em < {emb["invalid"]} THEN 'invalid' END AS em_kind,
    NOT junk AND u_nm < {nmb["valid"]} AS nm_ok,
    NOT junk AND u_ad < {adb["valid"]} AS ad_ok,
    CASE WHEN junk THEN NULL WHEN u_cd < {cdb["valid"]} THEN 'valid'
         WHEN u_cd < {cdb["bad_luhn"]} THEN 'bad' END AS cd_kind,
    u_tr < {trb["present"]} AS tr_ok,
    (reg // 10000000000)::BIGINT AS region, ((reg // 1000000) % 10000)::BIGINT AS lo,
    ((reg // 100) % 10000)::BIGINT AS hi, (reg % 100)::BIGINT AS region_sum
  FROM kinds
), parts AS (
  SELECT *,
    1 + (r(k, 'day') % (CASE WHEN month = 2 THEN 28 + (year % 4 = 0)::INTEGER
                             ELSE 30 + (month + month // 8) % 2 END)::UBIGINT)::BIGINT AS day
  FROM (SELECT *, 1 + (r(k, 'mon') % 12)::BIGINT AS month
        FROM (SELECT *, lo + (r(k, 'yr') % (hi - lo + 1)::UBIGINT)::BIGINT AS year FROM draw))
), idparts AS (
  SELECT *,
    CASE WHEN id_kind = 'unknown_region' THEN 900000 + num(k, 'ureg', 5) ELSE region END
      AS id_region,
    CASE WHEN id_kind <> 'bad_date' THEN month WHEN r(k, 'bd') % 2 = 0 THEN 2 ELSE 13 END
      AS id_month,
    CASE WHEN id_kind <> 'bad_date' THEN day WHEN r(k, 'bd') % 2 = 0 THEN 30 ELSE 15 END
      AS id_day,
    1 + (r(k, 'seq') % 999)::BIGINT AS seq
  FROM parts
), bodies AS (
  SELECT *,
    CASE WHEN id_kind IS NOT NULL THEN id_region * 100000000000 + year * 10000000
         + id_month * 100000 + id_day * 1000 + seq END AS id_body,
    CASE WHEN id_kind = 'unknown_region' THEN {_weighted("id_region", ID_WEIGHTS[:6])}
         ELSE region_sum END
    + {_weighted("year", ID_WEIGHTS[6:10])} + {_weighted("id_month", ID_WEIGHTS[10:12])}
    + {_weighted("id_day", ID_WEIGHTS[12:14])} + {_weighted("seq", ID_WEIGHTS[14:])} AS id_sum,
    CASE WHEN cd_kind IS NULL THEN NULL
         WHEN r(k, 'clen') % 3 < 2  -- 19 digits: BIN, 12 digits, check digit
           THEN {pick('bin', 'bin')}::BIGINT * 1000000000000 + num(k, 'cb', 12)
         ELSE {pick('bin', 'bin')}::BIGINT * 1000000000 + num(k, 'cb', 9) END AS card_body,
    {pick('area', 'area')} AS area_len
  FROM idparts
), checked AS (
  SELECT *,
    (12 - id_sum % 11) % 11 AS id_check,
    (10 - ({_luhn_sum("card_body")}) % 10) % 10 AS card_check
  FROM bodies
)
SELECT i,
  CASE WHEN nm_ok THEN {pick('surname', 'sn')} || {pick('given', 'g1')}
       || CASE WHEN r(k, 'g2n') % 10 < 7 THEN {pick('given', 'g2')} ELSE '' END
  END AS "姓名",
  id_body::VARCHAR || substr('0123456789X',
       1 + CASE WHEN id_kind = 'bad_check' THEN (id_check + 1 + r(k, 'wc') % 10) % 11
                ELSE id_check END::BIGINT, 1) AS "身份证号",
  CASE ph_kind
    WHEN 'mobile' THEN {pick('mob', 'mob')}::VARCHAR || digits(k, 'mn', 8)
    -- Subscriber numbers start with 2-7: phonenumbers' metadata rejects some 8xx ranges
    -- (010-800xxxxx, 021-800xxxxx), which a 20M-row dump hit five times.
    WHEN 'fixed' THEN '0' || (area_len // 10)::VARCHAR || '-' || (2 + r(k, 'fd') % 6)::VARCHAR
         || digits(k, 'fn', area_len % 10 - 1)
    WHEN 'unassigned' THEN {pick('badmob', 'bm')}::VARCHAR || digits(k, 'mn', 8)
    WHEN 'ten' THEN {pick('mob', 'mob')}::VARCHAR || digits(k, 'mn', 7)
  END AS "手机号",
  CASE WHEN em_kind IS NOT NULL THEN
    CASE r(k, 'est') % 3
      WHEN 0 THEN (10000 + r(k, 'qq') % 9999990000)::VARCHAR
      WHEN 1 THEN {pick('syl', 's1')} || {pick('syl', 's2')} || (1 + r(k, 'en') % 9999)::VARCHAR
      ELSE {pick('syl', 's1')} || '.' || {pick('syl', 's2')} || (60 + r(k, 'en') % 40)::VARCHAR
    END
    || CASE WHEN em_kind = 'valid' THEN '@' WHEN r(k, 'ei') % 2 = 0 THEN '.' ELSE '@@' END
    || {pick('domain', 'dom')} END AS "邮箱",
  CASE WHEN ad_ok THEN {pick('place', 'ad')} || {pick('road', 'rd')}
       || CASE r(k, 'rs') % 4 WHEN 0 THEN '东路' WHEN 1 THEN '西路' ELSE '路' END
       || (1 + r(k, 'hn') % 999)::VARCHAR || '号' END AS "地址",
  card_body::VARCHAR || (CASE WHEN cd_kind = 'bad' THEN (card_check + 1 + r(k, 'wl') % 9) % 10
                              ELSE card_check END)::VARCHAR AS "银行卡号",
  CASE WHEN tr_ok THEN strftime(DATE '2023-01-01' + (r(k, 'od') % 730)::INTEGER, '%Y%m%d')
       || digits(k, 'on', 10) END AS "订单号",
  ((r(k, 'amt') % 5000000) / 100)::DECIMAL(12, 2) AS "金额",
  CASE WHEN r(k, 'rmk') % 10 < 7 THEN {pick('remark', 'rm')} END AS "备注",
  TIMESTAMP '2015-01-01 00:00:00' + to_seconds((r(k, 'reg_t') % 315360000)::BIGINT)
    AS "注册时间",
  id_kind = 'valid' AS id_ok, ph_kind IN ('mobile', 'fixed') AS ph_ok,
  em_kind = 'valid' AS em_ok, nm_ok, ad_ok, cd_kind = 'valid' AS cd_ok, tr_ok,
  k <> i AS is_copy
FROM checked
"""


_NORM = {  # category -> (column, SQL for its normalised valid value, NULL when not valid)
    "name": ("姓名", """CASE WHEN nm_ok THEN "姓名" END"""),
    "cn_resident_id": ("身份证号", """CASE WHEN id_ok THEN upper("身份证号") END"""),
    "phone": ("手机号", """CASE WHEN ph_ok THEN '+86' || CASE WHEN "手机号"[1] = '0'
              THEN replace("手机号"[2:], '-', '') ELSE "手机号" END END"""),
    "email": ("邮箱", """CASE WHEN em_ok THEN lower("邮箱") END"""),
    "address": ("地址", """CASE WHEN ad_ok THEN "地址" END"""),
    "bank_card": ("银行卡号", """CASE WHEN cd_ok THEN "银行卡号" END"""),
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    row = con.execute(sql).fetchone()
    return dict(zip([d[0] for d in con.description], row, strict=True))


def compute_truth(con: duckdb.DuckDBPyConnection) -> dict:
    """All truth figures from table ``dump`` (values plus the generator's validity flags)."""
    cats = list(_NORM)
    cols = ", ".join(f"{sql} AS n_{cat}" for cat, (col, sql) in _NORM.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE v AS SELECT {cols}, is_copy FROM dump")
    pi = " OR ".join(f"n_{cat} IS NOT NULL" for cat in IDENTIFYING)
    detected = ", ".join(f"count(nullif(trim({_q(col)}), '')) AS {c}_detected"
                         for c, (col, _) in _NORM.items())
    got = _fetch(con, f"SELECT {detected} FROM dump")
    per_cat = ", ".join(f"count(n_{c}) AS {c}_valid, count(DISTINCT n_{c}) AS {c}_unique"
                        for c in cats)
    got |= _fetch(con, f"SELECT count(*) AS rows, count(*) FILTER ({pi}) AS with_pi, "
                       f"count(*) FILTER (NOT ({pi})) AS without_pi, "
                       f"count(*) FILTER (is_copy) AS copies, {per_cat} FROM v")
    norm_cols = ", ".join(f"n_{c}" for c in cats)
    con.execute(f"CREATE OR REPLACE TEMP TABLE recs AS SELECT DISTINCT {norm_cols} FROM v "
                f"WHERE {pi}")
    has = {t: " OR ".join(f"n_{c} IS NOT NULL" for c in cats if TIERS[c] == t) or "false"
           for t in "AB"}
    tier = f"CASE WHEN {has['A']} THEN 'A' WHEN {has['B']} THEN 'B' ELSE 'C' END"
    records = ", ".join(f"count(n_{c}) AS {c}_records" for c in cats)
    got |= _fetch(con, f"SELECT count(*) AS unique_records, "
                       f"count(*) FILTER ({tier} = 'A') AS tier_a, "
                       f"count(*) FILTER ({tier} = 'B') AS tier_b, "
                       f"count(*) FILTER ({tier} = 'C') AS tier_c, {records} FROM recs")
    con.execute("DROP TABLE v; DROP TABLE recs")
    return got


def assess(tiers: dict[str, int]) -> dict:
    serious = {"A": 50, "B": 500, "C": 5000}
    score = sum(tiers[t] / serious[t] for t in "ABC")
    level = "especially_serious" if score >= 10 else "serious" if score >= 1 else "none"
    return {"ruleset": "cn-cl253-1-2017", "score": round(score, 4), "level": level}


def generate(rows: int, out: Path, seed: int, name: str | None, formats: list[str],
             threads: int | None = None) -> tuple[dict, Path]:
    import phonenumbers
    import stdnum

    out.mkdir(parents=True, exist_ok=True)
    name = name or f"leak_{rows}"
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    t0 = time.perf_counter()
    setup(con, seed)
    con.execute(f"CREATE TABLE dump AS {generate_sql(rows, reference_lists())}")
    t_gen = time.perf_counter()
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    files = {}
    if "csv" in formats:
        path = out / f"{name}.csv"
        con.execute(f"COPY (SELECT {cols} FROM dump) TO '{path}' (HEADER, DELIMITER ',')")
        files["csv"] = path.name
    if "parquet" in formats:
        path = out / f"{name}.parquet"
        con.execute(f"COPY (SELECT {cols} FROM dump) TO '{path}' "
                    "(FORMAT parquet)")
        files["parquet"] = path.name
    t_write = time.perf_counter()
    got = compute_truth(con)
    t_truth = time.perf_counter()
    tiers = {"A": got["tier_a"], "B": got["tier_b"], "C": got["tier_c"]}
    truth = {
        "schema": "leakscan/benchmark-truth/v1",
        "generator": {"script": "benchmarks/generate.py", "seed": seed, "rows": rows,
                      "duckdb": duckdb.__version__, "python-stdnum": stdnum.__version__,
                      "phonenumbers": phonenumbers.__version__},
        "files": files,
        "columns": COLUMNS,
        "shares_per_mille": SHARES,
        "rows": got["rows"],
        "exact_duplicate_rows": got["copies"],
        "rows_without_personal_info": got["without_pi"],
        "categories": {cat: {"tier": TIERS[cat],
                             "detected": got[f"{cat}_detected"], "valid": got[f"{cat}_valid"],
                             "unique": got[f"{cat}_unique"], "records": got[f"{cat}_records"]}
                       for cat in _NORM},
        "records": {"total": got["rows"], "with_personal_info": got["with_pi"],
                    "duplicates": got["with_pi"] - got["unique_records"],
                    "unique": got["unique_records"]},
        "tiers": tiers,
        "assessment": assess(tiers),
        "timings_s": {"generate": round(t_gen - t0, 2), "write": round(t_write - t_gen, 2),
                      "truth": round(t_truth - t_write, 2)},
    }
    truth_path = out / f"{name}.truth.json"
    stable = {k: v for k, v in truth.items() if k != "timings_s"}
    truth_path.write_text(json.dumps(stable, ensure_ascii=False, indent=2) + "\n",
                          encoding="utf-8")
    con.close()
    return truth, truth_path


def verify(truth_path: Path, limit: int) -> bool:
    """Recompute the truth from the CSV row by row with python-stdnum and phonenumbers."""
    import csv

    sys.path.insert(0, str(ROOT / "sample_data"))
    from make_samples import expected_counts

    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    if truth["rows"] > limit:
        print(f"verify: {truth['rows']:,} rows is more than --verify-limit {limit:,}; skipped")
        return True
    path = truth_path.parent / truth["files"]["csv"]
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [[v or None for v in row] for row in reader]
    got = expected_counts(rows, [COLUMNS[h] for h in header])
    checks = [("rows", truth["rows"], got["rows"])]
    for field in ("total", "with_personal_info", "duplicates", "unique"):
        checks.append((f"records.{field}", truth["records"][field], got["records"][field]))
    for tier in "ABC":
        checks.append((f"tiers.{tier}", truth["tiers"][tier], got["tiers"][tier]))
    for cat, want in truth["categories"].items():
        have = got["categories"].get(cat, {})
        for field in ("detected", "valid", "unique", "records"):
            checks.append((f"categories.{cat}.{field}", want[field], have.get(field)))
    ok = True
    for label, want, have in checks:
        status = "MATCH" if want == have else "MISMATCH"
        ok &= want == have
        print(f"  {status:8} {label:36} truth={want:<10} recomputed={have}")
    if "parquet" in truth["files"]:
        same = _same_rows(path, truth_path.parent / truth["files"]["parquet"])
        ok &= same
        print(f"  {'MATCH' if same else 'MISMATCH':8} parquet rows equal csv rows (as text)")
    print(f"verify: {'all figures match' if ok else 'MISMATCHES'} "
          f"(subjects, not in the truth file: {got['subjects']:,})")
    return ok


def _same_rows(csv_path: Path, parquet_path: Path) -> bool:
    """Both files hold the same rows in the same order, compared as text."""
    con = duckdb.connect()
    text = ", ".join(f"CAST({_q(c)} AS VARCHAR) AS {_q(c)}" for c in COLUMNS)
    a = f"SELECT row_number() OVER () AS n, {text} FROM read_csv('{csv_path}', all_varchar=true)"
    b = f"SELECT row_number() OVER () AS n, {text} FROM read_parquet('{parquet_path}')"
    diff = con.execute(f"SELECT count(*) FROM (({a}) EXCEPT ALL ({b}))").fetchone()[0]
    diff += con.execute(f"SELECT count(*) FROM (({b}) EXCEPT ALL ({a}))").fetchone()[0]
    return diff == 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, action="append",
                    help="rows to generate (repeat for several dumps; default 1000000)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data",
                    help="output directory (default benchmarks/data, git-ignored)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--name", help="base name of the files (default leak_<rows>)")
    ap.add_argument("--formats", default="csv,parquet", help="comma-separated: csv,parquet")
    ap.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    ap.add_argument("--verify", action="store_true",
                    help="recompute the truth row by row with stdnum/phonenumbers and compare")
    ap.add_argument("--verify-limit", type=int, default=200_000,
                    help="skip --verify above this many rows (default 200000)")
    args = ap.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if args.verify and "csv" not in formats:
        ap.error("--verify reads the CSV: keep csv in --formats")
    ok = True
    for rows in args.rows or [1_000_000]:
        if args.name and len(args.rows or []) > 1:
            ap.error("--name needs a single --rows")
        t0 = time.perf_counter()
        truth, truth_path = generate(rows, args.out, args.seed, args.name, formats, args.threads)
        took = time.perf_counter() - t0
        sizes = ", ".join(f"{f} {(args.out / f).stat().st_size / 1e6:,.1f} MB"
                          for f in truth["files"].values())
        t = truth["timings_s"]
        print(f"{rows:,} rows in {took:.1f}s (generate {t['generate']}s, write {t['write']}s, "
              f"truth {t['truth']}s): {sizes}")
        r = truth["records"]
        print(f"  records: {r['with_personal_info']:,} with PI, {r['duplicates']:,} duplicates, "
              f"{r['unique']:,} unique; tiers {truth['tiers']}; -> {truth_path}")
        if args.verify:
            ok &= verify(truth_path, args.verify_limit)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
