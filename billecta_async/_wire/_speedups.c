/* The codecs' fast path in C, for documents as Billecta writes them: Billecta's parsed JSON
 * (orjson's dicts and lists) to models and models to JSON-ready dicts; lxml's parsed XML to
 * models, and models to XML text. (And, at the end, the client's call preparer: see "call
 * preparation".)
 *
 * It does what the compiled Python functions in _json.py and _xml.py do on their fast path,
 * field by field,
 * and nothing else: every value that is not already what the model (or JSON) holds goes through
 * the same Python converter the Python path calls, and anything off (a value of the wrong type,
 * a field Billecta always returns missing, a converter raising) abandons the whole top-level
 * object, which is then decoded or encoded again by the Python function, the one source of the
 * errors that name the field. So the results are those of the Python path (tests compare both
 * on every model), only sooner.
 *
 * A Codec is built in two steps by _wire/_native.py: one empty Codec per model class reachable
 * from a root, then `setup` of each with its fields (a nested model's field holds that model's
 * Codec). Fields are written to and read from the slots of the generated dataclasses
 * (`slots=True`) at the offsets of their member descriptors, checked to belong to the class.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <structmember.h>

enum {
    K_ANY = 0,      /* decode: as parsed; encode: always through the converter */
    K_STR = 1,      /* str (and guid) */
    K_BOOL = 2,
    K_INT = 3,      /* int within [low, high] */
    K_FLOAT = 4,    /* a finite float (encode); a float (decode) */
    K_DATETIME = 5, /* decode: Billecta's text; encode: an aware datetime */
    K_ENUM = 6,     /* decode: ref is the names dict; encode: ref is the enum class */
    K_MODEL = 7,    /* ref is the nested model's Codec */
    K_BASE64 = 8,   /* decode: canonical base64 text; encode: bytes */
    K_CALL = 9,     /* always through the converter (a model without a Codec) */
};

#define N_OFFSETS 113 /* -14:00 to +14:00 in quarter hours */

typedef struct {
    PyObject *key;   /* the wire name */
    Py_ssize_t offset;
    int kind;
    int is_list;
    int always;      /* decode: None here means the Python path raises; XML encoding: the
                      * element is nillable (None is written as xsi:nil) */
    long long low, high;
    PyObject *ref;   /* see the kinds */
    PyObject *conv;  /* the Python converter of one value, or NULL */
    PyObject *item;  /* XML: a list's item element name, or NULL */
    const char *tag; /* XML: the element name (UTF-8, owned by key) */
    const char *item_tag; /* XML: the item element name (owned by item) */
} Field;

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyTypeObject *cls;
    PyObject *fallback; /* the Python function for the whole object */
    Field *fields;
    Py_ssize_t nfields;
    int mode; /* MODE_* */
    int ready;
} Codec;

enum { MODE_JSON_DECODE = 0, MODE_JSON_ENCODE = 1, MODE_XML_DECODE = 2, MODE_XML_ENCODE = 3 };

/* Module state, set once by configure(). */
static PyObject *Slow = NULL;            /* raised internally: "let the Python path do it" */
static PyObject *dt_seen = NULL;         /* the cache of date-times without a fraction */
static PyObject *dt_new = NULL;          /* decode_cached: parse and remember */
static PyObject *dt_in = NULL;           /* the full parser */
static PyObject *offset_tz[N_OFFSETS];   /* shared timezone per quarter-hour offset */
static PyObject *wire_value_name = NULL; /* "wire_value" */

static PyTypeObject CodecType;

static inline PyObject **slot_of(PyObject *o, Py_ssize_t offset) {
    return (PyObject **)((char *)o + offset);
}

static PyObject *slow(void) {
    PyErr_SetNone(Slow);
    return NULL;
}

/* -- date-times ------------------------------------------------------------------------------- */

static inline int digits(const char *p, int n) {
    int value = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return -1;
        value = value * 10 + (p[i] - '0');
    }
    return value;
}

/* The common form, YYYY-MM-DDTHH:MM:SS.f+HH:MM with 1 to 7 digits of fraction (digits past the
 * sixth dropped, as fromisoformat drops them), a year from 1000 and an offset of whole quarter
 * hours, as a datetime sharing its offset's timezone. Returns NULL without an exception for any
 * other text (the caller takes the Python path), NULL with one for an impossible date. */
static PyObject *parse_moment(const char *s, Py_ssize_t n) {
    Py_ssize_t nfrac = n - 26;
    if (nfrac < 1 || nfrac > 7) return NULL;
    if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        s[19] != '.' || s[0] == '0')
        return NULL;
    int year = digits(s, 4), month = digits(s + 5, 2), day = digits(s + 8, 2);
    int hour = digits(s + 11, 2), minute = digits(s + 14, 2), second = digits(s + 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return NULL;
    int usec = 0;
    for (Py_ssize_t i = 0; i < 6; i++) {
        int d = 0;
        if (i < nfrac) {
            char c = s[20 + i];
            if (c < '0' || c > '9') return NULL;
            d = c - '0';
        }
        usec = usec * 10 + d;
    }
    if (nfrac == 7 && (s[26] < '0' || s[26] > '9')) return NULL;
    const char *z = s + n - 6;
    if ((z[0] != '+' && z[0] != '-') || z[3] != ':') return NULL;
    int oh = digits(z + 1, 2), om = digits(z + 4, 2);
    if (oh < 0 || om < 0 || om % 15 != 0 || oh > 14) return NULL;
    int quarters = oh * 4 + om / 15;
    if (z[0] == '-') quarters = -quarters;
    if (quarters < -56 || quarters > 56) return NULL;
    PyObject *tz = offset_tz[quarters + 56];
    if (tz == NULL) return NULL;
    return PyDateTimeAPI->DateTime_FromDateAndTime(year, month, day, hour, minute, second, usec,
                                                   tz, PyDateTimeAPI->DateTimeType);
}

static PyObject *decode_datetime(PyObject *v) {
    if (!PyUnicode_IS_COMPACT_ASCII(v)) return PyObject_CallOneArg(dt_in, v);
    const char *s = (const char *)PyUnicode_DATA(v);
    Py_ssize_t n = PyUnicode_GET_LENGTH(v);
    if (memchr(s, '.', (size_t)n) != NULL) {
        PyObject *r = parse_moment(s, n);
        if (r != NULL || PyErr_Occurred()) return r;
        return PyObject_CallOneArg(dt_in, v);
    }
    PyObject *r = PyDict_GetItemWithError(dt_seen, v);
    if (r != NULL) return Py_NewRef(r);
    if (PyErr_Occurred()) return NULL;
    return PyObject_CallOneArg(dt_new, v);
}

/* The shared timezones by address (open addressing), for format_moment. */
#define TZ_TABLE 512
static PyObject *tz_keys[TZ_TABLE];
static int tz_quarters[TZ_TABLE];

static inline size_t tz_hash(PyObject *tz) { return ((uintptr_t)tz >> 4) % TZ_TABLE; }

/* The quarter hours of `tz`'s offset when it is one of the shared timezones, else INT_MIN. */
static int shared_quarters(PyObject *tz) {
    for (size_t i = tz_hash(tz);; i = (i + 1) % TZ_TABLE) {
        if (tz_keys[i] == tz) return tz_quarters[i];
        if (tz_keys[i] == NULL) return INT_MIN;
    }
}

static void index_timezones(void) {
    memset(tz_keys, 0, sizeof tz_keys);
    for (int q = 0; q < N_OFFSETS; q++) {
        PyObject *tz = offset_tz[q];
        if (tz == NULL) continue;
        size_t i = tz_hash(tz);
        while (tz_keys[i] != NULL && tz_keys[i] != tz) i = (i + 1) % TZ_TABLE;
        tz_keys[i] = tz;
        tz_quarters[i] = q - 56;
    }
}

static inline char *put2(char *p, int value) {
    p[0] = (char)('0' + value / 10);
    p[1] = (char)('0' + value % 10);
    return p + 2;
}

/* An aware datetime as orjson writes it (isoformat: the fraction only when not zero), as text:
 * for one of the shared timezones only (NULL without an exception for any other). */
