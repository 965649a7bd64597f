/* leakscan._kernels: compiled validation kernels, the third twin of a categorizer's rules.
 *
 * Why: validating a value in DuckDB SQL costs about a microsecond (a Luhn sum is 19 substr
 * and POSITION calls, an IIN test 27 BETWEENs); the same test in a C loop costs a few
 * nanoseconds. Each kernel here mirrors one categorizer's SQL exactly (held equal to the SQL
 * and to the plain-Python reference by tests/test_kernels.py) and is called by
 * leakscan/kernels.py from a DuckDB Arrow UDF, once per chunk of cells.
 *
 * Calling convention (every kernel): kernel(table, validity, offsets, data, offset, length,
 * large, out)
 *   table     bytes-like: the kernel's data, built in Python at start-up from the same data
 *             the SQL uses (never typed in here);
 *   validity  bytes-like Arrow validity bitmap, or None when no cell is NULL;
 *   offsets   bytes-like Arrow offsets (int32, or int64 when large is true);
 *   data      bytes-like Arrow character data (UTF-8);
 *   offset    the array's offset into validity and offsets (a sliced Arrow array);
 *   length    the number of cells;
 *   out       writable bytes-like of at least ceil(length / 8) bytes, zeroed by the caller:
 *             bit i (LSB first, Arrow's order) is set when cell i is valid.
 * The loop runs with the GIL released; the inputs are only read, the output only written.
 * A NULL cell is never valid. Nothing here allocates, so nothing here can fail mid-loop.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* One Arrow string array, as handed over. */
typedef struct {
    Py_buffer validity, offsets, data, out;
    int has_validity;
    Py_ssize_t offset, length;
    int large;
} StrArray;

static void release(StrArray *a, Py_buffer *table) {
    if (table->obj) PyBuffer_Release(table);
    if (a->validity.obj) PyBuffer_Release(&a->validity);
    if (a->offsets.obj) PyBuffer_Release(&a->offsets);
    if (a->data.obj) PyBuffer_Release(&a->data);
    if (a->out.obj) PyBuffer_Release(&a->out);
}

/* Parse the common arguments and check every bound, so that the loop cannot read or write
 * out of its buffers whatever Python passes. Returns 0 with a Python exception set. */
static int parse(PyObject *args, Py_buffer *table, StrArray *a) {
    PyObject *table_o, *validity_o, *offsets_o, *data_o, *out_o;
    memset(a, 0, sizeof *a);
    memset(table, 0, sizeof *table);
    if (!PyArg_ParseTuple(args, "OOOOnnpO", &table_o, &validity_o, &offsets_o, &data_o,
                          &a->offset, &a->length, &a->large, &out_o))
        return 0;
    if (a->offset < 0 || a->length < 0) {
        PyErr_SetString(PyExc_ValueError, "negative offset or length");
        return 0;
    }
    if (PyObject_GetBuffer(table_o, table, PyBUF_SIMPLE) < 0) goto fail;
    if (validity_o != Py_None) {
        if (PyObject_GetBuffer(validity_o, &a->validity, PyBUF_SIMPLE) < 0) goto fail;
        a->has_validity = 1;
        if (a->validity.len * 8 < a->offset + a->length) {
            PyErr_SetString(PyExc_ValueError, "validity bitmap too short");
            goto fail;
        }
    }
    if (PyObject_GetBuffer(offsets_o, &a->offsets, PyBUF_SIMPLE) < 0) goto fail;
    if (PyObject_GetBuffer(data_o, &a->data, PyBUF_SIMPLE) < 0) goto fail;
    if (PyObject_GetBuffer(out_o, &a->out, PyBUF_WRITABLE) < 0) goto fail;
    {
        Py_ssize_t width = a->large ? 8 : 4;
        if (a->offsets.len < (a->offset + a->length + 1) * width) {
            PyErr_SetString(PyExc_ValueError, "offsets buffer too short");
            goto fail;
        }
        if (a->out.len * 8 < a->length) {
            PyErr_SetString(PyExc_ValueError, "output buffer too short");
            goto fail;
        }
    }
    return 1;
fail:
    release(a, table);
    return 0;
}

/* Cell i's bytes; 0 when the cell is NULL or its offsets are out of the data buffer. */
static inline int cell(const StrArray *a, Py_ssize_t i, const unsigned char **s, Py_ssize_t *n) {
    Py_ssize_t k = a->offset + i;
    int64_t lo, hi;
    if (a->has_validity &&
        !((((const uint8_t *)a->validity.buf)[k >> 3] >> (k & 7)) & 1))
        return 0;
    if (a->large) {
        lo = ((const int64_t *)a->offsets.buf)[k];
        hi = ((const int64_t *)a->offsets.buf)[k + 1];
    } else {
        lo = ((const int32_t *)a->offsets.buf)[k];
        hi = ((const int32_t *)a->offsets.buf)[k + 1];
    }
    if (lo < 0 || hi < lo || hi > a->data.len) return 0;
    *s = (const unsigned char *)a->data.buf + lo;
    *n = (Py_ssize_t)(hi - lo);
    return 1;
}

