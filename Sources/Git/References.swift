import ArrakisCore
import CGit2

extension Repository {
  /// Creates local branch `name` at `commit` (any revision). Refuses to move an existing branch unless `force`.
  public func createBranch(_ name: String, at commit: String, force: Bool = false) throws {
    try gitBoundary("cannot create branch \(name) at \(commit)") {
      let target = try lookupCommit(try commitOID(commit))
      defer { git_commit_free(target) }
      var ref: OpaquePointer?
      try check(git_branch_create(&ref, pointer, name, target, force ? 1 : 0))
      git_reference_free(ref)
    }
  }

  /// Deletes local branch `name`. libgit2 refuses when it is checked out in any worktree, which is what we want.
  public func deleteBranch(_ name: String) throws {
    try gitBoundary("cannot delete branch \(name)") {
      var ref: OpaquePointer?
      try check(git_branch_lookup(&ref, pointer, name, GIT_BRANCH_LOCAL))
      defer { git_reference_free(ref) }
      try check(git_branch_delete(ref))
    }
  }

  public func branchExists(_ name: String) -> Bool {
    ensureLibgit2()
    var ref: OpaquePointer?
    guard git_branch_lookup(&ref, pointer, name, GIT_BRANCH_LOCAL) == 0 else { return false }
    git_reference_free(ref)
    return true
  }

  /// Local branch names starting with `prefix` (e.g. "arrakis/improve/"), sorted.
  public func branches(withPrefix prefix: String = "") throws -> [String] {
    try gitBoundary("cannot list branches") {
      var iterator: OpaquePointer?
      try check(git_reference_iterator_glob_new(&iterator, pointer, "refs/heads/\(prefix)*"))
      defer { git_reference_iterator_free(iterator) }
      var names: [String] = []
      var ref: OpaquePointer?
      while true {
        let rc = git_reference_next(&ref, iterator)
        if rc == GIT_ITEROVER.rawValue { break }
        try check(rc)
        names.append(shortBranchName(String(cString: git_reference_name(ref))))
        git_reference_free(ref)
      }
      return names.sorted()
    }
  }

  /// The full commit id a revision names: a branch, tag, `HEAD~2`, a short id…
  public func resolve(_ revision: String) throws -> String {
    try gitBoundary("cannot resolve \(revision)") { try commitOID(revision).hex }
  }

  /// The commit a local branch points at, or nil when there is no such branch.
  public func branchTip(_ name: String) throws -> String? {
    guard branchExists(name) else { return nil }
    return try resolve("refs/heads/\(name)")
  }

  /// Moves `branch` forward to `commit`, which must descend from (or equal) the branch's current tip: a merge
  /// that never creates a merge commit. The ref update is compare-and-swap against the tip we checked, so a
  /// concurrent commit makes this fail instead of being lost. When the branch is checked out here, the working
  /// tree and index are updated first with a safe checkout, which refuses to overwrite uncommitted edits.
  public func fastForward(branch: String, to commit: String) throws {
    try gitBoundary("cannot fast-forward \(branch) to \(commit)") {
      let refName = "refs/heads/\(branch)"
      var old = try commitOID(refName)
      var new = try commitOID(commit)
      if git_oid_equal(&old, &new) == 1 { return }
      if try check(git_graph_descendant_of(pointer, &new, &old)) != 1 {
        throw ArrakisError(
          .git, "cannot fast-forward \(branch): \(new.hex.prefix(12)) does not descend from \(old.hex.prefix(12))",
          hint: "\(branch) moved since the change was made; rebase or redo the change on the new tip")
      }
      if currentBranch == branch, !isBare {
        let tree = try self.tree(ofRevision: new.hex)
        defer { git_tree_free(tree) }
        var options = git_checkout_options()
        try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)))
        options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
        try check(git_checkout_tree(pointer, tree, &options))
      }
      var ref: OpaquePointer?
      try check(git_reference_create_matching(&ref, pointer, refName, &new, 1, &old, "arrakis: fast-forward"))
      git_reference_free(ref)
    }
  }
}
