import Agent
import ArrakisCore
import FoundationEssentials
import Glibc

/// Renders the agent's events in one of the three output formats.
/// text: the model's words stream to stdout, one `● Tool …` line per call to stderr.
/// stream-json: one JSON object per line on stdout (init, assistant, tool_call, tool_result, result).
/// json: nothing until the end, then one object.
final class AgentEventRenderer {
  enum Format: String, CaseIterable { case text, json, streamJSON = "stream-json" }

  let format: Format
  let color: Bool
  private var atLineStart = true

  init(format: Format) {
    self.format = format
    self.color = Environment().useColor(fileDescriptor: STDERR_FILENO)
  }

  func handle(_ event: AgentEvent) {
    switch format {
    case .text: text(event)
    case .streamJSON: streamJSON(event)
    case .json: if case .finished(let r) = event { Output.out((try? JSONOutput.string(r)) ?? "{}"); Output.out("\n") }
    }
  }

  private func text(_ event: AgentEvent) {
    switch event {
    case .textDelta(let t):
      Output.out(t)
      atLineStart = t.hasSuffix("\n")
    case .assistant:
      if !atLineStart { Output.out("\n"); atLineStart = true }
    case .toolResult(_, _, let output, let denied, _):
      let line: String
      if let denied { line = "● \(output.summary): \(denied)" } else { line = "● \(output.summary)" }
      let painted = !color ? line : (denied != nil || output.isError ? "\u{1B}[33m\(line)\u{1B}[0m" : "\u{1B}[2m\(line)\u{1B}[0m")
      Output.err(painted + "\n")
    case .compaction(let c):
      Output.err((color ? "\u{1B}[2m● \(c.description)\u{1B}[0m" : "● \(c.description)") + "\n")
    case .finished(let r):
      if !atLineStart { Output.out("\n") }
      if r.isError { Output.err("arrakis: \(r.stopReason.explanation)\((r.divergence ?? r.stopDetail).map { ": \($0)" } ?? "")\n") }
    default: break
    }
  }

  private func streamJSON(_ event: AgentEvent) {
    let obj: JSONValue
    switch event {
    case .started(let id, let model, let tools, let workspace, let permission):
      obj = ["type": "init", "session_id": .string(id), "model": .string(model), "tools": .array(tools.map { .string($0) }),
             "workspace": .string(workspace), "permission": .string(permission)]
    case .textDelta: return
    case .assistant(let turn, let m):
      obj = ["type": "assistant", "turn": .number(Double(turn)), "stop_reason": m.stopReason.map { .string($0.rawValue) } ?? .null,
             "content": .array(m.content.map(\.json))]
    case .toolCall(let id, let name, let input):
      obj = ["type": "tool_call", "id": .string(id), "name": .string(name), "input": input]
    case .toolResult(let id, let name, let output, let denied, let ms):
      obj = ["type": "tool_result", "id": .string(id), "name": .string(name), "is_error": .bool(output.isError),
             "denied": denied.map { .string($0) } ?? .null, "duration_ms": .number(Double(ms)), "content": .string(output.content)]
    case .compaction(let c):
      obj = c.json
    case .finished(let r):
      guard var o = (try? JSONValue.parse(JSONOutput.string(r)))?.objectValue else { return }
      o["type"] = "result"
      obj = .object(o)
    }
    Output.out(obj.serialized() + "\n")
  }
}