/* ---- luhn_iin: bank_card's VALIDATE_SQL over the normalised value --------------------------
 * length 15..19, first digit not 0, the first six digits (the IIN) and the length in one of
 * the card schemes' ranges (table: int32 lo, int32 hi, uint32 mask of allowed lengths, per
 * range, disjoint and sorted, from categorizers/data/card_iin_ranges.tsv), and the Luhn check
 * digit. The
 * normalised value is ASCII digits only; anything else is not valid. */

typedef struct { int32_t lo, hi; uint32_t lengths; } IinRange;

/* 2d with its two digits summed, for d = 0..9 (the Luhn doubling). */
static const uint8_t DOUBLED[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};

static int luhn_iin_one(const unsigned char *s, Py_ssize_t n, const IinRange *ranges,
                        Py_ssize_t nranges) {
    unsigned sum = 0;
    int32_t iin = 0;
    Py_ssize_t i = n, r;
    if (n < 15 || n > 19 || s[0] == '0') return 0;
    /* Luhn, two digits at a time from the check digit (the last) leftwards: the check digit
     * as it is, the one before it doubled; any byte that is not an ASCII digit fails. */
    while (i >= 2) {
        unsigned d0 = (unsigned)s[i - 1] - '0', d1 = (unsigned)s[i - 2] - '0';
        if ((d0 > 9) | (d1 > 9)) return 0;
        sum += d0 + DOUBLED[d1];
        i -= 2;
    }
    if (i) {
        unsigned d0 = (unsigned)s[0] - '0';
        if (d0 > 9) return 0;
        sum += d0;
    }
    if (sum % 10) return 0;
    for (i = 0; i < 6; i++) iin = iin * 10 + (s[i] - '0');
    /* The ranges are disjoint and sorted (checked on entry): bisect for the last range
     * starting at or before this IIN; only it can hold the IIN. */
    {
        Py_ssize_t lo = 0, hi = nranges;
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            if (ranges[mid].lo <= iin) lo = mid + 1; else hi = mid;
        }
        r = lo - 1;
    }
    return r >= 0 && iin <= ranges[r].hi && ((ranges[r].lengths >> n) & 1u);
}

static PyObject *luhn_iin(PyObject *self, PyObject *args) {
    Py_buffer table;
    StrArray a;
    (void)self;
    if (!parse(args, &table, &a)) return NULL;
    if (table.len % (Py_ssize_t)sizeof(IinRange)) {
        release(&a, &table);
        PyErr_SetString(PyExc_ValueError, "luhn_iin: table is not a list of IIN ranges");
        return NULL;
    }
    for (Py_ssize_t r = 0; r < table.len / (Py_ssize_t)sizeof(IinRange); r++) {
        const IinRange *t = (const IinRange *)table.buf;
        if (t[r].hi < t[r].lo || (r > 0 && t[r].lo <= t[r - 1].hi)) {
            release(&a, &table);
            PyErr_SetString(PyExc_ValueError,
                            "luhn_iin: table is not disjoint IIN ranges sorted by first IIN");
            return NULL;
        }
    }
    {
        const IinRange *ranges = (const IinRange *)table.buf;
        Py_ssize_t nranges = table.len / (Py_ssize_t)sizeof(IinRange);
        uint8_t *out = (uint8_t *)a.out.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < a.length; i++) {
            const unsigned char *s;
            Py_ssize_t n;
            if (cell(&a, i, &s, &n) && luhn_iin_one(s, n, ranges, nranges))
                out[i >> 3] |= (uint8_t)(1u << (i & 7));
        }
        Py_END_ALLOW_THREADS
    }
    release(&a, &table);
    Py_RETURN_NONE;
}

/* ---- separators: the first steps of phone's NORMALIZE_SQL, for the cells they can decide ----
 * (fold width, drop an extension, drop separators: categorizers/phone.py steps 0-1). The
 * kernel decides a cell only when every byte is ASCII and of a class the table gives
 * (table: 128 bytes, one per ASCII code: 0 = undecided, 1 = kept, 2 = dropped, 3 = dropped
 * and an extension dash), and no extension can be written in it: the trunk-extension form
 * (010-62345678-801) ends in a dash and 1-6 digits after 10-12 digits, so a cell whose last
 * dash has fewer than table[128] digits before it holds none; the marker form needs a letter,
 * '#' or a Han character, all undecided. A decided cell's output is its bytes without the
 * dropped ones (an empty string when nothing is left); an undecided or NULL cell's is NULL,
 * and the SQL steps compute it. Output: an Arrow string array (validity, offsets of the
 * input's width, data no longer than the input's). */

