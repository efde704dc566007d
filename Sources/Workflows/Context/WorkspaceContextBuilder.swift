import Agent
import ArrakisCore
import FoundationEssentials
import Glibc
import Git

/// Gathers what the agent's system prompt says about a workspace: git facts through libgit2, the detected
/// test command, the project's instructions file. Outside a repository only the root and the rest.
///
/// Only `git status` grows with the tree, so it runs meanwhile on its own thread and is waited for at most
/// `statusBudget` once the rest is gathered (see `BudgetedStatus`); everything else reads a fixed number
/// of files (HEAD, five commits, a few manifests at the root).
public enum WorkspaceContextBuilder {
  /// How long `code` waits for git status beyond the rest of its start-up. A small repository's status
  /// is done before the wait begins; a large one's is not worth the wait (git/git, 4,800 files: ~15 ms
  /// of a ~25 ms start, measured by bench/startup.sh), so the cap is a few milliseconds.
  public static let statusBudget: TimeInterval = 0.003

  public static func build(
    root: String, configuredTestCommand: String? = nil, statusBudget: TimeInterval = statusBudget
  ) -> WorkspaceContext {
    var c = WorkspaceContext(root: root)
    var status: BudgetedStatus?
    if let repo = try? Repository.discover(from: root) {
      status = BudgetedStatus.start(root: root)
      c.gitBranch = repo.currentBranch
      if let head = repo.headCommitID { c.head = String(head.prefix(12)) }
      c.recentCommits = ((try? repo.recentCommits(limit: 5)) ?? []).map { "\($0.shortID) \($0.summary)" }
    }
    c.testCommand = TestCommandDetector.detect(in: root, configured: configuredTestCommand)?.command
    c.instructions = WorkspaceContext.loadInstructions(root: root)
    if let status {
      c.dirtyFiles = status.wait(budget: statusBudget) ?? [BudgetedStatus.unknown(budget: statusBudget)]
    }
    return c
  }
}
