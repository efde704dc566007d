#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "CSystem.h"

// Policy-sandbox Bash where the kernel allows it (root, or CAP_SYS_ADMIN): a PID namespace of its own
// with a /proc of that namespace in a mount namespace of its own, so that no process outside it (arrakis,
// whose memory holds the API key, or the shell that started arrakis) can be seen or named; and in any
// case none of the capabilities that reach another process's memory or the kernel's.
// System calls only: the guardian may be a forked copy of a multi-threaded process (Guardian.c).

/// What a root command would need to read another process's memory or the kernel's, or to undo its
/// namespaces: ptrace and /proc/PID/mem of processes it does not own (SYS_PTRACE), /dev/mem and
/// /proc/kcore (SYS_RAWIO), kernel modules (SYS_MODULE), mount, umount and setns (SYS_ADMIN: unmounting
/// the fresh /proc would uncover the host's), kexec (SYS_BOOT), kernel addresses (SYSLOG), perf and BPF
/// probes (PERFMON, BPF), other processes' map_files (CHECKPOINT_RESTORE).
static const int reaching_capabilities[] = {
  CAP_SYS_PTRACE, CAP_SYS_RAWIO, CAP_SYS_MODULE, CAP_SYS_ADMIN, CAP_SYS_BOOT, CAP_SYSLOG, 38 /* PERFMON */,
  39 /* BPF */, 40 /* CHECKPOINT_RESTORE */,
};

void arrakis_drop_reaching_capabilities(void) {
  int count = (int)(sizeof reaching_capabilities / sizeof reaching_capabilities[0]);
  // The bounding set first (needs CAP_SETPCAP, which root has): a root process regains its whole
  // bounding set at every exec, so dropping the effective set alone would last until the next command.
  for (int i = 0; i < count; i++) prctl(PR_CAPBSET_DROP, reaching_capabilities[i], 0, 0, 0);  // EINVAL: the kernel has no such cap
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capget, &header, data) != 0) return;
  for (int i = 0; i < count; i++) {
    int cap = reaching_capabilities[i];
    unsigned mask = ~(1u << (cap % 32));
    data[cap / 32].effective &= mask;
    data[cap / 32].permitted &= mask;
    data[cap / 32].inheritable &= mask;
  }
  syscall(SYS_capset, &header, data);
}

/// Decimal digits of `n` at `out` (no NUL): how many.
static int format_number(unsigned n, char *out) {
  char digits[16];
  int len = 0;
  do digits[len++] = (char)('0' + n % 10); while ((n /= 10) > 0);
  for (int i = 0; i < len; i++) out[i] = digits[len - 1 - i];
  return len;
}

int arrakis_isolation_mount_proc(const char **step) {
  *step = "unshare(CLONE_NEWNS)";
  if (unshare(CLONE_NEWNS) != 0) return errno;
  // Private first: the /proc mounted below must not propagate back to the host's mount namespace.
  *step = "making mounts private";
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) return errno;
  // Over the host's /proc (which stays beneath it, out of reach without CAP_SYS_ADMIN): the mounting
  // process's PID namespace is the one this /proc shows.
  *step = "mounting /proc";
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) return errno;
  *step = NULL;
  return 0;
}

/// Writes `text` (`length` bytes) to /proc/PID/NAME in one write: 0 or the errno.
static int write_proc_file(pid_t pid, const char *name, const char *text, size_t length) {
  char path[64] = "/proc/";
  int at = 6;
  at += format_number((unsigned)pid, path + at);
  path[at++] = '/';
  size_t name_length = strlen(name);
  memcpy(path + at, name, name_length + 1);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int error = write(fd, text, length) == (ssize_t)length ? 0 : errno;
  close(fd);
  return error;
}

/// Writes "ID ID 1\n" to the map file `name` of `pid`: the id stands for itself in the new namespace.
static int map_to_itself(pid_t pid, const char *name, unsigned id) {
  char line[48];
  int at = format_number(id, line);
  line[at++] = ' ';
  at += format_number(id, line + at);
  memcpy(line + at, " 1\n", 3);
  return write_proc_file(pid, name, line, (size_t)at + 3);
}

