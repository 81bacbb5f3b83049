/*
 * util.h -- the small infrastructure the generator needs and no library gives us in C:
 * a growable string, error values, atomic multi-file output and a content hash.
 *
 * Errors are values: functions return 0 or a DNN_E* code and write a one-line message
 * into a caller-provided buffer; only main.c turns them into exit statuses.
 */
#ifndef DNN_UTIL_H
#define DNN_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses (documented in README and docs/architecture.md). */
enum { DNN_OK = 0, DNN_EVERIFY = 1, DNN_EUSAGE = 2, DNN_ETOOL = 3 };

#define DNN_ERRLEN 1024
#define DNN_VERSION "0.1.0"

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;

void sb_init(sbuf *b);
void sb_free(sbuf *b);
void sb_putn(sbuf *b, const char *s, size_t n);
void sb_puts(sbuf *b, const char *s);
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a shell word (single-quoted when it has anything but [A-Za-z0-9_./=:,+-]). */
void sb_shell_word(sbuf *b, const char *s);

char *dnn_strdup(const char *s);
char *dnn_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Read a whole file (at most maxlen bytes, else an error). */
int dnn_read_file(const char *path, size_t maxlen, char **out, size_t *len, char *err, size_t n);

/* mkdir -p */
int dnn_mkdirs(const char *path, char *err, size_t n);

/* Atomic output of a set of files into one directory: every file is written to a temporary
 * name in the same directory and fsynced; only when all are written are they renamed into
 * place. On failure nothing is left behind (temporaries removed, a directory we created
 * removed again). A SIGKILL at any point leaves each file either absent or complete. */
typedef struct outfile {
    const char *name; /* file name inside the directory */
    const char *data;
    size_t len;
} outfile;
int dnn_write_files(const char *dir, const outfile *files, int nfiles, char *err, size_t n);

/* FNV-1a 64-bit, for build-cache keys. */
uint64_t dnn_hash(uint64_t h, const void *data, size_t n);
#define DNN_HASH_INIT UINT64_C(0xcbf29ce484222325)

/* Directory holding the project (rtl_templates/, verif/, golden/, scripts/), found from
 * DNNGEN_ROOT or from the executable's location (build/dnngen -> ..). */
const char *dnn_root(void);

/* Run a shell command, its output appended to logpath (NULL: inherit). Returns the exit
 * status, 128+signal, or -1 when it could not run. timeout_s > 0 kills it after that. */
int dnn_run(const char *cmd, const char *logpath, int timeout_s);

/* A filelist (one Verilog path a line; blank lines and lines starting with # or // are
 * comments; relative paths are relative to dir). Calls fn for each path in order; stops
 * and returns fn's non-zero result. Returns the number of paths, or -1 on a line longer
 * than 4095 bytes. */
int dnn_filelist_parse(const char *text, size_t len, const char *dir,
                       int (*fn)(void *ctx, const char *path), void *ctx, int *count);

/* Make a message one printable line: control characters (a newline in a user's block
 * name, say) become '?'. Every error passes through it before it is printed. */
void dnn_oneline(char *msg);

int dnn_file_exists(const char *path);
double dnn_now(void);

#endif
