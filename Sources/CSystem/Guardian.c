#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "CSystem.h"

// Everything below runs in a forked copy of a multi-threaded process, so it uses system calls only (no
// malloc, no stdio, no opendir): the other threads' locks were copied in whatever state they were in.

#define MAX_PROCS 65536
static pid_t table_pid[MAX_PROCS];
static pid_t table_ppid[MAX_PROCS];
static char table_mark[MAX_PROCS];
static char dents[32768];
// The largest pid_max Linux allows (2^22). Zero pages until touched: costs nothing until a scan.
#define PID_LIMIT (1 << 22)
static int table_row[PID_LIMIT + 1];

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_int(const char *s, int *out) {
  int n = 0;
  if (*s == 0) return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    n = n * 10 + (*s - '0');
  }
  *out = n;
  return 1;
}

/// Reads "pid (comm) state ppid …" for `pid`: 1 and the ppid when it exists and is not a zombie.
static int read_ppid(pid_t pid, pid_t *ppid) {
  char path[64] = "/proc/";
  char digits[16];
  int len = 0;
  for (pid_t p = pid; p > 0; p /= 10) digits[len++] = (char)('0' + p % 10);
  int at = 6;
  while (len > 0) path[at++] = digits[--len];
  memcpy(path + at, "/stat", 6);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[512];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *paren = NULL;
  for (char *c = buf; *c; c++)
    if (*c == ')') paren = c;  // comm may hold ')': the last one ends it
  if (!paren || paren[1] != ' ') return 0;
  char state = paren[2];
  if (state == 'Z' || state == 'X' || state == 0) return 0;
  char *p = paren + 4;
  int v = 0;
  while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
  *ppid = v;
  return 1;
}

/// Sends `sig` to every live descendant of this process (found by parent links in /proc: as a child
/// subreaper, whatever left the group or session was re-parented to us, so nothing escapes the walk).
/// Returns how many it signalled.
static int signal_descendants(int sig) {
  int count = 0;
  int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return 0;
  for (;;) {
    long n = syscall(SYS_getdents64, fd, dents, sizeof dents);
    if (n <= 0) break;
    for (long off = 0; off < n;) {
      struct dirent64 *d = (struct dirent64 *)(dents + off);
      off += d->d_reclen;
      int pid;
      pid_t ppid;
      if (count < MAX_PROCS && parse_int(d->d_name, &pid) && read_ppid(pid, &ppid)) {
        table_pid[count] = pid;
        table_ppid[count] = ppid;
        table_mark[count] = 0;
        count++;
      }
    }
  }
  close(fd);
  // pid -> row, so that each pass is linear (a fork bomb leaves thousands of rows). Rows from an earlier
  // scan may linger in the index: a hit counts only if that row holds this pid now.
  for (int i = 0; i < count; i++)
    if (table_pid[i] > 0 && table_pid[i] <= PID_LIMIT) table_row[table_pid[i]] = i;
  pid_t self = getpid();
  int changed = 1, marked = 0;
  while (changed) {
    changed = 0;
    for (int i = 0; i < count; i++) {
      if (table_mark[i]) continue;
      pid_t parent = table_ppid[i];
      int ours = parent == self;
      if (!ours && parent > 0 && parent <= PID_LIMIT) {
        int row = table_row[parent];
        ours = row >= 0 && row < count && table_pid[row] == parent && table_mark[row];
      }
      if (ours) {
        table_mark[i] = 1;
        changed = 1;
        marked++;
      }
    }
  }
  for (int i = 0; i < count; i++)
    if (table_mark[i]) kill(table_pid[i], sig);
  return marked;
}

static void reap(pid_t worker, int *worker_status, int *worker_done) {
  int st;
  pid_t r;
  while ((r = waitpid(-1, &st, WNOHANG)) > 0) {
    if (r == worker) {
      *worker_status = st;
      *worker_done = 1;
    }
  }
}

static void nap_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
  nanosleep(&ts, NULL);
}

/// The kernel's struct sigaction (what rt_sigaction takes), with its 64-bit signal mask.
struct kernel_sigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  uint64_t mask;
};

/// Puts `sig` back to its default disposition with the system call itself: glibc's signal() and
/// sigaction() refuse 32 and 33, its own signals, which its posix_spawn leaves ignored in the child
/// (ProcessRunner starts us with it), and an ignored signal stays ignored across execve.
static void default_disposition(int sig) {
  struct kernel_sigaction act;
  memset(&act, 0, sizeof act);
  act.handler = SIG_DFL;
  syscall(SYS_rt_sigaction, sig, &act, NULL, sizeof act.mask);
}

static void stop_signals(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGCHLD);
  sigaddset(set, SIGTERM);
  sigaddset(set, SIGINT);
  sigaddset(set, SIGHUP);
  sigaddset(set, SIGQUIT);
}

static void stdio_to_devnull(void) {
  int devnull = open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
    if (devnull > 2) close(devnull);
  }
}