typedef struct { Py_buffer validity, offsets, data; } OutStr;

/* A normalising kernel's work on one cell: its value written to out (at most room bytes),
 * its length returned; -1 where the cell is left to the SQL (or NULL), -2 where room is too
 * small (the caller's buffer was sized wrong: an error, not a NULL). */
typedef Py_ssize_t (*CellFn)(const void *ctx, const unsigned char *c, Py_ssize_t n,
                             unsigned char *out, Py_ssize_t room);
/* Read a kernel's table into ctx; 0 when it is not that kernel's table. */
typedef int (*TableFn)(const Py_buffer *table, void *ctx);

/* Every normalising kernel: parse and check the arguments (as parse() does, plus the output
 * offsets and data), run one() on each cell with the GIL released, and return the bytes of
 * out_data used. Output: an Arrow string array (validity, offsets of the input's width). */
static PyObject *normalizing(PyObject *args, const char *name, TableFn prepare, void *ctx,
                             CellFn one) {
    PyObject *table_o, *validity_o, *offsets_o, *data_o, *ov_o, *oo_o, *od_o;
    Py_buffer table;
    StrArray a;
    OutStr o;
    Py_ssize_t used = 0;
    int ok = 1;
    memset(&a, 0, sizeof a);
    memset(&table, 0, sizeof table);
    memset(&o, 0, sizeof o);
    if (!PyArg_ParseTuple(args, "OOOOnnpOOO", &table_o, &validity_o, &offsets_o, &data_o,
                          &a.offset, &a.length, &a.large, &ov_o, &oo_o, &od_o))
        return NULL;
    /* the common arguments, checked as for every kernel; out = the output validity */
    {
        PyObject *common = Py_BuildValue("OOOOnnOO", table_o, validity_o, offsets_o, data_o,
                                         a.offset, a.length, a.large ? Py_True : Py_False,
                                         ov_o);
        if (!common) return NULL;
        ok = parse(common, &table, &a);
        Py_DECREF(common);
        if (!ok) return NULL;
    }
    if (!prepare(&table, ctx)) {
        release(&a, &table);
        PyErr_Format(PyExc_ValueError, "%s: not this kernel's table", name);
        return NULL;
    }
    if (PyObject_GetBuffer(oo_o, &o.offsets, PyBUF_WRITABLE) < 0) goto fail;
    if (PyObject_GetBuffer(od_o, &o.data, PyBUF_WRITABLE) < 0) goto fail;
    if (o.offsets.len < (a.length + 1) * (a.large ? 8 : 4)) {
        PyErr_SetString(PyExc_ValueError, "output offsets buffer too short");
        goto fail;
    }
    {
        uint8_t *ov = (uint8_t *)a.out.buf, *od = (uint8_t *)o.data.buf;
        Py_ssize_t cap = o.data.len;
        int overflow = 0;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < a.length; i++) {
            const unsigned char *c;
            Py_ssize_t n, k = -1;
            if (cell(&a, i, &c, &n)) k = one(ctx, c, n, od + used, cap - used);
            if (k == -2) overflow = 1;
            if (k >= 0) {
                used += k;
                ov[i >> 3] |= (uint8_t)(1u << (i & 7));
            }
            if (a.large) ((int64_t *)o.offsets.buf)[i + 1] = (int64_t)used;
            else ((int32_t *)o.offsets.buf)[i + 1] = (int32_t)used;
        }
        if (a.large) ((int64_t *)o.offsets.buf)[0] = 0;
        else ((int32_t *)o.offsets.buf)[0] = 0;
        Py_END_ALLOW_THREADS
        if (overflow) {
            PyErr_SetString(PyExc_ValueError, "output data buffer too short");
            goto fail;
        }
    }
    if (o.offsets.obj) PyBuffer_Release(&o.offsets);
    if (o.data.obj) PyBuffer_Release(&o.data);
    release(&a, &table);
    return PyLong_FromSsize_t(used);
fail:
    if (o.offsets.obj) PyBuffer_Release(&o.offsets);
    if (o.data.obj) PyBuffer_Release(&o.data);
    release(&a, &table);
    return NULL;
}

/* separators(): the cleaned cell into out, its length; -1 where undecided, -2 when it does
 * not fit in room. */
