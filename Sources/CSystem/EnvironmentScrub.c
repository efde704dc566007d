#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "CSystem.h"

extern char **environ;

/// Fields 50 and 51 of /proc/self/stat: where the kernel placed the initial environment strings, the
/// range /proc/PID/environ shows to whoever may read it.
static int environ_area(unsigned long *start, unsigned long *end) {
  int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p) return 0;
  // p + 2 is field 3; fields 50 and 51 are env_start and env_end.
  int field = 3;
  p += 2;
  unsigned long values[2] = {0, 0};
  while (*p && field <= 51) {
    if (field == 50 || field == 51) values[field - 50] = strtoul(p, NULL, 10);
    while (*p && *p != ' ') p++;
    while (*p == ' ') p++;
    field++;
  }
  if (values[0] == 0 || values[1] <= values[0]) return 0;
  *start = values[0];
  *end = values[1];
  return 1;
}

int arrakis_scrub_environment(int (*keep)(const char *name, size_t length)) {
  unsigned long start, end;
  if (!environ_area(&start, &end)) return -1;
  size_t count = 0;
  while (environ[count]) count++;
  char **originals = malloc((count + 1) * sizeof(char *));
  if (!originals) return -1;
  memcpy(originals, environ, (count + 1) * sizeof(char *));
  int moved = 0;
  for (size_t i = 0; i < count; i++) {
    char *entry = originals[i];
    unsigned long at = (unsigned long)entry;
    if (at < start || at >= end) continue;  // already a heap copy: not what /proc shows
    char *eq = strchr(entry, '=');
    if (!eq || keep((const char *)entry, (size_t)(eq - entry))) continue;
    size_t length = (size_t)(eq - entry);
    char *name = strndup(entry, length);
    if (!name) continue;
    // setenv stores a fresh heap copy of the entry: getenv and environ keep working...
    if (setenv(name, eq + 1, 1) == 0) {
      // ...and the bytes the kernel shows as our environment no longer hold the value.
      memset(entry, 0, strlen(entry));
      moved++;
    }
    free(name);
  }
  free(originals);
  return moved;
}