static PyObject *format_moment(PyObject *v) {
    int quarters = shared_quarters(PyDateTime_DATE_GET_TZINFO(v));
    if (quarters == INT_MIN) return NULL;
    char buf[32], *p = buf;
    int year = PyDateTime_GET_YEAR(v), usec = PyDateTime_DATE_GET_MICROSECOND(v);
    p = put2(p, year / 100);
    p = put2(p, year % 100);
    *p++ = '-';
    p = put2(p, PyDateTime_GET_MONTH(v));
    *p++ = '-';
    p = put2(p, PyDateTime_GET_DAY(v));
    *p++ = 'T';
    p = put2(p, PyDateTime_DATE_GET_HOUR(v));
    *p++ = ':';
    p = put2(p, PyDateTime_DATE_GET_MINUTE(v));
    *p++ = ':';
    p = put2(p, PyDateTime_DATE_GET_SECOND(v));
    if (usec != 0) {
        *p++ = '.';
        p = put2(p, usec / 10000);
        p = put2(p, usec / 100 % 100);
        p = put2(p, usec % 100);
    }
    *p++ = quarters < 0 ? '-' : '+';
    int minutes = (quarters < 0 ? -quarters : quarters) * 15;
    p = put2(p, minutes / 60);
    *p++ = ':';
    p = put2(p, minutes % 60);
    Py_ssize_t n = p - buf;
    PyObject *text = PyUnicode_New(n, 127);
    if (text == NULL) return NULL;
    memcpy(PyUnicode_1BYTE_DATA(text), buf, (size_t)n);
    return text;
}

/* -- base64 ----------------------------------------------------------------------------------- */

