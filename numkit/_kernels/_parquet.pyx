"""Parquet page decoding for ``numkit.pipeline``: the pages of one flat numeric column
chunk straight into a float64 column (any stride), nulls as NaN.

pyarrow reads the file's footer (the schema, and each column chunk's offset, size,
codec and encodings); this module decodes what lies between: the Thrift compact
``PageHeader`` of each page, the definition levels and the values. pyarrow's own
``read_table`` builds Arrow arrays first (a decode into new buffers, then a cast and a
copy into numpy, then numkit's copy into its block); here each value is converted once,
from the file's bytes into its place in the caller's array, with the GIL released.

What is decoded (anything else raises :class:`Unsupported`, and the caller reads that
column with pyarrow instead):

- physical types DOUBLE, FLOAT, INT32 (signed, or unsigned by its logical type), INT64
  (signed or unsigned) and BOOLEAN, converted to float64 as numpy's
  ``astype`` converts them (round to nearest for 64-bit integers);
- flat columns: no repetition levels, at most one definition level (an optional
  column: level 0 is a null, written as NaN);
- ``DATA_PAGE`` (v1: levels then values, compressed together) and ``DATA_PAGE_V2``
  (levels stored uncompressed before the values), ``DICTIONARY_PAGE`` (PLAIN) and
  ``INDEX_PAGE`` (skipped);
- value encodings PLAIN and PLAIN_DICTIONARY / RLE_DICTIONARY (bit-width byte, then
  the RLE/bit-packed hybrid of dictionary indices); levels in the RLE hybrid;
- pages as stored (UNCOMPRESSED) or decompressed by a caller's function
  (``decompress(page, size)``, pyarrow's ``Codec``), called with the GIL per page;
- booleans PLAIN (bit-packed) or RLE (v2 pages).

A file that contradicts itself — a header or run past the end of its page, more
values than the chunk holds, a dictionary index out of range — raises
:class:`Corrupt`; nothing is read outside the given buffers whatever the bytes say.
"""

from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy

cdef extern from "math.h" nogil:
    double NAN


class Unsupported(NotImplementedError):
    """The chunk uses a feature this decoder does not read; read it with pyarrow."""


class Corrupt(ValueError):
    """The chunk's bytes contradict themselves (the message says where)."""


# value kinds (how the stored values become float64)
cdef enum:
    K_F64 = 0
    K_F32 = 1
    K_I32 = 2
    K_U32 = 3
    K_I64 = 4
    K_U64 = 5
    K_BOOL = 6

KIND_F64 = K_F64
KIND_F32 = K_F32
KIND_I32 = K_I32
KIND_U32 = K_U32
KIND_I64 = K_I64
KIND_U64 = K_U64
KIND_BOOL = K_BOOL

# Parquet's enums (parquet.thrift), Thrift compact protocol types, error codes
cdef enum:
    PAGE_DATA = 0
    PAGE_INDEX = 1
    PAGE_DICTIONARY = 2
    PAGE_DATA_V2 = 3
    ENC_PLAIN = 0
    ENC_PLAIN_DICTIONARY = 2
    ENC_RLE = 3
    ENC_RLE_DICTIONARY = 8

cdef enum:
    T_STOP = 0
    T_TRUE = 1
    T_FALSE = 2
    T_BYTE = 3
    T_I16 = 4
    T_I32 = 5
    T_I64 = 6
    T_DOUBLE = 7
    T_BINARY = 8
    T_LIST = 9
    T_SET = 10
    T_MAP = 11
    T_STRUCT = 12
    MAX_DEPTH = 32

cdef enum:
    OK = 0
    E_CORRUPT = 1
    E_UNSUPPORTED = 2

cdef struct Cursor:
    const uint8_t* p
    const uint8_t* end
    int err
    const char* why


cdef struct Header:
    int type
    int64_t uncompressed
    int64_t compressed
    int64_t num_values
    int encoding
    int def_encoding
    int64_t num_nulls
    int64_t def_bytes
    int64_t rep_bytes
    int v2_compressed
    int has_data
    int has_dict
    int has_v2


cdef inline void _fail(Cursor* c, int err, const char* why) noexcept nogil:
    if c.err == OK:
        c.err = err
        c.why = why
    c.p = c.end