/// Exits with the wait status `status` describes: its exit code, or death by its signal.
__attribute__((noreturn)) static void exit_as(int status) {
  if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
  int sig = WTERMSIG(status);
  // Die of the same signal so the caller reads the same status; no core file for it.
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  default_disposition(sig);
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, NULL);
  kill(getpid(), sig);  // ignored when we are a PID namespace's first process: hence `report_fd`
  _exit(128 + sig);
}

/// Runs the command as our child and exits, with its status, once every descendant of it is gone.
/// `drop_capabilities`: the command runs without the capabilities that reach other processes (Isolation.c).
/// `report_fd` (or -1) gets the command's raw wait status before we exit.
__attribute__((noreturn)) static void guard_command(
  const char *path, char *const argv[], char *const envp[], int kill_grace_ms, int drop_capabilities, int report_fd) {
  sigset_t stops_set;
  stop_signals(&stops_set);
  const sigset_t *stops = &stops_set;
  pid_t worker = fork();
  if (worker < 0) _exit(127);
  if (worker == 0) {
    // Every signal, glibc's 32 and 33 too (SIGKILL and SIGSTOP: EINVAL, and default anyway).
    for (int s = 1; s <= 64; s++) default_disposition(s);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // the guardian itself is only SIGKILLed as a last resort
    if (drop_capabilities) arrakis_drop_reaching_capabilities();
    execve(path, argv, envp);
    static const char msg[] = "arrakis: cannot execute the command\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(127);
  }
  // The guardian holds no descriptor of the command's: the pipe reaches EOF when the command's side closes.
  stdio_to_devnull();

  int status = 0, done = 0, stopped = 0;
  while (!done) {
    reap(worker, &status, &done);
    if (done) break;
    struct timespec tick = {0, 200 * 1000000};
    int s = sigtimedwait(stops, NULL, &tick);
    if (s == SIGTERM || s == SIGINT || s == SIGHUP || s == SIGQUIT) {
      stopped = 1;
      break;
    }
  }

  // Once the command has exited, every process it left is our child or a descendant of one (we are the
  // subreaper), so no child at all means nothing is left, and /proc need not be read.
  int nothing_left = done && waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;

  // Leftovers (background jobs, daemons, `setsid`, `timeout`'s own group): SIGTERM, a grace, then SIGKILL
  // until nothing is left.
  if (!nothing_left && signal_descendants(SIGTERM) > 0) {
    long long grace_end = now_ms() + kill_grace_ms;
    while (now_ms() < grace_end) {
      reap(worker, &status, &done);
      if (signal_descendants(0) == 0) break;
      nap_ms(10);
    }
  }
  long long kill_end = now_ms() + 5000;
  while (!nothing_left && now_ms() < kill_end) {
    int left = signal_descendants(SIGKILL);
    reap(worker, &status, &done);
    if (left == 0 && waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD) break;
    nap_ms(5);
  }
  if (!done) status = (128 + (stopped ? SIGTERM : SIGKILL)) << 8;
  if (report_fd >= 0) (void)!write(report_fd, &status, sizeof status);
  exit_as(status);
}

static void ignore_signal(int sig) { (void)sig; }

/// The guardian outside the namespace: waits for its first process (`init`), passes a stop on to it,
/// and exits with the command's status, which `init` reported on `report_fd`.
__attribute__((noreturn)) static void wait_for_namespace(pid_t init, int report_fd) {
  sigset_t stops;
  stop_signals(&stops);
  stdio_to_devnull();
  int status = 0, done = 0, passed_on = 0;
  while (!done) {
    reap(init, &status, &done);
    if (done) break;
    struct timespec tick = {0, 200 * 1000000};
    int s = sigtimedwait(&stops, NULL, &tick);
    if ((s == SIGTERM || s == SIGINT || s == SIGHUP || s == SIGQUIT) && !passed_on) {
      kill(init, SIGTERM);
      passed_on = 1;
    }
  }
  int reported;
  if (read(report_fd, &reported, sizeof reported) == (ssize_t)sizeof reported) status = reported;
  exit_as(status);
}

/// The first process of the command's PID namespace: mounts the namespace's /proc, says on `report_fd`
/// that it is ready (nothing if not: the guardian falls back), then guards the command as
/// `guard_command` does outside and reports its status there.
__attribute__((noreturn)) static void be_namespace_init(
  const char *path, char *const argv[], char *const envp[], int kill_grace_ms, int report_fd) {
  const char *step;
  int ready = arrakis_isolation_mount_proc(&step) == 0;
  if (!ready) _exit(127);  // reports nothing: the guardian falls back
  (void)!write(report_fd, &ready, sizeof ready);
  // Not dumpable: the command, root as it may be, cannot ptrace its init (it lacks CAP_SYS_PTRACE).
  prctl(PR_SET_DUMPABLE, 0);
  // A namespace's init gets no signal it has no handler for, even from outside: these stay blocked
  // (sigtimedwait takes them), the handlers only make them deliverable.
  struct sigaction quiet;
  memset(&quiet, 0, sizeof quiet);
  quiet.sa_handler = ignore_signal;
  int caught[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT};
  for (unsigned i = 0; i < sizeof caught / sizeof caught[0]; i++) sigaction(caught[i], &quiet, NULL);
  guard_command(path, argv, envp, kill_grace_ms, 1, report_fd);
}

