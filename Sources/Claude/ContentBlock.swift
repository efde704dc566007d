import ArrakisCore

/// One block of message content. Block types this client does not model (server tool calls and their
/// results, citations-bearing documents, …) are kept verbatim in `.unknown` so a tool loop can send the
/// assistant turn back unchanged, which the API requires.
public enum ContentBlock: Equatable, Sendable {
  case text(String)
  case toolUse(id: String, name: String, input: JSONValue)
  case toolResult(toolUseID: String, content: String, isError: Bool)
  case thinking(thinking: String, signature: String)
  case redactedThinking(data: String)
  case unknown(JSONValue)

  /// Parses a block from response (or request) JSON. Never fails: what is not understood becomes `.unknown`.
  public init(json: JSONValue) {
    switch json["type"]?.stringValue {
    case "text":
      self = .text(json["text"]?.stringValue ?? "")
    case "tool_use":
      guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue else { self = .unknown(json); return }
      self = .toolUse(id: id, name: name, input: json["input"] ?? [:])
    case "tool_result":
      guard let id = json["tool_use_id"]?.stringValue else { self = .unknown(json); return }
      self = .toolResult(toolUseID: id, content: Self.flattenText(json["content"]), isError: json["is_error"]?.boolValue ?? false)
    case "thinking":
      self = .thinking(thinking: json["thinking"]?.stringValue ?? "", signature: json["signature"]?.stringValue ?? "")
    case "redacted_thinking":
      self = .redactedThinking(data: json["data"]?.stringValue ?? "")
    default:
      self = .unknown(json)
    }
  }

  /// The block as the request body expects it.
  public var json: JSONValue {
    switch self {
    case .text(let text): return ["type": "text", "text": .string(text)]
    case .toolUse(let id, let name, let input): return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input]
    case .toolResult(let id, let content, let isError):
      var o: [String: JSONValue] = ["type": "tool_result", "tool_use_id": .string(id), "content": .string(content)]
      if isError { o["is_error"] = true }
      return .object(o)
    case .thinking(let thinking, let signature):
      return ["type": "thinking", "thinking": .string(thinking), "signature": .string(signature)]
    case .redactedThinking(let data): return ["type": "redacted_thinking", "data": .string(data)]
    case .unknown(let json): return json
    }
  }

  /// The API rejects `cache_control` on thinking blocks, so a breakpoint must skip them.
  var acceptsCacheControl: Bool {
    switch self {
    case .thinking, .redactedThinking: return false
    case .unknown(let j): return j.objectValue != nil
    default: return true
    }
  }

  /// A tool_result's content may be a string or a list of blocks; the text is what matters to callers.
  private static func flattenText(_ value: JSONValue?) -> String {
    if let s = value?.stringValue { return s }
    return (value?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
  }
}

extension JSONValue {
  /// Adds `cache_control: {"type":"ephemeral"}` to an object; other values are returned unchanged.
  func withCacheControl() -> JSONValue {
    guard case .object(var o) = self else { return self }
    o["cache_control"] = ["type": "ephemeral"]
    return .object(o)
  }
}