cdef inline uint64_t _varint(Cursor* c) noexcept nogil:
    cdef uint64_t v = 0, b
    cdef int shift = 0
    while True:
        if c.p >= c.end or shift > 63:
            _fail(c, E_CORRUPT, "a page header is cut short")
            return 0
        b = c.p[0]
        c.p += 1
        v |= (b & 0x7F) << shift
        if not (b & 0x80):
            return v
        shift += 7


cdef inline int64_t _zigzag(Cursor* c) noexcept nogil:
    cdef uint64_t v = _varint(c)
    return <int64_t>(v >> 1) ^ -(<int64_t>(v & 1))


cdef void _skip(Cursor* c, int t, int depth) noexcept nogil:
    """Skip one value of compact type ``t`` (fields this decoder does not need)."""
    cdef uint64_t n, i
    cdef int et, kt, vt
    cdef uint8_t b
    if depth > MAX_DEPTH:
        _fail(c, E_CORRUPT, "a page header nests too deeply")
        return
    if t == T_TRUE or t == T_FALSE:
        return
    if t == T_BYTE:
        if c.p >= c.end:
            _fail(c, E_CORRUPT, "a page header is cut short")
        else:
            c.p += 1
    elif t == T_I16 or t == T_I32 or t == T_I64:
        _varint(c)
    elif t == T_DOUBLE:
        if c.end - c.p < 8:
            _fail(c, E_CORRUPT, "a page header is cut short")
        else:
            c.p += 8
    elif t == T_BINARY:
        n = _varint(c)
        if n > <uint64_t>(c.end - c.p):
            _fail(c, E_CORRUPT, "a page header is cut short")
        else:
            c.p += n
    elif t == T_LIST or t == T_SET:
        if c.p >= c.end:
            _fail(c, E_CORRUPT, "a page header is cut short")
            return
        b = c.p[0]
        c.p += 1
        n = b >> 4
        et = b & 0x0F
        if n == 15:
            n = _varint(c)
        for i in range(n):
            if c.err != OK:
                return
            if et == T_TRUE or et == T_FALSE:
                _skip(c, T_BYTE, depth + 1)  # a bool element is one byte
            else:
                _skip(c, et, depth + 1)
    elif t == T_MAP:
        n = _varint(c)
        if n == 0:
            return
        if c.p >= c.end:
            _fail(c, E_CORRUPT, "a page header is cut short")
            return
        b = c.p[0]
        c.p += 1
        kt = b >> 4
        vt = b & 0x0F
        for i in range(n):
            if c.err != OK:
                return
            _skip(c, T_BYTE if kt == T_TRUE or kt == T_FALSE else kt, depth + 1)
            _skip(c, T_BYTE if vt == T_TRUE or vt == T_FALSE else vt, depth + 1)
    elif t == T_STRUCT:
        _skip_struct(c, depth + 1)
    else:
        _fail(c, E_CORRUPT, "a page header holds an unknown Thrift type")


cdef inline int _field(Cursor* c, int* fid, int* ftype) noexcept nogil:
    """Read a field header; 0 at the struct's end (STOP)."""
    cdef uint8_t b
    if c.p >= c.end:
        _fail(c, E_CORRUPT, "a page header is cut short")
        return 0
    b = c.p[0]
    c.p += 1
    if b == 0:
        return 0
    ftype[0] = b & 0x0F
    if b >> 4:
        fid[0] += b >> 4
    else:
        fid[0] = <int>_zigzag(c)
    return c.err == OK


cdef void _skip_struct(Cursor* c, int depth) noexcept nogil:
    cdef int fid = 0, ftype = 0
    while _field(c, &fid, &ftype):
        _skip(c, ftype, depth)


cdef inline int64_t _int_field(Cursor* c, int ftype) noexcept nogil:
    if ftype != T_I32 and ftype != T_I64 and ftype != T_I16:
        _fail(c, E_CORRUPT, "a page header field has the wrong type")
        return 0
    return _zigzag(c)