static Py_ssize_t clean_one(const uint8_t *cls, const unsigned char *c, Py_ssize_t n,
                            unsigned char *out, Py_ssize_t room) {
    unsigned digits = 0, before_dash = 0;
    int dash = 0;
    Py_ssize_t used = 0;
    for (Py_ssize_t j = 0; j < n; j++) {
        uint8_t k = c[j] < 128 ? cls[c[j]] : 0;
        if (k == 0) return -1;
        if (k == 3) { dash = 1; before_dash = digits; continue; }
        if (k == 2) continue;
        if (c[j] >= '0' && c[j] <= '9') digits++;
        if (used >= room) return -2;
        out[used++] = c[j];
    }
    if (dash && before_dash >= cls[128]) return -1;
    return used;
}

static int separators_table(const Py_buffer *table, void *ctx) {
    *(const uint8_t **)ctx = (const uint8_t *)table->buf;
    return table->len == 129;
}

static Py_ssize_t separators_cell(const void *ctx, const unsigned char *c, Py_ssize_t n,
                                  unsigned char *out, Py_ssize_t room) {
    return clean_one(*(const uint8_t *const *)ctx, c, n, out, room);
}

static PyObject *separators(PyObject *self, PyObject *args) {
    const uint8_t *cls = NULL;
    (void)self;
    return normalizing(args, "separators", separators_table, &cls, separators_cell);
}

/* ---- gb11643: cn_resident_id's VALIDATE_SQL over the normalised value ---------------------
 * 18 characters, 17 ASCII digits and a digit or 'X'; digits 7-14 a calendar date (proleptic
 * Gregorian, as DuckDB's DATE) from 0001-01-01 to the scan's reference date; the check
 * character of GB 11643 (weights and characters from the table); and the region code valid
 * in the birth year (ref_cn_region_year's keys whose "since" is not after the reference
 * year). Table, built by categorizers/cn_resident_id.py:
 *   int32 lo, int32 hi (years below lo are year slot 0, above hi slot 1, y in between slot
 *   2 + y - lo), int32 reference date (YYYYMMDD), 17 bytes of weights, 11 check characters,
 *   int32 number of region codes, int32 64-bit words per mask; then the codes (int32,
 *   sorted, padded to a multiple of 8 bytes) and, per code, its mask of valid year slots;
 *   then 128 bytes, resident_id()'s class of each ASCII code. */

typedef struct {
    int32_t lo, hi, today;
    uint8_t weights[17];
    char checks[11];
    int32_t nregions, words;
} IdHeader;

typedef struct {
    const IdHeader *h;
    const int32_t *codes;
    const uint64_t *masks;
} IdTable;

static int gb11643_one(const unsigned char *s, Py_ssize_t n, const IdTable *t) {
    const IdHeader *h = t->h;
    int year, month, day, dim, sum = 0, i, slot;
    int32_t region = 0;
    if (n != 18) return 0;
    for (i = 0; i < 17; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        sum += (s[i] - '0') * h->weights[i];
    }
    if (!((s[17] >= '0' && s[17] <= '9') || s[17] == 'X')) return 0;
    year = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
    month = (s[10] - '0') * 10 + (s[11] - '0');
    day = (s[12] - '0') * 10 + (s[13] - '0');
    if (year < 1 || month < 1 || month > 12 || day < 1) return 0;
    {
        static const int DAYS[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        dim = DAYS[month - 1] + (month == 2 && leap);
    }
    if (day > dim || year * 10000 + month * 100 + day > h->today) return 0;
    if ((unsigned char)h->checks[sum % 11] != s[17]) return 0;
    slot = year < h->lo ? 0 : year > h->hi ? 1 : 2 + year - h->lo;
    if (slot >= 64 * h->words) return 0;
    for (i = 0; i < 6; i++) region = region * 10 + (s[i] - '0');
    if (h->nregions == 0) return 0;
    {
        /* branch-free bisection (a mispredicted branch per level cost most of the time):
         * p ends on the last code not above the region, or on the first code */
        const int32_t *p = t->codes;
        Py_ssize_t len = h->nregions, k;
        while (len > 1) {
            Py_ssize_t half = len / 2;
            p = p[half] <= region ? p + half : p;
            len -= half;
        }
        if (*p != region) return 0;
        k = p - t->codes;
        return (t->masks[k * h->words + slot / 64] >> (slot % 64)) & 1u;
    }
}

static PyObject *gb11643(PyObject *self, PyObject *args) {
    Py_buffer table;
    StrArray a;
    IdTable t;
    (void)self;
    if (!parse(args, &table, &a)) return NULL;
    t.h = (const IdHeader *)table.buf;
    {
        Py_ssize_t head = (Py_ssize_t)sizeof(IdHeader), codes_len, need;
        if (table.len < head || t.h->nregions < 0 || t.h->words < 1) goto bad;
        codes_len = ((Py_ssize_t)t.h->nregions * 4 + 7) / 8 * 8;
        need = head + codes_len + (Py_ssize_t)t.h->nregions * t.h->words * 8;
        if (table.len != need + 128) goto bad;  /* then resident_id()'s classes */
        t.codes = (const int32_t *)((const char *)table.buf + head);
        t.masks = (const uint64_t *)((const char *)table.buf + head + codes_len);
    }
    {
        uint8_t *out = (uint8_t *)a.out.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < a.length; i++) {
            const unsigned char *c;
            Py_ssize_t n;
            if (cell(&a, i, &c, &n) && gb11643_one(c, n, &t))
                out[i >> 3] |= (uint8_t)(1u << (i & 7));
        }
        Py_END_ALLOW_THREADS
    }
    release(&a, &table);
    Py_RETURN_NONE;
bad:
    release(&a, &table);
    PyErr_SetString(PyExc_ValueError, "gb11643: table is not a header, region codes and masks");
    return NULL;
}

