import ArrakisCore
import FoundationEssentials
import Glibc
import Git
import Ledger

/// `arrakis rollback`: finds the recorded change, undoes it through git (branch deleted, or a revert commit
/// on the user's branch that refuses to touch uncommitted work), and records that it did, as a session of
/// its own.
public enum RollbackRunner {
  public static func run(_ request: RollbackRequest, ledger: Ledger) throws -> RollbackReport {
    var sessionStarted = false
    do {
      return try perform(request, ledger: ledger, sessionStarted: &sessionStarted)
    } catch let error as ArrakisError where !sessionStarted && !request.dryRun {
      // Refused before anything was undone (unknown id, already rolled back, wrong repository): still a
      // recorded run, failed, saying why.
      if let id = try? ledger.startSession(NewSession(systemType: .rollback, workspace: request.directory, prompt: "rollback (refused)")) {
        try? ledger.finishSession(id: id, status: .failed, error: error.message, exitCode: Int(error.status.rawValue), exitReason: "refused")
      }
      throw error
    }
  }

  private static func perform(_ request: RollbackRequest, ledger: Ledger, sessionStarted: inout Bool) throws -> RollbackReport {
    let rows = try RollbackTarget.resolve(request, ledger: ledger)
    let first = rows[0]
    guard let commit = first.resultCommit else {
      throw ArrakisError(.usage, "modification \(first.id) has no commit to undo (\(first.status))",
                         hint: "only kept or merged changes can be rolled back")
    }
    if rows.allSatisfy(\.rollbackExecuted) {
      throw ArrakisError(.usage, "modification \(first.id) (\(commit.prefix(10))) is already rolled back",
                         hint: "see `arrakis log show \(first.sessionID.prefix(8))`")
    }
    let repo = try Repository.discover(from: request.directory)
    guard (try? repo.resolve(commit)) != nil else {
      throw ArrakisError(.git, "commit \(commit.prefix(10)) is not in \(repo.workdir ?? repo.gitDir)",
                         hint: "run rollback inside the repository the change was made in (-C DIR)")
    }
    let head = try repo.headState
    let merged = try head.commit.map { try repo.isAncestor(commit, of: $0) } ?? false
    let branchAlive = first.branch.map(repo.branchExists) ?? false
    guard merged || branchAlive else {
      throw ArrakisError(.git, "\(commit.prefix(10)) is neither on \(head.branch ?? "HEAD") nor on a branch any more",
                         hint: "it may have been undone by hand; nothing to roll back")
    }
    var report = RollbackReport(
      action: merged ? .revert : .deleteBranch, dryRun: request.dryRun, sessionId: nil, modificationIds: rows.map(\.id),
      commit: commit, branch: first.branch, userBranch: head.branch, revertCommit: nil, improvementId: first.improvementID,
      files: rows.compactMap(\.filePath), message: "")
    if request.dryRun {
      report.message = merged
        ? "would revert \(commit.prefix(10)) on \(head.branch ?? "HEAD") (\(report.files.count) file(s))"
        : "would delete branch \(first.branch ?? "?") (\(commit.prefix(10)), never merged)"
      return report
    }

    let sessionID = try ledger.startSession(NewSession(
      systemType: .rollback, workspace: repo.workdir, gitBranch: merged ? head.branch : first.branch,
      prompt: "rollback \(commit.prefix(10)) from session \(first.sessionID.prefix(8))"))
    report.sessionId = sessionID
    sessionStarted = true
    do {
      if merged {
        report.revertCommit = try repo.revert(
          commit: commit,
          message: "Revert \"\(try subject(of: commit, in: repo))\"\n\nThis reverts commit \(commit).\n\nArrakis-Session: \(sessionID)\n")
        report.message = "reverted \(commit.prefix(10)) on \(head.branch ?? "HEAD") with \(report.revertCommit!.prefix(10))"
      } else {
        try repo.deleteBranch(first.branch!)
        report.message = "deleted branch \(first.branch!) (\(commit.prefix(10)), never merged)"
      }
      for row in rows where !row.rollbackExecuted {
        try ledger.markRolledBack(modificationID: row.id, revertCommit: report.revertCommit)
      }
      if let id = first.improvementID { try? ledger.setImprovementStatus(id: id, status: .rolledBack) }
      try ledger.finishSession(id: sessionID, status: .success, exitCode: 0, exitReason: report.action.rawValue)
      return report
    } catch {
      let wrapped = error as? ArrakisError ?? ArrakisError(.git, "\(error)")
      try? ledger.finishSession(id: sessionID, status: .failed, error: wrapped.message, exitCode: Int(wrapped.status.rawValue), exitReason: "refused")
      throw wrapped
    }
  }

  static func subject(of commit: String, in repo: Repository) throws -> String {
    // The commit is on HEAD's history (that is why it is reverted); a recent one is found quickly.
    try repo.commits(limit: 5000).first { $0.id == commit }?.summary ?? String(commit.prefix(10))
  }
}