cdef void _read_header(Cursor* c, Header* h) noexcept nogil:
    """``PageHeader`` (parquet.thrift) with the fields the decoder needs."""
    cdef int fid = 0, ftype = 0, sid, stype
    h.type = -1
    h.uncompressed = -1
    h.compressed = -1
    h.num_values = -1
    h.encoding = -1
    h.def_encoding = ENC_RLE
    h.num_nulls = 0
    h.def_bytes = 0
    h.rep_bytes = 0
    h.v2_compressed = 1
    h.has_data = 0
    h.has_dict = 0
    h.has_v2 = 0
    while _field(c, &fid, &ftype):
        if fid == 1:
            h.type = <int>_int_field(c, ftype)
        elif fid == 2:
            h.uncompressed = _int_field(c, ftype)
        elif fid == 3:
            h.compressed = _int_field(c, ftype)
        elif fid == 5 and ftype == T_STRUCT:  # DataPageHeader
            h.has_data = 1
            sid = 0
            while _field(c, &sid, &stype):
                if sid == 1:
                    h.num_values = _int_field(c, stype)
                elif sid == 2:
                    h.encoding = <int>_int_field(c, stype)
                elif sid == 3:
                    h.def_encoding = <int>_int_field(c, stype)
                else:
                    _skip(c, stype, 1)
        elif fid == 7 and ftype == T_STRUCT:  # DictionaryPageHeader
            h.has_dict = 1
            sid = 0
            while _field(c, &sid, &stype):
                if sid == 1:
                    h.num_values = _int_field(c, stype)
                elif sid == 2:
                    h.encoding = <int>_int_field(c, stype)
                else:
                    _skip(c, stype, 1)
        elif fid == 8 and ftype == T_STRUCT:  # DataPageHeaderV2
            h.has_v2 = 1
            sid = 0
            while _field(c, &sid, &stype):
                if sid == 1:
                    h.num_values = _int_field(c, stype)
                elif sid == 2:
                    h.num_nulls = _int_field(c, stype)
                elif sid == 4:
                    h.encoding = <int>_int_field(c, stype)
                elif sid == 5:
                    h.def_bytes = _int_field(c, stype)
                elif sid == 6:
                    h.rep_bytes = _int_field(c, stype)
                elif sid == 7:
                    if stype == T_FALSE:
                        h.v2_compressed = 0
                    elif stype != T_TRUE:
                        _fail(c, E_CORRUPT, "a page header field has the wrong type")
                else:
                    _skip(c, stype, 1)
        else:
            _skip(c, ftype, 1)
    if c.err != OK:
        return
    if h.uncompressed < 0 or h.compressed < 0 or h.type < 0:
        _fail(c, E_CORRUPT, "a page header lacks its type or sizes")
    elif h.type == PAGE_DATA and not h.has_data or \
            h.type == PAGE_DICTIONARY and not h.has_dict or \
            h.type == PAGE_DATA_V2 and not h.has_v2:
        _fail(c, E_CORRUPT, "a page header lacks the header of its page type")
    elif h.type != PAGE_INDEX and h.num_values < 0:
        _fail(c, E_CORRUPT, "a page header has a negative value count")
    elif h.def_bytes < 0 or h.rep_bytes < 0 or h.num_nulls < 0:
        _fail(c, E_CORRUPT, "a page header has a negative level size")


# -- the RLE / bit-packed hybrid ------------------------------------------------------


cdef inline uint32_t _bits_at(const uint8_t* run, int64_t bit, int width,
                              int64_t avail) noexcept nogil:
    """``width`` (≤ 32) bits starting at bit ``bit`` of ``run`` (``avail`` bytes),
    least significant first (the caller checked that they lie inside the run)."""
    cdef int64_t byte = bit >> 3
    cdef int shift = <int>(bit & 7)
    cdef int need
    cdef uint64_t v = 0
    cdef int k
    if byte + 8 <= avail:
        memcpy(&v, run + byte, 8)  # little-endian, as the x86/ARM hosts numkit builds on
    else:
        need = (shift + width + 7) >> 3
        for k in range(need):
            v |= (<uint64_t>run[byte + k]) << (8 * k)
    return <uint32_t>((v >> shift) & ((1ULL << width) - 1))


