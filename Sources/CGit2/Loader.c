// libgit2, loaded on first use. Linking it would make the dynamic loader map and relocate libgit2 and the
// libraries it needs (mbedtls, libssh2 and OpenSSL's libcrypto, http-parser, pcre2, zlib) at every start,
// about a fifth of `arrakis --version`'s instructions, for the many commands that never open a repository.
// Instead each libgit2 function arrakis calls is defined here with its prototype from git2.h (the
// compiler checks each one against the header), and forwards to the library's own, looked up once.
// A libgit2 function used anywhere in Sources/Git needs its line below: the link fails without it.
#define _GNU_SOURCE
#include "LazyLibrary.h"

// Hidden, not exported: the executable's dynamic symbol table (Swift links it with --export-dynamic) must
// not offer these names, or libgit2's calls to its own functions would come back through them.
#include <git2/common.h>
#undef GIT_EXTERN
#define GIT_EXTERN(type) extern type
#pragma GCC visibility push(hidden)
#include <git2.h>
#include "shim.h"

// The name the package installs (libgit2-1.5 on Debian 12), then the development link.
// Without it arrakis exits with the status of a git problem (ExitStatus.git in Sources/ArrakisCore/ExitStatus.swift).
static arrakis_lazy_library library = ARRAKIS_LAZY_LIBRARY_INIT("libgit2.so." LIBGIT2_SOVERSION, "libgit2.so", "libgit2." LIBGIT2_SOVERSION ".dylib", "libgit2 " LIBGIT2_SOVERSION, "libgit2-" LIBGIT2_SOVERSION, "libgit2 " LIBGIT2_VERSION, 10);

static void *lazy_symbol(const char *name) { return arrakis_lazy_symbol(&library, name); }

