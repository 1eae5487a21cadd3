/*
 * SHA-256, SHA-1 and MD5 of one stream in a single pass, for Tollgate's file profiler (FusedDigests.java), with the
 * byte counts for the entropy and the positions of the dots and colons for the string scanner in the same pass.
 *
 * Why: a scan must give all three digests of every file (threat feeds use all three). Computed one after the other,
 * as OpenSSL does, they cost the sum of their times. But MD5 is one long chain of dependent integer operations, while
 * SHA-1 and SHA-256 with the x86 SHA extensions run on the vector units: the processor can run them side by side if
 * their instructions come interleaved. So each 64-byte block is hashed by all three at once, four MD5 steps then four
 * SHA-256 rounds then four SHA-1 rounds, and the three digests cost about as much as MD5 alone. The byte counts fit
 * in the integer units MD5's chain leaves idle; the dots and colons come from compares on the loads the SHAs need.
 *
 * Sources (facts, not code): MD5 from RFC 1321 section 3.4; SHA-1 and SHA-256 from FIPS 180-4 sections 5.3, 6.1
 * and 6.2; the meaning of the SHA extension instructions from Intel's Software Developer's Manual, volume 2
 * (SHA1RNDS4, SHA1NEXTE, SHA1MSG1, SHA1MSG2, SHA256RNDS2, SHA256MSG1, SHA256MSG2).
 *
 * Processors without the SHA extensions get MD5, the counts and the marks from the kernel (tg_digests_init with sha
 * 0), and the caller computes SHA-1 and SHA-256 apart. The caller must check tg_digests_supported() before any other
 * call, and ask for the SHA-1 and SHA-256 only when it reports the extensions: without them the processor faults. The code reads only the bytes it is given and writes only the context, the caller's
 * histogram and bitmap (whose bounds the caller checks) and the output.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TG_EXPORT __attribute__((visibility("default")))

/* One stream's state: the three chaining values, the bytes of an unfinished block, and the length so far. */
typedef struct {
    uint32_t md5[4];
    uint32_t sha1[5];
    uint32_t sha256[8];
    uint64_t length; /* bytes fed since the last init */
    uint32_t buffered; /* bytes in block, 0 to 63 */
    uint32_t sha; /* 1: SHA-1 and SHA-256 too; 0: MD5 only */
    uint8_t block[64];
} tg_digests;

TG_EXPORT size_t tg_digests_context_size(void) { return sizeof(tg_digests); }

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>

/*
 * 1 | 2 when the processor has SSSE3, SSE4.1 and the SHA extensions (CPUID leaf 1 ECX bits 9 and 19, leaf 7 EBX bit
 * 29): the kernel can compute all three digests. 1 alone: MD5, the counts and the marks only (SSE2, which every
 * x86-64 has).
 */
TG_EXPORT int tg_digests_supported(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 9)) || !(ecx & (1u << 19))) {
        return 1;
    }
    if (__get_cpuid_max(0, NULL) < 7) {
        return 1;
    }
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    return (ebx & (1u << 29)) != 0 ? 1 | 2 : 1;
}