cdef int _hybrid(Cursor* c, int width, uint32_t* out, int64_t count) noexcept nogil:
    """Decode ``count`` values of the RLE/bit-packed hybrid (``width`` bits each) from the
    cursor into ``out``. A final bit-packed run may hold padding values past ``count``."""
    cdef int64_t done = 0, n, i, groups, nbytes, take, avail
    cdef uint64_t h
    cdef uint32_t v
    cdef int vbytes = (width + 7) >> 3, k
    while done < count:
        h = _varint(c)
        if c.err != OK:
            return c.err
        if h & 1:
            groups = <int64_t>(h >> 1)
            if groups <= 0 or groups > (1LL << 40):
                _fail(c, E_CORRUPT, "a bit-packed run has a bad length")
                return c.err
            n = groups * 8
            take = count - done if n > count - done else n
            nbytes = groups * width
            avail = c.end - c.p
            # a writer may end the last run of a page early: only the values read
            # must be there
            if (take * width + 7) // 8 > avail:
                _fail(c, E_CORRUPT, "a bit-packed run is cut short")
                return c.err
            if width == 0:
                for i in range(take):
                    out[done + i] = 0
            else:
                for i in range(take):
                    out[done + i] = _bits_at(c.p, i * width, width, avail)
            done += take
            c.p += nbytes if nbytes <= avail else avail
        else:
            n = <int64_t>(h >> 1)
            if vbytes > c.end - c.p:
                _fail(c, E_CORRUPT, "a run is cut short")
                return c.err
            v = 0
            for k in range(vbytes):
                v |= (<uint32_t>c.p[k]) << (8 * k)
            c.p += vbytes
            if n <= 0:
                _fail(c, E_CORRUPT, "a run has a bad length")
                return c.err
            take = count - done if n > count - done else n
            for i in range(take):
                out[done + i] = v
            done += take
    return OK


cdef inline int _bit_width(int64_t max_value) noexcept nogil:
    cdef int w = 0
    while max_value > 0:
        w += 1
        max_value >>= 1
    return w


# -- values ---------------------------------------------------------------------------


cdef inline int _width(int kind) noexcept nogil:
    if kind == K_F64 or kind == K_I64 or kind == K_U64:
        return 8
    if kind == K_BOOL:
        return 0
    return 4


cdef inline double _value(const uint8_t* p, int kind) noexcept nogil:
    cdef double d
    cdef float f
    cdef int32_t i32
    cdef uint32_t u32
    cdef int64_t i64
    cdef uint64_t u64
    if kind == K_F64:
        memcpy(&d, p, 8)
        return d
    if kind == K_F32:
        memcpy(&f, p, 4)
        return <double>f
    if kind == K_I32:
        memcpy(&i32, p, 4)
        return <double>i32
    if kind == K_U32:
        memcpy(&u32, p, 4)
        return <double>u32
    if kind == K_I64:
        memcpy(&i64, p, 8)
        return <double>i64
    memcpy(&u64, p, 8)
    return <double>u64


cdef void _plain_into(const uint8_t* src, int kind, int64_t k, double* out,
                      Py_ssize_t stride) noexcept nogil:
    """``k`` PLAIN values into ``out[0], out[stride], …`` (stride in doubles)."""
    cdef int64_t i
    cdef double d
    if kind == K_F64 and stride == 1:
        memcpy(out, src, <size_t>k * 8)
    elif kind == K_F64:
        for i in range(k):
            memcpy(&d, src + 8 * i, 8)
            out[i * stride] = d
    elif kind == K_BOOL:
        for i in range(k):
            out[i * stride] = <double>((src[i >> 3] >> (i & 7)) & 1)
    else:
        for i in range(k):
            out[i * stride] = _value(src + i * _width(kind), kind)


