// A C library loaded on first use rather than linked: what Sources/CCurl, Sources/CGit2 and Sources/CPostgres
// share (each Loader.c there defines the functions arrakis calls and forwards them through this).
#ifndef ARRAKIS_LAZY_LIBRARY_H
#define ARRAKIS_LAZY_LIBRARY_H

#include <pthread.h>

typedef struct {
  /// The names to try, the installed soname first; NULL-terminated.
  const char *names[4];
  /// For messages: "libcurl", "libgit2 1.5", "libpq for the PostgreSQL ledger".
  const char *what;
  /// What to install for it, and which version to ask for when a function is missing.
  const char *package;
  const char *wanted;
  /// The exit status when it cannot be had (see Sources/ArrakisCore/ExitStatus.swift).
  int exit_status;
  void *handle;
  pthread_mutex_t lock;
} arrakis_lazy_library;

#define ARRAKIS_LAZY_LIBRARY_INIT(n0, n1, n2, what_, package_, wanted_, status_) \
  {{n0, n1, n2, 0}, what_, package_, wanted_, status_, 0, PTHREAD_MUTEX_INITIALIZER}

/// The address of `name` in the library, opening it on the first call; on failure says what to install on
/// stderr and exits with the library's status (nothing can go on without it).
void *arrakis_lazy_symbol(arrakis_lazy_library *library, const char *name);

// One function: its own definition, forwarding to the library's, found on the first call. Racing first
// calls find the same address, so a relaxed atomic is enough. A Loader.c defines `lazy_symbol(name)`.
#define RESOLVED(name)                                            \
  static __typeof__(&name) real;                                  \
  __typeof__(&name) f = __atomic_load_n(&real, __ATOMIC_RELAXED); \
  if (!f) {                                                       \
    f = (__typeof__(&name))lazy_symbol(#name);                    \
    __atomic_store_n(&real, f, __ATOMIC_RELAXED);                 \
  }
#define LAZY(ret, name, params, args) \
  ret name params {                   \
    RESOLVED(name)                    \
    return f args;                    \
  }
#define LAZY_VOID(name, params, args) \
  void name params {                  \
    RESOLVED(name)                    \
    f args;                           \
  }

#endif