/* RFC 1321 3.4: T[i] = floor(2^32 * abs(sin(i + 1))). */
static const uint32_t MD5_T[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

/* FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t SHA256_K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* RFC 1321 3.4: the shift amounts of each round's four steps. */
static const int MD5_S[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

#define ROL(x, s) (((x) << (s)) | ((x) >> (32 - (s))))

/* The message word that step i (0 to 63) adds: k, 5k + 1, 3k + 5 or 7k (mod 16) by round. */
static inline __attribute__((always_inline)) int md5_word(int i) {
    switch (i >> 4) {
        case 0: return i;
        case 1: return (5 * i + 1) & 15;
        case 2: return (3 * i + 5) & 15;
        default: return (7 * i) & 15;
    }
}

/*
 * MD5 step i: a = b + ((a + f(b, c, d) + x[k] + T[i]) <<< s), with RFC 1321's F, G, H and I rewritten (same truth
 * tables) so that the parts which do not depend on b, the newest value, are added first, off the chain of dependent
 * operations that bounds MD5's speed: about 9% faster than adding f whole.
 */
static inline __attribute__((always_inline)) uint32_t md5_step(
        int i, uint32_t a, uint32_t b, uint32_t c, uint32_t d, const uint32_t *x) {
    uint32_t t = a + x[md5_word(i)] + MD5_T[i];
    switch (i >> 4) {
        case 0: t += d ^ (b & (c ^ d)); break;  /* F = (b & c) | (~b & d) */
        case 1: t += c & ~d; t += b & d; break; /* G = (b & d) | (c & ~d): disjoint bits, so a sum */
        case 2: t += b ^ (c ^ d); break;        /* H */
        default: t += c ^ (b | ~d); break;      /* I */
    }
    return b + ROL(t, MD5_S[i >> 4][i & 3]);
}

#define MD5_STEP(i, a, b, c, d) a = md5_step(i, a, b, c, d, x)

/* MD5 steps 4g to 4g + 3; the block's words are in x, the chaining variables in a, b, c, d. */
#define MD5_QUAD(g)                               \
    do {                                          \
        MD5_STEP(4 * (g), a, b, c, d);            \
        MD5_STEP(4 * (g) + 1, d, a, b, c);        \
        MD5_STEP(4 * (g) + 2, c, d, a, b);        \
        MD5_STEP(4 * (g) + 3, b, c, d, a);        \
    } while (0)

/*
 * SHA-256 rounds 4g to 4g + 3. w[g & 3] holds message words W[4g..4g+3]; from g = 4 on they are made from the four
 * before (FIPS 180-4 6.2.2 step 1): SHA256MSG1 adds sigma0 of the next words, the add brings W[t-7], SHA256MSG2 adds
 * sigma1. s0 holds the working variables A, B, E, F and s1 C, D, G, H, as SHA256RNDS2 wants them.
 */
#define SHA256_QUAD(g)                                                                                          \
    do {                                                                                                        \
        if ((g) >= 4) {                                                                                         \
            __m128i t_ = _mm_sha256msg1_epu32(w[(g) & 3], w[((g) + 1) & 3]);                                    \
            t_ = _mm_add_epi32(t_, _mm_alignr_epi8(w[((g) + 3) & 3], w[((g) + 2) & 3], 4));                      \
            w[(g) & 3] = _mm_sha256msg2_epu32(t_, w[((g) + 3) & 3]);                                           \
        }                                                                                                       \
        __m128i k_ = _mm_add_epi32(w[(g) & 3], _mm_loadu_si128((const __m128i *) &SHA256_K[4 * (g)]));         \
        s1 = _mm_sha256rnds2_epu32(s1, s0, k_);                                                                 \
        s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(k_, 0x0E));                                        \
    } while (0)

/*
 * SHA-1 rounds 4g to 4g + 3 (FIPS 180-4 6.1.2). v[g & 3] holds W[4g..4g+3], the first word in the highest lane;
 * from g = 4 on, SHA1MSG1, the xor with W[t-8] and SHA1MSG2 make them. SHA1NEXTE derives the round's E from A of
 * four rounds before (kept in prev); the round function and constant follow from g / 5.
 */
#define SHA1_QUAD(g)                                                                                            \
    do {                                                                                                        \
        if ((g) >= 4) {                                                                                         \
            v[(g) & 3] = _mm_sha1msg2_epu32(                                                                    \
                    _mm_xor_si128(_mm_sha1msg1_epu32(v[(g) & 3], v[((g) + 1) & 3]), v[((g) + 2) & 3]),         \
                    v[((g) + 3) & 3]);                                                                          \
        }                                                                                                       \
        __m128i e_ = (g) == 0 ? _mm_add_epi32(e, v[0]) : _mm_sha1nexte_epu32(prev, v[(g) & 3]);                 \
        prev = abcd;                                                                                            \
        abcd = _mm_sha1rnds4_epu32(abcd, e_, (g) / 5);                                                          \
    } while (0)

#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* Byte orders: SHA-256 wants each 32-bit word big-endian; SHA-1 also wants the four words reversed in the lane. */
#define BSWAP_WORDS _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL)
#define REVERSE_BYTES _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL)

/* The SHA states in the lane orders the instructions use, and back. */
typedef struct {
    __m128i s0, s1, abcd, e;
} sha_lanes;

static SHA_TARGET sha_lanes sha_load(const tg_digests *d) {
    sha_lanes l;
    __m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *) &d->sha256[0]), 0xB1); /* B A D C */
    __m128i u = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *) &d->sha256[4]), 0x1B); /* H G F E */
    l.s0 = _mm_alignr_epi8(t, u, 8);                                                        /* A B E F */
    l.s1 = _mm_blend_epi16(u, t, 0xF0);                                                     /* C D G H */
    l.abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *) d->sha1), 0x1B);
    l.e = _mm_set_epi32((int) d->sha1[4], 0, 0, 0);
    return l;
}

