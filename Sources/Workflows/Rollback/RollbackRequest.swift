/// What `arrakis rollback` was asked to undo.
public struct RollbackRequest: Sendable {
  /// A modification id, a session id or prefix, or an improvement id; nil with `last`.
  public var target: String?
  public var last = false
  public var dryRun = false
  public var directory: String

  public init(target: String?, last: Bool, directory: String) {
    self.target = target
    self.last = last
    self.directory = directory
  }
}
