#define _GNU_SOURCE
#include "LazyLibrary.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static void open_library(arrakis_lazy_library *library) {
  char first[512] = "";  // why the installed name failed: the fallbacks' errors say less
  for (int i = 0; library->names[i] && !library->handle; i++) {
    library->handle = dlopen(library->names[i], RTLD_LAZY | RTLD_LOCAL);
    if (!library->handle && i == 0) snprintf(first, sizeof first, "%s", dlerror());
  }
  if (!library->handle) {
    fprintf(stderr, "arrakis: error: cannot load %s (%s)\nhint: install it (Debian: apt-get install %s)\n",
            library->what, first, library->package);
    exit(library->exit_status);
  }
}

void *arrakis_lazy_symbol(arrakis_lazy_library *library, const char *name) {
  pthread_mutex_lock(&library->lock);
  if (!library->handle) open_library(library);
  pthread_mutex_unlock(&library->lock);
  void *found = dlsym(library->handle, name);
  if (!found) {
    fprintf(stderr, "arrakis: error: the %s found lacks %s\nhint: install %s (Debian: apt-get install %s)\n",
            library->what, name, library->wanted, library->package);
    exit(library->exit_status);
  }
  return found;
}