cdef int _page_values(Cursor* c, int kind, int encoding, const uint8_t* levels,
                      int64_t slots, int64_t present, const double* dictionary,
                      int64_t dict_size, uint32_t* scratch, double* out,
                      Py_ssize_t stride) noexcept nogil:
    """Decode the values of one data page into ``out`` (``slots`` rows); ``levels`` marks
    the rows holding one (``NULL``: all ``present == slots`` rows do)."""
    cdef int64_t i, j, need, width
    cdef int bw
    cdef const uint8_t* src
    cdef uint32_t n4
    if encoding == ENC_PLAIN:
        if kind == K_BOOL:
            need = (present + 7) // 8
        else:
            need = present * _width(kind)
        if need > c.end - c.p:
            _fail(c, E_CORRUPT, "a page holds fewer values than its header says")
            return c.err
        src = c.p
        if levels == NULL:
            _plain_into(src, kind, present, out, stride)
        else:
            j = 0
            width = _width(kind)
            for i in range(slots):
                if levels[i]:
                    if kind == K_BOOL:
                        out[i * stride] = <double>((src[j >> 3] >> (j & 7)) & 1)
                    else:
                        out[i * stride] = _value(src + j * width, kind)
                    j += 1
                else:
                    out[i * stride] = NAN
        c.p += need
        return OK
    if encoding == ENC_PLAIN_DICTIONARY or encoding == ENC_RLE_DICTIONARY:
        if dictionary == NULL:
            _fail(c, E_CORRUPT, "a dictionary-encoded page comes before its dictionary")
            return c.err
        if present > 0:
            if c.p >= c.end:
                _fail(c, E_CORRUPT, "a page is cut short")
                return c.err
            bw = c.p[0]
            c.p += 1
            if bw > 32:
                _fail(c, E_CORRUPT, "a dictionary index is wider than 32 bits")
                return c.err
            if _hybrid(c, bw, scratch, present) != OK:
                return c.err
            for i in range(present):
                if scratch[i] >= dict_size:
                    _fail(c, E_CORRUPT, "a dictionary index is out of range")
                    return c.err
        if levels == NULL:
            for i in range(present):
                out[i * stride] = dictionary[scratch[i]]
        else:
            j = 0
            for i in range(slots):
                if levels[i]:
                    out[i * stride] = dictionary[scratch[j]]
                    j += 1
                else:
                    out[i * stride] = NAN
        return OK
    if encoding == ENC_RLE and kind == K_BOOL:
        # booleans in the RLE hybrid (bit width 1) after a 4-byte length
        if c.end - c.p < 4:
            _fail(c, E_CORRUPT, "a page is cut short")
            return c.err
        memcpy(&n4, c.p, 4)
        if n4 > <uint64_t>(c.end - c.p - 4):
            _fail(c, E_CORRUPT, "a run of booleans runs past the page")
            return c.err
        c.p += 4
        c.end = c.p + n4
        if _hybrid(c, 1, scratch, present) != OK:
            return c.err
        j = 0
        for i in range(slots):
            if levels == NULL or levels[i]:
                out[i * stride] = <double>(scratch[j] & 1)
                j += 1
            else:
                out[i * stride] = NAN
        return OK
    _fail(c, E_UNSUPPORTED, "a value encoding other than PLAIN, RLE (booleans) or "
          "dictionary")
    return c.err


cdef int _levels(Cursor* c, int max_def, int64_t slots, uint32_t* scratch,
                 uint8_t* levels, int64_t* present) noexcept nogil:
    """Decode a page's definition levels into ``levels`` (1 where the row holds a
    value); ``present`` counts those rows. When one run says every row holds a value
    (a column without nulls), ``levels`` is not written and ``present == slots``."""
    cdef int64_t i, k = 0
    cdef const uint8_t* start = c.p
    cdef uint64_t h = _varint(c)
    if c.err != OK:
        return c.err
    if not (h & 1) and <int64_t>(h >> 1) >= slots and c.p < c.end \
            and c.p[0] == max_def and max_def < 256:
        present[0] = slots
        return OK
    c.p = start
    if _hybrid(c, _bit_width(max_def), scratch, slots) != OK:
        return c.err
    for i in range(slots):
        if scratch[i] > <uint32_t>max_def:
            _fail(c, E_CORRUPT, "a definition level is out of range")
            return c.err
        levels[i] = scratch[i] == <uint32_t>max_def
        k += levels[i]
    present[0] = k
    return OK