static SHA_TARGET void sha_store(tg_digests *d, sha_lanes l) {
    __m128i t = _mm_shuffle_epi32(l.s0, 0x1B);
    __m128i u = _mm_shuffle_epi32(l.s1, 0xB1);
    _mm_storeu_si128((__m128i *) &d->sha256[0], _mm_blend_epi16(t, u, 0xF0));
    _mm_storeu_si128((__m128i *) &d->sha256[4], _mm_alignr_epi8(u, t, 8));
    _mm_storeu_si128((__m128i *) d->sha1, _mm_shuffle_epi32(l.abcd, 0x1B));
    d->sha1[4] = (uint32_t) _mm_extract_epi32(l.e, 3);
}

/* Sets in the bitmap marks the 64 bits of found, from bit number bit on (bit 0 is the lowest bit of marks[0]). */
static inline __attribute__((always_inline)) void mark_bits(uint64_t *marks, uint64_t bit, uint64_t found) {
    if (found != 0) {
        unsigned shift = (unsigned) (bit & 63);
        marks[bit >> 6] |= found << shift;
        /* Only words that get a bit are written: the caller's bitmap need only hold the bits of the bytes fed. */
        uint64_t high = shift != 0 ? found >> (64 - shift) : 0;
        if (high != 0) {
            marks[(bit >> 6) + 1] |= high;
        }
    }
}

/* Bit i set for each byte i of the 16 in m that is '.' or ':' (SSE2, which every x86-64 has). */
static inline __attribute__((always_inline)) uint64_t punctuation(__m128i m) {
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(m, _mm_set1_epi8('.')), _mm_cmpeq_epi8(m, _mm_set1_epi8(':')));
    return (uint16_t) _mm_movemask_epi8(hit);
}

/*
 * Counts the four bytes of word w (little-endian: the block's bytes in order) in four tables in turn, so that a run of
 * equal bytes (zero padding fills PE files) does not make each increment wait for the one before.
 */
#define COUNT_WORD(w)                           \
    do {                                        \
        if (counting) {                         \
            counts[0][(w) & 0xff]++;            \
            counts[1][((w) >> 8) & 0xff]++;     \
            counts[2][((w) >> 16) & 0xff]++;    \
            counts[3][(w) >> 24]++;             \
        }                                       \
    } while (0)

/*
 * All three digests over n whole blocks at p, interleaved; when counting, the blocks' bytes are also added to counts,
 * one word per group: the increments fill the integer units that MD5's chain leaves idle.
 */
