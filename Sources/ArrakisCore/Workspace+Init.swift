extension Workspace {
  /// A workspace given outright, for a path that cannot be detected (one that does not exist, so that its
  /// failed run is still recorded under the path the user typed).
  public static func plainDirectory(_ root: String) -> Workspace {
    Workspace(root: root, isGitRepository: false, gitBranch: nil)
  }
}
