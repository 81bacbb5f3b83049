/*
 * util.c -- see util.h. The atomic writer is the piece that matters: users run dnngen from
 * make rules and nightlies, so an interrupted run must never leave a truncated .v file that
 * a later step would take for a complete one.
 */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void sb_init(sbuf *b)
{
    memset(b, 0, sizeof *b);
}

void sb_free(sbuf *b)
{
    free(b->s);
    sb_init(b);
}

static int sb_grow(sbuf *b, size_t extra)
{
    size_t need = b->len + extra + 1, cap;
    char *p;
    if (b->oom)
        return -1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    p = realloc(b->s, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->s = p;
    b->cap = cap;
    return 0;
}

void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (sb_grow(b, n))
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_puts(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || sb_grow(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sb_shell_word(sbuf *b, const char *s)
{
    const char *p;
    int plain = *s != '\0';
    for (p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+-@%",
                    *p))
            plain = 0;
    if (plain) {
        sb_puts(b, s);
        return;
    }
    sb_putn(b, "'", 1);
    for (p = s; *p; p++) {
        if (*p == '\'')
            sb_puts(b, "'\\''");
        else
            sb_putn(b, p, 1);
    }
    sb_putn(b, "'", 1);
}

char *dnn_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *dnn_printf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = malloc((size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

int dnn_read_file(const char *path, size_t maxlen, char **out, size_t *len, char *err, size_t n)
{
    FILE *f = fopen(path, "rb");
    sbuf b;
    char tmp[65536];
    size_t got;
    if (!f) {
        snprintf(err, n, "cannot read '%s': %s", path, strerror(errno));
        return DNN_EUSAGE;
    }
    sb_init(&b);
    while ((got = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (b.len + got > maxlen) {
            snprintf(err, n, "'%s' is larger than %zu bytes", path, maxlen);
            fclose(f);
            sb_free(&b);
            return DNN_EUSAGE;
        }
        sb_putn(&b, tmp, got);
    }
    if (ferror(f) || b.oom) {
        snprintf(err, n, "cannot read '%s'", path);
        fclose(f);
        sb_free(&b);
        return DNN_EUSAGE;
    }
    fclose(f);
    if (!b.s)
        sb_putn(&b, "", 0);
    *out = b.s;
    if (len)
        *len = b.len;
    return 0;
}

int dnn_mkdirs(const char *path, char *err, size_t n)
{
    char buf[PATH_MAX];
    size_t i, len = strlen(path);
    struct stat st;
    if (len == 0 || len >= sizeof buf) {
        snprintf(err, n, "bad directory name '%s'", path);
        return DNN_EUSAGE;
    }
    memcpy(buf, path, len + 1);
    for (i = 1; i <= len; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
                snprintf(err, n, "cannot create directory '%s': %s", buf, strerror(errno));
                return DNN_EUSAGE;
            }
            buf[i] = c;
        }
    }
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, n, "'%s' is not a directory", path);
        return DNN_EUSAGE;
    }
    return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int dnn_write_files(const char *dir, const outfile *files, int nfiles, char *err, size_t n)
{
    char **tmp = calloc((size_t)nfiles + 1, sizeof *tmp);
    struct stat st;
    int created = 0, i, rc = DNN_EUSAGE, dfd;
    if (!tmp) {
        snprintf(err, n, "out of memory");
        return DNN_ETOOL;
    }
    if (stat(dir, &st) != 0) {
        if (dnn_mkdirs(dir, err, n)) {
            free(tmp);
            return DNN_EUSAGE;
        }
        created = 1;
    } else if (!S_ISDIR(st.st_mode)) {
        snprintf(err, n, "output '%s' is not a directory", dir);
        free(tmp);
        return DNN_EUSAGE;
    }
    for (i = 0; i < nfiles; i++) {
        int fd;
        tmp[i] = dnn_printf("%s/.%s.tmp.XXXXXX", dir, files[i].name);
        if (!tmp[i]) {
            snprintf(err, n, "out of memory");
            goto error;
        }
        fd = mkstemp(tmp[i]);
        if (fd < 0) {
            snprintf(err, n, "cannot write into output directory '%s': %s", dir,
                     strerror(errno));
            free(tmp[i]);
            tmp[i] = NULL;
            goto error;
        }
        if (write_all(fd, files[i].data, files[i].len) != 0 || fsync(fd) != 0 ||
            fchmod(fd, 0644) != 0) {
            snprintf(err, n, "cannot write '%s/%s': %s", dir, files[i].name, strerror(errno));
            close(fd);
            goto error;
        }
        if (close(fd) != 0) {
            snprintf(err, n, "cannot write '%s/%s': %s", dir, files[i].name, strerror(errno));
            goto error;
        }
    }
    for (i = 0; i < nfiles; i++) {
        char *dst = dnn_printf("%s/%s", dir, files[i].name);
        if (!dst || rename(tmp[i], dst) != 0) {
            snprintf(err, n, "cannot create '%s/%s': %s", dir, files[i].name, strerror(errno));
            free(dst);
            goto error;
        }
        free(dst);
        free(tmp[i]);
        tmp[i] = NULL;
    }
    dfd = open(dir, O_RDONLY);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    free(tmp);
    return 0;
error:
    for (i = 0; i < nfiles; i++) {
        if (tmp[i]) {
            unlink(tmp[i]);
            free(tmp[i]);
        }
    }
    free(tmp);
    if (created)
        (void)rmdir(dir);
    return rc;
}

uint64_t dnn_hash(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

const char *dnn_root(void)
{
    static char root[PATH_MAX];
    const char *env = getenv("DNNGEN_ROOT");
    ssize_t len;
    char *slash;
    if (root[0])
        return root;
    if (env && *env) {
        snprintf(root, sizeof root, "%s", env);
        return root;
    }
    len = readlink("/proc/self/exe", root, sizeof root - 1);
    if (len <= 0) {
        snprintf(root, sizeof root, ".");
        return root;
    }
    root[len] = '\0';
    /* walk up from the executable (build/dnngen, build/san/dnngen) to the source tree */
    for (;;) {
        char probe[PATH_MAX + 32];
        slash = strrchr(root, '/');
        if (!slash || slash == root) {
            snprintf(root, sizeof root, ".");
            break;
        }
        *slash = '\0';
        snprintf(probe, sizeof probe, "%s/rtl_templates", root);
        if (dnn_file_exists(probe))
            break;
    }
    return root;
}

int dnn_run(const char *cmd, const char *logpath, int timeout_s)
{
    pid_t pid = fork(), w;
    int status;
    double t0 = dnn_now();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        setpgid(0, 0);
        if (logpath) {
            int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
                close(fd);
            }
        }
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    for (;;) {
        w = waitpid(pid, &status, timeout_s > 0 ? WNOHANG : 0);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return -1;
        if (timeout_s > 0 && dnn_now() - t0 > timeout_s) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            return 128 + SIGKILL;
        }
        if (timeout_s > 0) {
            struct timespec ts = { 0, 20000000 };
            nanosleep(&ts, NULL);
        }
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

int dnn_filelist_parse(const char *text, size_t len, const char *dir,
                       int (*fn)(void *ctx, const char *path), void *ctx, int *count)
{
    size_t pos = 0;
    *count = 0;
    while (pos < len) {
        const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos, b = 0, e = ll;
        char full[8192];
        int rc;
        pos += ll + (nl ? 1 : 0);
        while (b < e && (line[b] == ' ' || line[b] == '\t'))
            b++;
        while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t' || line[e - 1] == '\r'))
            e--;
        if (b == e || line[b] == '#' || (e - b >= 2 && line[b] == '/' && line[b + 1] == '/'))
            continue;
        if (e - b > 4095 || memchr(line + b, '\0', e - b))
            return -1;
        if (line[b] == '/')
            snprintf(full, sizeof full, "%.*s", (int)(e - b), line + b);
        else
            snprintf(full, sizeof full, "%s/%.*s", dir, (int)(e - b), line + b);
        (*count)++;
        rc = fn(ctx, full);
        if (rc)
            return rc;
    }
    return 0;
}

void dnn_oneline(char *msg)
{
    for (; *msg; msg++)
        if ((unsigned char)*msg < 0x20 || *msg == 0x7f)
            *msg = '?';
}

int dnn_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

double dnn_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
