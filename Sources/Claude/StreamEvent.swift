import ArrakisCore

/// What a streaming call reports to its caller as it happens, so text can be printed as it arrives.
public enum StreamEvent: Equatable, Sendable {
  case messageStart(id: String, model: String)
  case textDelta(String)
  case thinkingDelta(String)
  case toolUseStart(id: String, name: String)
  case blockComplete(ContentBlock)
  case messageDelta(StopReason?)
  case messageStop
}
