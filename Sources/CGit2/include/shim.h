#ifndef ARRAKIS_CGIT2_SHIM_H
#define ARRAKIS_CGIT2_SHIM_H
#include <git2.h>

// libgit2 is not linked: Loader.c loads it on the first call (see there), so commands that never touch a
// repository do not pay for loading it and its libraries at start-up.

// git_libgit2_opts is variadic, which Swift cannot call: one fixed-signature wrapper per option we set.

/// Whether every object read is re-hashed and compared with its id (libgit2's default: on).
int arrakis_git_set_strict_hash_verification(int enabled);

/// The largest object of `type` the per-repository object cache keeps.
int arrakis_git_set_cache_object_limit(git_object_t type, size_t bytes);
#endif