cdef int _data_page(const uint8_t* body, int64_t size, const Header* h, int kind,
                    int max_def, const double* dictionary, int64_t dict_size,
                    uint32_t* scratch, uint8_t* levels, double* out, Py_ssize_t stride,
                    const char** why) noexcept nogil:
    """Decode one data page (v1 or v2, uncompressed ``body``) into ``out``;
    ``scratch`` and ``levels`` hold at least ``h.num_values + 8`` entries."""
    cdef Cursor c
    cdef Cursor lc
    cdef int64_t slots = h.num_values, present = slots, level_len
    cdef uint32_t n4
    c.p = body
    c.end = body + size
    c.err = OK
    c.why = NULL
    if h.type == PAGE_DATA_V2:
        if h.rep_bytes != 0:
            _fail(&c, E_UNSUPPORTED, "repetition levels")
        elif h.def_bytes > size:
            _fail(&c, E_CORRUPT, "a page's levels run past the page")
        elif max_def > 0:
            lc.p = body
            lc.end = body + h.def_bytes
            lc.err = OK
            lc.why = NULL
            if _levels(&lc, max_def, slots, scratch, levels, &present) != OK:
                _fail(&c, lc.err, lc.why)
            elif slots - present != h.num_nulls:
                _fail(&c, E_CORRUPT, "a page's null count disagrees with its levels")
        c.p = body + h.def_bytes if c.err == OK else c.end
    elif max_def > 0:
        if h.def_encoding != ENC_RLE:
            _fail(&c, E_UNSUPPORTED, "definition levels not in the RLE encoding")
        elif size < 4:
            _fail(&c, E_CORRUPT, "a page is cut short")
        else:
            memcpy(&n4, body, 4)
            level_len = n4
            if level_len > size - 4:
                _fail(&c, E_CORRUPT, "a page's levels run past the page")
            else:
                lc.p = body + 4
                lc.end = body + 4 + level_len
                lc.err = OK
                lc.why = NULL
                if _levels(&lc, max_def, slots, scratch, levels, &present) != OK:
                    _fail(&c, lc.err, lc.why)
                else:
                    c.p = body + 4 + level_len
    if c.err == OK:
        _page_values(&c, kind, h.encoding, NULL if present == slots else levels, slots,
                     present, dictionary, dict_size, scratch, out, stride)
    why[0] = c.why
    return c.err


def _raise(int err, const char* why, str where):
    message = why.decode() if why != NULL else "the chunk is not valid Parquet"
    if err == E_UNSUPPORTED:
        raise Unsupported(f"{where}: {message}")
    raise Corrupt(f"{where}: {message}")


