/* blas_log.c: write down the BLAS calls NumPy makes, then replay them alone.

   Loaded with LD_PRELOAD into a Python process, this library defines the CBLAS functions
   that NumPy's _multiarray_umath imports (the names differ between NumPy builds:
   scipy_cblas_sgemm64_ with 64-bit integers in the wheels of NumPy 2, cblas_sgemm with
   32-bit integers elsewhere). matmul_share.py lists them and writes blas_names.h, one line
   per function, e.g.  GEMM(scipy_cblas_sgemm64_, float, 4); BLAS_INT is the integer type.

   Each wrapper finds the real function (dlsym RTLD_NEXT, or else the first other loaded
   library that defines it), notes the call's arguments when logging is on, and forwards it.
   The process drives the log through ctypes:

     blas_log_start()      forget what was logged and note the calls from now on
     blas_log_stop()       stop noting; returns the number of calls noted
     blas_log_get(i, ...)  the arguments of call i (kind, element size, order, flags, sizes)
     blas_log_count()      the calls made so far, logged or not
     blas_log_prepare()    make operands of the right sizes for every call noted: set 0
                           gives each call its own, set 1 shares them between calls of
                           the same sizes
     blas_log_replay(set)  run the calls noted, in order, on those operands: seconds
     blas_log_replay_each(set, seconds)  the same, timing each call into seconds[i]
     blas_log_release()    free the operands

   The replay calls the real functions directly, from C, so that it measures the BLAS
   library alone (no Python, no NumPy dispatch around each call). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef BLAS_INT
#define BLAS_INT int
#endif
typedef BLAS_INT bint;

enum { ROW_MAJOR = 101, NO_TRANS = 111 };
enum { K_GEMM = 1, K_GEMV = 2, K_SYRK = 3, K_DOT = 4, K_AXPY = 5 };

typedef struct {
    int kind, size;            /* what was called; 4 (float) or 8 (double) */
    void *fn;                  /* the real function */
    int order, ta, tb;         /* CBLAS order, transposition (gemm: A, B; syrk: uplo, trans) */
    int64_t m, n, k, lda, ldb, ldc, incx, incy;
    double alpha, beta;
    void *op[2][3];            /* replay operands A, B, C: [0] its own, [1] shared */
    int64_t na, nb, nc;        /* their elements */
    int borrowed;              /* whether op[1] are another call's */
} call_t;

static call_t *calls;
static size_t ncalls, capacity;
static volatile int logging;
static long seen;              /* calls made so far, logged or not */
/* NumPy's matrix products may come from two threads at once (redes' helper thread) */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void note(call_t c) {
    if (ncalls == capacity) {
        size_t grown = capacity ? 2 * capacity : 1024;
        call_t *more = realloc(calls, grown * sizeof *calls);
        if (!more) return;     /* out of memory: the call is not noted */
        calls = more;
        capacity = grown;
    }
    calls[ncalls++] = c;
}

/* ---------------------------------------------------------------- the real functions */
struct search { const char *name; void *self, *found; };

static int search_object(struct dl_phdr_info *info, size_t size, void *data) {
    struct search *s = data;
    (void)size;
    if (!info->dlpi_name || !info->dlpi_name[0]) return 0;
    void *h = dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD);
    if (!h) return 0;
    void *p = dlsym(h, s->name);
    dlclose(h);
    if (p && p != s->self) { s->found = p; return 1; }
    return 0;
}

static void *real(const char *name, void *self) {
    void *p = dlsym(RTLD_NEXT, name);
    if (p && p != self) return p;
    /* NumPy loads its BLAS library privately (RTLD_LOCAL), where RTLD_NEXT may not look */
    struct search s = {name, self, NULL};
    dl_iterate_phdr(search_object, &s);
    if (!s.found) abort();     /* cannot happen: NumPy's own library defines it */
    return s.found;
}

