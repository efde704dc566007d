import FoundationEssentials
import Glibc
import Ledger

/// The prompt of the ranking request: the local signals a reviewer would look at first, with short code
/// excerpts, capped so that a large repository costs the same few thousand tokens as a small one.
enum AnalysisDigest {
  static let hotspotCount = 10
  static let excerptLines = 12
  static let lineWidth = 160
  static let markerCount = 15
  static let maxCharacters = 24_000

  static let system = """
    You review a software repository using measured signals: git churn, fix commits, file and function size, \
    TODO/FIXME markers, test status and missing tests. Propose the few improvements that would most reduce \
    defects or maintenance cost, grounded in those signals, each small enough to implement and verify on its own. \
    Record them with the record_improvements tool, highest value first; answer only with that one tool call. Do not propose an improvement listed \
    as rolled back unless you have a clearly different approach.
    """

  static func build(
    signals: AnalysisSignals, root: String, previousSummary: String?, rolledBack: [ImprovementRow]
  ) -> String {
    var out = "# Repository \(root.lastPathComponent)\n"
    if let branch = signals.branch { out += "Branch \(branch)" + (signals.headCommit.map { " at \($0.prefix(12))" } ?? "") + "\n" }
    if let h = signals.history {
      out += "History over \(signals.window): \(h.commits) commits, \(h.fixCommits) fix-like, \(h.authors) authors.\n"
    } else {
      out += "Not a git repository: no history signals.\n"
    }
    let t = signals.tree
    out += "Tree: \(t.files) files, \(t.codeLines) code lines, \(t.sourceFiles) source files, \(t.testFiles) test files, \(t.untestedCount) sources without a test file.\n"

    out += "\n## Hotspots (churn × size, fix-weighted)\n"
    if signals.hotspots.isEmpty { out += "none\n" }
    for (i, h) in signals.hotspots.prefix(hotspotCount).enumerated() {
      out += "\(i + 1). \(h.path) (score \(String(cFormat: "%.2f", h.score))): \(h.reasons.joined(separator: "; "))\n"
      if let excerpt = excerpt(of: h.path, root: root, signals: signals) { out += excerpt }
    }

    out += "\n## Markers (\(t.markerCount))\n"
    for m in t.markers.prefix(markerCount) { out += "- \(m.path):\(m.line) \(m.text)\n" }

    out += "\n## Tests\n"
    if let c = signals.testCommand { out += "Command: `\(c.command)` (\(c.reason))\n" } else { out += "No test command detected.\n" }
    if let run = signals.tests {
      out += "Last run: \(run.summary)\n"
      for name in run.failingTests.prefix(10) { out += "- failing: \(name)\n" }
    }
    if !t.untested.isEmpty { out += "Without tests: \(t.untested.prefix(15).joined(separator: ", "))\n" }

    if let pairs = signals.history?.coChanges, !pairs.isEmpty {
      out += "\n## Files that change together\n"
      for p in pairs.prefix(5) { out += "- \(p.a) + \(p.b): \(p.count) commits\n" }
    }
    if let previousSummary { out += "\n## Previous analysis\n\(previousSummary)\n" }
    if !rolledBack.isEmpty {
      out += "\n## Rolled back before (attempted, failed its checks)\n"
      for r in rolledBack.prefix(15) { out += "- \(r.title) [\(r.files.joined(separator: ", "))]\n" }
    }
    out += "\nPropose at most 8 improvements."
    if out.count > maxCharacters { out = String(out.prefix(maxCharacters)) + "\n[digest cut]\n" }
    return out
  }

  /// A few lines from the start of the file's longest function (or of the file), each cut to `lineWidth`.
  static func excerpt(of path: String, root: String, signals: AnalysisSignals) -> String? {
    guard let text = try? String(contentsOfFile: root + "/" + path, encoding: .utf8) else { return nil }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let span = signals.tree.longestFunctions.first { $0.path == path }?.function
    let start = max(0, (span?.startLine ?? 1) - 1)
    guard start < lines.count else { return nil }
    let shown = lines[start..<min(lines.count, start + excerptLines)].map { line in
      line.count > lineWidth ? String(line.prefix(lineWidth)) + "…" : String(line)
    }
    let label = span.map { "\($0.name), lines \($0.startLine)–\($0.startLine + $0.length - 1)" } ?? "start of file"
    return "   excerpt (\(label)):\n```\n" + shown.joined(separator: "\n") + "\n```\n"
  }
}
