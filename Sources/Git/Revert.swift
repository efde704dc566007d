import ArrakisCore
import CGit2

extension Repository {
  /// Reverts `commit` on this repository's current branch, like `git revert` but without touching anything
  /// the user is working on: the revert is computed in memory against HEAD, committed on HEAD's branch, and
  /// only the files it touches are updated in the index and working tree. Refuses (ArrakisError, nothing
  /// changed) when an operation is in progress, HEAD is not a branch, the revert conflicts, or the user has
  /// uncommitted changes to a file the revert touches. A merge commit is reverted against its first parent.
  /// Returns the new commit id.
  @discardableResult
  public func revert(commit: String, message: String? = nil) throws -> String {
    try gitBoundary("cannot revert \(commit)") {
      guard state == .none else {
        throw ArrakisError(.git, "cannot revert \(commit): \(state.inProgressDescription)",
                           hint: "finish or abort it first")
      }
      guard case .branch(let branch, let headID) = try headState else {
        throw ArrakisError(.git, "cannot revert \(commit): HEAD is not on a branch", hint: "check out a branch")
      }
      let target = try lookupCommit(try commitOID(commit))
      defer { git_commit_free(target) }
      let head = try lookupCommit(try parseOID(headID))
      defer { git_commit_free(head) }

      let treeID = try revertedTree(of: target, onto: head, commit: commit)
      let paths = try changedPaths(from: headID, toTree: treeID)
      if paths.isEmpty {
        throw ArrakisError(.git, "cannot revert \(commit): it changes nothing on \(branch)",
                           hint: "it may already be reverted")
      }
      let touched = Set(paths)
      let busy = try status().filter { touched.contains($0.path) }.map(\.path)
      if !busy.isEmpty {
        throw ArrakisError(
          .git, "cannot revert \(commit): uncommitted changes to \(busy.sorted().joined(separator: ", "))",
          hint: "commit or stash those files, then retry")
      }

      // Working tree first, committed second: a safe checkout against the old HEAD either updates exactly
      // these files or fails before writing, and if the commit then failed the revert would only be pending.
      try checkout(tree: treeID, paths: paths)
      let summary = git_commit_summary(target).map { String(cString: $0) } ?? commit
      let text = message ?? "Revert \"\(summary)\"\n\nThis reverts commit \(git_commit_id(target)!.pointee.hex).\n"
      return try commitTree(treeID, message: text, author: nil, committer: nil).hex
    }
  }

  /// The tree HEAD would have with `target` undone, or a refusal naming the conflicting paths.
  private func revertedTree(of target: OpaquePointer, onto head: OpaquePointer, commit: String) throws -> git_oid {
    var mergeOptions = git_merge_options()
    try check(git_merge_options_init(&mergeOptions, UInt32(GIT_MERGE_OPTIONS_VERSION)))
    let mainline: UInt32 = git_commit_parentcount(target) > 1 ? 1 : 0
    var index: OpaquePointer?
    try check(git_revert_commit(&index, pointer, target, head, mainline, &mergeOptions))
    defer { git_index_free(index) }
    if git_index_has_conflicts(index) == 1 {
      throw ArrakisError(
        .git, "cannot revert \(commit): it conflicts with later changes in \(try conflictPaths(index!).joined(separator: ", "))",
        hint: "revert it by hand with `git revert`")
    }
    var treeID = git_oid()
    try check(git_index_write_tree_to(&treeID, index, pointer))
    return treeID
  }

  private func conflictPaths(_ index: OpaquePointer) throws -> [String] {
    var iterator: OpaquePointer?
    try check(git_index_conflict_iterator_new(&iterator, index))
    defer { git_index_conflict_iterator_free(iterator) }
    var paths: Set<String> = []
    var ancestor: UnsafePointer<git_index_entry>?
    var ours: UnsafePointer<git_index_entry>?
    var theirs: UnsafePointer<git_index_entry>?
    while git_index_conflict_next(&ancestor, &ours, &theirs, iterator) == 0 {
      if let entry = ours ?? theirs ?? ancestor { paths.insert(String(cString: entry.pointee.path)) }
    }
    return paths.sorted()
  }

  /// Paths that differ between a commit's tree and another tree (both sides of a rename count).
  private func changedPaths(from commit: String, toTree treeID: git_oid) throws -> [String] {
    var treeID = treeID
    let old = try tree(ofRevision: commit)
    defer { git_tree_free(old) }
    var new: OpaquePointer?
    try check(git_tree_lookup(&new, pointer, &treeID))
    defer { git_tree_free(new) }
    var diff: OpaquePointer?
    try check(git_diff_tree_to_tree(&diff, pointer, old, new, nil))
    defer { git_diff_free(diff) }
    var paths: Set<String> = []
    for i in 0..<git_diff_num_deltas(diff) {
      let delta = git_diff_get_delta(diff, i)!.pointee
      paths.insert(String(cString: delta.old_file.path))
      paths.insert(String(cString: delta.new_file.path))
    }
    return paths.sorted()
  }

  /// Safe checkout of `paths` only, from the tree `treeID`, with HEAD as the baseline; the rest of the user's
  /// index and working tree is left alone.
  private func checkout(tree treeID: git_oid, paths: [String]) throws {
    var treeID = treeID
    var tree: OpaquePointer?
    try check(git_tree_lookup(&tree, pointer, &treeID))
    defer { git_tree_free(tree) }
    var options = git_checkout_options()
    try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)))
    options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH.rawValue
    try withStrArray(paths) { array in
      options.paths = array
      try check(git_checkout_tree(pointer, tree, &options))
    }
  }
}