static const char B64_ALPHABET[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static signed char b64_values[256];

static void index_base64(void) {
    memset(b64_values, -1, sizeof b64_values);
    for (int i = 0; i < 64; i++) b64_values[(unsigned char)B64_ALPHABET[i]] = (signed char)i;
}

/* Bytes from base64 text in its canonical form (groups of four, at most two '=' at the end,
 * nothing else), as binascii's strict mode decodes it; NULL without an exception for any other
 * text (the Python converter decides). */
static PyObject *decode_base64(PyObject *v) {
    if (!PyUnicode_IS_COMPACT_ASCII(v)) return NULL;
    const unsigned char *s = (const unsigned char *)PyUnicode_DATA(v);
    Py_ssize_t n = PyUnicode_GET_LENGTH(v);
    if (n % 4 != 0) return NULL;
    Py_ssize_t pad = 0;
    if (n > 0 && s[n - 1] == '=') pad = s[n - 2] == '=' ? 2 : 1;
    for (Py_ssize_t i = 0; i < n - pad; i++)
        if (b64_values[s[i]] < 0) return NULL;
    PyObject *out = PyBytes_FromStringAndSize(NULL, n / 4 * 3 - pad);
    if (out == NULL) return NULL;
    unsigned char *p = (unsigned char *)PyBytes_AS_STRING(out);
    for (Py_ssize_t i = 0; i < n; i += 4) {
        unsigned int a = (unsigned int)b64_values[s[i]], b = (unsigned int)b64_values[s[i + 1]];
        *p++ = (unsigned char)(a << 2 | b >> 4);
        if (s[i + 2] == '=') break;
        unsigned int c = (unsigned int)b64_values[s[i + 2]];
        *p++ = (unsigned char)((b & 15) << 4 | c >> 2);
        if (s[i + 3] == '=') break;
        *p++ = (unsigned char)((c & 3) << 6 | (unsigned int)b64_values[s[i + 3]]);
    }
    return out;
}

/* Base64 text (with padding, no newline) of a bytes object. */
static PyObject *encode_base64(PyObject *v) {
    const unsigned char *s = (const unsigned char *)PyBytes_AS_STRING(v);
    Py_ssize_t n = PyBytes_GET_SIZE(v);
    if (n > PY_SSIZE_T_MAX / 4 * 3 - 3) return PyErr_NoMemory();
    PyObject *text = PyUnicode_New((n + 2) / 3 * 4, 127);
    if (text == NULL) return NULL;
    char *p = (char *)PyUnicode_1BYTE_DATA(text);
    Py_ssize_t i = 0;
    for (; i + 2 < n; i += 3) {
        *p++ = B64_ALPHABET[s[i] >> 2];
        *p++ = B64_ALPHABET[(s[i] & 3) << 4 | s[i + 1] >> 4];
        *p++ = B64_ALPHABET[(s[i + 1] & 15) << 2 | s[i + 2] >> 6];
        *p++ = B64_ALPHABET[s[i + 2] & 63];
    }
    if (i < n) {
        *p++ = B64_ALPHABET[s[i] >> 2];
        if (i + 1 < n) {
            *p++ = B64_ALPHABET[(s[i] & 3) << 4 | s[i + 1] >> 4];
            *p++ = B64_ALPHABET[(s[i + 1] & 15) << 2];
        } else {
            *p++ = B64_ALPHABET[(s[i] & 3) << 4];
            *p++ = '=';
        }
        *p++ = '=';
    }
    return text;
}

/* 1 when `v` is an int (not a bool) within the field's range, 0 when not, -1 on an error. */
static int int_in_range(Field *f, PyObject *v) {
    if (!PyLong_CheckExact(v)) return 0;
    int overflow = 0;
    long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (x == -1 && PyErr_Occurred()) return -1;
    return !overflow && x >= f->low && x <= f->high;
}

/* 1 when `v` is already what both the model and JSON hold for a str, bool or int field (a
 * str, a bool, an int within the range), 0 when not (or for a field of another kind), -1 on
 * an error. */
static int is_plain(Field *f, PyObject *v) {
    if (f->kind == K_STR) return PyUnicode_CheckExact(v);
    if (f->kind == K_BOOL) return PyBool_Check(v);
    if (f->kind == K_INT) return int_in_range(f, v);
    return 0;
}

/* -- decoding --------------------------------------------------------------------------------- */

static PyObject *decode_object(Codec *c, PyObject *d);

static PyObject *decode_value(Field *f, PyObject *v) {
    int plain = is_plain(f, v);
    if (plain != 0) return plain < 0 ? NULL : Py_NewRef(v);
    switch (f->kind) {
    case K_ANY:
        return Py_NewRef(v);
    case K_FLOAT:
        if (PyFloat_CheckExact(v)) return Py_NewRef(v);
        break;
    case K_DATETIME:
        if (PyUnicode_CheckExact(v)) return decode_datetime(v);
        break;
    case K_ENUM:
        if (PyUnicode_CheckExact(v)) {
            PyObject *member = PyDict_GetItemWithError(f->ref, v);
            if (member != NULL) return Py_NewRef(member);
            if (PyErr_Occurred()) return NULL;
        }
        break;
    case K_BASE64:
        if (PyUnicode_CheckExact(v)) {
            PyObject *r = decode_base64(v);
            if (r != NULL || PyErr_Occurred()) return r;
        }
        break;
    case K_MODEL:
        return decode_object((Codec *)f->ref, v);
    default:
        break;
    }
    if (f->conv == NULL) return slow();
    return PyObject_CallOneArg(f->conv, v);
}

static PyObject *decode_list(Field *f, PyObject *v) {
    if (!PyList_CheckExact(v)) return slow();
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(v); i++) {
        PyObject *item = PyList_GET_ITEM(v, i);
        if (item == Py_None) continue;
        Py_INCREF(item);
        PyObject *r = decode_value(f, item);
        Py_DECREF(item);
        if (r == NULL || PyList_Append(out, r) < 0) {
            Py_XDECREF(r);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(r);
    }
    return out;
}

static PyObject *decode_object(Codec *c, PyObject *d) {
    if (!PyDict_CheckExact(d)) return slow();
    if (Py_EnterRecursiveCall(" while decoding a model")) return NULL;
    PyObject *o = c->cls->tp_alloc(c->cls, 0);
    if (o == NULL) goto fail;
    for (Py_ssize_t i = 0; i < c->nfields; i++) {
        Field *f = &c->fields[i];
        PyObject *v = PyDict_GetItemWithError(d, f->key);
        PyObject *r;
        if (v == NULL && PyErr_Occurred()) goto fail_o;
        if (v == NULL || v == Py_None) {
            r = Py_NewRef(Py_None);
        } else {
            Py_INCREF(v); /* a converter may run Python code */
            r = f->is_list ? decode_list(f, v) : decode_value(f, v);
            Py_DECREF(v);
            if (r == NULL) goto fail_o;
        }
        if (r == Py_None && f->always) {
            Py_DECREF(r);
            slow();
            goto fail_o;
        }
        PyObject **slot = slot_of(o, f->offset);
        PyObject *old = *slot;
        *slot = r;
        Py_XDECREF(old);
    }
    Py_LeaveRecursiveCall();
    return o;
fail_o:
    Py_DECREF(o);
fail:
    Py_LeaveRecursiveCall();
    return NULL;
}

/* -- encoding --------------------------------------------------------------------------------- */

static PyObject *encode_object(Codec *c, PyObject *o);

static PyObject *encode_value(Field *f, PyObject *v) {
    int plain = is_plain(f, v);
    if (plain != 0) return plain < 0 ? NULL : Py_NewRef(v);
    switch (f->kind) {
    case K_FLOAT:
        if (PyFloat_CheckExact(v) && isfinite(PyFloat_AS_DOUBLE(v))) return Py_NewRef(v);
        break;
    case K_DATETIME:
        if (PyDateTime_CheckExact(v) && PyDateTime_DATE_GET_TZINFO(v) != Py_None) {
            PyObject *text = format_moment(v);
            return text != NULL || PyErr_Occurred() ? text : Py_NewRef(v);
        }
        break;
    case K_ENUM:
        if ((PyObject *)Py_TYPE(v) == f->ref) return PyObject_GetAttr(v, wire_value_name);
        break;
    case K_BASE64:
        if (PyBytes_CheckExact(v)) return encode_base64(v);
        break;
    case K_MODEL:
        return encode_object((Codec *)f->ref, v);
    default:
        break;
    }
    if (f->conv == NULL) return slow();
    return PyObject_CallOneArg(f->conv, v);
}

static PyObject *encode_list(Field *f, PyObject *v) {
    if (!PyList_CheckExact(v) && !PyTuple_CheckExact(v)) return slow();
    PyObject *seq = PySequence_Fast(v, "a list"); /* a new reference to v itself */
    if (seq == NULL) return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL) goto fail;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        if (item == Py_None) {
            slow();
            goto fail;
        }
        Py_INCREF(item);
        PyObject *r = encode_value(f, item);
        Py_DECREF(item);
        if (r == NULL || PyList_Append(out, r) < 0) {
            Py_XDECREF(r);
            goto fail;
        }
        Py_DECREF(r);
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

static PyObject *encode_object(Codec *c, PyObject *o) {
    if (Py_TYPE(o) != c->cls) return slow();
    if (Py_EnterRecursiveCall(" while encoding a model")) return NULL;
#if PY_VERSION_HEX < 0x030D0000
    PyObject *d = _PyDict_NewPresized(c->nfields);
#else
    PyObject *d = PyDict_New();
#endif
    if (d == NULL) goto fail;
    Py_INCREF(o);
    for (Py_ssize_t i = 0; i < c->nfields; i++) {
        Field *f = &c->fields[i];
        PyObject *v = *slot_of(o, f->offset);
        if (v == NULL) {
            slow(); /* an unset slot: the Python path raises its AttributeError */
            goto fail_d;
        }
        if (v == Py_None) continue;
        Py_INCREF(v);
        PyObject *r = f->is_list ? encode_list(f, v) : encode_value(f, v);
        Py_DECREF(v);
        if (r == NULL) goto fail_d;
        int failed = PyDict_SetItem(d, f->key, r);
        Py_DECREF(r);
        if (failed) goto fail_d;
    }
    Py_DECREF(o);
    Py_LeaveRecursiveCall();
    return d;
fail_d:
    Py_DECREF(o);
    Py_DECREF(d);
fail:
    Py_LeaveRecursiveCall();
    return NULL;
}

/* -- XML decoding ------------------------------------------------------------------------------
 *
 * On the tree lxml has parsed: libxml2's nodes, reached from lxml's element. Only the leading
 * members below are read, those that libxml2's public tree.h and lxml's public C API
 * (lxml.etree.h) give; _native.py checks them on a parsed document before using this path.
 * Attributes are ignored but xsi:nil, read where the Python path reads it. An element in a
 * namespace, a value that is not one text node, a child out of the XSD's order or repeated,
 * makes the Python function decide. */

typedef struct xml_node {
    void *private_;
    int type;
    const char *name;
    struct xml_node *children, *last, *parent, *next, *prev;
    void *doc;
    void *ns;
    const char *content;
    void *properties;
} xml_node;

typedef struct {
    PyObject_HEAD
    void *doc;
    xml_node *c_node;
} lxml_element;

/* libxml2's namespace (its leading members); an attribute (xmlAttr) starts as a node does. */
typedef struct xml_ns {
    struct xml_ns *next;
    int type;
    const char *href;
} xml_ns;

#define XML_ELEMENT_NODE 1
#define XML_TEXT_NODE 3

static PyTypeObject *element_type = NULL; /* lxml.etree._Element */
static const char XSI[] = "http://www.w3.org/2001/XMLSchema-instance";

/* Whether `el` has xsi:nil="true" (or "1"), as _is_nil reads it: 1 or 0; -1 when the
 * attribute's value is not one text node (the Python path reads it). */
static int is_nil(xml_node *el) {
    for (xml_node *a = (xml_node *)el->properties; a != NULL; a = a->next) {
        if (a->ns == NULL || strcmp(a->name, "nil") != 0 ||
            strcmp(((xml_ns *)a->ns)->href, XSI) != 0)
            continue;
        const char *value = "";
        xml_node *t = a->children;
        if (t != NULL) {
            if (t->type != XML_TEXT_NODE || t->next != NULL) return -1;
            value = t->content != NULL ? t->content : "";
        }
        return strcmp(value, "true") == 0 || strcmp(value, "1") == 0;
    }
    return 0;
}

/* Whether `el` has a child element (lxml's el[:] is not empty). */
static int has_child_element(xml_node *el) {
    for (xml_node *c = el->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE) return 1;
    return 0;
}

/* 0 with *text the element's only text (NULL for none), -1 when it is not a plain value.
 * Attributes are not looked at (the Python path reads only xsi:nil, when there is no text). */
static int plain_text(xml_node *el, const char **text) {
    xml_node *c = el->children;
    if (c == NULL) {
        *text = NULL;
        return 0;
    }
    if (c->type != XML_TEXT_NODE || c->next != NULL) return -1;
    *text = c->content != NULL ? c->content : "";
    return 0;
}

static PyObject *decode_xml_object(Codec *c, xml_node *el);

static PyObject *decode_xml_text(Field *f, const char *t) {
    size_t n = strlen(t);
    switch (f->kind) {
    case K_STR:
        return PyUnicode_DecodeUTF8(t, (Py_ssize_t)n, NULL);
    case K_BOOL:
        if (strcmp(t, "true") == 0 || strcmp(t, "1") == 0) Py_RETURN_TRUE;
        if (strcmp(t, "false") == 0 || strcmp(t, "0") == 0) Py_RETURN_FALSE;
        return slow();
    case K_INT: {
        size_t i = t[0] == '-' ? 1 : 0;
        if (n > i && n - i <= 18) {
            long long x = 0;
            for (; i < n && t[i] >= '0' && t[i] <= '9'; i++) x = x * 10 + (t[i] - '0');
            if (i == n) {
                if (t[0] == '-') x = -x;
                if (x >= f->low && x <= f->high) return PyLong_FromLongLong(x);
                return slow();
            }
        }
        break; /* int() decides below */
    }
    case K_DATETIME:
        if (memchr(t, '.', n) != NULL) {
            PyObject *r = parse_moment(t, (Py_ssize_t)n);
            if (r != NULL || PyErr_Occurred()) return r;
        }
        break;
    default:
        break;
    }
    PyObject *text = PyUnicode_DecodeUTF8(t, (Py_ssize_t)n, NULL);
    if (text == NULL) return NULL;
    PyObject *r = NULL;
    switch (f->kind) {
    case K_INT: {
        PyObject *x = PyLong_FromUnicodeObject(text, 10);
        if (x != NULL) {
            int overflow = 0;
            long long v = PyLong_AsLongLongAndOverflow(x, &overflow);
            if (v == -1 && PyErr_Occurred()) {
                Py_CLEAR(x);
            } else if (overflow || v < f->low || v > f->high) {
                Py_CLEAR(x);
                slow();
            }
        }
        r = x;
        break;
    }
    case K_FLOAT:
        r = PyFloat_FromString(text);
        break;
    case K_DATETIME:
        r = decode_datetime(text);
        break;
    case K_BASE64:
        r = decode_base64(text);
        if (r == NULL && !PyErr_Occurred()) r = PyObject_CallOneArg(f->conv, text);
        break;
    case K_ENUM:
        r = PyDict_GetItemWithError(f->ref, text);
        if (r != NULL)
            Py_INCREF(r);
        else if (!PyErr_Occurred())
            r = PyObject_CallOneArg(f->conv, text);
        break;
    default:
        slow();
    }
    Py_DECREF(text);
    return r;
}

static PyObject *decode_xml_value(Field *f, xml_node *el) {
    if (f->kind == K_MODEL) return decode_xml_object((Codec *)f->ref, el);
    const char *t;
    if (plain_text(el, &t) < 0) return slow();
    if (t != NULL) return decode_xml_text(f, t);
    int nil = is_nil(el); /* no text: nil is None (_nil_or) */
    if (nil < 0) return slow();
    if (nil) return Py_NewRef(Py_None);
    if (f->kind == K_STR) return PyUnicode_FromStringAndSize("", 0);
    if (f->kind == K_BASE64) return PyBytes_FromStringAndSize("", 0);
    return slow();
}

static PyObject *decode_xml_list(Field *f, xml_node *wrapper) {
    PyObject *out = PyList_New(0); /* (a nil wrapper has no items: []) */
    if (out == NULL) return NULL;
    for (xml_node *child = wrapper->children; child != NULL; child = child->next) {
        if (child->type == XML_TEXT_NODE) continue;
        if (child->type != XML_ELEMENT_NODE || child->ns != NULL) goto slow_out;
        if (strcmp(child->name, f->item_tag) != 0) continue;
        PyObject *r;
        if (f->kind == K_MODEL) {
            r = decode_xml_object((Codec *)f->ref, child);
        } else {
            const char *t;
            if (plain_text(child, &t) < 0 || f->conv == NULL) goto slow_out;
            if (t == NULL) {
                int nil = is_nil(child);
                if (nil < 0) goto slow_out;
                if (nil) continue; /* a nil item is left out */
                t = "";
            }
            PyObject *text = PyUnicode_DecodeUTF8(t, (Py_ssize_t)strlen(t), NULL);
            if (text == NULL) goto fail;
            r = PyObject_CallOneArg(f->conv, text);
            Py_DECREF(text);
        }
        if (r == Py_None) { /* a nil model item is left out */
            Py_DECREF(r);
            continue;
        }
        if (r == NULL || PyList_Append(out, r) < 0) {
            Py_XDECREF(r);
            goto fail;
        }
        Py_DECREF(r);
    }
    return out;
slow_out:
    slow();
fail:
    Py_DECREF(out);
    return NULL;
}

static PyObject *decode_xml_object(Codec *c, xml_node *el) {
    if (!has_child_element(el)) { /* a nil element is None (an empty one, a model) */
        int nil = is_nil(el);
        if (nil < 0) return slow();
        if (nil) return Py_NewRef(Py_None);
    }
    if (Py_EnterRecursiveCall(" while decoding a model")) return NULL;
    PyObject *o = c->cls->tp_alloc(c->cls, 0);
    if (o == NULL) goto fail;
    Py_ssize_t next = 0;
    for (xml_node *child = el->children; child != NULL; child = child->next) {
        if (child->type == XML_TEXT_NODE) continue;
        if (child->type != XML_ELEMENT_NODE || child->ns != NULL) {
            slow();
            goto fail_o;
        }
        Py_ssize_t i = next;
        while (i < c->nfields && strcmp(c->fields[i].tag, child->name) != 0) i++;
        if (i == c->nfields) {
            for (Py_ssize_t j = 0; j < next; j++) {
                if (strcmp(c->fields[j].tag, child->name) == 0) {
                    slow(); /* out of the XSD's order, or repeated */
                    goto fail_o;
                }
            }
            continue; /* an element this SDK does not know */
        }
        Field *f = &c->fields[i];
        PyObject *r = f->is_list ? decode_xml_list(f, child) : decode_xml_value(f, child);
        if (r == NULL) goto fail_o;
        *slot_of(o, f->offset) = r;
        next = i + 1;
    }
    for (Py_ssize_t i = 0; i < c->nfields; i++) {
        PyObject **slot = slot_of(o, c->fields[i].offset);
        if (*slot == NULL) *slot = Py_NewRef(Py_None);
        if (*slot == Py_None && c->fields[i].always) {
            slow();
            goto fail_o;
        }
    }
    Py_LeaveRecursiveCall();
    return o;
fail_o:
    Py_DECREF(o);
fail:
    Py_LeaveRecursiveCall();
    return NULL;
}

static PyObject *decode_xml_root(Codec *c, PyObject *element) {
    if (Py_TYPE(element) != element_type) return slow();
    xml_node *node = ((lxml_element *)element)->c_node;
    if (node == NULL || node->type != XML_ELEMENT_NODE) return slow();
    return decode_xml_object(c, node);
}

/* -- XML encoding ------------------------------------------------------------------------------
 *
 * The children of a model's element, as the compiled Python writers write them, into one UTF-8
 * buffer; handed to the caller's `write` as one str. A value that is not what the model holds
 * goes through the field's Python converter (which gives the escaped text); anything off (a
 * character XML cannot carry, a converter raising, a value of another model class) makes the
 * Python writer write the whole top-level object instead, before anything was written. */

typedef struct {
    char *data;
    Py_ssize_t len, cap;
} Buffer;

static int buf_grow(Buffer *b, Py_ssize_t more) {
    if (b->len + more <= b->cap) return 0;
    Py_ssize_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + more) {
        if (cap > PY_SSIZE_T_MAX / 2) {
            PyErr_NoMemory();
            return -1;
        }
        cap *= 2;
    }
    char *data = PyMem_Realloc(b->data, (size_t)cap);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

static int buf_put(Buffer *b, const char *s, Py_ssize_t n) {
    if (buf_grow(b, n) < 0) return -1;
    memcpy(b->data + b->len, s, (size_t)n);
    b->len += n;
    return 0;
}

static inline int buf_puts(Buffer *b, const char *s) { return buf_put(b, s, (Py_ssize_t)strlen(s)); }

static int buf_tag(Buffer *b, const char *open, const char *name) {
    if (buf_puts(b, open) < 0 || buf_puts(b, name) < 0) return -1;
    return buf_put(b, ">", 1);
}

/* `text` escaped as xml_escape does (&, <, > and CR as references), as UTF-8; -1 with the
 * slow exception for a character XML 1.0 cannot carry. */
static int buf_text(Buffer *b, PyObject *text) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (buf_grow(b, n * 4) < 0) return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        const char *ref = NULL;
        if (c == '&') ref = "&amp;";
        else if (c == '<') ref = "&lt;";
        else if (c == '>') ref = "&gt;";
        else if (c == '\r') ref = "&#xD;";
        else if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0xD800 && c <= 0xDFFF) ||
                 c == 0xFFFE || c == 0xFFFF) {
            slow();
            return -1;
        }
        if (ref != NULL) {
            if (buf_puts(b, ref) < 0) return -1;
            if (buf_grow(b, (n - i) * 4) < 0) return -1;
            continue;
        }
        char *p = b->data + b->len;
        if (c < 0x80) {
            *p++ = (char)c;
        } else if (c < 0x800) {
            *p++ = (char)(0xC0 | (c >> 6));
            *p++ = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *p++ = (char)(0xE0 | (c >> 12));
            *p++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *p++ = (char)(0x80 | (c & 0x3F));
        } else {
            *p++ = (char)(0xF0 | (c >> 18));
            *p++ = (char)(0x80 | ((c >> 12) & 0x3F));
            *p++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *p++ = (char)(0x80 | (c & 0x3F));
        }
        b->len = p - b->data;
    }
    return 0;
}

