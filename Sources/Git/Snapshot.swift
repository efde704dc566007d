import ArrakisCore
import CGit2

extension Repository {
  /// Records the working tree as it is now (`git add -A`, then a commit whose parent is HEAD) without
  /// moving any branch: a dangling commit that `changedFiles(from:to:)` can diff against, so a gate can
  /// see what changed before deciding whether to commit it. Meant for arrakis's own worktrees: it stages.
  public func snapshotCommit(message: String = "arrakis: snapshot") throws -> String {
    try stageAll()
    return try gitBoundary("cannot snapshot \(workdir ?? gitDir)") {
      try commitTree(try indexTree(), message: message, author: .fallback, committer: .fallback, movingHEAD: false).hex
    }
  }
}