static inline __attribute__((always_inline)) SHA_TARGET void blocks(tg_digests *ctx, const uint8_t *p, size_t n,
        const int counting, uint32_t (*counts)[256], const int marking, uint64_t *marks, uint64_t bit) {
    uint32_t a = ctx->md5[0], b = ctx->md5[1], c = ctx->md5[2], d = ctx->md5[3];
    sha_lanes l = sha_load(ctx);
    __m128i s0 = l.s0, s1 = l.s1, abcd = l.abcd, e = l.e;
    for (; n > 0; n--, p += 64) {
        uint32_t x[16];
        memcpy(x, p, 64); /* MD5's words are little-endian, as x86's */
        uint32_t a0 = a, b0 = b, c0 = c, d0 = d;
        __m128i s00 = s0, s10 = s1, abcd0 = abcd, e0 = e, prev;
        __m128i w[4], v[4];
        uint64_t found = 0;
        for (int i = 0; i < 4; i++) {
            __m128i m = _mm_loadu_si128((const __m128i *) (p + 16 * i));
            w[i] = _mm_shuffle_epi8(m, BSWAP_WORDS);
            v[i] = _mm_shuffle_epi8(m, REVERSE_BYTES);
            if (marking) {
                found |= punctuation(m) << (16 * i);
            }
        }
        if (marking) {
            mark_bits(marks, bit, found);
            bit += 64;
        }
        /* SHA-1 has 20 groups of four rounds to MD5's and SHA-256's 16: the first four slots take two each. */
        MD5_QUAD(0); COUNT_WORD(x[0]); SHA256_QUAD(0); SHA1_QUAD(0); SHA1_QUAD(1);
        MD5_QUAD(1); COUNT_WORD(x[1]); SHA256_QUAD(1); SHA1_QUAD(2); SHA1_QUAD(3);
        MD5_QUAD(2); COUNT_WORD(x[2]); SHA256_QUAD(2); SHA1_QUAD(4); SHA1_QUAD(5);
        MD5_QUAD(3); COUNT_WORD(x[3]); SHA256_QUAD(3); SHA1_QUAD(6); SHA1_QUAD(7);
        MD5_QUAD(4); COUNT_WORD(x[4]); SHA256_QUAD(4); SHA1_QUAD(8);
        MD5_QUAD(5); COUNT_WORD(x[5]); SHA256_QUAD(5); SHA1_QUAD(9);
        MD5_QUAD(6); COUNT_WORD(x[6]); SHA256_QUAD(6); SHA1_QUAD(10);
        MD5_QUAD(7); COUNT_WORD(x[7]); SHA256_QUAD(7); SHA1_QUAD(11);
        MD5_QUAD(8); COUNT_WORD(x[8]); SHA256_QUAD(8); SHA1_QUAD(12);
        MD5_QUAD(9); COUNT_WORD(x[9]); SHA256_QUAD(9); SHA1_QUAD(13);
        MD5_QUAD(10); COUNT_WORD(x[10]); SHA256_QUAD(10); SHA1_QUAD(14);
        MD5_QUAD(11); COUNT_WORD(x[11]); SHA256_QUAD(11); SHA1_QUAD(15);
        MD5_QUAD(12); COUNT_WORD(x[12]); SHA256_QUAD(12); SHA1_QUAD(16);
        MD5_QUAD(13); COUNT_WORD(x[13]); SHA256_QUAD(13); SHA1_QUAD(17);
        MD5_QUAD(14); COUNT_WORD(x[14]); SHA256_QUAD(14); SHA1_QUAD(18);
        MD5_QUAD(15); COUNT_WORD(x[15]); SHA256_QUAD(15); SHA1_QUAD(19);
        a += a0; b += b0; c += c0; d += d0;
        s0 = _mm_add_epi32(s0, s00);
        s1 = _mm_add_epi32(s1, s10);
        e = _mm_sha1nexte_epu32(prev, e0);
        abcd = _mm_add_epi32(abcd, abcd0);
    }
    ctx->md5[0] = a; ctx->md5[1] = b; ctx->md5[2] = c; ctx->md5[3] = d;
    l.s0 = s0; l.s1 = s1; l.abcd = abcd; l.e = e;
    sha_store(ctx, l);
}

static SHA_TARGET void all_blocks(tg_digests *ctx, const uint8_t *p, size_t n) {
    blocks(ctx, p, n, 0, NULL, 0, NULL, 0);
}

static SHA_TARGET void all_blocks_counted(tg_digests *ctx, const uint8_t *p, size_t n, uint32_t (*counts)[256]) {
    blocks(ctx, p, n, 1, counts, 0, NULL, 0);
}

static SHA_TARGET void all_blocks_counted_marked(
        tg_digests *ctx, const uint8_t *p, size_t n, uint32_t (*counts)[256], uint64_t *marks, uint64_t bit) {
    blocks(ctx, p, n, 1, counts, 1, marks, bit);
}

