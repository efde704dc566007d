#ifndef ARRAKIS_CSYSTEM_H
#define ARRAKIS_CSYSTEM_H
#include <spawn.h>

// glibc extensions that Swift's Glibc module does not import (they need _GNU_SOURCE).

/// Child processes start with only stdin/stdout/stderr: no ledger, socket or pipe descriptor of ours
/// leaks into a tool's or a test's process (where it could hold a pipe open or talk to the API socket).
int arrakis_spawn_close_from(posix_spawn_file_actions_t *actions, int lowfd);

/// Starts the child in `dir` without a shell wrapper (glibc 2.29+).
int arrakis_spawn_chdir(posix_spawn_file_actions_t *actions, const char *dir);

/// pipe2(O_CLOEXEC): no window in which a concurrent spawn can inherit the pipe.
int arrakis_pipe_cloexec(int fds[2]);
#endif
