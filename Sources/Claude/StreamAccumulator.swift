import ArrakisCore
import FoundationEssentials
import Glibc

/// Builds a `MessageResponse` from Messages API stream events, reporting `StreamEvent`s as they happen.
/// It always holds a usable partial response, so a broken stream still yields what was received.
public struct StreamAccumulator {
  /// A block still receiving deltas. Its growing text (text, thinking, or tool-input JSON) lives in
  /// `buffer`, appended in place so a long answer is not copied on every delta.
  private enum Open {
    case text
    case toolUse(id: String, name: String)
    case thinking(signature: String)
    case verbatim(JSONValue)
  }

  private var message = MessageResponse()
  private var open: (index: Int, block: Open)?
  private var buffer = ""
  /// True once `message_stop` arrived: anything less is a truncated stream.
  public private(set) var isComplete = false
  /// True once anything has been reported to the caller; from then on a retry would repeat output.
  public private(set) var hasDelivered = false

  public init(requestID: String? = nil) { message.requestID = requestID }

  /// The response so far; an unfinished block is included with what it had received.
  public var response: MessageResponse {
    guard let open else { return message }
    var r = message
    if let block = Self.close(open.block, buffer, lenient: true) { r.content.append(block) }
    return r
  }

  public var requestID: String? {
    get { message.requestID }
    set { message.requestID = newValue }
  }

  /// Handles one SSE message: parses its data once, updates the response, and emits events.
  public mutating func handle(_ sse: SSEParser.Message, emit: (StreamEvent) -> Void) throws {
    let json: JSONValue
    do { json = try JSONValue.parse(sse.data) } catch {
      throw fail(.malformed("stream event '\(sse.event)' is not JSON"))
    }
    try handle(event: sse.event, json: json, emit: emit)
  }

  public mutating func handle(event: String, json: JSONValue, emit: (StreamEvent) -> Void) throws {
    func send(_ e: StreamEvent) { hasDelivered = true; emit(e) }
    switch event {
    case "message_start":
      guard let m = json["message"], let start = MessageResponse(json: m, requestID: message.requestID) else {
        throw fail(.malformed("message_start without a message"))
      }
      message = start
      send(.messageStart(id: start.id, model: start.model))
    case "content_block_start":
      try closeOpen(emit: emit)
      let block = json["content_block"] ?? .null
      let index = json["index"]?.intValue ?? message.content.count
      buffer = ""
      switch ContentBlock(json: block) {
      case .text(let t): open = (index, .text); buffer = t
      case .toolUse(let id, let name, _):
        // The start event's `input: {}` is a placeholder; the real input arrives as input_json_delta.
        open = (index, .toolUse(id: id, name: name))
        send(.toolUseStart(id: id, name: name))
      case .thinking(let t, let s): open = (index, .thinking(signature: s)); buffer = t
      default: open = (index, .verbatim(block))
      }
    case "content_block_delta":
      guard let delta = json["delta"] else { return }
      // A delta for no open block (or another one) is a protocol violation, not something to drop.
      guard let (openIndex, current) = open, json["index"]?.intValue.map({ $0 == openIndex }) ?? true else {
        throw fail(.malformed("content_block_delta for block \(json["index"]?.intValue.map(String.init) ?? "?") before its content_block_start"))
      }
      switch (delta["type"]?.stringValue, current) {
      case ("text_delta", .text):
        let piece = delta["text"]?.stringValue ?? ""
        buffer += piece
        send(.textDelta(piece))
      case ("input_json_delta", .toolUse), ("input_json_delta", .verbatim):
        // Server tool calls (server_tool_use) stream their input too.
        buffer += delta["partial_json"]?.stringValue ?? ""
      case ("thinking_delta", .thinking):
        let piece = delta["thinking"]?.stringValue ?? ""
        buffer += piece
        send(.thinkingDelta(piece))
      case ("signature_delta", .thinking(let s)):
        open?.block = .thinking(signature: s + (delta["signature"]?.stringValue ?? ""))
      default:
        return  // citations_delta and future delta types: nothing to accumulate
      }
    case "content_block_stop":
      try closeOpen(emit: emit)
    case "message_delta":
      if let reason = json["delta"]?["stop_reason"]?.stringValue { message.stopReason = StopReason(reason) }
      if let seq = json["delta"]?["stop_sequence"]?.stringValue { message.stopSequence = seq }
      if let details = json["delta"]?["stop_details"], !details.isNull { message.stopDetails = details }
      message.usage.merge(json["usage"])
      send(.messageDelta(message.stopReason))
    case "message_stop":
      try closeOpen(emit: emit)
      isComplete = true
      send(.messageStop)
    case "error":
      let type = json["error"]?["type"]?.stringValue ?? "error"
      let text = json["error"]?["message"]?.stringValue ?? "unknown error"
      if message.requestID == nil { message.requestID = json["request_id"]?.stringValue }
      throw fail(.streamError(type: type, message: text))
    default:
      return  // ping and event types added later are ignored, as the API docs require
    }
  }

  private func fail(_ kind: ClaudeError.Kind) -> ClaudeError {
    ClaudeError(kind, httpStatus: 200, requestID: message.requestID, partial: response)
  }

  private mutating func closeOpen(emit: (StreamEvent) -> Void) throws {
    guard let current = open else { return }
    guard let block = Self.close(current.block, buffer, lenient: false) else {
      throw fail(.malformed("tool input for content block \(current.index) is not valid JSON"))
    }
    open = nil
    message.content.append(block)
    hasDelivered = true
    emit(.blockComplete(block))
  }

  /// Turns an open block into its final form. Tool input is parsed here, once; "" means no arguments.
  /// Returns nil for unparsable tool input unless `lenient` (a partial response keeps `{}` instead).
  private static func close(_ block: Open, _ buffer: String, lenient: Bool) -> ContentBlock? {
    switch block {
    case .text: return .text(buffer)
    case .thinking(let s): return .thinking(thinking: buffer, signature: s)
    case .toolUse(let id, let name):
      if let input = parseInput(buffer) { return .toolUse(id: id, name: name, input: input) }
      return lenient ? .toolUse(id: id, name: name, input: [:]) : nil
    case .verbatim(let v):
      // redacted_thinking and other whole blocks: parsed as the non-streaming body would be.
      guard !buffer.isEmpty, case .object(var o) = v else { return ContentBlock(json: v) }
      if let input = parseInput(buffer) { o["input"] = input }
      return .unknown(.object(o))
    }
  }

  private static func parseInput(_ json: String) -> JSONValue? {
    if json.allSatisfy(\.isWhitespace) { return [:] }
    return try? JSONValue.parse(json)
  }
}