/*
 * MD5 alone over n whole blocks: the final blocks (whose padding differs from SHA's), and every block on processors
 * without the SHA extensions, where the counts and marks come from here too (the marks' compares are SSE2).
 */
static inline __attribute__((always_inline)) void md5_only(tg_digests *ctx, const uint8_t *p, size_t n,
        const int counting, uint32_t (*counts)[256], const int marking, uint64_t *marks, uint64_t bit) {
    uint32_t a = ctx->md5[0], b = ctx->md5[1], c = ctx->md5[2], d = ctx->md5[3];
    for (; n > 0; n--, p += 64) {
        uint32_t x[16];
        memcpy(x, p, 64);
        if (marking) {
            uint64_t found = 0;
            for (int i = 0; i < 4; i++) {
                found |= punctuation(_mm_loadu_si128((const __m128i *) (p + 16 * i))) << (16 * i);
            }
            mark_bits(marks, bit, found);
            bit += 64;
        }
        uint32_t a0 = a, b0 = b, c0 = c, d0 = d;
        MD5_QUAD(0); COUNT_WORD(x[0]); MD5_QUAD(1); COUNT_WORD(x[1]); MD5_QUAD(2); COUNT_WORD(x[2]);
        MD5_QUAD(3); COUNT_WORD(x[3]); MD5_QUAD(4); COUNT_WORD(x[4]); MD5_QUAD(5); COUNT_WORD(x[5]);
        MD5_QUAD(6); COUNT_WORD(x[6]); MD5_QUAD(7); COUNT_WORD(x[7]); MD5_QUAD(8); COUNT_WORD(x[8]);
        MD5_QUAD(9); COUNT_WORD(x[9]); MD5_QUAD(10); COUNT_WORD(x[10]); MD5_QUAD(11); COUNT_WORD(x[11]);
        MD5_QUAD(12); COUNT_WORD(x[12]); MD5_QUAD(13); COUNT_WORD(x[13]); MD5_QUAD(14); COUNT_WORD(x[14]);
        MD5_QUAD(15); COUNT_WORD(x[15]);
        a += a0; b += b0; c += c0; d += d0;
    }
    ctx->md5[0] = a; ctx->md5[1] = b; ctx->md5[2] = c; ctx->md5[3] = d;
}

static void md5_blocks(tg_digests *ctx, const uint8_t *p, size_t n) { md5_only(ctx, p, n, 0, NULL, 0, NULL, 0); }

static void md5_blocks_counted(tg_digests *ctx, const uint8_t *p, size_t n, uint32_t (*counts)[256]) {
    md5_only(ctx, p, n, 1, counts, 0, NULL, 0);
}

static void md5_blocks_counted_marked(
        tg_digests *ctx, const uint8_t *p, size_t n, uint32_t (*counts)[256], uint64_t *marks, uint64_t bit) {
    md5_only(ctx, p, n, 1, counts, 1, marks, bit);
}

/*
 * Hashes n whole blocks the way the stream computes (all three digests, or MD5 alone), counting the bytes into counts
 * when it is not NULL and marking the punctuation from bit on when marks is not NULL too. The variants are separate
 * functions so that each is compiled without the tests of the others in its loop.
 */
static void hash_blocks(tg_digests *d, const uint8_t *p, size_t n, uint32_t (*counts)[256], uint64_t *marks,
        uint64_t bit) {
    if (counts == NULL) {
        if (d->sha) {
            all_blocks(d, p, n);
        } else {
            md5_blocks(d, p, n);
        }
    } else if (marks == NULL) {
        if (d->sha) {
            all_blocks_counted(d, p, n, counts);
        } else {
            md5_blocks_counted(d, p, n, counts);
        }
    } else if (d->sha) {
        all_blocks_counted_marked(d, p, n, counts, marks, bit);
    } else {
        md5_blocks_counted_marked(d, p, n, counts, marks, bit);
    }
}

