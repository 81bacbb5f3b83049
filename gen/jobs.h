/*
 * jobs.h -- child jobs that can be killed as a whole, and the small report helpers the
 * commands that run them share (`dnngen regress`, `dnngen sweep`).
 *
 * A job runs in a session of its own. Its own tools may put their children in process
 * groups of their own (verify does, so that its --timeout can kill the simulator), so
 * killing the job's group is not enough: dnn_kill_session() kills every process of the
 * session. dnn_job_reap() kills the rest of a finished job's session before it reaps the
 * job (the zombie keeps its pid, hence the session id, from being reused until then), so
 * nothing a job started outlives it.
 */
#ifndef DNN_JOBS_H
#define DNN_JOBS_H

#include <sys/types.h>

#include "util.h"

/* Fork a job. The child gets a session of its own, stdin from /dev/null, stdout and stderr
 * appended to log (created, or truncated when trunc), default SIGINT/SIGTERM handling and,
 * when deathsig, SIGKILL as soon as we die (PR_SET_PDEATHSIG). Returns the child's pid in
 * the parent, 0 in the child (which must end with _exit or exec), -1 when fork failed. A
 * child that cannot open its log exits with status 126. stdout and stderr are flushed
 * first so that the child does not write our buffered output twice. */
pid_t dnn_job_fork(const char *log, int trunc, int deathsig);

/* SIGKILL every process of session sid (the leader included), except the caller. */
void dnn_kill_session(pid_t sid);

/* Kill a running job: its process group, then everything else of its session. The job
 * itself is left as a zombie for dnn_job_reap() or waitpid(). */
void dnn_job_kill(pid_t pid);

/* Reap one finished child without blocking, after killing the rest of its session.
 * Returns its pid with *status set, 0 when no child has finished, -1 when there is no
 * child at all. */
pid_t dnn_job_reap(int *status);

/* The last max bytes of a file at most (a runaway log must not exhaust memory), or NULL. */
char *dnn_read_tail(const char *path, size_t max);

/* Create dir (mkdir -p) and check that a file can be created in it. 0, or DNN_EUSAGE with
 * a message ("cannot write into output directory ..."), or DNN_ETOOL when out of memory. */
int dnn_probe_dir(const char *dir, char *err, size_t n);

/* Durations as people read them: 42s, 3m07s, 2h05m. */
void dnn_fmt_dur(double s, char *buf, size_t n);

/* The first line of a shell command's output (tool versions, git describe), valid UTF-8
 * and printable; "unknown" when it prints nothing. */
void dnn_cmd_line(const char *cmd, char *out, size_t n);

/* Keep only valid UTF-8 in place (a tool may print anything; XML must stay well-formed). */
void dnn_utf8_clean(char *s);

/* Text for XML and HTML: markup escaped, control characters (not allowed in XML 1.0) '?'. */
void sb_esc(sbuf *b, const char *s);

#endif