/* ---- phone: every phone NORMALIZE_SQL step, and its VALIDATE_SQL -------------------------
 * The steps after the separators (categorizers/phone.py, NORMALIZE_SQL 2-5) and the
 * validation test libphonenumber's regular expressions; here each is a deterministic
 * automaton over digits built at start-up from the same pattern text (categorizers/_dfa.py),
 * so a test costs a few nanoseconds. Table (PhoneHeader, then the automata it points to):
 * the separators table, the country code, the length limits of each step, length masks
 * (bit L: length L) of the national-prefix stripping and of "too long", the automata of the
 * national prefix for parsing and of the international prefix, and the descriptions
 * (general, mobile, fixed line, service types) as automaton and possible lengths.
 * Where RE2's choice between two matches of the national prefix would matter (two prefixes
 * of the cell match it), the cell is left to the SQL, as is every cell normalised to NULL:
 * the kernel answers only where its answer is the SQL's. */

typedef struct { uint32_t lengths; int32_t present, any_length, dfa; } PhoneDesc;

#define PHONE_MAX_SERVICES 8

typedef struct {
    uint8_t sep[132];  /* the separators table (129 bytes) and padding */
    char cc[4];
    int32_t cc_len, min_digits, max_digits, max_clean, min_nsn, max_nsn;
    uint32_t keep_stripped, too_long;
    int32_t np, idd, mobile_first, nservices;
    PhoneDesc gd, mobile, fixed, services[PHONE_MAX_SERVICES];
} PhoneHeader;

typedef struct { int32_t n; const int32_t *trans; const uint8_t *accept; } Dfa;

typedef struct {
    const PhoneHeader *h;
    Dfa np, idd, gd, mobile, fixed, services[PHONE_MAX_SERVICES];
} PhoneTable;

/* The automaton at byte offset off of the table, every transition checked in range. */
static int dfa_at(const Py_buffer *table, int32_t off, Dfa *d) {
    int32_t n;
    Py_ssize_t need;
    if (off < (int32_t)sizeof(PhoneHeader) || off % 4 || off + 4 > table->len) return 0;
    n = *(const int32_t *)((const char *)table->buf + off);
    if (n < 1 || n > 1000000) return 0;
    need = (Py_ssize_t)off + 4 + (Py_ssize_t)n * 40 + n;
    if (need > table->len) return 0;
    d->n = n;
    d->trans = (const int32_t *)((const char *)table->buf + off + 4);
    d->accept = (const uint8_t *)table->buf + off + 4 + (Py_ssize_t)n * 40;
    for (Py_ssize_t k = 0; k < (Py_ssize_t)n * 10; k++)
        if (d->trans[k] < -1 || d->trans[k] >= n) return 0;
    return 1;
}

static int phone_table(const Py_buffer *table, PhoneTable *t) {
    const PhoneHeader *h = (const PhoneHeader *)table->buf;
    if (table->len < (Py_ssize_t)sizeof(PhoneHeader)) return 0;
    t->h = h;
    if (h->cc_len < 1 || h->cc_len > 3 || h->nservices < 0 ||
        h->nservices > PHONE_MAX_SERVICES || h->max_clean > 60 || h->max_nsn > 40)
        return 0;
    if (!dfa_at(table, h->np, &t->np) || !dfa_at(table, h->idd, &t->idd)) return 0;
    if (!h->gd.present || !dfa_at(table, h->gd.dfa, &t->gd)) return 0;
    if (h->mobile.present && !dfa_at(table, h->mobile.dfa, &t->mobile)) return 0;
    if (h->fixed.present && !dfa_at(table, h->fixed.dfa, &t->fixed)) return 0;
    for (int32_t k = 0; k < h->nservices; k++)
        if (h->services[k].present && !dfa_at(table, h->services[k].dfa, &t->services[k]))
            return 0;
    return 1;
}

