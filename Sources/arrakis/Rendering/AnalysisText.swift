import ArrakisCore
import FoundationEssentials
import Glibc
import Workflows

/// The terminal report of `arrakis analyze`: summary line, hotspots with reasons, markers, tests, languages,
/// ranked improvements, and what changed since the last analysis.
enum AnalysisText {
  static func render(_ r: AnalysisReport, color: Bool) -> String {
    func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    let s = r.signals
    var out = bold("analysis #\(r.analysisId)") + " of \(Format.path(r.workspace, width: 60))"
    if let branch = s.branch { out += " on \(branch)" + (s.headCommit.map { " (\($0.prefix(7)))" } ?? "") }
    out += "\n\(r.summary)\n"
    for w in r.warnings { out += "note: \(w)\n" }

    out += "\n" + bold("Hotspots") + (s.history != nil ? " (since \(s.window))" : "") + "\n"
    if s.hotspots.isEmpty { out += "  none\n" }
    for (i, h) in s.hotspots.enumerated() {
      out += "  \(i + 1). \(h.path)  score \(String(cFormat: "%.2f", h.score))\n"
      out += "     \(h.reasons.joined(separator: "; "))\n"
    }

    if let pairs = s.history?.coChanges, !pairs.isEmpty {
      out += "  changed together: " + pairs.prefix(3).map { "\($0.a) + \($0.b) (\($0.count)×)" }.joined(separator: ", ") + "\n"
    }

    out += "\n" + bold("Markers") + ": \(s.tree.markerCount)" + markerBreakdown(s.tree) + "\n"
    for m in s.tree.markers.prefix(5) { out += "  \(m.path):\(m.line)  \(m.text)\n" }

    out += "\n" + bold("Tests") + ": " + testsLine(s) + "\n"
    for name in s.tests?.failingTests.prefix(10) ?? [] { out += "  failing: \(name)\n" }
    out += "  \(s.tree.testFiles) test files, \(s.tree.sourceFiles) source files, \(s.tree.untestedCount) without a test file\n"

    out += "\n" + bold("Languages") + "\n"
    for (name, t) in s.tree.languages.sorted(by: { ($0.value.codeLines, $1.key) > ($1.value.codeLines, $0.key) }).prefix(8) {
      out += "  \(name.paddedToWidth(12)) \(t.files) file\(t.files == 1 ? "" : "s"), \(t.codeLines) code lines\n"
    }

    out += "\n" + bold("Improvements") + " (ranked by impact, then risk): " + modelLine(r) + "\n"
    for i in r.improvements {
      out += "  \(i.id)  [\(i.category ?? "-")] impact \(i.impact ?? "?") risk \(i.risk ?? "?") \(i.effort ?? "")  \(i.title)\n"
      out += "       files: \(i.files.joined(separator: ", "))\n"
      if let a = i.acceptance { out += "       check: \(a)\n" }
    }
    if !r.filteredAsRolledBack.isEmpty {
      out += "  left out (rolled back before, files unchanged): \(r.filteredAsRolledBack.joined(separator: "; "))\n"
    }

    if let c = r.comparison { out += "\n" + bold("Since analysis #\(c.previousAnalysisId)") + " (\(Format.localTime(c.previousAt)))\n" + comparisonLines(c) }
    return out
  }

  static func markerBreakdown(_ t: TreeDigest) -> String {
    guard t.markerCount > 0 else { return "" }
    var counts: [String: Int] = [:]
    for m in t.markers { counts[m.kind.rawValue, default: 0] += 1 }
    let parts = Marker.Kind.allCases.compactMap { k in counts[k.rawValue].map { "\($0) \(k.rawValue)" } }
    return " (" + parts.joined(separator: ", ") + ")"
  }

  static func testsLine(_ s: AnalysisSignals) -> String {
    let command = s.testCommand.map { "`\($0.command)` (\($0.reason))" } ?? "no test command detected"
    guard let run = s.tests else { return command + "; not run (pass --run-tests)" }
    return command + ": " + run.summary
  }

  static func modelLine(_ r: AnalysisReport) -> String {
    let m = r.model
    switch m.status {
    case "ranked":
      return "\(r.improvements.count) by \(m.model ?? "the model"), \(Format.tokens(m.inputTokens)) in / \(Format.tokens(m.outputTokens)) out, \(Format.cost(m.costUsd))"
    case "failed": return "model ranking failed: \(m.detail ?? "unknown error")"
    default: return "model skipped (\(m.detail ?? ""))"
    }
  }

  static func comparisonLines(_ c: AnalysisComparison) -> String {
    var out = ""
    out += "  new hotspots: " + (c.newHotspots.isEmpty ? "none" : c.newHotspots.joined(separator: ", ")) + "\n"
    out += "  resolved hotspots: " + (c.resolvedHotspots.isEmpty ? "none" : c.resolvedHotspots.joined(separator: ", ")) + "\n"
    let delta = c.markerDelta
    out += "  markers: \(c.markersBefore) → \(c.markersAfter) (\(delta >= 0 ? "+" : "")\(delta))"
    if !c.newMarkers.isEmpty { out += "; new: " + c.newMarkers.prefix(3).map { "\($0.path):\($0.line)" }.joined(separator: ", ") }
    out += "\n"
    out += "  tests: \(c.testsBefore ?? "not run") → \(c.testsAfter ?? "not run")\n"
    out += "  open improvements: \(c.openImprovements)\n"
    return out
  }

  /// The stderr message of a run that exits 1 because of --fail-on: short, for a cron mail.
  static func findings(_ r: AnalysisReport) -> String {
    var out = "arrakis analyze: \(r.workspace): "
    out += r.failedConditions.map { condition -> String in
      switch condition {
      case .newHotspots: return "new hotspots: " + (r.comparison?.newHotspots.joined(separator: ", ") ?? "")
      case .newMarkers: return "new markers: " + (r.comparison?.newMarkers.prefix(5).map { "\($0.path):\($0.line) \($0.text)" }.joined(separator: "; ") ?? "")
      case .failingTests: return "tests failing: " + (r.signals.tests?.summary ?? "")
      }
    }.joined(separator: " | ")
    return out + "\n"
  }
}