/* A str given by a Python converter: already the element's text. */
static int buf_converted(Buffer *b, PyObject *conv, PyObject *v) {
    if (conv == NULL) {
        slow();
        return -1;
    }
    PyObject *text = PyObject_CallOneArg(conv, v);
    if (text == NULL) return -1;
    Py_ssize_t n;
    const char *utf8 = PyUnicode_Check(text) ? PyUnicode_AsUTF8AndSize(text, &n) : NULL;
    int r = utf8 != NULL ? buf_put(b, utf8, n) : -1;
    if (utf8 == NULL && !PyErr_Occurred()) slow();
    Py_DECREF(text);
    return r;
}

static int buf_long(Buffer *b, long long x) {
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", x);
    return buf_put(b, digits, n);
}

static int encode_xml_children(Codec *c, PyObject *o, Buffer *b);

static int encode_xml_value(Field *f, PyObject *v, Buffer *b) {
    switch (f->kind) {
    case K_STR:
        if (PyUnicode_CheckExact(v)) return buf_text(b, v);
        break;
    case K_INT:
        switch (int_in_range(f, v)) {
        case -1:
            return -1;
        case 1:
            return buf_long(b, PyLong_AsLongLong(v));
        }
        break;
    case K_FLOAT:
        if (PyFloat_CheckExact(v) && isfinite(PyFloat_AS_DOUBLE(v))) {
            PyObject *text = PyObject_Repr(v);
            if (text == NULL) return -1;
            Py_ssize_t n;
            const char *utf8 = PyUnicode_AsUTF8AndSize(text, &n);
            int r = utf8 == NULL ? -1 : buf_put(b, utf8, n);
            Py_DECREF(text);
            return r;
        }
        break;
    case K_BOOL:
        if (v == Py_True) return buf_put(b, "true", 4);
        if (v == Py_False) return buf_put(b, "false", 5);
        break;
    case K_DATETIME:
        if (PyDateTime_CheckExact(v) && PyDateTime_DATE_GET_TZINFO(v) != Py_None) {
            PyObject *text = format_moment(v);
            if (text != NULL) {
                int r = buf_put(b, (const char *)PyUnicode_1BYTE_DATA(text),
                                PyUnicode_GET_LENGTH(text));
                Py_DECREF(text);
                return r;
            }
            if (PyErr_Occurred()) return -1;
        }
        break;
    case K_BASE64:
        if (PyBytes_CheckExact(v)) {
            PyObject *text = encode_base64(v);
            if (text == NULL) return -1;
            int r = buf_put(b, (const char *)PyUnicode_1BYTE_DATA(text), PyUnicode_GET_LENGTH(text));
            Py_DECREF(text);
            return r;
        }
        break;
    case K_ENUM:
        if ((PyObject *)Py_TYPE(v) == f->ref) {
            PyObject *wire = PyObject_GetAttr(v, wire_value_name);
            if (wire == NULL) return -1;
            int r;
            if (PyUnicode_CheckExact(wire)) {
                r = buf_text(b, wire);
            } else if (PyLong_CheckExact(wire)) {
                PyObject *text = PyObject_Str(wire);
                Py_ssize_t n;
                const char *utf8 = text == NULL ? NULL : PyUnicode_AsUTF8AndSize(text, &n);
                r = utf8 == NULL ? -1 : buf_put(b, utf8, n);
                Py_XDECREF(text);
            } else {
                slow();
                r = -1;
            }
            Py_DECREF(wire);
            return r;
        }
        break;
    case K_MODEL:
        if (buf_tag(b, "<", f->tag) < 0) return -1;
        if (encode_xml_children((Codec *)f->ref, v, b) < 0) return -1;
        return buf_tag(b, "</", f->tag);
    default:
        slow();
        return -1;
    }
    return buf_converted(b, f->conv, v);
}