/* SHA-1 and SHA-256 over n whole blocks (the final blocks). */
static SHA_TARGET void sha_blocks(tg_digests *d, const uint8_t *p, size_t n) {
    sha_lanes l = sha_load(d);
    __m128i s0 = l.s0, s1 = l.s1, abcd = l.abcd, e = l.e;
    for (; n > 0; n--, p += 64) {
        __m128i s00 = s0, s10 = s1, abcd0 = abcd, e0 = e, prev;
        __m128i w[4], v[4];
        for (int i = 0; i < 4; i++) {
            __m128i m = _mm_loadu_si128((const __m128i *) (p + 16 * i));
            w[i] = _mm_shuffle_epi8(m, BSWAP_WORDS);
            v[i] = _mm_shuffle_epi8(m, REVERSE_BYTES);
        }
        SHA256_QUAD(0); SHA256_QUAD(1); SHA256_QUAD(2); SHA256_QUAD(3); SHA256_QUAD(4); SHA256_QUAD(5);
        SHA256_QUAD(6); SHA256_QUAD(7); SHA256_QUAD(8); SHA256_QUAD(9); SHA256_QUAD(10); SHA256_QUAD(11);
        SHA256_QUAD(12); SHA256_QUAD(13); SHA256_QUAD(14); SHA256_QUAD(15);
        SHA1_QUAD(0); SHA1_QUAD(1); SHA1_QUAD(2); SHA1_QUAD(3); SHA1_QUAD(4); SHA1_QUAD(5); SHA1_QUAD(6);
        SHA1_QUAD(7); SHA1_QUAD(8); SHA1_QUAD(9); SHA1_QUAD(10); SHA1_QUAD(11); SHA1_QUAD(12); SHA1_QUAD(13);
        SHA1_QUAD(14); SHA1_QUAD(15); SHA1_QUAD(16); SHA1_QUAD(17); SHA1_QUAD(18); SHA1_QUAD(19);
        s0 = _mm_add_epi32(s0, s00);
        s1 = _mm_add_epi32(s1, s10);
        e = _mm_sha1nexte_epu32(prev, e0);
        abcd = _mm_add_epi32(abcd, abcd0);
    }
    l.s0 = s0; l.s1 = s1; l.abcd = abcd; l.e = e;
    sha_store(d, l);
}

/*
 * Starts a new stream: the initial values of RFC 1321 3.3 and FIPS 180-4 5.3.1 and 5.3.3. sha: 1 for all three
 * digests (only where tg_digests_supported() reports the SHA extensions), 0 for MD5 alone.
 */
