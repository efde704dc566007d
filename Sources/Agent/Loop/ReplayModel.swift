import ArrakisCore
import Claude
import FoundationEssentials
import Glibc
import Ledger

/// Model turns from a recording instead of the API, so a session can be re-run offline with the tools
/// executing for real. Where a recording has the tool results the model saw, each new result is compared
/// with it and the first difference stops the run (the workspace has diverged).
public final class ReplayModel: ModelSource {
  struct Turn {
    var content: [ContentBlock]
    var stopReason: StopReason?
  }

  private var turns: [Turn]
  private var expected: [String: ExpectedToolResult]
  private var next = 0
  public let modelName = "replay"

  init(turns: [Turn], expected: [String: ExpectedToolResult]) {
    self.turns = turns
    self.expected = expected
  }

  public var remaining: Int { turns.count - next }

  public func nextTurn(_ request: MessageRequest, onEvent: (StreamEvent) -> Void) throws -> MessageResponse {
    guard next < turns.count else { throw ReplayExhausted() }
    let turn = turns[next]
    next += 1
    for block in turn.content { if case .text(let t) = block { onEvent(.textDelta(t)) } }
    let hasTools = turn.content.contains { if case .toolUse = $0 { return true }; return false }
    return MessageResponse(
      id: "replay_\(next)", model: modelName, content: turn.content,
      stopReason: turn.stopReason ?? (hasTools ? .toolUse : .endTurn))
  }

  public func expectedResult(toolUseID: String) -> ExpectedToolResult? { expected[toolUseID] }

  struct ReplayExhausted: Error {}

  /// A recorded session: its assistant turns in order, and the tool results that followed them.
  public static func fromSession(_ idOrPrefix: String, ledger: Ledger) throws -> ReplayModel {
    let session = try ledger.session(idOrPrefix: idOrPrefix)
    var turns: [Turn] = []
    var expected: [String: ExpectedToolResult] = [:]
    for row in try ledger.messages(sessionID: session.id) {
      let blocks = (row.content.arrayValue ?? []).map(ContentBlock.init(json:))
      if row.role == "assistant" {
        turns.append(Turn(content: blocks, stopReason: row.stopReason.map(StopReason.init)))
      } else {
        for case .toolResult(let id, let content, let isError) in blocks {
          expected[id] = ExpectedToolResult(content: content, isError: isError)
        }
      }
    }
    guard !turns.isEmpty else {
      throw ArrakisError(.usage, "session \(session.id.prefix(8)) has no model turns to replay", hint: "pick a code session: arrakis log --system code")
    }
    return ReplayModel(turns: turns, expected: expected)
  }

  /// A JSONL file, one model turn per line: either an array of content blocks, or an object
  /// `{"content": [blocks], "stop_reason"?: "...", "tool_results"?: {"<tool_use id>": {"content": "...", "is_error"?: bool}}}`.
  public static func fromFile(_ path: String) throws -> ReplayModel {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw ArrakisError(.usage, "cannot read the replay file \(path)", hint: "pass a session id or a readable JSONL file")
    }
    var turns: [Turn] = []
    var expected: [String: ExpectedToolResult] = [:]
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
      if line.trimmingSpacesAndTabs.isEmpty || line.hasPrefix("#") { continue }
      guard let json = try? JSONValue.parse(String(line)) else {
        throw ArrakisError(.usage, "\(path):\(n + 1): not valid JSON", hint: "one JSON turn per line")
      }
      let blocks = json.arrayValue ?? json["content"]?.arrayValue
      guard let blocks, !blocks.isEmpty else {
        throw ArrakisError(.usage, "\(path):\(n + 1): a turn needs content blocks", hint: #"e.g. [{"type":"text","text":"done"}]"#)
      }
      turns.append(Turn(content: blocks.map(ContentBlock.init(json:)), stopReason: json["stop_reason"]?.stringValue.map(StopReason.init)))
      for (id, r) in json["tool_results"]?.objectValue ?? [:] {
        expected[id] = ExpectedToolResult(content: r["content"]?.stringValue ?? r.stringValue ?? "", isError: r["is_error"]?.boolValue ?? false)
      }
    }
    guard !turns.isEmpty else { throw ArrakisError(.usage, "\(path) holds no turns", hint: "one JSON turn per line") }
    return ReplayModel(turns: turns, expected: expected)
  }
}
