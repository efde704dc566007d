#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "CSystem.h"

// arrakis-guard GRACE_MS PARENT_PID [--isolate] -- PATH ARGV0 ARGS...
// arrakis-guard --probe-isolation
//
// The guardian as a program of its own (see arrakis_guardian_run in Sources/CSystem/Guardian.c), started
// by ProcessRunner with posix_spawn: forking the guardian out of arrakis would copy arrakis's page tables
// on every command (tens of milliseconds for a large process), a fresh small program costs about one.
// --probe-isolation prints "ok", or what stops `--isolate` from making its namespaces here, and exits 0 or 1.
extern char **environ;

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--probe-isolation") == 0) {
    const char *step = NULL;
    int error = arrakis_isolation_probe(&step);
    if (error == 0) {
      puts("ok");
      return 0;
    }
    printf("%s: %s\n", step ? step : "namespace", strerror(error));
    return 1;
  }
  int isolate = argc > 3 && strcmp(argv[3], "--isolate") == 0;
  int rest = 3 + isolate;
  if (argc < rest + 3 || strcmp(argv[rest], "--") != 0) {
    static const char usage[] = "arrakis-guard: started by arrakis to run one command; not for direct use\n";
    (void)!write(2, usage, sizeof usage - 1);
    return 2;
  }
  int grace = atoi(argv[1]);
  pid_t parent = (pid_t)atoi(argv[2]);
  arrakis_guardian_run(argv[rest + 1], argv + rest + 2, environ, grace, parent, isolate);
}
