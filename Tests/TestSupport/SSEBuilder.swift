import ArrakisCore

/// Realistic Messages API event streams for scripted turns: the same event order and framing as the
/// recorded fixtures (message_start, blocks with several deltas, ping, message_delta, message_stop).
public enum SSEBuilder {
  public enum Block: Sendable {
    case text(String)
    case toolUse(id: String, name: String, input: JSONValue)
    case thinking(String, signature: String)
  }

  public static func text(_ text: String, model: String = "claude-sonnet-4-6") -> String {
    turn(blocks: [.text(text)], model: model)
  }

  public static func toolUse(id: String, name: String, input: JSONValue, text: String? = nil,
                             model: String = "claude-sonnet-4-6") -> String {
    turn(blocks: (text.map { [Block.text($0)] } ?? []) + [.toolUse(id: id, name: name, input: input)],
         stopReason: "tool_use", model: model)
  }

  public static func turn(blocks: [Block], stopReason: String = "end_turn", usage: (input: Int, output: Int) = (12, 7),
                          model: String = "claude-sonnet-4-6", id: String = "msg_loopback_01") -> String {
    var out = event("message_start", ["type": "message_start", "message": [
      "id": .string(id), "type": "message", "role": "assistant", "model": .string(model), "content": [],
      "stop_reason": nil, "stop_sequence": nil,
      "usage": ["input_tokens": .number(Double(usage.input)), "output_tokens": 1],
    ]])
    for (i, block) in blocks.enumerated() {
      let index = JSONValue.number(Double(i))
      switch block {
      case .text(let text):
        out += event("content_block_start", ["type": "content_block_start", "index": index, "content_block": ["type": "text", "text": ""]])
        if i == 0 { out += event("ping", ["type": "ping"]) }
        for piece in pieces(text) {
          out += event("content_block_delta", ["type": "content_block_delta", "index": index, "delta": ["type": "text_delta", "text": .string(piece)]])
        }
      case .toolUse(let toolID, let name, let input):
        out += event("content_block_start", ["type": "content_block_start", "index": index,
                                             "content_block": ["type": "tool_use", "id": .string(toolID), "name": .string(name), "input": [:]]])
        // Like the API: an empty first fragment, then the JSON split at arbitrary points.
        for piece in [""] + pieces(input.serialized(), size: 7) {
          out += event("content_block_delta", ["type": "content_block_delta", "index": index, "delta": ["type": "input_json_delta", "partial_json": .string(piece)]])
        }
      case .thinking(let text, let signature):
        out += event("content_block_start", ["type": "content_block_start", "index": index, "content_block": ["type": "thinking", "thinking": "", "signature": ""]])
        for piece in pieces(text) {
          out += event("content_block_delta", ["type": "content_block_delta", "index": index, "delta": ["type": "thinking_delta", "thinking": .string(piece)]])
        }
        out += event("content_block_delta", ["type": "content_block_delta", "index": index, "delta": ["type": "signature_delta", "signature": .string(signature)]])
      }
      out += event("content_block_stop", ["type": "content_block_stop", "index": index])
    }
    out += event("message_delta", ["type": "message_delta", "delta": ["stop_reason": .string(stopReason), "stop_sequence": nil],
                                   "usage": ["output_tokens": .number(Double(usage.output))]])
    out += event("message_stop", ["type": "message_stop"])
    return out
  }

  /// An `error` event as the API sends it inside a 200 stream.
  public static func errorEvent(type: String = "overloaded_error", message: String = "Overloaded") -> String {
    event("error", ["type": "error", "error": ["details": nil, "type": .string(type), "message": .string(message)],
                    "request_id": "req_loopback_error"])
  }

  /// One framed event, padded inside the object like the real API does.
  public static func event(_ name: String, _ data: JSONValue) -> String {
    var json = data.serialized()
    if json.hasSuffix("}") { json.removeLast(); json += "   }" }
    return "event: \(name)\ndata: \(json)\n\n"
  }

  /// Splits text into small pieces (by word, or every `size` characters) the way deltas arrive.
  static func pieces(_ text: String, size: Int? = nil) -> [String] {
    if let size {
      var out: [String] = []
      var rest = Substring(text)
      while !rest.isEmpty { out.append(String(rest.prefix(size))); rest = rest.dropFirst(size) }
      return out
    }
    var out: [String] = []
    var current = ""
    for ch in text {
      current.append(ch)
      if ch == " " { out.append(current); current = "" }
    }
    if !current.isEmpty || out.isEmpty { out.append(current) }
    return out
  }
}
