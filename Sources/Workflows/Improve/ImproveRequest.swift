import Agent
import ArrakisCore
import FoundationEssentials
import Glibc

/// What `arrakis improve` was asked to do.
public struct ImproveRequest: Sendable {
  /// Where the goal comes from: free text, a recorded improvement, or the next open one.
  public enum Goal: Sendable, Equatable {
    case text(String)
    case improvement(id: String)
    case next
  }

  /// What happens to a green, untampered change.
  public enum Outcome: String, Sendable, CaseIterable {
    /// The branch stays for review (the default).
    case keep
    /// The user's branch is fast-forwarded to the change when it has not moved.
    case merge
    /// The branch is deleted once the change is recorded.
    case discard
  }

  public var goal: Goal
  /// Any directory inside the repository.
  public var directory: String
  public var model: String
  public var maxTokens: Int = 8192
  public var maxTurns: Int = 50
  public var maxBudgetUSD: Double?
  public var testCommand: String?
  /// `--target`: the failing tests that must pass (names or their last part); empty for every test failing
  /// at the baseline.
  public var targets: [String] = []
  /// `--metric`: keep the change only when this measure improves significantly.
  public var metric: MetricSpec?
  /// `--sandbox os`: the agent's Bash runs under bubblewrap, the judge bound read-only.
  public var sandboxMode: SandboxPolicy.Mode = .policy
  public var maxFixAttempts: Int = 3
  public var outcome: Outcome = .keep
  public var dryRun = false
  /// Creates the branch and worktree, then removes them, without the model (benchmarks).
  public var setupOnly = false
  public var wait = false
  /// Where linked worktrees go (`$XDG_STATE_HOME/arrakis/worktrees` by default).
  public var worktreeRoot: String
  public var testTimeout: TimeInterval = 30 * 60
  /// Run even when the newest earlier attempt at the same goal on the same commit failed.
  public var force = false
  /// Token budget of the ledger digest given to the agent (as `code` does); nil for none (`--no-history`).
  public var historyBudgetTokens: Int? = KnowledgeDigest.defaultBudgetTokens

  public init(goal: Goal, directory: String, model: String, environment: Environment = Environment()) {
    self.goal = goal
    self.directory = directory
    self.model = model
    self.worktreeRoot = ImproveRequest.defaultWorktreeRoot(environment)
  }

  /// Outside every working tree: the agent's sandbox refuses writes under any `.git` directory, and the
  /// user's own tree must never see our files.
  public static func defaultWorktreeRoot(_ env: Environment) -> String {
    if let state = env["XDG_STATE_HOME"] { return state + "/arrakis/worktrees" }
    return (env["HOME"] ?? userHomeDirectory()) + "/.local/state/arrakis/worktrees"
  }
}

extension ImproveRequest.Goal {
  /// How a run that never got going is described in the ledger.
  var summaryForRecord: String {
    switch self {
    case .text(let t): return String(t.prefix(200))
    case .improvement(let id): return "improvement \(id)"
    case .next: return "the next open improvement"
    }
  }
}
