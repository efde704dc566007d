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
// --probe-isolation prints "ok", or what stops `--isolate` from making its namespaces here (the last way
// tried: a user namespace), with the sysctl that switches user namespaces off if one does, and exits 0 or 1.
extern char **environ;

/// The sysctl that keeps user namespaces from this user, if one does: "NAME = VALUE", or NULL.
static const char *user_namespace_switch(char *out, size_t size) {
  static const struct {
    const char *name, *path, *off;
  } switches[] = {
    {"user.max_user_namespaces", "/proc/sys/user/max_user_namespaces", "0"},
    {"kernel.unprivileged_userns_clone", "/proc/sys/kernel/unprivileged_userns_clone", "0"},
    {"kernel.apparmor_restrict_unprivileged_userns", "/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1"},
  };
  for (size_t i = 0; i < sizeof switches / sizeof switches[0]; i++) {
    FILE *f = fopen(switches[i].path, "r");
    if (!f) continue;
    char value[32] = "";
    int got = fgets(value, sizeof value, f) != NULL;
    fclose(f);
    value[strcspn(value, "\n")] = 0;
    if (got && strcmp(value, switches[i].off) == 0) {
      snprintf(out, size, "%s = %s", switches[i].name, value);
      return out;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--probe-isolation") == 0) {
    const char *step = NULL;
    int error = arrakis_isolation_probe(&step);
    if (error == 0) {
      puts("ok");
      return 0;
    }
    char reason[128];
    const char *off = user_namespace_switch(reason, sizeof reason);
    // Where user namespaces are switched off, that is the reason to name: CAP_SYS_ADMIN was missing too.
    if (off) printf("%s: %s; user namespaces are disabled: %s\n", step ? step : "namespace", strerror(error), off);
    else printf("%s: %s\n", step ? step : "namespace", strerror(error));
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
