/// What arrakis knows of each model: its context window and output limit (so the agent loop can keep a
/// conversation inside the window) and how it thinks. Facts from the API documentation, see docs/MODELS.md.
public struct ModelInfo: Equatable, Sendable {
  public enum Thinking: String, Sendable {
    /// `thinking: {type: "adaptive"}` with `output_config.effort`; manual budgets rejected.
    case adaptive
    /// Extended thinking with a token budget only (no effort setting).
    case extended
  }

  public var id: String
  public var name: String
  public var contextWindow: Int
  public var maxOutput: Int
  public var thinking: Thinking
  /// The newest model of its family (what the family's alias points at).
  public var current: Bool

  public var acceptsEffort: Bool { thinking == .adaptive }
  /// Whether `tool_choice` may name a tool. The 5.5 line and Fable 5.1 answer a forced choice with a 400
  /// ("Forced tool use returns an error", see docs/MODELS.md), so callers ask with `auto` there.
  public var acceptsForcedToolChoice: Bool = true
}

/// Short model names users type, the model used when none is given, and every model's limits.
public enum ModelCatalog {
  public static let defaultModel = "claude-sonnet-5-5"

  /// Alias → current model id. Ordered for error messages and `arrakis models`.
  public static let aliases: [(alias: String, model: String)] = [
    ("opus", "claude-opus-5-5"),
    ("sonnet", "claude-sonnet-5-5"),
    ("haiku", "claude-haiku-5-5"),
    ("fable", "claude-fable-5-1"),
  ]

  /// Current models first, then older ones still served, newest first.
  public static let models: [ModelInfo] = [
    ModelInfo(id: "claude-fable-5-1", name: "Claude Fable 5.1", contextWindow: 1_000_000, maxOutput: 128_000, thinking: .adaptive, current: true, acceptsForcedToolChoice: false),
    ModelInfo(id: "claude-opus-5-5", name: "Claude Opus 5.5", contextWindow: 1_000_000, maxOutput: 128_000, thinking: .adaptive, current: true, acceptsForcedToolChoice: false),
    ModelInfo(id: "claude-sonnet-5-5", name: "Claude Sonnet 5.5", contextWindow: 1_000_000, maxOutput: 128_000, thinking: .adaptive, current: true, acceptsForcedToolChoice: false),
    ModelInfo(id: "claude-haiku-5-5", name: "Claude Haiku 5.5", contextWindow: 1_000_000, maxOutput: 128_000, thinking: .adaptive, current: true, acceptsForcedToolChoice: false),
    ModelInfo(id: "claude-fable-5", name: "Claude Fable 5", contextWindow: 1_000_000, maxOutput: 128_000, thinking: .adaptive, current: false),
    ModelInfo(id: "claude-opus-5", name: "Claude Opus 5", contextWindow: 1_000_000, maxOutput: 128_000, thinking: .adaptive, current: false),
    ModelInfo(id: "claude-sonnet-5", name: "Claude Sonnet 5", contextWindow: 1_000_000, maxOutput: 128_000, thinking: .adaptive, current: false),
    ModelInfo(id: "claude-opus-4-8", name: "Claude Opus 4.8", contextWindow: 1_000_000, maxOutput: 128_000, thinking: .adaptive, current: false),
    ModelInfo(id: "claude-opus-4-7", name: "Claude Opus 4.7", contextWindow: 1_000_000, maxOutput: 128_000, thinking: .adaptive, current: false),
    ModelInfo(id: "claude-opus-4-6", name: "Claude Opus 4.6", contextWindow: 1_000_000, maxOutput: 128_000, thinking: .adaptive, current: false),
    ModelInfo(id: "claude-sonnet-4-6", name: "Claude Sonnet 4.6", contextWindow: 1_000_000, maxOutput: 128_000, thinking: .adaptive, current: false),
    ModelInfo(id: "claude-opus-4-5", name: "Claude Opus 4.5", contextWindow: 200_000, maxOutput: 64_000, thinking: .extended, current: false),
    ModelInfo(id: "claude-sonnet-4-5", name: "Claude Sonnet 4.5", contextWindow: 200_000, maxOutput: 64_000, thinking: .extended, current: false),
    ModelInfo(id: "claude-haiku-4-5", name: "Claude Haiku 4.5", contextWindow: 200_000, maxOutput: 64_000, thinking: .extended, current: false),
    ModelInfo(id: "claude-opus-4-1", name: "Claude Opus 4.1", contextWindow: 200_000, maxOutput: 32_000, thinking: .extended, current: false),
    ModelInfo(id: "claude-opus-4", name: "Claude Opus 4", contextWindow: 200_000, maxOutput: 32_000, thinking: .extended, current: false),
    ModelInfo(id: "claude-sonnet-4", name: "Claude Sonnet 4", contextWindow: 200_000, maxOutput: 64_000, thinking: .extended, current: false),
    ModelInfo(id: "claude-3-7-sonnet", name: "Claude Sonnet 3.7", contextWindow: 200_000, maxOutput: 64_000, thinking: .extended, current: false),
    ModelInfo(id: "claude-3-5-haiku", name: "Claude Haiku 3.5", contextWindow: 200_000, maxOutput: 8_192, thinking: .extended, current: false),
    ModelInfo(id: "claude-3-haiku", name: "Claude Haiku 3", contextWindow: 200_000, maxOutput: 4_096, thinking: .extended, current: false),
  ]

  /// The window assumed for a model arrakis does not know: the smallest any Claude model has had, so an
  /// unknown model is never overfilled (`--context-window` says otherwise).
  public static let fallbackContextWindow = 200_000

  /// An alias becomes its model id; anything else is passed through for the API to judge.
  public static func resolve(_ name: String) -> String {
    let lower = name.lowercased()
    return aliases.first { $0.alias == lower }?.model ?? name
  }

  /// The model an alias, id, dated id (`claude-sonnet-4-5-20250929`) or `-latest` id names, if known.
  public static func info(_ name: String) -> ModelInfo? {
    let id = resolve(name)
    return models.first { $0.id == id } ?? models.first { $0.id == baseID(id) }
  }

  /// "opus (claude-opus-5-5), sonnet (…), …", for messages that must say what would work.
  public static var aliasList: String {
    aliases.map { "\($0.alias) (\($0.model))" }.joined(separator: ", ")
  }

  /// Strips a trailing `-YYYYMMDD` or `-latest`.
  static func baseID(_ id: String) -> String {
    if id.hasSuffix("-latest") { return String(id.dropLast(7)) }
    let parts = id.split(separator: "-")
    if let last = parts.last, last.count == 8, last.allSatisfy(\.isNumber) {
      return parts.dropLast().joined(separator: "-")
    }
    return id
  }
}
