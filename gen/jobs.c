/*
 * jobs.c -- child jobs in sessions of their own, and the report helpers `dnngen regress`
 * and `dnngen sweep` share (see jobs.h for why a job is killed by session).
 *
 * Sessions are found by scanning /proc/PID/stat (field 6 is the session id): there is no
 * system call that signals a session, and a job's tools may have moved their children into
 * process groups of their own. The scan repeats until it finds nothing to kill, because a
 * process can fork while we look.
 */
#define _GNU_SOURCE
#include "jobs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

pid_t dnn_job_fork(const char *log, int trunc, int deathsig)
{
    pid_t pid;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) {
        int fd;
        setsid();
        if (deathsig)
            prctl(PR_SET_PDEATHSIG, SIGKILL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        fd = open(log, O_WRONLY | O_CREAT | O_APPEND | (trunc ? O_TRUNC : 0), 0644);
        if (fd < 0)
            _exit(126);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        fd = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, 0);
            close(fd);
        }
    }
    return pid;
}

void dnn_kill_session(pid_t sid)
{
    int pass;
    pid_t self = getpid();
    for (pass = 0; pass < 8; pass++) {
        DIR *d = opendir("/proc");
        struct dirent *e;
        int found = 0;
        if (!d)
            return;
        while ((e = readdir(d))) {
            char path[300], buf[512], *rp;
            int fd;
            ssize_t k;
            long pid = strtol(e->d_name, &rp, 10);
            int ppid, pgrp, sess;
            char st;
            if (*rp || pid <= 0 || pid == (long)self)
                continue;
            snprintf(path, sizeof path, "/proc/%ld/stat", pid);
            fd = open(path, O_RDONLY);
            if (fd < 0)
                continue;
            k = read(fd, buf, sizeof buf - 1);
            close(fd);
            if (k <= 0)
                continue;
            buf[k] = '\0';
            rp = strrchr(buf, ')'); /* the command name may hold anything, ')' included */
            if (!rp || sscanf(rp + 1, " %c %d %d %d", &st, &ppid, &pgrp, &sess) != 4)
                continue;
            if (sess == sid && st != 'Z') {
                kill((pid_t)pid, SIGKILL);
                found = 1;
            }
        }
        closedir(d);
        if (!found)
            return;
        {
            struct timespec ts = { 0, 10000000 };
            nanosleep(&ts, NULL);
        }
    }
}

void dnn_job_kill(pid_t pid)
{
    kill(-pid, SIGKILL);
    dnn_kill_session(pid);
}

pid_t dnn_job_reap(int *status)
{
    siginfo_t si;
    pid_t pid;
    memset(&si, 0, sizeof si);
    if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
        return -1;
    if (si.si_pid == 0)
        return 0;
    pid = si.si_pid;
    dnn_kill_session(pid); /* the zombie keeps the session id ours until it is reaped */
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return pid;
}

char *dnn_read_tail(const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    long size;
    char *buf;
    size_t got;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
        fclose(f);
        return NULL;
    }
    if ((size_t)size > max)
        fseek(f, size - (long)max, SEEK_SET);
    else
        fseek(f, 0, SEEK_SET);
    buf = malloc(max + 1);
    if (!buf) {
        fclose(f);
        return NULL;
    }
    got = fread(buf, 1, max, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

int dnn_probe_dir(const char *dir, char *err, size_t n)
{
    char *p;
    int fd;
    if (dnn_mkdirs(dir, err, n))
        return DNN_EUSAGE;
    p = dnn_printf("%s/.probe.XXXXXX", dir);
    if (!p) {
        snprintf(err, n, "out of memory");
        return DNN_ETOOL;
    }
    fd = mkstemp(p);
    if (fd < 0 || write(fd, "x", 1) != 1 || close(fd) != 0) {
        snprintf(err, n, "cannot write into output directory '%s': %s", dir, strerror(errno));
        if (fd >= 0)
            unlink(p);
        free(p);
        return DNN_EUSAGE;
    }
    unlink(p);
    free(p);
    return 0;
}

void dnn_fmt_dur(double s, char *buf, size_t n)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, n, "%lds", t);
}

void dnn_utf8_clean(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
        int k, ok = n > 0;
        for (k = 1; ok && k < n; k++)
            ok = (p[k] & 0xc0) == 0x80;
        if (!ok) {
            *p++ = '?';
            continue;
        }
        p += n;
    }
}

void dnn_cmd_line(const char *cmd, char *out, size_t n)
{
    FILE *f = popen(cmd, "r");
    out[0] = '\0';
    if (f) {
        if (!fgets(out, (int)n, f))
            out[0] = '\0';
        pclose(f);
    }
    out[strcspn(out, "\n")] = '\0';
    dnn_utf8_clean(out);
    dnn_oneline(out);
    if (!out[0])
        snprintf(out, n, "unknown");
}

void sb_esc(sbuf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '&')
            sb_puts(b, "&amp;");
        else if (ch == '<')
            sb_puts(b, "&lt;");
        else if (ch == '>')
            sb_puts(b, "&gt;");
        else if (ch == '"')
            sb_puts(b, "&quot;");
        else if (ch == '\'')
            sb_puts(b, "&#39;");
        else if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
            sb_puts(b, "?");
        else
            sb_putn(b, s, 1);
    }
}
