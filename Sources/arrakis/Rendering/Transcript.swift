import ArrakisCore
import FoundationEssentials
import Glibc
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
      if let results = modifications.first?.testResults { out += testResults(results) }
      let diffs = modifications.compactMap { m in
        m.filePath.map { ModificationDiff.render(path: $0, before: m.beforeContent, after: m.afterContent) }
      }
      if !diffs.isEmpty { out += "\n── diff ──\n" + diffs.joined() }
    }
    return out
  }

  /// The gate's grading as improve recorded it: each target before → after, the guards, the metric series.
  static func testResults(_ r: JSONValue) -> String {
    var out = ""
    let f2p = r["fail_to_pass"]?.arrayValue ?? [], p2p = r["pass_to_pass"]?.arrayValue ?? []
    func line(_ t: JSONValue) -> String {
      "  \(t["name"]?.stringValue ?? "?"): \(t["before"]?.stringValue ?? "?") → \(t["after"]?.stringValue ?? "?")\n"
    }
    if !f2p.isEmpty || !p2p.isEmpty {
      out += "\n── tests ──\n"
      if !f2p.isEmpty { out += "fail_to_pass (\(f2p.count)):\n" + f2p.map(line).joined() }
      if !p2p.isEmpty {
        let broken = p2p.filter { $0["after"]?.stringValue != "passed" }
        out += "pass_to_pass (\(p2p.count), \(broken.count) broken):\n"
        out += (broken.isEmpty ? Array(p2p.prefix(20)) : broken).map(line).joined()
        if broken.isEmpty && p2p.count > 20 { out += "  … \(p2p.count - 20) more\n" }
      }
    }
    if let reasons = r["tamper_reasons"]?.arrayValue, !reasons.isEmpty {
      out += "tampering:\n" + reasons.compactMap(\.stringValue).map { "  \($0)\n" }.joined()
    }
    if let m = r["metric"] {
      let series = { (k: String) in (m[k]?.arrayValue ?? []).compactMap(\.doubleValue).map { String(cFormat: "%g", $0) }.joined(separator: " ") }
      out += "\n── metric ──\n"
      out += "\(m["command"]?.stringValue ?? "") (\(m["goal"]?.stringValue ?? "lower") is better)\n"
      out += "  baseline:  \(series("baseline"))\n  candidate: \(series("candidate"))\n"
      if let v = m["verdict"]?.stringValue { out += "  \(v)\n" }
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
