#ifndef ARRAKIS_CGIT2_SHIM_H
#define ARRAKIS_CGIT2_SHIM_H
#include <git2.h>

// git_libgit2_opts is variadic, which Swift cannot call: one fixed-signature wrapper per option we set.

/// Whether every object read is re-hashed and compared with its id (libgit2's default: on).
static inline int arrakis_git_set_strict_hash_verification(int enabled) {
  return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/// The largest object of `type` the per-repository object cache keeps.
static inline int arrakis_git_set_cache_object_limit(git_object_t type, size_t bytes) {
  return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, bytes);
}
#endif
