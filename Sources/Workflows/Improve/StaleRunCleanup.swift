import ArrakisCore
import FoundationEssentials
import Glibc
import Git
import Ledger

/// What a killed run left behind, found and removed by the next run while it holds the repository lock
/// (so nothing found can belong to a live run): its worktree, its directory, its branch when nothing was
/// recorded on it, and its session row still saying "running".
public enum StaleRunCleanup {
  public struct Report: Sendable, Equatable {
    public var worktrees: [String] = []
    public var directories: [String] = []
    public var branches: [String] = []
    public var sessions: [String] = []
    public var isEmpty: Bool { worktrees.isEmpty && directories.isEmpty && branches.isEmpty && sessions.isEmpty }
  }

  /// With `dryRun`, reports what it would remove and changes nothing (`rollback --prune --dry-run`).
  public static func run(
    repository: Repository, workspace: String, worktreeRoot: String, ledger: Ledger, dryRun: Bool = false
  ) throws -> Report {
    var report = Report()
    if dryRun {
      report.worktrees = try repository.listWorktrees()
        .filter { !$0.isLocked && (!$0.isValid || $0.name.hasPrefix(ScratchWorktree.namePrefix)) }.map(\.name)
    } else {
      report.worktrees = try repository.pruneStale(prefix: ScratchWorktree.namePrefix)
    }
    for session in try ledger.runningSessions(systemType: .improve, workspace: workspace) {
      if !dryRun { try ledger.markInterrupted(sessionID: session.id, reason: "stale: the improve process ended without finishing") }
      report.sessions.append(session.id)
      // A branch with a recorded modification is the user's to review or roll back; one without is debris.
      if let branch = session.gitBranch, branch.hasPrefix(ScratchWorktree.branchPrefix), repository.branchExists(branch),
         try ledger.selfModifications(sessionID: session.id).allSatisfy({ $0.resultCommit == nil }) {
        if !dryRun { try repository.deleteBranch(branch) }
        report.branches.append(branch)
      }
    }
    let ours = ScratchWorktree.directory(for: repository, root: worktreeRoot)
    let live = Set(try repository.listWorktrees().map { URL(fileURLWithPath: $0.path).standardizedFileURL.path })
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: ours)) ?? [] {
      let path = URL(fileURLWithPath: ours + "/" + entry).standardizedFileURL.path
      if !live.contains(path) {
        if !dryRun { try? FileManager.default.removeItem(atPath: path) }
        report.directories.append(path)
      }
    }
    return report
  }
}