pid_t arrakis_isolation_fork_user_namespace(const char **step, int *error) {
  uid_t uid = geteuid();
  gid_t gid = getegid();
  int go[2];
  *step = "pipe";
  if (pipe2(go, O_CLOEXEC) != 0) {
    *error = errno;
    return -1;
  }
  // clone rather than unshare: this process stays in its own namespaces, so that when anything below
  // fails it can still run the command in them (unshare(CLONE_NEWUSER) cannot be undone). No stack of
  // its own: the child goes on on a copy of ours, as after fork.
  *step = "clone(CLONE_NEWUSER | CLONE_NEWPID)";
  pid_t child = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, 0);
  if (child < 0) {
    *error = errno;
    close(go[0]);
    close(go[1]);
    return -1;
  }
  if (child == 0) {
    close(go[1]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    // Nothing until the maps are written: before, our uid is nobody's in here. EOF: the parent is gone
    // or gave up.
    char ready = 0;
    if (read(go[0], &ready, 1) != 1 || ready != 'g') _exit(127);
    close(go[0]);
    return 0;
  }
  close(go[0]);
  // The user and the group stand for themselves: files the command writes are the user's, `id` says the
  // same. An unprivileged gid_map needs setgroups denied first (user_namespaces(7)).
  int failed = 0;
  *step = "writing /proc/PID/setgroups";
  failed = write_proc_file(child, "setgroups", "deny", 4);
  if (!failed) {
    *step = "writing /proc/PID/uid_map";
    failed = map_to_itself(child, "uid_map", uid);
  }
  if (!failed) {
    *step = "writing /proc/PID/gid_map";
    failed = map_to_itself(child, "gid_map", gid);
  }
  if (!failed) {
    *step = "starting the namespace's first process";
    failed = write(go[1], "g", 1) == 1 ? 0 : (errno ? errno : EPIPE);
  }
  close(go[1]);
  if (failed) {
    *error = failed;
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    return -1;
  }
  *step = NULL;
  return child;
}

/// What the first process of a namespace reports to the process that made it: 0 or an errno, and the
/// step that failed (a string literal: the same address in both, as they are forks of one image).
typedef struct {
  int error;
  const char *step;
} setup_report;

/// In the first process of a new PID namespace: mounts its /proc, reports on `fd` and exits.
__attribute__((noreturn)) static void report_mount_proc(int fd) {
  setup_report report = {0, NULL};
  report.error = arrakis_isolation_mount_proc(&report.step);
  (void)!write(fd, &report, sizeof report);
  _exit(0);
}

/// Waits for `init`'s report on `fd` (closing it): 0 or its errno, with `*step`.
static int read_report(pid_t init, int fd, const char **step) {
  setup_report report = {ECHILD, "the namespace's first process"};
  if (read(fd, &report, sizeof report) != (ssize_t)sizeof report) report = (setup_report){ECHILD, "the namespace's first process"};
  close(fd);
  waitpid(init, NULL, 0);
  *step = report.step;
  return report.error;
}

/// What the guardian tries first (Guardian.c): unshare(CLONE_NEWPID), which needs CAP_SYS_ADMIN.
static int probe_pid_namespace(const char **step) {
  *step = "unshare(CLONE_NEWPID)";
  if (unshare(CLONE_NEWPID) != 0) return errno;
  int pipe_fds[2];
  *step = "pipe";
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return errno;
  *step = "fork";
  pid_t init = fork();
  if (init < 0) return errno;
  if (init == 0) {
    close(pipe_fds[0]);
    report_mount_proc(pipe_fds[1]);
  }
  close(pipe_fds[1]);
  return read_report(init, pipe_fds[0], step);
}

/// What it tries next: a user namespace of its own around the PID namespace.
static int probe_user_namespace(const char **step) {
  int pipe_fds[2];
  *step = "pipe";
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return errno;
  int error = 0;
  pid_t init = arrakis_isolation_fork_user_namespace(step, &error);
  if (init == 0) {
    close(pipe_fds[0]);
    report_mount_proc(pipe_fds[1]);
  }
  close(pipe_fds[1]);
  if (init < 0) {
    close(pipe_fds[0]);
    return error;
  }
  return read_report(init, pipe_fds[0], step);
}

int arrakis_isolation_probe(const char **step) {
  int ours = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
  if (probe_pid_namespace(step) == 0) return 0;
  // Our next child must be born in our own namespace again (unshare may have worked, and a step after it not).
  if (ours >= 0) setns(ours, CLONE_NEWPID);
  return probe_user_namespace(step);
}
