import FoundationEssentials
import Glibc
import Workflows

/// `arrakis analyze --markdown`: the same report for a PR comment or a wiki page.
enum AnalysisMarkdown {
  static func render(_ r: AnalysisReport) -> String {
    let s = r.signals
    var out = "## arrakis analysis #\(r.analysisId)\n\n"
    out += "**\(r.summary)**"
    if let branch = s.branch { out += " — `\(branch)`" + (s.headCommit.map { " at `\($0.prefix(7))`" } ?? "") }
    out += "\n\n"
    for w in r.warnings { out += "> \(w)\n\n" }

    out += "### Hotspots\n\n"
    if s.hotspots.isEmpty { out += "None.\n\n" } else {
      out += "| # | File | Score | Why |\n|---|---|---|---|\n"
      for (i, h) in s.hotspots.enumerated() {
        out += "| \(i + 1) | `\(h.path)` | \(String(cFormat: "%.2f", h.score)) | \(escape(h.reasons.joined(separator: "; "))) |\n"
      }
      out += "\n"
    }

    out += "### Markers\n\n\(s.tree.markerCount) marker\(s.tree.markerCount == 1 ? "" : "s")\(AnalysisText.markerBreakdown(s.tree)).\n\n"
    for m in s.tree.markers.prefix(10) { out += "- `\(m.path):\(m.line)` \(escape(m.text))\n" }
    if !s.tree.markers.isEmpty { out += "\n" }

    out += "### Tests\n\n\(AnalysisText.testsLine(s))\n\n"
    for name in s.tests?.failingTests.prefix(10) ?? [] { out += "- failing: `\(name)`\n" }

    out += "### Languages\n\n| Language | Files | Code lines |\n|---|---|---|\n"
    for (name, t) in s.tree.languages.sorted(by: { ($0.value.codeLines, $1.key) > ($1.value.codeLines, $0.key) }).prefix(8) {
      out += "| \(name) | \(t.files) | \(t.codeLines) |\n"
    }
    out += "\n### Improvements\n\n"
    if r.improvements.isEmpty { out += "\(AnalysisText.modelLine(r)).\n\n" }
    for (i, imp) in r.improvements.enumerated() {
      out += "\(i + 1). **\(escape(imp.title))** (`\(imp.id)`, \(imp.category ?? "-"), impact \(imp.impact ?? "?"), risk \(imp.risk ?? "?"), \(imp.effort ?? "-"))\n"
      if let why = imp.rationale { out += "   \(escape(why))\n" }
      out += "   Files: \(imp.files.map { "`\($0)`" }.joined(separator: ", ")). Check: \(escape(imp.acceptance ?? "-"))\n"
    }
    if let c = r.comparison {
      out += "\n### Changes since analysis #\(c.previousAnalysisId)\n\n"
      out += AnalysisText.comparisonLines(c).split(separator: "\n").map { "- " + $0.trimmingSpacesAndTabs }.joined(separator: "\n") + "\n"
    }
    return out
  }

  /// Table cells must not contain a pipe or a newline.
  static func escape(_ s: String) -> String {
    s.replacing("|", with: "\\|").replacing("\n", with: " ")
  }
}