int arrakis_git_set_strict_hash_verification(int enabled) {
  RESOLVED(git_libgit2_opts)
  return f(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

int arrakis_git_set_cache_object_limit(git_object_t type, size_t bytes) {
  RESOLVED(git_libgit2_opts)
  return f(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, bytes);
}

LAZY_VOID(git_blob_free, (git_blob *blob), (blob))
LAZY(int, git_blob_lookup, (git_blob **blob, git_repository *repo, const git_oid *id), (blob, repo, id))
LAZY(const void *, git_blob_rawcontent, (const git_blob *blob), (blob))
LAZY(git_object_size_t, git_blob_rawsize, (const git_blob *blob), (blob))
LAZY(int, git_branch_create, (git_reference **out, git_repository *repo, const char *branch_name, const git_commit *target, int force), (out, repo, branch_name, target, force))
LAZY(int, git_branch_delete, (git_reference *branch), (branch))
LAZY(int, git_branch_lookup, (git_reference **out, git_repository *repo, const char *branch_name, git_branch_t branch_type), (out, repo, branch_name, branch_type))
LAZY_VOID(git_buf_dispose, (git_buf *buffer), (buffer))
LAZY(int, git_checkout_options_init, (git_checkout_options *opts, unsigned int version), (opts, version))
LAZY(int, git_checkout_tree, (git_repository *repo, const git_object *treeish, const git_checkout_options *opts), (repo, treeish, opts))
LAZY(const git_signature *, git_commit_author, (const git_commit *commit), (commit))
LAZY(int, git_commit_create, (git_oid *id, git_repository *repo, const char *update_ref, const git_signature *author, const git_signature *committer, const char *message_encoding, const char *message, const git_tree *tree, size_t parent_count, const git_commit *parents[]), (id, repo, update_ref, author, committer, message_encoding, message, tree, parent_count, parents))
LAZY_VOID(git_commit_free, (git_commit *commit), (commit))
LAZY(const git_oid *, git_commit_id, (const git_commit *commit), (commit))
LAZY(int, git_commit_lookup, (git_commit **commit, git_repository *repo, const git_oid *id), (commit, repo, id))
LAZY(int, git_commit_parent, (git_commit **out, const git_commit *commit, unsigned int n), (out, commit, n))
LAZY(const git_oid *, git_commit_parent_id, (const git_commit *commit, unsigned int n), (commit, n))
LAZY(unsigned int, git_commit_parentcount, (const git_commit *commit), (commit))
LAZY(const char *, git_commit_summary, (git_commit *commit), (commit))
LAZY(git_time_t, git_commit_time, (const git_commit *commit), (commit))
LAZY(int, git_commit_tree, (git_tree **tree_out, const git_commit *commit), (tree_out, commit))
LAZY_VOID(git_config_free, (git_config *cfg), (cfg))
LAZY(int, git_config_get_string_buf, (git_buf *out, const git_config *cfg, const char *name), (out, cfg, name))
LAZY(int, git_config_open_level, (git_config **out, const git_config *parent, git_config_level_t level), (out, parent, level))
LAZY(int, git_config_set_string, (git_config *cfg, const char *name, const char *value), (cfg, name, value))
LAZY(int, git_diff_find_options_init, (git_diff_find_options *opts, unsigned int version), (opts, version))
LAZY(int, git_diff_find_similar, (git_diff *diff, const git_diff_find_options *options), (diff, options))
LAZY_VOID(git_diff_free, (git_diff *diff), (diff))
LAZY(const git_diff_delta *, git_diff_get_delta, (const git_diff *diff, size_t idx), (diff, idx))
LAZY(size_t, git_diff_num_deltas, (const git_diff *diff), (diff))
LAZY(int, git_diff_options_init, (git_diff_options *opts, unsigned int version), (opts, version))
LAZY(int, git_diff_to_buf, (git_buf *out, git_diff *diff, git_diff_format_t format), (out, diff, format))
LAZY(int, git_diff_tree_to_tree, (git_diff **diff, git_repository *repo, git_tree *old_tree, git_tree *new_tree, const git_diff_options *opts), (diff, repo, old_tree, new_tree, opts))
LAZY(const git_error *, git_error_last, (void), ())
LAZY(int, git_graph_descendant_of, (git_repository *repo, const git_oid *commit, const git_oid *ancestor), (repo, commit, ancestor))
LAZY(int, git_index_add_all, (git_index *index, const git_strarray *pathspec, unsigned int flags, git_index_matched_path_cb callback, void *payload), (index, pathspec, flags, callback, payload))
LAZY_VOID(git_index_conflict_iterator_free, (git_index_conflict_iterator *iterator), (iterator))
LAZY(int, git_index_conflict_iterator_new, (git_index_conflict_iterator **iterator_out, git_index *index), (iterator_out, index))
LAZY(int, git_index_conflict_next, (const git_index_entry **ancestor_out, const git_index_entry **our_out, const git_index_entry **their_out, git_index_conflict_iterator *iterator), (ancestor_out, our_out, their_out, iterator))
LAZY_VOID(git_index_free, (git_index *index), (index))
LAZY(int, git_index_has_conflicts, (const git_index *index), (index))
LAZY(int, git_index_update_all, (git_index *index, const git_strarray *pathspec, git_index_matched_path_cb callback, void *payload), (index, pathspec, callback, payload))
LAZY(int, git_index_write, (git_index *index), (index))
LAZY(int, git_index_write_tree, (git_oid *out, git_index *index), (out, index))
LAZY(int, git_index_write_tree_to, (git_oid *out, git_index *index, git_repository *repo), (out, index, repo))
LAZY(int, git_libgit2_init, (void), ())
LAZY(int, git_merge_base, (git_oid *out, git_repository *repo, const git_oid *one, const git_oid *two), (out, repo, one, two))
LAZY(int, git_merge_options_init, (git_merge_options *opts, unsigned int version), (opts, version))
LAZY_VOID(git_object_free, (git_object *object), (object))
LAZY(const git_oid *, git_object_id, (const git_object *obj), (obj))
LAZY(int, git_object_peel, (git_object **peeled, const git_object *object, git_object_t target_type), (peeled, object, target_type))
LAZY(int, git_oid_equal, (const git_oid *a, const git_oid *b), (a, b))
LAZY(int, git_oid_fromstr, (git_oid *out, const char *str), (out, str))
LAZY(int, git_oid_is_zero, (const git_oid *id), (id))
LAZY(char *, git_oid_tostr, (char *out, size_t n, const git_oid *id), (out, n, id))
LAZY_VOID(git_patch_free, (git_patch *patch), (patch))
LAZY(int, git_patch_from_diff, (git_patch **out, git_diff *diff, size_t idx), (out, diff, idx))
LAZY(int, git_patch_line_stats, (size_t *total_context, size_t *total_additions, size_t *total_deletions, const git_patch *patch), (total_context, total_additions, total_deletions, patch))
LAZY(int, git_reference_create_matching, (git_reference **out, git_repository *repo, const char *name, const git_oid *id, int force, const git_oid *current_id, const char *log_message), (out, repo, name, id, force, current_id, log_message))
LAZY_VOID(git_reference_free, (git_reference *ref), (ref))
LAZY_VOID(git_reference_iterator_free, (git_reference_iterator *iter), (iter))
LAZY(int, git_reference_iterator_glob_new, (git_reference_iterator **out, git_repository *repo, const char *glob), (out, repo, glob))
LAZY(int, git_reference_lookup, (git_reference **out, git_repository *repo, const char *name), (out, repo, name))
LAZY(const char *, git_reference_name, (const git_reference *ref), (ref))
LAZY(int, git_reference_next, (git_reference **out, git_reference_iterator *iter), (out, iter))
LAZY(const char *, git_reference_shorthand, (const git_reference *ref), (ref))
LAZY(const char *, git_reference_symbolic_target, (const git_reference *ref), (ref))
LAZY(const git_oid *, git_reference_target, (const git_reference *ref), (ref))
LAZY(const char *, git_repository_commondir, (const git_repository *repo), (repo))
LAZY(int, git_repository_config, (git_config **out, git_repository *repo), (out, repo))
LAZY(int, git_repository_discover, (git_buf *out, const char *start_path, int across_fs, const char *ceiling_dirs), (out, start_path, across_fs, ceiling_dirs))
LAZY_VOID(git_repository_free, (git_repository *repo), (repo))
LAZY(int, git_repository_head, (git_reference **out, git_repository *repo), (out, repo))
LAZY(int, git_repository_head_detached, (git_repository *repo), (repo))
LAZY(int, git_repository_head_for_worktree, (git_reference **out, git_repository *repo, const char *name), (out, repo, name))
LAZY(int, git_repository_head_unborn, (git_repository *repo), (repo))
LAZY(int, git_repository_index, (git_index **out, git_repository *repo), (out, repo))
LAZY(int, git_repository_is_bare, (const git_repository *repo), (repo))
LAZY(int, git_repository_is_worktree, (const git_repository *repo), (repo))
LAZY(int, git_repository_open, (git_repository **out, const char *path), (out, path))
LAZY(int, git_repository_open_from_worktree, (git_repository **out, git_worktree *wt), (out, wt))
LAZY(const char *, git_repository_path, (const git_repository *repo), (repo))
LAZY(int, git_repository_state, (git_repository *repo), (repo))
LAZY(const char *, git_repository_workdir, (const git_repository *repo), (repo))
LAZY(int, git_revert_commit, (git_index **out, git_repository *repo, git_commit *revert_commit, git_commit *our_commit, unsigned int mainline, const git_merge_options *merge_options), (out, repo, revert_commit, our_commit, mainline, merge_options))
LAZY(int, git_revparse_single, (git_object **out, git_repository *repo, const char *spec), (out, repo, spec))
LAZY(int, git_revwalk_add_hide_cb, (git_revwalk *walk, git_revwalk_hide_cb hide_cb, void *payload), (walk, hide_cb, payload))
LAZY_VOID(git_revwalk_free, (git_revwalk *walk), (walk))
LAZY(int, git_revwalk_simplify_first_parent, (git_revwalk *walk), (walk))
LAZY(int, git_revwalk_new, (git_revwalk **out, git_repository *repo), (out, repo))
LAZY(int, git_revwalk_next, (git_oid *out, git_revwalk *walk), (out, walk))
LAZY(int, git_revwalk_push_head, (git_revwalk *walk), (walk))
LAZY_VOID(git_signature_free, (git_signature *sig), (sig))
LAZY(int, git_signature_new, (git_signature **out, const char *name, const char *email, git_time_t time, int offset), (out, name, email, time, offset))
LAZY(int, git_signature_now, (git_signature **out, const char *name, const char *email), (out, name, email))
LAZY(const git_status_entry *, git_status_byindex, (git_status_list *statuslist, size_t idx), (statuslist, idx))
LAZY(size_t, git_status_list_entrycount, (git_status_list *statuslist), (statuslist))
LAZY_VOID(git_status_list_free, (git_status_list *statuslist), (statuslist))
LAZY(int, git_status_list_new, (git_status_list **out, git_repository *repo, const git_status_options *opts), (out, repo, opts))
LAZY(int, git_status_options_init, (git_status_options *opts, unsigned int version), (opts, version))
LAZY_VOID(git_strarray_dispose, (git_strarray *array), (array))
LAZY(int, git_tree_entry_bypath, (git_tree_entry **out, const git_tree *root, const char *path), (out, root, path))
LAZY_VOID(git_tree_entry_free, (git_tree_entry *entry), (entry))
LAZY(const git_oid *, git_tree_entry_id, (const git_tree_entry *entry), (entry))
LAZY(git_object_t, git_tree_entry_type, (const git_tree_entry *entry), (entry))
LAZY_VOID(git_tree_free, (git_tree *tree), (tree))
LAZY(int, git_tree_lookup, (git_tree **out, git_repository *repo, const git_oid *id), (out, repo, id))
LAZY(int, git_worktree_add, (git_worktree **out, git_repository *repo, const char *name, const char *path, const git_worktree_add_options *opts), (out, repo, name, path, opts))
LAZY(int, git_worktree_add_options_init, (git_worktree_add_options *opts, unsigned int version), (opts, version))
LAZY_VOID(git_worktree_free, (git_worktree *wt), (wt))
LAZY(int, git_worktree_is_locked, (git_buf *reason, const git_worktree *wt), (reason, wt))
LAZY(int, git_worktree_list, (git_strarray *out, git_repository *repo), (out, repo))
LAZY(int, git_worktree_lock, (git_worktree *wt, const char *reason), (wt, reason))
LAZY(int, git_worktree_lookup, (git_worktree **out, git_repository *repo, const char *name), (out, repo, name))
LAZY(const char *, git_worktree_path, (const git_worktree *wt), (wt))
LAZY(int, git_worktree_prune, (git_worktree *wt, git_worktree_prune_options *opts), (wt, opts))
LAZY(int, git_worktree_prune_options_init, (git_worktree_prune_options *opts, unsigned int version), (opts, version))
LAZY(int, git_worktree_unlock, (git_worktree *wt), (wt))
LAZY(int, git_worktree_validate, (const git_worktree *wt), (wt))

#pragma GCC visibility pop
