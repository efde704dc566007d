import ArrakisCore
import FoundationEssentials
import Glibc
import Git
import Ledger

/// What `arrakis rollback --prune` was asked to clear away.
public struct BranchPruneRequest: Sendable {
  /// Kept branches whose change was recorded longer ago than this go.
  public var olderThan: TimeInterval
  /// How the age was written (`30.days`), for the session's record.
  public var olderThanText: String
  public var dryRun = false
  public var directory: String
  /// Where improve puts its worktrees (stale ones there are removed too).
  public var worktreeRoot: String
  public var now = Date()

  public init(olderThan: TimeInterval, olderThanText: String, directory: String, environment: Environment = Environment()) {
    self.olderThan = olderThan
    self.olderThanText = olderThanText
    self.directory = directory
    self.worktreeRoot = ImproveRequest.defaultWorktreeRoot(environment)
  }
}

/// What `rollback --prune` removed (or, with --dry-run, would remove) and what it left alone, and why.
public struct BranchPruneReport: Encodable, Sendable {
  public struct Branch: Encodable, Sendable, Equatable {
    public var branch: String
    public var commit: String?
    public var sessionId: String?
    public var improvementId: String?
    /// When improve recorded the change on this branch.
    public var recordedAt: Date?
    public var modificationIds: [Int64] = []
    /// Why it goes, or why it stays.
    public var reason: String
  }

  public var dryRun: Bool
  public var cutoff: Date
  /// The rollback session recording this prune (nil for --dry-run).
  public var sessionId: String?
  public var removed: [Branch] = []
  /// improve's branches that stay: merged, younger than the cutoff, moved since recorded.
  public var left: [Branch] = []
  /// `arrakis/improve/*` branches the ledger never recorded as kept: a person's, never touched.
  public var unknown: [String] = []
  /// Stale worktrees (git's records and leftover directories) and debris branches of killed runs.
  public var staleWorktrees: [String] = []
  public var staleBranches: [String] = []
  public var message = ""
}

/// `arrakis rollback --prune --older-than AGE`: deletes the `arrakis/improve/*` branches improve kept
/// (status kept or tampered, tip still the recorded commit) whose change was recorded before the cutoff and
/// is merged nowhere (not an ancestor of any local branch outside arrakis/, status not merged), plus stale
/// worktrees. A branch the ledger does not know is a person's: left alone and reported. Runs under the
/// improve lock, so nothing it sees belongs to a live run; recorded as one rollback session, each deleted
/// branch's modifications marked `pruned` and its improvement `pruned`.
public enum BranchPruner {
  public static func run(_ request: BranchPruneRequest, ledger: Ledger) throws -> BranchPruneReport {
    var sessionID: String?
    do {
      return try perform(request, ledger: ledger, sessionID: &sessionID)
    } catch {
      let wrapped = error as? ArrakisError ?? ArrakisError(.git, "\(error)")
      if !request.dryRun {
        // Recorded either way: the prune's own session, or a new one saying why it was refused.
        let id = sessionID ?? (try? ledger.startSession(NewSession(
          systemType: .rollback, workspace: request.directory, prompt: "rollback --prune (refused)")))
        if let id {
          try? ledger.finishSession(id: id, status: .failed, error: wrapped.message, exitCode: Int(wrapped.status.rawValue), exitReason: "refused")
        }
      }
      throw wrapped
    }
  }

