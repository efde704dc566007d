/// How a rollback went, for the renderer and `--json`.
public struct RollbackReport: Encodable, Sendable {
  public enum Action: String, Encodable, Sendable {
    /// The change was never merged: its branch is deleted.
    case deleteBranch = "delete_branch"
    /// The change is on the user's branch: a revert commit undoes it.
    case revert
  }

  public var action: Action
  public var dryRun: Bool
  public var sessionId: String?
  public var modificationIds: [Int64]
  public var commit: String
  public var branch: String?
  public var userBranch: String?
  public var revertCommit: String?
  public var improvementId: String?
  public var files: [String]
  public var message: String
}