/* Does the automaton match all of s (digits only)? */
static int dfa_full(const Dfa *d, const unsigned char *s, Py_ssize_t n) {
    int32_t st = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned c = (unsigned)s[i] - '0';
        if (c > 9) return 0;
        st = d->trans[st * 10 + c];
        if (st < 0) return 0;
    }
    return d->accept[st];
}

/* How many prefixes of s the automaton matches (0, 1 or 2 for "more"); *end: the first. */
static int dfa_prefixes(const Dfa *d, const unsigned char *s, Py_ssize_t n, Py_ssize_t *end) {
    int32_t st = 0;
    int count = 0;
    if (d->accept[0]) { *end = 0; count = 1; }
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned c = (unsigned)s[i] - '0';
        if (c > 9) break;
        st = d->trans[st * 10 + c];
        if (st < 0) break;
        if (d->accept[st]) {
            if (!count) *end = i + 1;
            if (++count > 1) return 2;
        }
    }
    return count;
}

/* The international prefix then a digit 1-9 or the end (phone's _IDD_RE, at the start). */
static int idd_start(const Dfa *d, const unsigned char *s, Py_ssize_t n) {
    int32_t st = 0;
    if (d->accept[0] && (n == 0 || (s[0] >= '1' && s[0] <= '9'))) return 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned c = (unsigned)s[i] - '0';
        if (c > 9) return 0;
        st = d->trans[st * 10 + c];
        if (st < 0) return 0;
        if (d->accept[st] && (i + 1 == n || (s[i + 1] >= '1' && s[i + 1] <= '9'))) return 1;
    }
    return 0;
}

/* A description matches the national number s: a possible length and the pattern. */
static int desc_match(const PhoneDesc *p, const Dfa *d, const unsigned char *s, Py_ssize_t n) {
    if (!p->present) return 0;
    if (!p->any_length && (n >= 32 || !((p->lengths >> n) & 1u))) return 0;
    return dfa_full(d, s, n);
}

/* VALIDATE_SQL over a national number: general description, then no service type, then a
 * mobile (tested first where its pattern differs from the fixed line's) or a fixed line. */
static int phone_nsn_valid(const PhoneTable *t, const unsigned char *s, Py_ssize_t n) {
    const PhoneHeader *h = t->h;
    if (!desc_match(&h->gd, &t->gd, s, n)) return 0;
    for (int32_t k = 0; k < h->nservices; k++)
        if (desc_match(&h->services[k], &t->services[k], s, n)) return 0;
    if (h->mobile_first && desc_match(&h->mobile, &t->mobile, s, n)) return 1;
    return desc_match(&h->fixed, &t->fixed, s, n);
}

static inline int has_prefix(const unsigned char *s, Py_ssize_t n, const char *p,
                             Py_ssize_t k) {
    return n >= k && memcmp(s, p, (size_t)k) == 0;
}

/* The national prefix stripped as phonenumbers keeps it (_strip_np_raw; steps 3 and 4):
 * *out and *on: the number kept; 0 when RE2's choice of prefix would matter (left to the SQL).
 * keep: for step 4, the lengths at which the stripped number is kept (NULL: step 3). */
static int strip_np(const PhoneTable *t, const unsigned char *s, Py_ssize_t n,
                    const uint32_t *keep, const unsigned char **out, Py_ssize_t *on) {
    Py_ssize_t e = 0;
    int k = dfa_prefixes(&t->np, s, n, &e);
    *out = s;
    *on = n;
    if (k == 0) return 1;
    if (k > 1) return 0;
    if (dfa_full(&t->gd, s, n) && !dfa_full(&t->gd, s + e, n - e)) return 1;
    if (keep && !(n - e < 32 && ((*keep >> (n - e)) & 1u))) return 1;
    *out = s + e;
    *on = n - e;
    return 1;
}

/* NORMALIZE_SQL steps 2-5 over the cleaned cell c (ASCII digits and '+'): the E.164 form
 * written to out (its length returned), or -1 for NULL and for a cell left to the SQL. */
