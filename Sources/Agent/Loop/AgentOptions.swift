import ArrakisCore
import Claude

/// Everything one `code` run is configured with.
public struct AgentOptions: Sendable {
  public var model: String
  public var maxTokens: Int
  public var maxTurns: Int
  /// Stop before a turn once the session has cost this much (USD).
  public var maxBudgetUSD: Double?
  public var policy: PermissionPolicy
  public var sandbox: SandboxPolicy?
  /// Extra instructions appended to the system prompt (improve's goal and gate rules, say).
  public var extraInstructions: String?
  /// Longest tool result sent back to the model; longer ones keep their head and tail.
  public var maxToolResultChars: Int
  /// Why the front door chose `code` (recorded as sessions.route); nil when `code` was named.
  public var route: String?
  /// The knowledge digest included in `extraInstructions`, recorded on the session as a system message.
  public var historyDigest: String?
  /// `--effort`; adaptive thinking is on for every model that has it (see ThinkingSettings).
  public var effort: Effort?
  /// `--context-window`: overrides the catalog's window for the model (see ContextBudget).
  public var contextWindow: Int?
  /// The share of the window a prompt may fill before older context is cleared.
  public var contextBudgetFraction = 0.8

  public init(
    model: String, maxTokens: Int = 8192, maxTurns: Int = 50, maxBudgetUSD: Double? = nil,
    policy: PermissionPolicy, sandbox: SandboxPolicy? = nil,
    extraInstructions: String? = nil, maxToolResultChars: Int = 30_000, route: String? = nil,
    historyDigest: String? = nil
  ) {
    self.model = model
    self.maxTokens = maxTokens
    self.maxTurns = maxTurns
    self.maxBudgetUSD = maxBudgetUSD
    self.policy = policy
    self.sandbox = sandbox
    self.extraInstructions = extraInstructions
    self.maxToolResultChars = maxToolResultChars
    self.route = route
    self.historyDigest = historyDigest
  }
}

/// Why a run ended.
public enum AgentStop: String, Sendable, Encodable {
  case endTurn = "end_turn"
  case stopSequence = "stop_sequence"
  case maxTurns = "max_turns"
  case maxBudget = "max_budget"
  case maxTokens = "max_tokens"
  case refusal
  case contextWindowExceeded = "model_context_window_exceeded"
  case replayDiverged = "replay_diverged"
  case replayExhausted = "replay_exhausted"
  case interrupted

  /// Finished as asked (the model said it was done).
  public var isSuccess: Bool { self == .endTurn || self == .stopSequence || self == .replayExhausted }

  public var explanation: String {
    switch self {
    case .endTurn, .stopSequence: return "finished"
    case .maxTurns: return "stopped at --max-turns"
    case .maxBudget: return "stopped at --max-budget-usd"
    case .maxTokens: return "the reply was cut at --max-tokens"
    case .refusal: return "the model declined to continue (refusal)"
    case .contextWindowExceeded: return "the conversation no longer fits the model's context window"
    case .replayDiverged: return "replay diverged from the recording"
    case .replayExhausted: return "replay ran out of recorded turns"
    case .interrupted: return "interrupted"
    }
  }
}

/// A call that the policy or the sandbox refused.
public struct PermissionDenial: Sendable, Encodable, Equatable {
  public var tool: String
  public var toolUseId: String
  public var reason: String
}

/// The outcome, as `--output-format json` prints it.
public struct AgentResult: Sendable, Encodable {
  public var result: String
  public var sessionId: String
  public var stopReason: AgentStop
  public var isError: Bool
  public var turns: Int
  public var durationMs: Int
  public var apiDurationMs: Int
  public var usage: UsageSummary
  public var costUsd: Double?
  public var toolCalls: Int
  public var permissionDenials: [PermissionDenial]
  /// Set when a replay diverged: where and how.
  public var divergence: String?
  /// The figures behind a stop, e.g. what was spent of --max-budget-usd.
  public var stopDetail: String? = nil
}
