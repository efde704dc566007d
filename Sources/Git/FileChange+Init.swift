extension FileChange {
  /// A change built by hand from its two texts (tests of code that judges diffs); line counts are left 0.
  public init(path: String, status: FileChangeStatus, before: String?, after: String?, oldPath: String? = nil) {
    self.init(
      path: path, oldPath: oldPath, status: status, additions: 0, deletions: 0, isBinary: false, oldContent: before,
      newContent: after)
  }
}
