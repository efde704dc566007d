import ArrakisCore
import Claude

/// What `arrakis ask` was asked to do.
public struct AskRequest: Sendable {
  public var prompt: String?
  /// Piped input, added to the prompt as context.
  public var stdin: String?
  public var system: String?
  public var model: String
  public var maxTokens: Int
  /// `--effort`: sent with adaptive thinking (see ThinkingSettings); nil leaves both to the model.
  public var effort: Effort?
  public var temperature: Double?
  public var stream: Bool
  /// Continue the last ask session of this workspace.
  public var continueLast: Bool
  /// Continue this session (id or prefix).
  public var sessionID: String?
  public var workspace: Workspace
  /// Include a knowledge digest of this workspace within this many tokens; nil: none.
  public var historyBudgetTokens: Int?
  /// Why the front door chose `ask` (recorded as sessions.route); nil when `ask` was named.
  public var route: String?

  public init(
    prompt: String?, stdin: String?, system: String? = nil, model: String, maxTokens: Int = 4096,
    temperature: Double? = nil, stream: Bool = true, continueLast: Bool = false, sessionID: String? = nil,
    workspace: Workspace
  ) {
    self.prompt = prompt
    self.stdin = stdin
    self.system = system
    self.model = model
    self.maxTokens = maxTokens
    self.temperature = temperature
    self.stream = stream
    self.continueLast = continueLast
    self.sessionID = sessionID
    self.workspace = workspace
  }
}
