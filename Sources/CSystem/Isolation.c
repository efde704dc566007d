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

/// What the first process of a namespace reports to the process that made it: 0 or an errno, and the
/// step that failed (a string literal: the same address in both, as they are forks of one image).
typedef struct {
  int error;
  const char *step;
} setup_report;

int arrakis_isolation_probe(const char **step) {
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
    setup_report report = {0, NULL};
    report.error = arrakis_isolation_mount_proc(&report.step);
    (void)!write(pipe_fds[1], &report, sizeof report);
    _exit(0);
  }
  close(pipe_fds[1]);
  setup_report report = {ECHILD, "the namespace's first process"};
  if (read(pipe_fds[0], &report, sizeof report) != (ssize_t)sizeof report) report = (setup_report){ECHILD, "the namespace's first process"};
  close(pipe_fds[0]);
  waitpid(init, NULL, 0);
  *step = report.step;
  return report.error;
}
