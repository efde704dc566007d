#ifndef ARRAKIS_CSYSTEM_H
#define ARRAKIS_CSYSTEM_H
#include <spawn.h>
#include <sys/types.h>

// glibc extensions that Swift's Glibc module does not import (they need _GNU_SOURCE).

/// Child processes start with only stdin/stdout/stderr: no ledger, socket or pipe descriptor of ours
/// leaks into a tool's or a test's process (where it could hold a pipe open or talk to the API socket).
int arrakis_spawn_close_from(posix_spawn_file_actions_t *actions, int lowfd);

/// Starts the child in `dir` without a shell wrapper (glibc 2.29+).
int arrakis_spawn_chdir(posix_spawn_file_actions_t *actions, const char *dir);

/// pipe2(O_CLOEXEC): no window in which a concurrent spawn can inherit the pipe.
int arrakis_pipe_cloexec(int fds[2]);

/// In a forked child: SIGKILL when the thread that forked it ends (arrakis killed or crashed), and -1 when
/// `parent` is already gone. prctl is variadic, which Swift cannot call.
int arrakis_die_with_parent(pid_t parent);

/// A descriptor that polls readable once `pid` (our child) has exited, reaped or not (Linux 5.3+), or -1.
/// It is close-on-exec (pidfds always are).
int arrakis_pidfd_open(pid_t pid);

/// What `arrakis_spawn_guarded` starts: `path` (already resolved, no PATH search) with `argv` and `envp`,
/// in `dir` (NULL: ours), stdin from `stdin_fd` (-1: ours), stdout and stderr both on `out_fd`.
typedef struct {
  const char *path;
  char *const *argv;
  char *const *envp;
  const char *dir;
  int stdin_fd;
  int out_fd;
  int kill_grace_ms;
  /// Nonzero: the command runs isolated (`arrakis_guardian_run`).
  int isolate;
} arrakis_spawn_request;

/// Forks a guardian in a new process group that runs the command as its child and exits, with the
/// command's status, only after every descendant of the command is gone. The guardian is a child
/// subreaper (whatever leaves the group or the session is re-parented to it and still killed) and dies
/// with arrakis (PR_SET_PDEATHSIG), taking the command's whole tree with it. SIGTERM, SIGINT, SIGHUP or
/// SIGQUIT to the guardian stop the command: SIGTERM to every descendant, SIGKILL after `kill_grace_ms`.
/// Returns the guardian's pid, or -errno. PR_SET_PDEATHSIG fires when the calling *thread* exits: call
/// it from a thread that outlives the command.
pid_t arrakis_spawn_guarded(const arrakis_spawn_request *req);

/// The guardian's work, in the guardian process (forked by `arrakis_spawn_guarded`, or the
/// `arrakis-guard` executable): runs `path` as its child and never returns. `parent` is the process that
/// started the guardian: if it is already gone, the guardian exits at once. `isolate` (policy-sandbox
/// Bash): the command runs without the capabilities that reach other processes' memory or the kernel's
/// (`arrakis_drop_reaching_capabilities`) and, where the kernel allows, in a PID and a mount namespace of
/// its own with a fresh /proc, from which no process outside is visible: made directly with
/// CAP_SYS_ADMIN (root), else inside a user namespace of its own (the user mapped to itself); elsewhere
/// in ours, as without `isolate`.
void arrakis_guardian_run(
  const char *path, char *const argv[], char *const envp[], int kill_grace_ms, pid_t parent, int isolate)
  __attribute__((noreturn));

/// Drops CAP_SYS_PTRACE, CAP_SYS_RAWIO, CAP_SYS_MODULE, CAP_SYS_ADMIN and the like from the bounding,
/// ambient, inheritable, permitted and effective sets of this process (see Sources/CSystem/Isolation.c).
void arrakis_drop_reaching_capabilities(void);

/// In a new PID namespace's first process: a mount namespace of its own with private mounts and /proc
/// showing the new PID namespace. 0, or the errno with `*step` naming what failed.
int arrakis_isolation_mount_proc(const char **step);

/// Forks a child in a user and a PID namespace of its own (the way for a user without CAP_SYS_ADMIN),
/// with this process's uid and gid mapped to themselves: 0 in the child, which has the new namespace's
/// capabilities, the pid in the parent, -1 with `*error` and `*step` naming what failed (the parent's
/// namespaces untouched, no child left). The child dies with the parent (PR_SET_PDEATHSIG).
pid_t arrakis_isolation_fork_user_namespace(const char **step, int *error);

/// Whether this process can make what `isolate` asks for (a PID namespace, its /proc): 0, or the errno
/// with `*step` naming what failed. Leaves this process's next child in a namespace with no init: call
/// it only in a process that starts nothing else (`arrakis-guard --probe-isolation`).
int arrakis_isolation_probe(const char **step);

/// PR_SET_CHILD_SUBREAPER on arrakis itself: orphans of a guardian killed as a last resort come back to us.
int arrakis_become_subreaper(void);

/// PR_SET_DUMPABLE: 0 makes /proc/self/environ, mem, … unreadable to other processes of our uid.
int arrakis_set_dumpable(int on);

/// Moves every environment variable for which `keep` returns 0 to the heap (setenv) and zeroes its
/// bytes in the initial environment area, which is what /proc/PID/environ shows to a process allowed to
/// read it (root, for one, even when we are not dumpable). getenv and environ see the same values as
/// before. Returns how many were moved, -1 if the area could not be found.
int arrakis_scrub_environment(int (*keep)(const char *name, size_t length));

/// SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE record the signal (see `arrakis_stop_signal`) instead of
/// killing us; SIGPIPE only when our stdout or stderr is the pipe whose reader left.
void arrakis_install_stop_handlers(void);
/// The last stop signal received, 0 if none.
int arrakis_stop_signal(void);
void arrakis_clear_stop_signal(void);
#endif