static int encode_xml_list(Field *f, PyObject *v, Buffer *b) {
    if (!PyList_CheckExact(v) && !PyTuple_CheckExact(v)) {
        slow();
        return -1;
    }
    PyObject *seq = PySequence_Fast(v, "a list");
    if (seq == NULL) return -1;
    int r = 0;
    for (Py_ssize_t i = 0; r == 0 && i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        if (item == Py_None) {
            slow();
            r = -1;
            break;
        }
        Py_INCREF(item);
        r = buf_tag(b, "<", f->item_tag);
        if (r == 0)
            r = f->kind == K_MODEL ? encode_xml_children((Codec *)f->ref, item, b)
                                   : buf_converted(b, f->conv, item);
        if (r == 0) r = buf_tag(b, "</", f->item_tag);
        Py_DECREF(item);
    }
    Py_DECREF(seq);
    return r;
}

static int encode_xml_children(Codec *c, PyObject *o, Buffer *b) {
    if (Py_TYPE(o) != c->cls) {
        slow();
        return -1;
    }
    if (Py_EnterRecursiveCall(" while encoding a model")) return -1;
    int r = 0;
    Py_INCREF(o);
    for (Py_ssize_t i = 0; r == 0 && i < c->nfields; i++) {
        Field *f = &c->fields[i];
        PyObject *v = *slot_of(o, f->offset);
        if (v == NULL) {
            slow();
            r = -1;
            break;
        }
        if (v == Py_None) {
            if (f->always && !f->is_list) {
                r = buf_puts(b, "<");
                if (r == 0) r = buf_puts(b, f->tag);
                if (r == 0) r = buf_puts(b, " xsi:nil=\"true\" />");
            }
            continue;
        }
        Py_INCREF(v);
        if (f->is_list) {
            r = buf_tag(b, "<", f->tag);
            if (r == 0) r = encode_xml_list(f, v, b);
            if (r == 0) r = buf_tag(b, "</", f->tag);
        } else if (f->kind == K_MODEL) {
            r = encode_xml_value(f, v, b);
        } else {
            r = buf_tag(b, "<", f->tag);
            if (r == 0) r = encode_xml_value(f, v, b);
            if (r == 0) r = buf_tag(b, "</", f->tag);
        }
        Py_DECREF(v);
    }
    Py_DECREF(o);
    Py_LeaveRecursiveCall();
    return r;
}

/* The XML codec's entry: (o, write). */
static PyObject *encode_xml_root(Codec *c, PyObject *o, PyObject *write) {
    Buffer b = {NULL, 0, 0};
    PyObject *r = NULL;
    if (encode_xml_children(c, o, &b) == 0) {
        PyObject *text = PyUnicode_DecodeUTF8(b.data ? b.data : "", b.len, NULL);
        if (text != NULL) {
            r = PyObject_CallOneArg(write, text);
            Py_DECREF(text);
        }
    }
    PyMem_Free(b.data);
    return r;
}

/* -- the Codec type ---------------------------------------------------------------------------- */

static PyObject *codec_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                                  PyObject *kwnames) {
    Codec *c = (Codec *)self;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs != (c->mode == MODE_XML_ENCODE ? 2 : 1) || kwnames != NULL) {
        PyErr_SetString(PyExc_TypeError,
                        c->mode == MODE_XML_ENCODE ? "an XML writer takes (model, write)"
                                                   : "a codec takes one argument");
        return NULL;
    }
    if (!c->ready) {
        PyErr_SetString(PyExc_RuntimeError, "codec used before setup()");
        return NULL;
    }
    PyObject *value = args[0];
    PyObject *r;
    if (c->mode == MODE_JSON_ENCODE)
        r = encode_object(c, value);
    else if (c->mode == MODE_XML_DECODE)
        r = decode_xml_root(c, value);
    else if (c->mode == MODE_XML_ENCODE)
        r = encode_xml_root(c, value, args[1]);
    else
        r = decode_object(c, value);
    if (r != NULL) return r;
    if (!PyErr_ExceptionMatches(PyExc_Exception)) return NULL;
    PyErr_Clear();
    return PyObject_Vectorcall(c->fallback, args, nargs, NULL);
}

static void clear_fields(Codec *c) {
    Field *fields = c->fields;
    Py_ssize_t n = c->nfields;
    c->fields = NULL;
    c->nfields = 0;
    c->ready = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_XDECREF(fields[i].key);
        Py_XDECREF(fields[i].ref);
        Py_XDECREF(fields[i].conv);
        Py_XDECREF(fields[i].item);
    }
    PyMem_Free(fields);
}

static PyObject *codec_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    if (PyTuple_GET_SIZE(args) != 0 || (kwds != NULL && PyDict_GET_SIZE(kwds) != 0)) {
        PyErr_SetString(PyExc_TypeError, "Codec() takes no arguments");
        return NULL;
    }
    Codec *c = (Codec *)type->tp_alloc(type, 0);
    if (c == NULL) return NULL;
    c->vectorcall = codec_vectorcall;
    return (PyObject *)c;
}

static int codec_traverse(Codec *c, visitproc visit, void *arg) {
    Py_VISIT(c->cls);
    Py_VISIT(c->fallback);
    for (Py_ssize_t i = 0; i < c->nfields; i++) {
        Py_VISIT(c->fields[i].ref);
        Py_VISIT(c->fields[i].conv);
    }
    return 0;
}

static int codec_clear(Codec *c) {
    Py_CLEAR(c->cls);
    Py_CLEAR(c->fallback);
    clear_fields(c);
    return 0;
}

static void codec_dealloc(Codec *c) {
    PyObject_GC_UnTrack(c);
    codec_clear(c);
    Py_TYPE(c)->tp_free((PyObject *)c);
}

/* The byte offset of the slot that `descr` (a member descriptor of `cls`) stands for. */
static Py_ssize_t slot_offset(PyTypeObject *cls, PyObject *descr) {
    if (!Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyErr_SetString(PyExc_TypeError, "expected a slot's member descriptor");
        return -1;
    }
    PyMemberDescrObject *m = (PyMemberDescrObject *)descr;
    if (!PyType_IsSubtype(cls, PyDescr_TYPE(descr)) || m->d_member->type != T_OBJECT_EX ||
        (m->d_member->flags & READONLY) || m->d_member->offset <= 0) {
        PyErr_SetString(PyExc_TypeError, "the descriptor is not a writable slot of the class");
        return -1;
    }
    return m->d_member->offset;
}

PyDoc_STRVAR(setup_doc,
             "setup(cls, fallback, mode, fields)\n--\n\n"
             "Make this codec the one of model class ``cls`` (mode 0: JSON decoding, 1: JSON\n"
             "encoding, 2: XML decoding, 3: XML writing): ``fields`` is a sequence of (wire name, member\n"
             "descriptor, kind, is_list, always, low, high, ref, conv, item element name).");

