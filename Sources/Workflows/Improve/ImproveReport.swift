import ArrakisCore
import FoundationEssentials
import Glibc

/// How an improve run ended, as the text renderer and `--json` show it.
public struct ImproveReport: Encodable, Sendable {
  public enum Result: String, Encodable, Sendable {
    /// --dry-run: nothing was created.
    case planned
    /// --setup-only: the branch and worktree were made and removed.
    case setUp = "set_up"
    case kept, merged, discarded
    /// Green, but a check was weakened: the branch is kept for review and never merged.
    case tampered
    /// Green, but `--metric` did not improve significantly: recorded, branch deleted.
    case noImprovement = "no_improvement"
    /// The gate stayed red after every fix attempt: branch and worktree deleted.
    case rolledBack = "rolled_back"
    case baselineRed = "baseline_red"
    /// The agent finished without changing a file.
    case unchanged
    /// The agent stopped before finishing (limit, refusal, Ctrl-C): branch and worktree deleted.
    case incomplete
  }

  public var result: Result
  public var sessionId: String?
  public var repository: String
  public var baseline: String
  public var userBranch: String?
  public var branch: String
  public var worktree: String
  public var testCommand: String?
  public var testCommandReason: String?
  public var goal: String
  public var improvementId: String?
  public var commit: String?
  public var files: [String] = []
  public var fixAttempts = 0
  public var tamperReasons: [String] = []
  /// Why --merge did not merge (the branch is kept).
  public var mergeRefused: String?
  public var tests: [String: TestRun] = [:]
  /// The tests failing at baseline the change had to fix, and the passing ones it had to keep.
  public var targets: [String] = []
  /// Each target, with its outcome at baseline and in the gate (SWE-bench's FAIL_TO_PASS).
  public var failToPass: [TestTransition] = []
  /// Each test passing at baseline, with its outcome in the gate (PASS_TO_PASS).
  public var passToPass: [TestTransition] = []
  /// `--metric`: both series and the decision.
  public var metric: MetricReport?
  /// The agent's final words: the commit message body and the modification's reasoning.
  public var summary: String?
  /// Earlier attempts at the same goal in this repository, newest first (what the agent was told).
  public var previousAttempts: [PriorAttempt] = []
  public var exitCode: Int32 = 0
  public var message: String

  public var exitStatus: ExitStatus { ExitStatus(rawValue: exitCode) ?? .findings }
}
