#include <stdlib.h>
#include <unistd.h>
#include "CSystem.h"

// arrakis-guard GRACE_MS PARENT_PID -- PATH ARGV0 ARGS...
//
// The guardian as a program of its own (see arrakis_guardian_run in Sources/CSystem/Guardian.c), started
// by ProcessRunner with posix_spawn: forking the guardian out of arrakis would copy arrakis's page tables
// on every command (tens of milliseconds for a large process), a fresh small program costs about one.
extern char **environ;

int main(int argc, char **argv) {
  if (argc < 6 || argv[3][0] != '-' || argv[3][1] != '-' || argv[3][2] != 0) {
    static const char usage[] = "arrakis-guard: started by arrakis to run one command; not for direct use\n";
    (void)!write(2, usage, sizeof usage - 1);
    return 2;
  }
  int grace = atoi(argv[1]);
  pid_t parent = (pid_t)atoi(argv[2]);
  arrakis_guardian_run(argv[4], argv + 5, environ, grace, parent);
}