static PyObject *codec_setup(Codec *c, PyObject *args) {
    PyObject *cls, *fallback, *fields;
    int mode;
    if (!PyArg_ParseTuple(args, "O!OiO:setup", &PyType_Type, &cls, &fallback, &mode, &fields))
        return NULL;
    if (mode < MODE_JSON_DECODE || mode > MODE_XML_ENCODE) {
        PyErr_Format(PyExc_ValueError, "unknown mode %d", mode);
        return NULL;
    }
    if (mode == MODE_XML_DECODE && element_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure_xml() first");
        return NULL;
    }
    int encode = mode == MODE_JSON_ENCODE || mode == MODE_XML_ENCODE;
    if (c->ready) {
        PyErr_SetString(PyExc_RuntimeError, "codec already set up");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(fields, "fields must be a sequence");
    if (seq == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Field *out = PyMem_Calloc((size_t)(n ? n : 1), sizeof(Field));
    if (out == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    Py_ssize_t done = 0;
    for (; done < n; done++) {
        PyObject *key, *descr, *ref, *conv, *item;
        int kind, is_list, always;
        long long low, high;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, done), "UOippLLOOO:field", &key,
                              &descr, &kind, &is_list, &always, &low, &high, &ref, &conv,
                              &item))
            goto fail;
        if (item != Py_None && !PyUnicode_Check(item)) {
            PyErr_SetString(PyExc_TypeError, "an item element name must be a str or None");
            goto fail;
        }
        Py_ssize_t offset = slot_offset((PyTypeObject *)cls, descr);
        if (offset < 0) goto fail;
        if (kind < K_ANY || kind > K_CALL) {
            PyErr_Format(PyExc_ValueError, "unknown kind %d", kind);
            goto fail;
        }
        if (kind == K_MODEL && !Py_IS_TYPE(ref, &CodecType)) {
            PyErr_SetString(PyExc_TypeError, "a model field's ref must be a Codec");
            goto fail;
        }
        if (kind == K_ENUM && !encode && !PyDict_CheckExact(ref)) {
            PyErr_SetString(PyExc_TypeError, "an enum field's ref must be a dict to decode");
            goto fail;
        }
        Field *f = &out[done];
        f->key = Py_NewRef(key);
        f->offset = offset;
        f->kind = kind;
        f->is_list = is_list;
        f->always = always;
        f->low = low;
        f->high = high;
        f->ref = ref == Py_None ? NULL : Py_NewRef(ref);
        f->conv = conv == Py_None ? NULL : Py_NewRef(conv);
        f->item = item == Py_None ? NULL : Py_NewRef(item);
        f->tag = PyUnicode_AsUTF8(f->key);
        f->item_tag = f->item == NULL ? "" : PyUnicode_AsUTF8(f->item);
        if (f->tag == NULL || f->item_tag == NULL) {
            done++;
            goto fail;
        }
    }
    Py_DECREF(seq);
    c->cls = (PyTypeObject *)Py_NewRef(cls);
    c->fallback = Py_NewRef(fallback);
    c->mode = mode;
    c->fields = out;
    c->nfields = n;
    c->ready = 1;
    Py_RETURN_NONE;
fail:
    for (Py_ssize_t i = 0; i < done; i++) {
        Py_XDECREF(out[i].key);
        Py_XDECREF(out[i].ref);
        Py_XDECREF(out[i].conv);
        Py_XDECREF(out[i].item);
    }
    PyMem_Free(out);
    Py_DECREF(seq);
    return NULL;
}

static PyObject *codec_repr(Codec *c) {
    if (!c->ready) return PyUnicode_FromString("<Codec (not set up)>");
    static const char *modes[] = {"decoding JSON", "encoding JSON", "decoding XML",
                                  "encoding XML"};
    return PyUnicode_FromFormat("<Codec %s %s>", modes[c->mode], c->cls->tp_name);
}

static PyMethodDef codec_methods[] = {
    {"setup", (PyCFunction)codec_setup, METH_VARARGS, setup_doc},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CodecType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "billecta_async._wire._speedups.Codec",
    .tp_basicsize = sizeof(Codec),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "One model class's decoder or encoder of one format (fast path; Python on anything "
              "off).",
    .tp_new = codec_new,
    .tp_dealloc = (destructor)codec_dealloc,
    .tp_traverse = (traverseproc)codec_traverse,
    .tp_clear = (inquiry)codec_clear,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(Codec, vectorcall),
    .tp_repr = (reprfunc)codec_repr,
    .tp_methods = codec_methods,
};

/* -- call preparation ------------------------------------------------------------------------- */

/* A CallPreparer does, for one Transport, what `_Plan.prepare` and `Transport.prepare` do for a
 * call without request options on a plan without a hand-written check or a list body: fill the
 * path, build the query, check and encode the body, pick the headers (with a generated
 * UniqueApiCallId on a call other than GET) and make the `Call`, its slots written at the
 * offsets of its member descriptors. Converters, path segments, the percent-encoding of a
 * query value that needs it, the encoder and the id come from the Python functions the Python
 * path calls. Anything off (a value a converter refuses, a required argument left out, a body
 * of another class, an encoder raising) gives None: the caller then takes the Python path,
 * the one source of errors. */

enum { PLACE_PATH = 0, PLACE_QUERY = 1, PLACE_BODY = 2 };
enum {
    S_METHOD, S_PATH, S_KEY, S_URL, S_DATA, S_HEADERS, S_TIMEOUT, S_UNIQUE_ID, S_GENERATED_ID,
    S_MAX_RETRIES, S_DEADLINE, S_STARTED, S_ATTEMPT, S_MAYBE_PROCESSED, S_NOT_SENT,
    S_HEADER_TIMEOUT, N_CALL_SLOTS
};

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyTypeObject *call_type;
    Py_ssize_t offsets[N_CALL_SLOTS];
    PyObject *base_url, *url_type, *headers, *body_headers, *timeout, *max_retries;
    PyObject *encode, *new_id, *quote;
} Preparer;

static PyTypeObject PreparerType;

/* Constants of every preparer, made once by the module's init. */
static PyObject *zero_seconds;     /* 0.0: `started` of a call without a deadline */
static PyObject *encoded_kwnames;  /* ("encoded",) */
static PyObject *id_header;        /* "UniqueApiCallId" */
static PyObject *ampersand, *question_mark, *empty_text, *get_verb;

static int is_guid_text(PyObject *value) {
    if (!PyUnicode_CheckExact(value) || PyUnicode_GET_LENGTH(value) != 36 ||
        !PyUnicode_IS_ASCII(value))
        return 0;
    const Py_UCS1 *c = PyUnicode_1BYTE_DATA(value);
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c[i] != '-') return 0;
        } else if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'a' && c[i] <= 'f') ||
                     (c[i] >= 'A' && c[i] <= 'F'))) {
            return 0;
        }
    }
    return 1;
}

/* Whether `text` needs no percent-encoding: only A-Z a-z 0-9 _ . ~ - (as `_params.quote`). */
static int unreserved(PyObject *text) {
    if (!PyUnicode_IS_ASCII(text)) return 0;
    const Py_UCS1 *c = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS1 ch = c[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '.' || ch == '~' || ch == '-'))
            return 0;
    }
    return 1;
}

/* target with every `placeholder` replaced by `text` (the reference to target is stolen). */
static PyObject *fill(PyObject *target, PyObject *placeholder, PyObject *text) {
    PyObject *r = PyUnicode_Replace(target, placeholder, text, -1);
    Py_DECREF(target);
    return r;
}

