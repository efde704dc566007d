import ArrakisCore
import Foundation
import Ledger

/// `arrakis log show`: a session's header, its messages block by block, its tool operations and
/// self-modifications.
enum Transcript {
  static func render(
    session s: SessionRow, messages: [MessageRow], tools: [ToolOperationRow], modifications: [SelfModificationRow]
  ) -> String {
    var out = "session \(s.id)\n"
    out += "  \(s.systemType.rawValue) · \(s.status.rawValue) · \(Format.localTime(s.startedAt)) · \(Format.duration(ms: s.durationMs))\n"
    if let w = s.workspace { out += "  workspace \(w)" + (s.gitBranch.map { " (\($0))" } ?? "") + "\n" }
    if let m = s.model { out += "  model \(m)\n" }
    out += "  tokens \(s.inputTokens) in, \(s.outputTokens) out, \(s.cacheCreationTokens) cache write, \(s.cacheReadTokens) cache read · cost \(Format.cost(s.costUSD))\n"
    if s.toolCallsCount > 0 { out += "  tool calls \(s.toolCallsCount)\n" }
    if let p = s.parentSessionID { out += "  continues \(p)\n" }
    if let r = s.route { out += "  route \(r)\n" }
    if let reason = s.exitReason { out += "  ended: \(reason)\n" }
    if let e = s.error { out += "  error: \(e)\n" }
    if messages.contains(where: { $0.systemSource == Ledger.prunedSource }) {
      out += "  transcript pruned (arrakis log prune): message bodies and tool parameters/results dropped, figures kept\n"
    }
    for m in messages {
      out += "\n── \(m.role) #\(m.seq)" + (m.stopReason.map { " (\($0))" } ?? "") + " ──\n"
      out += blocks(m.content)
    }
    if !tools.isEmpty {
      out += "\n── tool operations ──\n"
      for t in tools {
        let state = t.deniedReason != nil ? "denied" : (t.success ? "ok" : "error")
        out += "● \(t.toolName) \(Format.oneLine(t.parameters.serialized(), width: 100)) — \(state)"
        out += t.durationMs.map { " \($0)ms" } ?? ""
        out += "\n"
        if let d = t.deniedReason { out += "    reason: \(d)\n" }
        if let r = t.result { out += "    " + Format.oneLine(r, width: 110) + "\n" }
      }
    }
    if !modifications.isEmpty {
      out += "\n── modifications ──\n"
      for m in modifications {
        out += "#\(m.id) \(m.filePath ?? "-") \(m.status)" + (m.success ? "" : " (failed)")
        out += m.branch.map { " branch \($0)" } ?? ""
        out += m.resultCommit.map { " commit \($0.prefix(10))" } ?? ""
        if m.tampered { out += " TAMPERED-GATE" }
        if m.rollbackExecuted { out += " rolled back" + (m.revertCommit.map { " (revert \($0.prefix(10)))" } ?? "") }
        out += "\n"
        if let d = m.changeDescription { out += "    \(Format.oneLine(d, width: 110))\n" }
      }
    }
    return out
  }

  /// Text as-is; tool calls and results as one compact line each.
  static func blocks(_ content: JSONValue) -> String {
    guard let list = content.arrayValue else { return (content.stringValue ?? content.serialized()) + "\n" }
    var out = ""
    for b in list {
      switch b["type"]?.stringValue {
      case "text": out += (b["text"]?.stringValue ?? "") + "\n"
      case "tool_use":
        out += "[tool_use \(b["name"]?.stringValue ?? "?") \(Format.oneLine(b["input"]?.serialized(), width: 120))]\n"
      case "tool_result":
        let err = b["is_error"]?.boolValue == true ? " error" : ""
        let text = b["content"]?.stringValue ?? b["content"]?.serialized() ?? ""
        out += "[tool_result\(err)] \(Format.oneLine(text, width: 120))\n"
      case "thinking": out += "[thinking] \(Format.oneLine(b["thinking"]?.stringValue, width: 120))\n"
      case let other: out += "[\(other ?? "block")]\n"
      }
    }
    return out
  }
}
