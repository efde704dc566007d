import ArrakisCore

/// A complete (or, inside `ClaudeError.partial`, partial) assistant reply.
public struct MessageResponse: Equatable, Sendable {
  public var id: String
  public var model: String
  public var content: [ContentBlock]
  public var stopReason: StopReason?
  public var stopSequence: String?
  public var stopDetails: JSONValue?
  public var usage: Usage
  public var requestID: String?

  public init(id: String = "", model: String = "", content: [ContentBlock] = [], stopReason: StopReason? = nil,
              stopSequence: String? = nil, stopDetails: JSONValue? = nil, usage: Usage = Usage(), requestID: String? = nil) {
    self.id = id
    self.model = model
    self.content = content
    self.stopReason = stopReason
    self.stopSequence = stopSequence
    self.stopDetails = stopDetails
    self.usage = usage
    self.requestID = requestID
  }

  /// Parses a `message` object (a non-streaming body, or `message_start.message`). Returns nil when it is
  /// not a message at all; unknown fields and block types are tolerated.
  public init?(json: JSONValue, requestID: String? = nil) {
    guard json["type"]?.stringValue == "message", let id = json["id"]?.stringValue else { return nil }
    self.init(id: id, model: json["model"]?.stringValue ?? "",
              content: (json["content"]?.arrayValue ?? []).map(ContentBlock.init(json:)),
              stopReason: json["stop_reason"]?.stringValue.map(StopReason.init),
              stopSequence: json["stop_sequence"]?.stringValue,
              stopDetails: json["stop_details"].flatMap { $0.isNull ? nil : $0 },
              usage: Usage(json: json["usage"]), requestID: requestID)
  }

  /// The text blocks joined: what a user reads.
  public var text: String {
    content.reduce(into: "") { out, block in if case .text(let t) = block { out += t } }
  }

  /// The tool calls the model asked for, in order.
  public var toolUses: [(id: String, name: String, input: JSONValue)] {
    content.compactMap { if case .toolUse(let id, let name, let input) = $0 { return (id, name, input) }; return nil }
  }

  /// The reply as the next request's assistant turn (every block, unmodified and in order).
  public var asMessage: ChatMessage { ChatMessage(role: .assistant, content: content) }
}
