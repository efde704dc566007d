import CGit2

extension Repository {
  /// The paths `git status --porcelain` prints by default, sorted: staged, unstaged and untracked, with a
  /// wholly untracked directory as one "dir/" entry instead of every file in it (a stray build or
  /// node_modules directory costs one entry, not a walk of it). Ignored files are left out, and so are
  /// submodules and rename detection. For telling an agent what is uncommitted; `status()` has the detail.
  public func changedPaths() throws -> [String] {
    try gitBoundary("cannot read status") {
      var options = git_status_options()
      try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)))
      options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
      options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
      var list: OpaquePointer?
      try check(git_status_list_new(&list, pointer, &options))
      defer { git_status_list_free(list) }
      return (0..<git_status_list_entrycount(list)).compactMap { i -> String? in
        guard let entry = git_status_byindex(list, i)?.pointee,
          let delta = entry.head_to_index ?? entry.index_to_workdir,
          let path = delta.pointee.new_file.path ?? delta.pointee.old_file.path
        else { return nil }
        return String(cString: path)
      }.sorted()
    }
  }
}