static Py_ssize_t phone_tail(const PhoneTable *t, const unsigned char *c, Py_ssize_t n,
                             unsigned char *out) {
    const PhoneHeader *h = t->h;
    unsigned char buf[64];
    const unsigned char *v;
    Py_ssize_t vn, cc = h->cc_len, i;
    char plus_cc[5] = "+", zero_cc[6] = "00";
    memcpy(plus_cc + 1, h->cc, (size_t)cc);
    memcpy(zero_cc + 2, h->cc, (size_t)cc);
    /* 2. accepted shape */
    if (n < h->min_digits || n > h->max_clean) return -1;
    for (i = c[0] == '+' ? 1 : 0; i < n; i++)
        if (c[i] < '0' || c[i] > '9') return -1;
    if (c[0] == '+' && n == 1) return -1;
    if (c[0] == '+') {
        if (!has_prefix(c, n, plus_cc, cc + 1) || n < h->min_digits + 3 ||
            n > h->max_digits + 3)
            return -1;
        v = c;
        vn = n;
    } else if (has_prefix(c, n, "00", 2)) {
        if (!has_prefix(c, n, zero_cc, cc + 2) || n < h->min_digits + 4) return -1;
        memcpy(buf, plus_cc, (size_t)cc + 1);
        memcpy(buf + cc + 1, c + cc + 2, (size_t)(n - cc - 2));
        v = buf;
        vn = n - 1;
    } else {
        if (n > h->max_digits || idd_start(&t->idd, c, n)) return -1;
        v = c;
        vn = n;
    }
    /* 2b. a fixed line written bare is not a phone */
    if (v[0] != '+' && v[0] != '0' && !has_prefix(v, vn, h->cc, cc)) {
        Py_ssize_t e;
        if (dfa_prefixes(&t->np, v, vn, &e) == 0 &&
            !desc_match(&h->mobile, &t->mobile, v, vn) && phone_nsn_valid(t, v, vn))
            return -1;
    }
    /* 3. country code */
    if (v[0] == '+') {
        v += cc + 1;
        vn -= cc + 1;
    } else if (has_prefix(v, vn, h->cc, cc)) {
        const unsigned char *ps;
        Py_ssize_t psn;
        if (!strip_np(t, v + cc, vn - cc, NULL, &ps, &psn)) return -1;
        if ((!dfa_full(&t->gd, v, vn) && dfa_full(&t->gd, ps, psn)) ||
            (vn < 32 && ((h->too_long >> vn) & 1u))) {
            v = ps;
            vn = psn;
        }
    }
    /* 4. national trunk prefix or carrier code */
    if (!strip_np(t, v, vn, &h->keep_stripped, &v, &vn)) return -1;
    /* 5. E.164 */
    if (vn < h->min_nsn || vn > h->max_nsn) return -1;
    memcpy(out, plus_cc, (size_t)cc + 1);
    memmove(out + cc + 1, v, (size_t)vn);
    return cc + 1 + vn;
}

/* The value of a kernel that builds it in a buffer of its own: copied to out when it fits
 * in room (its length), -2 when not, -1 for no value (k < 0). */
static Py_ssize_t put(unsigned char *out, Py_ssize_t room, const unsigned char *value,
                      Py_ssize_t k) {
    if (k < 0) return -1;
    if (k > room) return -2;
    memcpy(out, value, (size_t)k);
    return k;
}

static int phone_prepare(const Py_buffer *table, void *ctx) {
    return phone_table(table, (PhoneTable *)ctx);
}

static Py_ssize_t phone_cell(const void *ctx, const unsigned char *c, Py_ssize_t n,
                             unsigned char *out, Py_ssize_t room) {
    const PhoneTable *t = (const PhoneTable *)ctx;
    unsigned char clean[64], e164[72];
    Py_ssize_t k;
    if (n > 256) return -1;
    k = clean_one(t->h->sep, c, n, clean, (Py_ssize_t)sizeof clean);
    if (k <= 0) return -1;
    return put(out, room, e164, phone_tail(t, clean, k, e164));
}

static PyObject *phone(PyObject *self, PyObject *args) {
    PhoneTable t;
    (void)self;
    return normalizing(args, "phone", phone_prepare, &t, phone_cell);
}

static PyObject *phone_valid(PyObject *self, PyObject *args) {
    Py_buffer table;
    StrArray a;
    PhoneTable t;
    (void)self;
    if (!parse(args, &table, &a)) return NULL;
    if (!phone_table(&table, &t)) {
        release(&a, &table);
        PyErr_SetString(PyExc_ValueError, "phone_valid: table is not a phone plan");
        return NULL;
    }
    {
        uint8_t *out = (uint8_t *)a.out.buf;
        Py_ssize_t cc = t.h->cc_len;
        char plus_cc[5] = "+";
        memcpy(plus_cc + 1, t.h->cc, (size_t)cc);
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < a.length; i++) {
            const unsigned char *c;
            Py_ssize_t n;
            if (cell(&a, i, &c, &n) && has_prefix(c, n, plus_cc, cc + 1) &&
                phone_nsn_valid(&t, c + cc + 1, n - cc - 1))
                out[i >> 3] |= (uint8_t)(1u << (i & 7));
        }
        Py_END_ALLOW_THREADS
    }
    release(&a, &table);
    Py_RETURN_NONE;
}

