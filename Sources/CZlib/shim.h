#pragma once
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros (they pass the library's version and the stream's size),
// which Swift cannot import.
static inline int cf_deflate_init2(z_stream *stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

static inline int cf_inflate_init2(z_stream *stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