/* ---------------------------------------------------------------- the wrappers */
#define GEMM(NAME, T, SIZE)                                                              \
    typedef void (*NAME##_t)(int, int, int, bint, bint, bint, T, const T *, bint,        \
                             const T *, bint, T, T *, bint);                             \
    static NAME##_t real_##NAME;                                                         \
    void NAME(int o, int ta, int tb, bint m, bint n, bint k, T alpha, const T *a,        \
              bint lda, const T *b, bint ldb, T beta, T *c, bint ldc) {                  \
        if (!real_##NAME) real_##NAME = (NAME##_t)real(#NAME, (void *)NAME);             \
        pthread_mutex_lock(&log_lock);                                                   \
        seen++;                                                                          \
        if (logging)                                                                     \
            note((call_t){K_GEMM, SIZE, (void *)real_##NAME, o, ta, tb, m, n, k, lda,    \
                          ldb, ldc, 0, 0, alpha, beta});               \
        pthread_mutex_unlock(&log_lock);                                                 \
        real_##NAME(o, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);            \
    }

#define GEMV(NAME, T, SIZE)                                                              \
    typedef void (*NAME##_t)(int, int, bint, bint, T, const T *, bint, const T *, bint,  \
                             T, T *, bint);                                              \
    static NAME##_t real_##NAME;                                                         \
    void NAME(int o, int ta, bint m, bint n, T alpha, const T *a, bint lda, const T *x,  \
              bint incx, T beta, T *y, bint incy) {                                      \
        if (!real_##NAME) real_##NAME = (NAME##_t)real(#NAME, (void *)NAME);             \
        pthread_mutex_lock(&log_lock);                                                   \
        seen++;                                                                          \
        if (logging)                                                                     \
            note((call_t){K_GEMV, SIZE, (void *)real_##NAME, o, ta, 0, m, n, 0, lda, 0,  \
                          0, incx, incy, alpha, beta});                \
        pthread_mutex_unlock(&log_lock);                                                 \
        real_##NAME(o, ta, m, n, alpha, a, lda, x, incx, beta, y, incy);                 \
    }

#define SYRK(NAME, T, SIZE)                                                              \
    typedef void (*NAME##_t)(int, int, int, bint, bint, T, const T *, bint, T, T *,      \
                             bint);                                                      \
    static NAME##_t real_##NAME;                                                         \
    void NAME(int o, int uplo, int ta, bint n, bint k, T alpha, const T *a, bint lda,    \
              T beta, T *c, bint ldc) {                                                  \
        if (!real_##NAME) real_##NAME = (NAME##_t)real(#NAME, (void *)NAME);             \
        pthread_mutex_lock(&log_lock);                                                   \
        seen++;                                                                          \
        if (logging)                                                                     \
            note((call_t){K_SYRK, SIZE, (void *)real_##NAME, o, uplo, ta, 0, n, k, lda,  \
                          0, ldc, 0, 0, alpha, beta});                 \
        pthread_mutex_unlock(&log_lock);                                                 \
        real_##NAME(o, uplo, ta, n, k, alpha, a, lda, beta, c, ldc);                     \
    }

#define DOT(NAME, T, SIZE)                                                               \
    typedef T (*NAME##_t)(bint, const T *, bint, const T *, bint);                       \
    static NAME##_t real_##NAME;                                                         \
    T NAME(bint n, const T *x, bint incx, const T *y, bint incy) {                       \
        if (!real_##NAME) real_##NAME = (NAME##_t)real(#NAME, (void *)NAME);             \
        pthread_mutex_lock(&log_lock);                                                   \
        seen++;                                                                          \
        if (logging)                                                                     \
            note((call_t){K_DOT, SIZE, (void *)real_##NAME, 0, 0, 0, 0, n, 0, 0, 0, 0,   \
                          incx, incy, 0, 0});                          \
        pthread_mutex_unlock(&log_lock);                                                 \
        return real_##NAME(n, x, incx, y, incy);                                         \
    }

#define AXPY(NAME, T, SIZE)                                                              \
    typedef void (*NAME##_t)(bint, T, const T *, bint, T *, bint);                       \
    static NAME##_t real_##NAME;                                                         \
    void NAME(bint n, T alpha, const T *x, bint incx, T *y, bint incy) {                 \
        if (!real_##NAME) real_##NAME = (NAME##_t)real(#NAME, (void *)NAME);             \
        pthread_mutex_lock(&log_lock);                                                   \
        seen++;                                                                          \
        if (logging)                                                                     \
            note((call_t){K_AXPY, SIZE, (void *)real_##NAME, 0, 0, 0, 0, n, 0, 0, 0, 0,  \
                          incx, incy, alpha, 0});                      \
        pthread_mutex_unlock(&log_lock);                                                 \
        real_##NAME(n, alpha, x, incx, y, incy);                                         \
    }

#include "blas_names.h"

/* ---------------------------------------------------------------- the log */
void blas_log_start(void) { ncalls = 0; logging = 1; }

long blas_log_stop(void) { logging = 0; return (long)ncalls; }

/* The calls made so far, logged or not (the difference between two counts is the calls
   made in between, in the order the log would note them). */
long blas_log_count(void) { return seen; }

/* The arguments of call i: out[0..12] = kind, size, order, ta, tb, m, n, k, lda, ldb, ldc,
   incx, incy; coef[0..1] = alpha, beta. Returns 0, or -1 when there is no call i. */
int blas_log_get(long i, int64_t *out, double *coef) {
    if (i < 0 || (size_t)i >= ncalls) return -1;
    call_t *c = &calls[i];
    int64_t v[13] = {c->kind, c->size, c->order, c->ta, c->tb, c->m, c->n, c->k,
                     c->lda, c->ldb, c->ldc, c->incx, c->incy};
    memcpy(out, v, sizeof v);
    coef[0] = c->alpha;
    coef[1] = c->beta;
    return 0;
}

/* ---------------------------------------------------------------- the replay */
static int64_t max1(int64_t x) { return x > 0 ? x : 1; }
static int64_t span(int64_t n, int64_t inc) { return 1 + (max1(n) - 1) * (inc < 0 ? -inc : inc); }

/* Elements spanned by a matrix stored with leading dimension ld: `rows` x `cols` in row
   major order, or the same matrix in column major order. */
static int64_t matrix(int order, int64_t rows, int64_t cols, int64_t ld) {
    return max1(order == ROW_MAJOR ? rows : cols) * max1(ld);
}

static void *operand(int64_t elements, int size) {
    void *p = malloc((size_t)elements * size);
    if (!p) return NULL;
    /* small values, never subnormal: the speed of a product does not depend on them */
    for (int64_t i = 0; i < elements; i++) {
        double v = 0.5 + (double)((i * 7919) % 1000) / 2000.0;
        if (size == 4) ((float *)p)[i] = (float)v; else ((double *)p)[i] = v;
    }
    return p;
}

void blas_log_release(void) {
    for (size_t i = 0; i < ncalls; i++) {
        for (int s = 0; s < 2; s++)
            for (int j = 0; j < 3; j++) {
                if (s == 0 || !calls[i].borrowed) free(calls[i].op[s][j]);
                calls[i].op[s][j] = NULL;
            }
        calls[i].borrowed = 0;
    }
}

/* Two sets of operands for every call noted: 0, or -1 when memory ran out. In set 0 each
   call has arrays of its own; in set 1 calls whose operands have the same sizes share the
   same arrays (as a loop over time reuses its arrays, which then stay in the cache). */
int blas_log_prepare(void) {
    for (size_t i = 0; i < ncalls; i++) {
        call_t *c = &calls[i];
        int64_t na = 1, nb = 1, nc = 1;
        int nt = c->ta == NO_TRANS, ntb = c->tb == NO_TRANS;
        switch (c->kind) {
        case K_GEMM:   /* C (m x n) = op(A) (m x k) op(B) (k x n) */
            na = matrix(c->order, nt ? c->m : c->k, nt ? c->k : c->m, c->lda);
            nb = matrix(c->order, ntb ? c->k : c->n, ntb ? c->n : c->k, c->ldb);
            nc = matrix(c->order, c->m, c->n, c->ldc);
            break;
        case K_GEMV:   /* y = op(A) x, A is m x n */
            na = matrix(c->order, c->m, c->n, c->lda);
            nb = span(nt ? c->n : c->m, c->incx);
            nc = span(nt ? c->m : c->n, c->incy);
            break;
        case K_SYRK:   /* C (n x n) = op(A) op(A)^T, op(A) is n x k; ta is uplo, tb trans */
            na = matrix(c->order, ntb ? c->n : c->k, ntb ? c->k : c->n, c->lda);
            nc = matrix(c->order, c->n, c->n, c->ldc);
            break;
        default:       /* dot, axpy: two vectors of n */
            nb = span(c->n, c->incx);
            nc = span(c->n, c->incy);
        }
        c->na = na; c->nb = nb; c->nc = nc;
        int64_t n[3] = {na, nb, nc};
        for (int j = 0; j < 3; j++) c->op[0][j] = operand(n[j], c->size);
        size_t k = 0;
        while (k < i && !(calls[k].size == c->size && calls[k].na == na &&
                          calls[k].nb == nb && calls[k].nc == nc)) k++;
        c->borrowed = k < i;
        for (int j = 0; j < 3; j++)
            c->op[1][j] = c->borrowed ? calls[k].op[1][j] : operand(n[j], c->size);
        for (int s = 0; s < 2; s++)
            for (int j = 0; j < 3; j++)
                if (!c->op[s][j]) { blas_log_release(); return -1; }
    }
    return 0;
}

static void replay_one(call_t *c, int set) {
    void *A = c->op[set][0], *B = c->op[set][1], *C = c->op[set][2];
    if (c->size == 4) {
        float al = (float)c->alpha, be = (float)c->beta;
        switch (c->kind) {
        case K_GEMM:
            ((void (*)(int, int, int, bint, bint, bint, float, const float *, bint,
                       const float *, bint, float, float *, bint))c->fn)(
                c->order, c->ta, c->tb, c->m, c->n, c->k, al, A, c->lda, B, c->ldb,
                be, C, c->ldc);
            break;
        case K_GEMV:
            ((void (*)(int, int, bint, bint, float, const float *, bint, const float *,
                       bint, float, float *, bint))c->fn)(
                c->order, c->ta, c->m, c->n, al, A, c->lda, B, c->incx, be, C,
                c->incy);
            break;
        case K_SYRK:
            ((void (*)(int, int, int, bint, bint, float, const float *, bint, float,
                       float *, bint))c->fn)(
                c->order, c->ta, c->tb, c->n, c->k, al, A, c->lda, be, C, c->ldc);
            break;
        case K_DOT: {
            volatile float r = ((float (*)(bint, const float *, bint, const float *,
                                           bint))c->fn)(c->n, B, c->incx, C, c->incy);
            (void)r;
            break;
        }
        case K_AXPY:
            ((void (*)(bint, float, const float *, bint, float *, bint))c->fn)(
                c->n, al, B, c->incx, C, c->incy);
        }
    } else {
        double al = c->alpha, be = c->beta;
        switch (c->kind) {
        case K_GEMM:
            ((void (*)(int, int, int, bint, bint, bint, double, const double *, bint,
                       const double *, bint, double, double *, bint))c->fn)(
                c->order, c->ta, c->tb, c->m, c->n, c->k, al, A, c->lda, B, c->ldb,
                be, C, c->ldc);
            break;
        case K_GEMV:
            ((void (*)(int, int, bint, bint, double, const double *, bint, const double *,
                       bint, double, double *, bint))c->fn)(
                c->order, c->ta, c->m, c->n, al, A, c->lda, B, c->incx, be, C,
                c->incy);
            break;
        case K_SYRK:
            ((void (*)(int, int, int, bint, bint, double, const double *, bint, double,
                       double *, bint))c->fn)(
                c->order, c->ta, c->tb, c->n, c->k, al, A, c->lda, be, C, c->ldc);
            break;
        case K_DOT: {
            volatile double r = ((double (*)(bint, const double *, bint, const double *,
                                             bint))c->fn)(c->n, B, c->incx, C,
                                                          c->incy);
            (void)r;
            break;
        }
        case K_AXPY:
            ((void (*)(bint, double, const double *, bint, double *, bint))c->fn)(
                c->n, al, B, c->incx, C, c->incy);
        }
    }
}

/* Run every call noted, in order, on the operands `set` of blas_log_prepare: seconds. */
double blas_log_replay(int set) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < ncalls; i++) replay_one(&calls[i], set);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
}

/* The same, timing each call: seconds[i] for call i. */
void blas_log_replay_each(int set, double *seconds) {
    struct timespec t0, t1;
    for (size_t i = 0; i < ncalls; i++) {
        clock_gettime(CLOCK_MONOTONIC, &t0);
        replay_one(&calls[i], set);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        seconds[i] = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    }
}