def decode_chunk(const unsigned char[::1] chunk, int kind, int max_def, double[:] out,
                 decompress=None):
    """Decode one flat column chunk into ``out`` (its rows, NaN for nulls).

    Parameters
    ----------
    chunk : bytes-like
        The column chunk's bytes, from its first page (the dictionary page, when it
        has one) for ``total_compressed_size`` bytes.
    kind : int
        ``KIND_F64`` … ``KIND_BOOL``: the physical type and signedness of the values.
    max_def : int
        The column's maximum definition level (0 required, 1 optional).
    out : float64 array, any stride
        One slot per row of the row group; every slot is written.
    decompress : callable, optional
        ``decompress(page_bytes, uncompressed_size) -> buffer`` for a compressed
        chunk; ``None`` when the pages are stored uncompressed.

    Raises
    ------
    Unsupported
        A feature outside the list in the module's docstring.
    Corrupt
        The bytes contradict themselves, or hold more or fewer rows than ``out``.
    """
    cdef Py_ssize_t rows = out.shape[0], stride = out.strides[0] // 8
    cdef double* base = &out[0] if rows > 0 else NULL
    cdef const uint8_t* start = &chunk[0] if chunk.shape[0] > 0 else NULL
    cdef Cursor c
    cdef Header h
    cdef int64_t row = 0, body_size, i, dict_size = 0
    cdef const uint8_t* body
    cdef double* dictionary = NULL
    cdef uint32_t* scratch = NULL
    cdef uint8_t* levels = NULL
    cdef int64_t capacity = 0
    cdef void* grown
    cdef int err = OK
    cdef const char* why = NULL
    cdef const unsigned char[::1] plain
    if kind < K_F64 or kind > K_BOOL or max_def < 0 or max_def > 1:
        raise ValueError(f"decode_chunk: kind {kind} or max_def {max_def} out of range")
    if out.strides[0] % 8 != 0:
        raise ValueError("decode_chunk: out's stride must be a multiple of 8 bytes")
    c.p = start
    c.end = start + chunk.shape[0]
    c.err = OK
    c.why = NULL
    try:
        while row < rows:
            if c.p >= c.end:
                raise Corrupt(f"the chunk ends after {row} of its {rows} rows")
            with nogil:
                _read_header(&c, &h)
            if c.err != OK:
                _raise(c.err, c.why, f"row {row}")
            if h.compressed > c.end - c.p:
                raise Corrupt(f"row {row}: a page runs past the end of the column chunk")
            body = c.p
            body_size = h.compressed
            c.p += h.compressed
            if h.type == PAGE_INDEX:
                continue
            if h.type != PAGE_DATA and h.type != PAGE_DICTIONARY and h.type != PAGE_DATA_V2:
                raise Unsupported(f"row {row}: page type {h.type}")
            if h.type != PAGE_DICTIONARY and h.num_values > rows - row:
                raise Corrupt(f"row {row}: a page holds {h.num_values} rows, more than the "
                              f"{rows - row} left in the row group")
            if decompress is not None and (h.type != PAGE_DATA_V2 or h.v2_compressed):
                plain = _decompressed(decompress, chunk, body - start, body_size, h)
                body = &plain[0] if plain.shape[0] > 0 else body
                body_size = plain.shape[0]
            if h.type == PAGE_DICTIONARY:
                if h.encoding != ENC_PLAIN and h.encoding != ENC_PLAIN_DICTIONARY:
                    raise Unsupported(f"row {row}: a dictionary not in PLAIN encoding")
                if kind == K_BOOL:
                    raise Unsupported(f"row {row}: a dictionary of booleans")
                # compare the count first: count * width may overflow int64
                if h.num_values > body_size or h.num_values * _width(kind) > body_size:
                    raise Corrupt(f"row {row}: the dictionary page holds fewer values than "
                                  f"its header says")
                free(dictionary)
                dict_size = h.num_values
                dictionary = <double*>malloc(<size_t>(dict_size + 1) * 8)
                if dictionary == NULL:
                    raise MemoryError()
                with nogil:
                    _plain_into(body, kind, dict_size, dictionary, 1)
                continue
            if h.num_values + 8 > capacity:
                capacity = h.num_values + 8
                grown = realloc(scratch, <size_t>capacity * sizeof(uint32_t))
                if grown == NULL:
                    raise MemoryError()
                scratch = <uint32_t*>grown
                grown = realloc(levels, <size_t>capacity)
                if grown == NULL:
                    raise MemoryError()
                levels = <uint8_t*>grown
            with nogil:
                err = _data_page(body, body_size, &h, kind, max_def, dictionary, dict_size,
                                 scratch, levels, base + row * stride, stride, &why)
            if err != OK:
                _raise(err, why, f"row {row}")
            row += h.num_values
    finally:
        free(dictionary)
        free(scratch)
        free(levels)


cdef const unsigned char[::1] _decompressed(decompress, const unsigned char[::1] chunk,
                                            Py_ssize_t offset, Py_ssize_t size,
                                            Header h):
    """The page body (v2: its levels, then its decompressed values) uncompressed."""
    cdef Py_ssize_t skip = h.def_bytes + h.rep_bytes if h.type == PAGE_DATA_V2 else 0
    if skip > size or skip > h.uncompressed:
        raise Corrupt("a page's levels run past the page")
    page = chunk[offset + skip:offset + size]
    try:
        values = decompress(page, h.uncompressed - skip)
    except Unsupported:
        raise
    except Exception as e:
        raise Corrupt(f"a page does not decompress ({e})") from None
    cdef const unsigned char[::1] plain = memoryview(values).cast("B")
    if plain.shape[0] != h.uncompressed - skip:
        raise Corrupt("a page decompresses to a size other than its header's")
    if skip == 0:
        return plain
    import numpy as np
    whole = np.empty(h.uncompressed, dtype=np.uint8)
    whole[:skip] = np.asarray(chunk[offset:offset + skip])
    whole[skip:] = np.asarray(plain)
    return whole