/// The command in a PID and a mount namespace of its own, with a fresh /proc: our child is the
/// namespace's first process (its init), which guards the command inside as `guard_command` does
/// outside, and whose end takes whatever is left in the namespace with it (the kernel kills it).
/// Returns only if the namespace could not be made, with nothing started.
static void run_in_namespace(const char *path, char *const argv[], char *const envp[], int kill_grace_ms) {
  int ours = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
  if (ours < 0) return;
  if (unshare(CLONE_NEWPID) != 0) {
    close(ours);
    return;
  }
  int report[2] = {-1, -1};
  pid_t init = pipe2(report, O_CLOEXEC) == 0 ? fork() : -1;
  if (init == 0) {
    close(report[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    be_namespace_init(path, argv, envp, kill_grace_ms, report[1]);
  }
  if (init > 0) {
    close(report[1]);
    int ready = 0;
    if (read(report[0], &ready, sizeof ready) == (ssize_t)sizeof ready && ready) {
      close(ours);
      wait_for_namespace(init, report[0]);
    }
    waitpid(init, NULL, 0);
    close(report[0]);
  } else if (report[0] >= 0) {
    close(report[0]);
    close(report[1]);
  }
  // Our next child must be born in our own namespace again: that one has no init any more.
  setns(ours, CLONE_NEWPID);
  close(ours);
}

/// Without CAP_SYS_ADMIN: the same namespaces inside a user namespace of their own, in which our uid and
/// gid stand for themselves (the command runs as the user, without capabilities: its uid there is not
/// 0). Our child is made in them by clone, so that we stay in ours: returns only if they could not be
/// made, with nothing started.
static void run_in_user_namespace(const char *path, char *const argv[], char *const envp[], int kill_grace_ms) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return;
  const char *step;
  int error;
  pid_t init = arrakis_isolation_fork_user_namespace(&step, &error);
  if (init == 0) {
    close(report[0]);
    be_namespace_init(path, argv, envp, kill_grace_ms, report[1]);
  }
  close(report[1]);
  if (init > 0) {
    int ready = 0;
    if (read(report[0], &ready, sizeof ready) == (ssize_t)sizeof ready && ready) wait_for_namespace(init, report[0]);
    waitpid(init, NULL, 0);
  }
  close(report[0]);
}

/// The guardian: a child subreaper between arrakis and the command. It exits only once every descendant
/// of the command is gone, with the command's own status.
void arrakis_guardian_run(
  const char *path, char *const argv[], char *const envp[], int kill_grace_ms, pid_t parent, int isolate) {
  sigset_t stops;
  stop_signals(&stops);
  sigprocmask(SIG_BLOCK, &stops, NULL);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(128 + SIGTERM);  // arrakis died before the line above
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  prctl(PR_SET_NAME, "arrakis-guard");  // what ps shows, instead of the spawning thread's name
  if (isolate) run_in_namespace(path, argv, envp, kill_grace_ms);
  if (isolate) run_in_user_namespace(path, argv, envp, kill_grace_ms);
  // No namespace (the kernel refused both ways): as before, and still without those capabilities.
  guard_command(path, argv, envp, kill_grace_ms, isolate, -1);
}

pid_t arrakis_spawn_guarded(const arrakis_spawn_request *req) {
  sigset_t stops, old;
  sigemptyset(&stops);
  sigaddset(&stops, SIGCHLD);
  sigaddset(&stops, SIGTERM);
  sigaddset(&stops, SIGINT);
  sigaddset(&stops, SIGHUP);
  sigaddset(&stops, SIGQUIT);
  // Blocked across the fork so the guardian can wait for them synchronously (sigtimedwait), not in handlers.
  pthread_sigmask(SIG_BLOCK, &stops, &old);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    // Signal handlers of arrakis must not run here; the ones not blocked go back to their defaults.
    for (int s = 1; s < NSIG; s++)
      if (!sigismember(&stops, s)) signal(s, SIG_DFL);
    sigset_t keep = stops;
    sigprocmask(SIG_SETMASK, &keep, NULL);
    setpgid(0, 0);
    if (req->stdin_fd >= 0) dup2(req->stdin_fd, 0);
    dup2(req->out_fd, 1);
    dup2(req->out_fd, 2);
    syscall(SYS_close_range, 3, ~0U, 0);
    if (req->dir && chdir(req->dir) != 0) {
      static const char msg[] = "arrakis: cannot enter the working directory\n";
      (void)!write(2, msg, sizeof msg - 1);
      _exit(127);
    }
    arrakis_guardian_run(req->path, req->argv, req->envp, req->kill_grace_ms, parent, req->isolate);
  }
  int err = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (pid < 0) return -err;
  // Also from the parent: no window in which a signal to the group misses the child.
  setpgid(pid, pid);
  return pid;
}

int arrakis_become_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1); }

int arrakis_set_dumpable(int on) { return prctl(PR_SET_DUMPABLE, on); }
