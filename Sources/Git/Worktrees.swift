import ArrakisCore
import CGit2
import FoundationEssentials
import Glibc

/// A linked worktree as `git worktree list` knows it.
public struct WorktreeInfo: Equatable, Sendable {
  public var name: String
  public var path: String
  /// The branch checked out there; nil when detached or unreadable.
  public var branch: String?
  public var isLocked: Bool
  /// False when its directory is gone (what `git worktree prune` would clean up).
  public var isValid: Bool
}

extension Repository {
  /// Creates worktree `name` at `path` (outside the user's tree; parent directories are created) with
  /// `branch` checked out. The branch is created at HEAD when it does not exist yet. Returns the worktree's
  /// repository. `name` becomes `.git/worktrees/<name>`, so it must not contain "/".
  public func addWorktree(name: String, path: String, branch: String) throws -> Repository {
    try gitBoundary("cannot add worktree \(name) at \(path)") {
      if !branchExists(branch) {
        guard let head = headCommitID else {
          throw ArrakisError(.git, "cannot add worktree \(name): HEAD has no commit yet", hint: "make a first commit")
        }
        try createBranch(branch, at: head)
      }
      var ref: OpaquePointer?
      try check(git_branch_lookup(&ref, pointer, branch, GIT_BRANCH_LOCAL))
      defer { git_reference_free(ref) }
      try FileManager.default.createDirectory(
        atPath: path.deletingLastPathComponent, withIntermediateDirectories: true)
      var options = git_worktree_add_options()
      try check(git_worktree_add_options_init(&options, UInt32(GIT_WORKTREE_ADD_OPTIONS_VERSION)))
      options.ref = ref
      var worktree: OpaquePointer?
      try check(git_worktree_add(&worktree, pointer, name, path, &options))
      defer { git_worktree_free(worktree) }
      var repo: OpaquePointer?
      try check(git_repository_open_from_worktree(&repo, worktree))
      return Repository(pointer: repo!)
    }
  }

  /// Deletes worktree `name` completely: its directory and `.git/worktrees/<name>`, even when locked.
  /// The branch stays. Release any `Repository` opened on that worktree first.
  public func removeWorktree(name: String) throws {
    try gitBoundary("cannot remove worktree \(name)") {
      try withWorktree(name) { worktree in
        try prune(worktree, flags: GIT_WORKTREE_PRUNE_VALID.rawValue | GIT_WORKTREE_PRUNE_WORKING_TREE.rawValue
          | GIT_WORKTREE_PRUNE_LOCKED.rawValue)
      }
    }
  }

  /// Linked worktrees (not the main checkout), sorted by name.
  public func listWorktrees() throws -> [WorktreeInfo] {
    try gitBoundary("cannot list worktrees") {
      var names = git_strarray()
      try check(git_worktree_list(&names, pointer))
      return try takeStrArray(&names).sorted().map { name in
        try withWorktree(name) { worktree in
          var ref: OpaquePointer?
          var branch: String?
          if git_repository_head_for_worktree(&ref, pointer, name) == 0 {
            let refName = String(cString: git_reference_name(ref))
            if refName.hasPrefix("refs/heads/") { branch = shortBranchName(refName) }
            git_reference_free(ref)
          }
          return WorktreeInfo(
            name: name, path: trimmedDirectory(String(cString: git_worktree_path(worktree))), branch: branch,
            isLocked: try check(git_worktree_is_locked(nil, worktree)) > 0,
            isValid: git_worktree_validate(worktree) == 0)
        }
      }
    }
  }

  /// Cleans up after crashed or killed runs: removes worktrees whose directory is gone (unless locked, as
  /// git does), and unlocked worktrees named with `prefix` (ours) even when their directory still exists.
  /// Returns the names removed.
  @discardableResult
  public func pruneStale(prefix: String = "arrakis-") throws -> [String] {
    try gitBoundary("cannot prune worktrees") {
      var pruned: [String] = []
      for info in try listWorktrees() where !info.isLocked && (!info.isValid || info.name.hasPrefix(prefix)) {
        try withWorktree(info.name) { worktree in
          try prune(worktree, flags: GIT_WORKTREE_PRUNE_VALID.rawValue | GIT_WORKTREE_PRUNE_WORKING_TREE.rawValue)
        }
        pruned.append(info.name)
      }
      return pruned
    }
  }

  /// Locks a worktree so `pruneStale` and `git worktree prune` leave it alone while a run uses it.
  public func lockWorktree(name: String, reason: String? = nil) throws {
    try gitBoundary("cannot lock worktree \(name)") {
      try withWorktree(name) { try check(git_worktree_lock($0, reason)) }
    }
  }

  public func unlockWorktree(name: String) throws {
    try gitBoundary("cannot unlock worktree \(name)") {
      try withWorktree(name) { try check(git_worktree_unlock($0)) }
    }
  }

  private func withWorktree<T>(_ name: String, _ body: (OpaquePointer) throws -> T) throws -> T {
    var worktree: OpaquePointer?
    try check(git_worktree_lookup(&worktree, pointer, name))
    defer { git_worktree_free(worktree) }
    return try body(worktree!)
  }

  private func prune(_ worktree: OpaquePointer, flags: UInt32) throws {
    var options = git_worktree_prune_options()
    try check(git_worktree_prune_options_init(&options, UInt32(GIT_WORKTREE_PRUNE_OPTIONS_VERSION)))
    options.flags = flags
    try check(git_worktree_prune(worktree, &options))
  }
}
