import CGit2

/// What happened to one path between two commits.
public enum FileChangeStatus: String, Sendable {
  case added, modified, deleted, renamed, typeChange
}

/// One file of a diff between two commits, with its before/after text for the self-modification record.
public struct FileChange: Equatable, Sendable {
  /// The path after the change (the old path for a deletion).
  public var path: String
  /// The path before a rename; nil otherwise.
  public var oldPath: String?
  public var status: FileChangeStatus
  public var additions: Int
  public var deletions: Int
  public var isBinary: Bool
  /// Content before (nil when added or binary) and after (nil when deleted or binary).
  public var oldContent: String?
  public var newContent: String?
}

extension Repository {
  /// Files that differ between `base` and `commit` (any revisions), with renames detected, line counts
  /// and before/after contents.
  public func changedFiles(from base: String, to commit: String) throws -> [FileChange] {
    try gitBoundary("cannot diff \(base)..\(commit)") {
      let diff = try treeDiff(from: base, to: commit)
      defer { git_diff_free(diff) }
      let stats = try lineStats(of: diff)
      return try stats.enumerated().map { i, stat in
        let delta = git_diff_get_delta(diff, i)!.pointee
        let oldPath = String(cString: delta.old_file.path)
        let status = FileChangeStatus(delta.status)
        return FileChange(
          path: stat.path, oldPath: status == .renamed ? oldPath : nil, status: status,
          additions: stat.additions, deletions: stat.deletions, isBinary: stat.isBinary,
          oldContent: stat.isBinary ? nil : try blobText(delta.old_file.id),
          newContent: stat.isBinary ? nil : try blobText(delta.new_file.id))
      }
    }
  }

  /// The unified diff between two revisions (`git diff base commit` with rename detection).
  public func patch(from base: String, to commit: String) throws -> String {
    try gitBoundary("cannot diff \(base)..\(commit)") {
      let diff = try treeDiff(from: base, to: commit)
      defer { git_diff_free(diff) }
      var buf = git_buf()
      try check(git_diff_to_buf(&buf, diff, GIT_DIFF_FORMAT_PATCH))
      return takeBuf(&buf)
    }
  }

  /// A tree-to-tree diff with renames found; the caller frees it with `git_diff_free`.
  private func treeDiff(from base: String, to commit: String) throws -> OpaquePointer {
    let oldTree = try tree(ofRevision: base)
    defer { git_tree_free(oldTree) }
    let newTree = try tree(ofRevision: commit)
    defer { git_tree_free(newTree) }
    var diff: OpaquePointer?
    try check(git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, nil))
    var find = git_diff_find_options()
    try check(git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)))
    find.flags = GIT_DIFF_FIND_RENAMES.rawValue
    do { try check(git_diff_find_similar(diff, &find)) } catch { git_diff_free(diff); throw error }
    return diff!
  }
}

extension FileChangeStatus {
  init(_ delta: git_delta_t) {
    switch delta {
    case GIT_DELTA_ADDED: self = .added
    case GIT_DELTA_DELETED: self = .deleted
    case GIT_DELTA_RENAMED: self = .renamed
    case GIT_DELTA_TYPECHANGE: self = .typeChange
    default: self = .modified
    }
  }
}
