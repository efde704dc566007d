import CGit2

/// How a path differs, on one side of `git status` (HEAD→index or index→worktree).
public enum ChangeKind: String, Sendable {
  case added, modified, deleted, renamed, typeChange, untracked
}

/// One line of `git status --porcelain`: the path and what changed in the index and in the working tree.
public struct FileStatus: Equatable, Sendable {
  public var path: String
  /// HEAD → index (staged); nil when the index matches HEAD for this path.
  public var index: ChangeKind?
  /// index → working tree (unstaged or untracked); nil when they match.
  public var worktree: ChangeKind?
  public var isConflicted: Bool
}

extension Repository {
  /// Staged, unstaged and untracked paths (untracked directories are expanded to files); ignored files are left out.
  /// Rename detection is off: it costs a similarity pass and callers only need the paths.
  public func status() throws -> [FileStatus] {
    try gitBoundary("cannot read status") {
      var options = git_status_options()
      try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)))
      options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
      options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
        | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
      var list: OpaquePointer?
      try check(git_status_list_new(&list, pointer, &options))
      defer { git_status_list_free(list) }
      return (0..<git_status_list_entrycount(list)).compactMap { i in
        guard let entry = git_status_byindex(list, i)?.pointee else { return nil }
        let delta = entry.head_to_index ?? entry.index_to_workdir
        guard let delta, let path = delta.pointee.new_file.path ?? delta.pointee.old_file.path else { return nil }
        let flags = entry.status.rawValue
        return FileStatus(
          path: String(cString: path), index: indexKind(flags), worktree: worktreeKind(flags),
          isConflicted: flags & GIT_STATUS_CONFLICTED.rawValue != 0)
      }
    }
  }

  /// True when anything is staged, modified or untracked (ignored files do not count).
  public var isDirty: Bool { get throws { !(try status()).isEmpty } }

  /// Every path `status()` reports, sorted.
  public var dirtyPaths: [String] { get throws { try status().map(\.path).sorted() } }
}

private func indexKind(_ flags: UInt32) -> ChangeKind? {
  if flags & GIT_STATUS_INDEX_NEW.rawValue != 0 { return .added }
  if flags & GIT_STATUS_INDEX_MODIFIED.rawValue != 0 { return .modified }
  if flags & GIT_STATUS_INDEX_DELETED.rawValue != 0 { return .deleted }
  if flags & GIT_STATUS_INDEX_RENAMED.rawValue != 0 { return .renamed }
  if flags & GIT_STATUS_INDEX_TYPECHANGE.rawValue != 0 { return .typeChange }
  return nil
}

private func worktreeKind(_ flags: UInt32) -> ChangeKind? {
  if flags & GIT_STATUS_WT_NEW.rawValue != 0 { return .untracked }
  if flags & GIT_STATUS_WT_MODIFIED.rawValue != 0 { return .modified }
  if flags & GIT_STATUS_WT_DELETED.rawValue != 0 { return .deleted }
  if flags & GIT_STATUS_WT_RENAMED.rawValue != 0 { return .renamed }
  if flags & GIT_STATUS_WT_TYPECHANGE.rawValue != 0 { return .typeChange }
  return nil
}