static PyObject *prepare_call(Preparer *p, PyObject *plan, PyObject *values) {
    if (!PyTuple_CheckExact(plan) || PyTuple_GET_SIZE(plan) != 5) {
        PyErr_SetString(PyExc_TypeError, "a call plan is (method, path, key, steps, body type)");
        return NULL;
    }
    PyObject *method = PyTuple_GET_ITEM(plan, 0), *path = PyTuple_GET_ITEM(plan, 1);
    PyObject *key = PyTuple_GET_ITEM(plan, 2), *steps = PyTuple_GET_ITEM(plan, 3);
    PyObject *body_type = PyTuple_GET_ITEM(plan, 4);
    if (!PyUnicode_CheckExact(method) || !PyUnicode_CheckExact(path) ||
        !PyUnicode_CheckExact(key) || !PyTuple_CheckExact(steps) ||
        (body_type != Py_None && !PyType_Check(body_type))) {
        PyErr_SetString(PyExc_TypeError, "a call plan is (method, path, key, steps, body type)");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(steps);
    /* A tuple only: the converters run Python code, and a list could change under us. */
    if (!PyTuple_CheckExact(values) || PyTuple_GET_SIZE(values) != n) Py_RETURN_NONE;

    PyObject *target = Py_NewRef(path), *query = NULL, *text = NULL, *part = NULL;
    PyObject *body = Py_None, *url = NULL, *data = NULL, *unique_id = NULL, *headers = NULL;
    PyObject *shared; /* the transport's headers the call's start as (borrowed) */
    PyObject *call = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *step = PyTuple_GET_ITEM(steps, i);
        if (!PyTuple_CheckExact(step) || PyTuple_GET_SIZE(step) != 7) {
            PyErr_SetString(PyExc_TypeError,
                            "a step is (place, name, converter, required, placeholder or query "
                            "prefix, segment maker, is a GUID)");
            goto fail;
        }
        long place = PyLong_AsLong(PyTuple_GET_ITEM(step, 0));
        if (place == -1 && PyErr_Occurred()) goto fail;
        PyObject *name = PyTuple_GET_ITEM(step, 1), *convert = PyTuple_GET_ITEM(step, 2);
        int required = PyTuple_GET_ITEM(step, 3) == Py_True;
        PyObject *extra = PyTuple_GET_ITEM(step, 4), *segment = PyTuple_GET_ITEM(step, 5);
        int guid = PyTuple_GET_ITEM(step, 6) == Py_True;
        PyObject *value = PyTuple_GET_ITEM(values, i);
        if (place == PLACE_BODY) {
            if (value == Py_None) {
                if (required) goto python;
                continue;
            }
            if (body_type != Py_None && !PyObject_TypeCheck(value, (PyTypeObject *)body_type))
                goto python;
            body = value;
            continue;
        }
        if (!PyUnicode_CheckExact(extra)) {
            PyErr_SetString(PyExc_TypeError, "a placeholder or query prefix must be a str");
            goto fail;
        }
        if (guid && is_guid_text(value)) {
            text = Py_NewRef(value);
        } else {
            PyObject *args[2] = {value, name};
            text = PyObject_Vectorcall(convert, args, 2, NULL);
            if (text == NULL) goto fail;
        }
        if (text == Py_None) {
            Py_CLEAR(text);
            if (required) goto python;
            if (place == PLACE_PATH && (target = fill(target, extra, empty_text)) == NULL)
                goto fail;
            continue;
        }
        if (!PyUnicode_Check(text)) goto python;
        if (place == PLACE_PATH) {
            if (segment != Py_None) {
                PyObject *args[2] = {text, name};
                Py_SETREF(text, PyObject_Vectorcall(segment, args, 2, NULL));
                if (text == NULL) goto fail;
            }
            if ((target = fill(target, extra, text)) == NULL) goto fail;
        } else {
            if (!unreserved(text)) {
                Py_SETREF(text, PyObject_CallOneArg(p->quote, text));
                if (text == NULL) goto fail;
            }
            part = PyUnicode_Concat(extra, text);
            if (part == NULL) goto fail;
            if (query == NULL && (query = PyList_New(0)) == NULL) goto fail;
            if (PyList_Append(query, part) < 0) goto fail;
            Py_CLEAR(part);
        }
        Py_CLEAR(text);
    }
    if (query != NULL) {
        PyObject *joined = PyUnicode_Join(ampersand, query);
        if (joined == NULL) goto fail;
        PyObject *tail = PyUnicode_Concat(question_mark, joined);
        Py_DECREF(joined);
        if (tail == NULL) goto fail;
        Py_SETREF(target, PyUnicode_Concat(target, tail));
        Py_DECREF(tail);
        if (target == NULL) goto fail;
    }
    {
        PyObject *full = PyUnicode_Concat(p->base_url, target);
        if (full == NULL) goto fail;
        PyObject *args[2] = {full, Py_True};
        url = PyObject_Vectorcall(p->url_type, args, 1, encoded_kwnames);
        Py_DECREF(full);
        if (url == NULL) goto fail;
    }
    if (body != Py_None) {
        PyObject *args[2] = {body, Py_None};
        data = PyObject_Vectorcall(p->encode, args, 2, NULL);
        if (data == NULL) goto fail;
        shared = p->body_headers;
    } else {
        data = Py_NewRef(Py_None);
        shared = p->headers;
    }
    int get = PyUnicode_Compare(method, get_verb) == 0;
    if (!get && PyErr_Occurred()) goto fail;
    if (get) {
        unique_id = Py_NewRef(Py_None);
        headers = Py_NewRef(shared);
    } else {
        unique_id = PyObject_CallNoArgs(p->new_id);
        if (unique_id == NULL) goto fail;
        headers = PyDict_Copy(shared); /* the call's own, with its id */
        if (headers == NULL) goto fail;
        if (PyDict_SetItem(headers, id_header, unique_id) < 0) goto fail;
    }
    {
        call = p->call_type->tp_alloc(p->call_type, 0);
        if (call == NULL) goto fail;
        PyObject *slots[N_CALL_SLOTS] = {
            [S_METHOD] = Py_NewRef(method),
            [S_PATH] = Py_NewRef(path),
            [S_KEY] = Py_NewRef(key),
            [S_URL] = url,
            [S_DATA] = data,
            [S_HEADERS] = headers,
            [S_TIMEOUT] = Py_NewRef(p->timeout),
            [S_UNIQUE_ID] = unique_id,
            [S_GENERATED_ID] = Py_NewRef(get ? Py_False : Py_True),
            [S_MAX_RETRIES] = Py_NewRef(p->max_retries),
            [S_DEADLINE] = Py_NewRef(Py_None),
            [S_STARTED] = Py_NewRef(zero_seconds),
            [S_ATTEMPT] = PyLong_FromLong(0),
            [S_MAYBE_PROCESSED] = Py_NewRef(Py_False),
            [S_NOT_SENT] = Py_NewRef(Py_False),
            [S_HEADER_TIMEOUT] = Py_NewRef(Py_None),
        };
        for (int s = 0; s < N_CALL_SLOTS; s++) *slot_of(call, p->offsets[s]) = slots[s];
    }
    Py_DECREF(target);
    Py_XDECREF(query);
    return call;

python: /* the Python path decides */
    Py_XDECREF(text);
    Py_XDECREF(target);
    Py_XDECREF(query);
    Py_RETURN_NONE;
fail:
    Py_XDECREF(text);
    Py_XDECREF(part);
    Py_XDECREF(target);
    Py_XDECREF(query);
    Py_XDECREF(url);
    Py_XDECREF(data);
    Py_XDECREF(unique_id);
    Py_XDECREF(headers);
    if (!PyErr_ExceptionMatches(PyExc_Exception)) return NULL;
    PyErr_Clear(); /* a converter or the encoder refused: the Python path raises it again */
    Py_RETURN_NONE;
}

static PyObject *preparer_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                                     PyObject *kwnames) {
    if (PyVectorcall_NARGS(nargsf) != 2 || kwnames != NULL) {
        PyErr_SetString(PyExc_TypeError, "a call preparer takes (plan, values)");
        return NULL;
    }
    return prepare_call((Preparer *)self, args[0], args[1]);
}

static const char *call_slot_names[N_CALL_SLOTS] = {
    "method", "path", "key", "url", "data", "headers", "timeout", "unique_id", "generated_id",
    "max_retries", "deadline", "started", "attempt", "maybe_processed", "not_sent",
    "header_timeout",
};

static PyObject *preparer_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    PyObject *call_type, *base_url, *url_type, *headers, *body_headers, *timeout, *max_retries;
    PyObject *encode, *new_id, *quote;
    if (kwds != NULL && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError, "CallPreparer() takes positional arguments only");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "O!UOO!O!OO!OOO:CallPreparer", &PyType_Type, &call_type,
                          &base_url, &url_type, &PyDict_Type, &headers, &PyDict_Type,
                          &body_headers, &timeout, &PyLong_Type, &max_retries, &encode, &new_id,
                          &quote))
        return NULL;
    PyTypeObject *cls = (PyTypeObject *)call_type;
    if (cls->tp_base != &PyBaseObject_Type || cls->tp_dictoffset != 0 ||
        cls->tp_weaklistoffset != 0 || cls->tp_itemsize != 0) {
        PyErr_SetString(PyExc_TypeError,
                        "the call class must derive from object alone, with __slots__ only");
        return NULL;
    }
    Preparer *p = (Preparer *)type->tp_alloc(type, 0);
    if (p == NULL) return NULL;
    p->vectorcall = preparer_vectorcall;
    for (int s = 0; s < N_CALL_SLOTS; s++) {
        PyObject *descr = PyObject_GetAttrString(call_type, call_slot_names[s]);
        if (descr == NULL) goto fail;
        p->offsets[s] = slot_offset(cls, descr);
        Py_DECREF(descr);
        if (p->offsets[s] < 0) goto fail;
    }
    /* Every slot of the class must be one of these: a call is complete when they are set. */
    PyObject *names = PyObject_GetAttrString(call_type, "__slots__");
    if (names == NULL) goto fail;
    Py_ssize_t count = PyObject_Length(names);
    Py_DECREF(names);
    if (count != N_CALL_SLOTS) {
        if (count >= 0)
            PyErr_Format(PyExc_TypeError, "the call class has %zd slots, expected %d", count,
                         N_CALL_SLOTS);
        goto fail;
    }
    p->call_type = (PyTypeObject *)Py_NewRef(call_type);
    p->base_url = Py_NewRef(base_url);
    p->url_type = Py_NewRef(url_type);
    p->headers = Py_NewRef(headers);
    p->body_headers = Py_NewRef(body_headers);
    p->timeout = Py_NewRef(timeout);
    p->max_retries = Py_NewRef(max_retries);
    p->encode = Py_NewRef(encode);
    p->new_id = Py_NewRef(new_id);
    p->quote = Py_NewRef(quote);
    return (PyObject *)p;