  private static func perform(_ request: BranchPruneRequest, ledger: Ledger, sessionID: inout String?) throws -> BranchPruneReport {
    let repo = try Repository.discover(from: request.directory)
    guard let root = repo.workdir else {
      throw ArrakisError(.git, "\(repo.gitDir) is a bare repository", hint: "run rollback --prune in a checkout")
    }
    let lock = RepositoryLock(name: "improve", gitCommonDir: repo.commonDir)
    try lock.acquire(wait: false, repository: root)
    defer { lock.release() }
    var report = BranchPruneReport(dryRun: request.dryRun, cutoff: request.now.addingTimeInterval(-request.olderThan))
    if !request.dryRun {
      sessionID = try ledger.startSession(NewSession(
        systemType: .rollback, workspace: root, prompt: "rollback --prune --older-than \(request.olderThanText)"))
      report.sessionId = sessionID
    }

    let stale = try StaleRunCleanup.run(
      repository: repo, workspace: root, worktreeRoot: request.worktreeRoot, ledger: ledger, dryRun: request.dryRun)
    report.staleWorktrees = stale.worktrees + stale.directories
    report.staleBranches = stale.branches

    // Tips a merged change would be reachable from: every local branch that is not ours, and a detached HEAD.
    var others: [(String, String)] = try repo.branches().filter { !$0.hasPrefix("arrakis/") }
      .compactMap { name in try repo.branchTip(name).map { (name, $0) } }
    if try repo.headState.branch == nil, let head = try repo.headState.commit { others.append(("HEAD", head)) }

    for branch in try repo.branches(withPrefix: ScratchWorktree.branchPrefix) where !stale.branches.contains(branch) {
      guard let tip = try repo.branchTip(branch) else { continue }
      let recorded = try ledger.selfModifications(branch: branch).filter { $0.resultCommit != nil }
      let rows = recorded.filter { $0.resultCommit == tip }
      guard let row = rows.last else {
        if recorded.isEmpty {
          report.unknown.append(branch)
        } else {
          report.left.append(.init(branch: branch, commit: tip, reason: "moved since improve recorded it: someone committed on it"))
        }
        continue
      }
      var entry = BranchPruneReport.Branch(
        branch: branch, commit: tip, sessionId: row.sessionID, improvementId: row.improvementID, recordedAt: row.createdAt,
        modificationIds: rows.map(\.id), reason: "")
      if let into = try others.first(where: { try repo.isAncestor(tip, of: $0.1) }) {
        entry.reason = "merged: already on \(into.0)"
      } else if rows.contains(where: { $0.status == .merged }) {
        entry.reason = "recorded as merged"
      } else if rows.contains(where: \.rollbackExecuted) || !rows.allSatisfy({ [.kept, .tampered].contains($0.status) }) {
        entry.reason = "recorded as \(row.status), not as a kept branch"
      } else if row.createdAt >= report.cutoff {
        entry.reason = "kept \(age(request.now.timeIntervalSince(row.createdAt))) ago, younger than \(request.olderThanText)"
      } else {
        entry.reason = "kept \(age(request.now.timeIntervalSince(row.createdAt))) ago, never merged"
        report.removed.append(entry)
        continue
      }
      report.left.append(entry)
    }

    if !request.dryRun {
      for entry in report.removed {
        try repo.deleteBranch(entry.branch)
        try ledger.markPruned(modificationIDs: entry.modificationIds, at: request.now)
        if let id = entry.improvementId { try ledger.setImprovementStatus(id: id, status: .pruned) }
      }
    }
    let verb = request.dryRun ? "would remove" : "removed"
    var parts = ["\(verb) \(report.removed.count) kept branch(es) older than \(request.olderThanText)"]
    if !report.staleWorktrees.isEmpty || !report.staleBranches.isEmpty {
      parts.append("\(report.staleWorktrees.count) stale worktree(s) and \(report.staleBranches.count) debris branch(es)")
    }
    parts.append("left \(report.left.count) of improve's branch(es)")
    if !report.unknown.isEmpty { parts.append("\(report.unknown.count) arrakis/improve/ branch(es) the ledger does not know (a person's; untouched)") }
    report.message = parts.joined(separator: "; ")
    if let id = sessionID {
      try ledger.finishSession(id: id, status: .success, exitCode: 0, exitReason: "prune")
    }
    return report
  }

  /// `3 d`, `5 h`, `12 min`.
  static func age(_ seconds: TimeInterval) -> String {
    if seconds >= 86_400 { return "\(Int(seconds / 86_400)) d" }
    if seconds >= 3600 { return "\(Int(seconds / 3600)) h" }
    return "\(max(Int(seconds / 60), 0)) min"
  }
}
