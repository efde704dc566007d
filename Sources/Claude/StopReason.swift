/// Why the model stopped. `other` keeps values added after this client was written.
public enum StopReason: Equatable, Sendable {
  case endTurn, maxTokens, stopSequence, toolUse, pauseTurn, refusal, modelContextWindowExceeded
  case other(String)

  public init(_ raw: String) {
    switch raw {
    case "end_turn": self = .endTurn
    case "max_tokens": self = .maxTokens
    case "stop_sequence": self = .stopSequence
    case "tool_use": self = .toolUse
    case "pause_turn": self = .pauseTurn
    case "refusal": self = .refusal
    case "model_context_window_exceeded": self = .modelContextWindowExceeded
    default: self = .other(raw)
    }
  }

  public var rawValue: String {
    switch self {
    case .endTurn: return "end_turn"
    case .maxTokens: return "max_tokens"
    case .stopSequence: return "stop_sequence"
    case .toolUse: return "tool_use"
    case .pauseTurn: return "pause_turn"
    case .refusal: return "refusal"
    case .modelContextWindowExceeded: return "model_context_window_exceeded"
    case .other(let raw): return raw
    }
  }
}