TG_EXPORT void tg_digests_init(tg_digests *d, int sha) {
    static const uint32_t md5[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    static const uint32_t sha1[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    static const uint32_t sha256[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(d->md5, md5, sizeof md5);
    memcpy(d->sha1, sha1, sizeof sha1);
    memcpy(d->sha256, sha256, sizeof sha256);
    d->length = 0;
    d->buffered = 0;
    d->sha = sha != 0;
}

/*
 * Feeds n bytes at p. When histogram is not NULL, adds each byte value's count to histogram[value] (256 counters): the
 * caller counts a file's regions (its PE sections) apart by feeding them piece by piece. When marks is not NULL too,
 * sets bit mark_bit + i of the bitmap marks (bit 0 is the lowest of marks[0]) for each p[i] that is '.' or ':', the
 * bytes around which the string scanner looks for network indicators; the caller clears the bitmap, and sizes it to
 * hold bit mark_bit + n - 1.
 */
TG_EXPORT void tg_digests_update(
        tg_digests *d, const uint8_t *p, size_t n, uint64_t *histogram, uint64_t *marks, uint64_t mark_bit) {
    const size_t slice = (size_t) 1 << 30; /* keeps each 32-bit count below 2^30 */
    for (; n > slice; n -= slice, p += slice, mark_bit += slice) {
        tg_digests_update(d, p, slice, histogram, marks, mark_bit);
    }
    if (histogram == NULL) {
        marks = NULL;
    }
    uint32_t counts[4][256];
    if (histogram != NULL) {
        memset(counts, 0, sizeof counts);
    }
    d->length += n;
    /* Bytes that go through the block buffer are counted and marked below, when fed; whole blocks as hashed. */
    size_t buffered = 0;
    if (d->buffered > 0) {
        size_t take = 64 - d->buffered < n ? 64 - d->buffered : n;
        memcpy(d->block + d->buffered, p, take);
        d->buffered += (uint32_t) take;
        buffered = take;
        if (d->buffered == 64) {
            hash_blocks(d, d->block, 1, NULL, NULL, 0);
            d->buffered = 0;
        }
    }
    const uint8_t *q = p + buffered;
    size_t rest = n - buffered;
    size_t whole = d->buffered == 0 ? rest / 64 : 0;
    hash_blocks(d, q, whole, histogram != NULL ? counts : NULL, marks, mark_bit + buffered);
    size_t tail_start = buffered + whole * 64;
    memcpy(d->block + d->buffered, p + tail_start, n - tail_start);
    d->buffered += (uint32_t) (n - tail_start);
    if (histogram != NULL) {
        for (size_t i = 0; i < n; i++) {
            if (i == buffered) {
                i = tail_start; /* skip the whole blocks, counted and marked as hashed */
                if (i == n) {
                    break;
                }
            }
            counts[0][p[i]]++;
            if (marks != NULL && (p[i] == '.' || p[i] == ':')) {
                mark_bits(marks, mark_bit + i, 1);
            }
        }
        for (int v = 0; v < 256; v++) {
            histogram[v] += (uint64_t) counts[0][v] + counts[1][v] + counts[2][v] + counts[3][v];
        }
    }
}

static void put_be32(uint8_t *out, uint32_t v) {
    out[0] = (uint8_t) (v >> 24); out[1] = (uint8_t) (v >> 16); out[2] = (uint8_t) (v >> 8); out[3] = (uint8_t) v;
}

/*
 * Writes SHA-256 (32 bytes), SHA-1 (20) and MD5 (16) of everything fed since init to out, 68 bytes (the first 52
 * zero for a stream of MD5 alone), and starts a new stream of the same kind. Padding: a 1 bit, zeros, and the length
 * in bits in the last 8 bytes of a block, big-endian for SHA (FIPS 180-4 5.1.1), little-endian for MD5 (RFC 1321 3.1,
 * 3.2); so the final blocks are hashed apart.
 */
TG_EXPORT void tg_digests_final(tg_digests *d, uint8_t *out) {
    uint8_t tail[128];
    uint32_t used = d->buffered;
    size_t blocks = used < 56 ? 1 : 2;
    memset(tail, 0, sizeof tail);
    memcpy(tail, d->block, used);
    tail[used] = 0x80;
    uint64_t bits = d->length * 8;
    uint8_t *end = tail + 64 * blocks - 8;
    for (int i = 0; i < 8; i++) {
        end[i] = (uint8_t) (bits >> (8 * i));
    }
    md5_blocks(d, tail, blocks);
    for (int i = 0; i < 8; i++) {
        end[i] = (uint8_t) (bits >> (56 - 8 * i));
    }
    memset(out, 0, 52); /* MD5 alone: no SHA-256 or SHA-1 */
    if (d->sha) {
        sha_blocks(d, tail, blocks);
        for (int i = 0; i < 8; i++) {
            put_be32(out + 4 * i, d->sha256[i]);
        }
        for (int i = 0; i < 5; i++) {
            put_be32(out + 32 + 4 * i, d->sha1[i]);
        }
    }
    memcpy(out + 52, d->md5, 16); /* MD5's output is its state in little-endian order */
    tg_digests_init(d, (int) d->sha);
}

#else /* not x86-64: the kernel is not available, and the callers use OpenSSL */

TG_EXPORT int tg_digests_supported(void) { return 0; }
TG_EXPORT void tg_digests_init(tg_digests *d, int sha) { (void) sha; memset(d, 0, sizeof *d); }
TG_EXPORT void tg_digests_update(
        tg_digests *d, const uint8_t *p, size_t n, uint64_t *histogram, uint64_t *marks, uint64_t mark_bit) {
    (void) d; (void) p; (void) n; (void) histogram; (void) marks; (void) mark_bit;
}
TG_EXPORT void tg_digests_final(tg_digests *d, uint8_t *out) { (void) d; memset(out, 0, 68); }

#endif
