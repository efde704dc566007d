import ArrakisCore
import CGit2

/// An open git repository (a main checkout or a linked worktree). Not thread-safe: libgit2 repository
/// handles must not be used from two threads at once, so give each task its own `Repository`.
public final class Repository {
  let pointer: OpaquePointer

  init(pointer: OpaquePointer) { self.pointer = pointer }
  deinit { git_repository_free(pointer) }

  /// Finds the repository containing `path` (any subdirectory works), like `git rev-parse --git-dir`.
  public static func discover(from path: String) throws -> Repository {
    ensureLibgit2()
    var buf = git_buf()
    let rc = git_repository_discover(&buf, path, 0, nil)
    if rc == GIT_ENOTFOUND.rawValue {
      git_buf_dispose(&buf)
      throw ArrakisError(.git, "not a git repository: \(path)", hint: "run inside a git repository or pass --repo")
    }
    let found: String = try gitBoundary("cannot look for a repository at \(path)") {
      try check(rc)
      return takeBuf(&buf)
    }
    return try open(path: found)
  }

  /// Opens the repository whose working directory or git directory is exactly `path`.
  public static func open(path: String) throws -> Repository {
    try gitBoundary("cannot open repository \(path)") {
      var repo: OpaquePointer?
      let rc = git_repository_open(&repo, path)
      if rc == GIT_ENOTFOUND.rawValue {
        throw ArrakisError(.git, "not a git repository: \(path)", hint: "run inside a git repository or pass --repo")
      }
      try check(rc)
      return Repository(pointer: repo!)
    }
  }

  /// The working directory without a trailing slash; nil for a bare repository.
  public var workdir: String? { git_repository_workdir(pointer).map { trimmedDirectory(String(cString: $0)) } }

  /// This checkout's git directory (`.git`, or `.git/worktrees/<name>` for a linked worktree).
  public var gitDir: String { trimmedDirectory(String(cString: git_repository_path(pointer))) }

  /// The directory shared by all worktrees (objects, refs, config); equals `gitDir` for a main checkout.
  public var commonDir: String { trimmedDirectory(String(cString: git_repository_commondir(pointer))) }

  public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

  /// True when this handle is a linked worktree rather than the main checkout.
  public var isWorktree: Bool { git_repository_is_worktree(pointer) == 1 }

  /// Where HEAD points: an unborn branch (fresh `git init`), a detached commit, or a branch tip.
  public var headState: HeadState {
    get throws {
      try gitBoundary("cannot read HEAD") {
        if try check(git_repository_head_unborn(pointer)) == 1 {
          var ref: OpaquePointer?
          try check(git_reference_lookup(&ref, pointer, "HEAD"))
          defer { git_reference_free(ref) }
          let target = git_reference_symbolic_target(ref).map { String(cString: $0) } ?? "HEAD"
          return .unborn(branch: shortBranchName(target))
        }
        var ref: OpaquePointer?
        try check(git_repository_head(&ref, pointer))
        defer { git_reference_free(ref) }
        let oid = git_reference_target(ref)!.pointee.hex
        if try check(git_repository_head_detached(pointer)) == 1 { return .detached(commit: oid) }
        return .branch(name: String(cString: git_reference_shorthand(ref)), commit: oid)
      }
    }
  }

  /// The commit HEAD points at; nil when HEAD is unborn or unreadable.
  public var headCommitID: String? { (try? headState)?.commit }

  /// The checked-out branch's short name (also for an unborn branch); nil when detached.
  public var currentBranch: String? { (try? headState)?.branch }

  /// An operation git left half-done (merge, revert, rebase…). Callers refuse to work while it is not `.none`.
  public var state: RepositoryState { RepositoryState(raw: git_repository_state(pointer)) }

  // MARK: internal helpers shared by the feature files

  /// Resolves any revision (`HEAD`, a branch, a short or full id, `main~2`) to a commit id.
  func commitOID(_ rev: String) throws -> git_oid {
    var object: OpaquePointer?
    try check(git_revparse_single(&object, pointer, rev))
    defer { git_object_free(object) }
    var commit: OpaquePointer?
    try check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT))
    defer { git_object_free(commit) }
    return git_object_id(commit)!.pointee
  }

  /// Looks up a commit; the caller frees it with `git_commit_free`.
  func lookupCommit(_ oid: git_oid) throws -> OpaquePointer {
    var oid = oid
    var commit: OpaquePointer?
    try check(git_commit_lookup(&commit, pointer, &oid))
    return commit!
  }

  /// The tree of a commit given by revision; the caller frees it with `git_tree_free`.
  func tree(ofRevision rev: String) throws -> OpaquePointer {
    let commit = try lookupCommit(try commitOID(rev))
    defer { git_commit_free(commit) }
    var tree: OpaquePointer?
    try check(git_commit_tree(&tree, commit))
    return tree!
  }
}

func shortBranchName(_ refName: String) -> String {
  refName.hasPrefix("refs/heads/") ? String(refName.dropFirst("refs/heads/".count)) : refName
}