/* ---- resident_id: every cn_resident_id NORMALIZE_SQL step ---------------------------------
 * White space and '-' dropped, 'x' read as 'X'; 18 characters kept when 17 digits and a
 * digit or 'X'; a legacy 15-digit number made 18 (19YY, then its check character). The
 * table is gb11643's, whose last 128 bytes class each ASCII code: 1 dropped (the SQL's
 * separators), 2 a digit, 3 'x' or 'X', 0 any other (the cell is left to the SQL, which
 * folds full-width characters). A cell normalised to NULL is left to the SQL too. */

static Py_ssize_t resident_id_one(const IdHeader *h, const uint8_t *cls,
                                  const unsigned char *c, Py_ssize_t n, unsigned char *out) {
    unsigned char b[18];
    Py_ssize_t k = 0, i;
    int sum = 0;
    for (Py_ssize_t j = 0; j < n; j++) {
        uint8_t t = c[j] < 128 ? cls[c[j]] : 0;
        if (t == 0) return -1;
        if (t == 1) continue;
        if (k == 18) return -1;
        b[k++] = t == 3 ? 'X' : c[j];
    }
    if (k == 18) {
        for (i = 0; i < 17; i++)
            if (b[i] == 'X') return -1;
        memcpy(out, b, 18);
        return 18;
    }
    if (k != 15) return -1;
    for (i = 0; i < 15; i++)
        if (b[i] == 'X') return -1;
    memcpy(out, b, 6);
    out[6] = '1';
    out[7] = '9';
    memcpy(out + 8, b + 6, 9);
    for (i = 0; i < 17; i++) sum += (out[i] - '0') * h->weights[i];
    out[17] = (unsigned char)h->checks[sum % 11];
    return 18;
}

typedef struct { const IdHeader *h; const uint8_t *cls; } IdClasses;

static int resident_id_prepare(const Py_buffer *table, void *ctx) {
    IdClasses *t = (IdClasses *)ctx;
    if (table->len < (Py_ssize_t)sizeof(IdHeader) + 128) return 0;
    t->h = (const IdHeader *)table->buf;
    t->cls = (const uint8_t *)table->buf + table->len - 128;
    return 1;
}

static Py_ssize_t resident_id_cell(const void *ctx, const unsigned char *c, Py_ssize_t n,
                                   unsigned char *out, Py_ssize_t room) {
    const IdClasses *t = (const IdClasses *)ctx;
    unsigned char id[18];
    return put(out, room, id, resident_id_one(t->h, t->cls, c, n, id));
}

static PyObject *resident_id(PyObject *self, PyObject *args) {
    IdClasses t;
    (void)self;
    return normalizing(args, "resident_id", resident_id_prepare, &t, resident_id_cell);
}

static PyMethodDef methods[] = {
    {"luhn_iin", luhn_iin, METH_VARARGS,
     "luhn_iin(table, validity, offsets, data, offset, length, large, out): the bank-card "
     "validation (length, first digit, IIN ranges, Luhn) of normalised values into a bitmap."},
    {"gb11643", gb11643, METH_VARARGS,
     "gb11643(table, validity, offsets, data, offset, length, large, out): the resident-ID "
     "validation (date, check character, region in the birth year) into a bitmap."},
    {"separators", separators, METH_VARARGS,
     "separators(table, validity, offsets, data, offset, length, large, out_validity, "
     "out_offsets, out_data) -> bytes used: cells of kept and dropped ASCII bytes without "
     "the dropped ones, NULL where undecided."},
    {"resident_id", resident_id, METH_VARARGS,
     "resident_id(table, validity, offsets, data, offset, length, large, out_validity, "
     "out_offsets, out_data) -> bytes used: the resident ID after every normalisation step, "
     "NULL where the SQL decides."},
    {"phone", phone, METH_VARARGS,
     "phone(table, validity, offsets, data, offset, length, large, out_validity, "
     "out_offsets, out_data) -> bytes used: the E.164 form after every phone normalisation "
     "step, NULL where the SQL decides."},
    {"phone_valid", phone_valid, METH_VARARGS,
     "phone_valid(table, validity, offsets, data, offset, length, large, out): the phone "
     "validation (general description, service types, mobile, fixed line) into a bitmap."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "leakscan._kernels",
    "Compiled validation kernels (see leakscan/kernels.py and docs/categorizers.md).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__kernels(void) {
    PyObject *m = PyModule_Create(&module);
    /* the calling convention and table layouts: leakscan/kernels.py uses the module only
     * when its own ABI is this one (change both together) */
    if (m && PyModule_AddIntConstant(m, "ABI", 2) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