fail:
    Py_DECREF(p);
    return NULL;
}

static int preparer_traverse(Preparer *p, visitproc visit, void *arg) {
    Py_VISIT(p->call_type);
    Py_VISIT(p->url_type);
    Py_VISIT(p->headers);
    Py_VISIT(p->body_headers);
    Py_VISIT(p->timeout);
    Py_VISIT(p->encode);
    Py_VISIT(p->new_id);
    Py_VISIT(p->quote);
    return 0;
}

static int preparer_clear(Preparer *p) {
    Py_CLEAR(p->call_type);
    Py_CLEAR(p->base_url);
    Py_CLEAR(p->url_type);
    Py_CLEAR(p->headers);
    Py_CLEAR(p->body_headers);
    Py_CLEAR(p->timeout);
    Py_CLEAR(p->max_retries);
    Py_CLEAR(p->encode);
    Py_CLEAR(p->new_id);
    Py_CLEAR(p->quote);
    return 0;
}

static void preparer_dealloc(Preparer *p) {
    PyObject_GC_UnTrack(p);
    preparer_clear(p);
    Py_TYPE(p)->tp_free((PyObject *)p);
}

static PyTypeObject PreparerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "billecta_async._wire._speedups.CallPreparer",
    .tp_basicsize = sizeof(Preparer),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "CallPreparer(call_class, base_url, url_class, headers, body_headers, timeout, "
              "max_retries, encode, new_id, quote)\n\n"
              "One transport's preparer of calls without request options (fast path; None where "
              "the Python path must decide).",
    .tp_new = preparer_new,
    .tp_dealloc = (destructor)preparer_dealloc,
    .tp_traverse = (traverseproc)preparer_traverse,
    .tp_clear = (inquiry)preparer_clear,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(Preparer, vectorcall),
};

/* -- module ------------------------------------------------------------------------------------ */

PyDoc_STRVAR(configure_doc,
             "configure(slow, seen, new, parse, timezones)\n--\n\n"
             "The exception meaning 'take the Python path', the cache of date-times without a\n"
             "fraction, the functions that parse and remember one and that parse any one, and the\n"
             "shared timezone of each offset from -14:00 to +14:00 by quarter hours (113).");

static PyObject *configure(PyObject *module, PyObject *args) {
    PyObject *slow_exc, *seen, *new_fn, *parse_fn, *zones;
    if (!PyArg_ParseTuple(args, "OO!OOO:configure", &slow_exc, &PyDict_Type, &seen, &new_fn,
                          &parse_fn, &zones))
        return NULL;
    if (!PyExceptionClass_Check(slow_exc) ||
        !PyObject_IsSubclass(slow_exc, PyExc_Exception)) {
        PyErr_SetString(PyExc_TypeError, "slow must be an Exception class");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(zones, "timezones must be a sequence");
    if (seq == NULL) return NULL;
    if (PySequence_Fast_GET_SIZE(seq) != N_OFFSETS) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "expected 113 timezones");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < N_OFFSETS; i++) {
        PyObject *tz = PySequence_Fast_GET_ITEM(seq, i);
        Py_XSETREF(offset_tz[i], tz == Py_None ? NULL : Py_NewRef(tz));
    }
    Py_DECREF(seq);
    index_timezones();
    Py_XSETREF(Slow, Py_NewRef(slow_exc));
    Py_XSETREF(dt_seen, Py_NewRef(seen));
    Py_XSETREF(dt_new, Py_NewRef(new_fn));
    Py_XSETREF(dt_in, Py_NewRef(parse_fn));
    Py_RETURN_NONE;
}

PyDoc_STRVAR(configure_xml_doc,
             "configure_xml(element_type)\n--\n\n"
             "lxml's element class, whose instances the XML codecs read.");

static PyObject *configure_xml(PyObject *module, PyObject *arg) {
    if (!PyType_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "expected lxml.etree._Element");
        return NULL;
    }
    Py_XSETREF(element_type, (PyTypeObject *)Py_NewRef(arg));
    Py_RETURN_NONE;
}

PyDoc_STRVAR(xml_probe_doc,
             "xml_probe(element)\n--\n\n"
             "What this module reads of an element: (its name, and of each child node its type,\n"
             "name, content, whether an element has attributes, whether it has a namespace, whether\n"
             "it is xsi:nil),\n"
             "to check against\n"
             "lxml before the XML codecs are used.");

static PyObject *xml_probe(PyObject *module, PyObject *element) {
    if (element_type == NULL || Py_TYPE(element) != element_type) {
        PyErr_SetString(PyExc_TypeError, "expected an lxml element");
        return NULL;
    }
    xml_node *node = ((lxml_element *)element)->c_node;
    if (node == NULL) {
        PyErr_SetString(PyExc_ValueError, "the element has no node");
        return NULL;
    }
    PyObject *children = PyList_New(0);
    if (children == NULL) return NULL;
    for (xml_node *c = node->children; c != NULL; c = c->next) {
        int element = c->type == XML_ELEMENT_NODE;
        PyObject *entry = Py_BuildValue("(iyyiii)", c->type, c->name, c->content,
                                        element && c->properties != NULL, c->ns != NULL,
                                        element ? is_nil(c) : 0);
        if (entry == NULL || PyList_Append(children, entry) < 0) {
            Py_XDECREF(entry);
            Py_DECREF(children);
            return NULL;
        }
        Py_DECREF(entry);
    }
    return Py_BuildValue("(yN)", node->name, children);
}

PyDoc_STRVAR(xml_has_doctype_doc,
             "xml_has_doctype(element)\n--\n\n"
             "Whether the document of an lxml element has a DOCTYPE (a DTD node among its\n"
             "children).");

#define XML_DTD_NODE 14

static PyObject *xml_has_doctype(PyObject *module, PyObject *element) {
    if (element_type == NULL || Py_TYPE(element) != element_type) {
        PyErr_SetString(PyExc_TypeError, "expected an lxml element");
        return NULL;
    }
    xml_node *node = ((lxml_element *)element)->c_node;
    xml_node *doc = node != NULL ? (xml_node *)node->doc : NULL;
    if (doc == NULL) {
        PyErr_SetString(PyExc_ValueError, "the element has no document");
        return NULL;
    }
    for (xml_node *c = doc->children; c != NULL; c = c->next)
        if (c->type == XML_DTD_NODE) Py_RETURN_TRUE;
    Py_RETURN_FALSE;
}

PyDoc_STRVAR(is_guid_doc,
             "is_guid(value, /)\n--\n\nWhether value is a str of exactly 36 ASCII characters, hex "
             "digits with dashes at 8, 13, 18 and 23 (a GUID's text as Billecta writes it).");

static PyObject *is_guid(PyObject *module, PyObject *value) {
    return PyBool_FromLong(is_guid_text(value));
}

static PyMethodDef module_methods[] = {
    {"is_guid", is_guid, METH_O, is_guid_doc},
    {"xml_has_doctype", xml_has_doctype, METH_O, xml_has_doctype_doc},
    {"configure", configure, METH_VARARGS, configure_doc},
    {"configure_xml", configure_xml, METH_O, configure_xml_doc},
    {"xml_probe", xml_probe, METH_O, xml_probe_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "billecta_async._wire._speedups",
    .m_doc = "The codecs' fast path in C, the check of a GUID parameter's text and the call "
             "preparer (optional: the Python path does the same).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__speedups(void) {
    index_base64();
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL) return NULL;
    wire_value_name = PyUnicode_InternFromString("wire_value");
    if (wire_value_name == NULL) return NULL;
    if (PyType_Ready(&CodecType) < 0) return NULL;
    if (PyType_Ready(&PreparerType) < 0) return NULL;
    if ((zero_seconds = PyFloat_FromDouble(0.0)) == NULL ||
        (encoded_kwnames = Py_BuildValue("(s)", "encoded")) == NULL ||
        (id_header = PyUnicode_InternFromString("UniqueApiCallId")) == NULL ||
        (ampersand = PyUnicode_FromString("&")) == NULL ||
        (question_mark = PyUnicode_FromString("?")) == NULL ||
        (empty_text = PyUnicode_FromString("")) == NULL ||
        (get_verb = PyUnicode_FromString("GET")) == NULL)
        return NULL;
    PyObject *m = PyModule_Create(&module_def);
    if (m == NULL) return NULL;
    if (PyModule_AddObjectRef(m, "CallPreparer", (PyObject *)&PreparerType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "Codec", (PyObject *)&CodecType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
