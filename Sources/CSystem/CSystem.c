#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#include "CSystem.h"

int arrakis_spawn_close_from(posix_spawn_file_actions_t *actions, int lowfd) {
  return posix_spawn_file_actions_addclosefrom_np(actions, lowfd);
}

int arrakis_spawn_chdir(posix_spawn_file_actions_t *actions, const char *dir) {
  return posix_spawn_file_actions_addchdir_np(actions, dir);
}

int arrakis_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

#include <signal.h>
#include <sys/prctl.h>

int arrakis_die_with_parent(pid_t parent) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return -1;
  return getppid() == parent ? 0 : -1;
}

#include <sys/syscall.h>

int arrakis_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
  return (int)syscall(SYS_pidfd_open, pid, 0);
#else
  (void)pid;
  return -1;
#endif
}
