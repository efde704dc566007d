import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

/// One analysis as the CLI renders it and as `--json` prints it (schema: docs/analyze-schema.md).
public struct AnalysisReport: Codable, Sendable {
  public var analysisId: Int64
  public var sessionId: String
  public var workspace: String
  public var createdAt: Date
  /// One line: "42 commits over 90.days, 3 hotspots, 7 markers, tests failed, 4 improvements".
  public var summary: String
  public var signals: AnalysisSignals
  public var model: ModelOutcome
  /// Ranked, highest value first.
  public var improvements: [ImprovementRow]
  /// Titles the model proposed again although they were rolled back and their files have not changed.
  public var filteredAsRolledBack: [String]
  /// Present when a previous analysis of this workspace exists (and comparing was not turned off).
  public var comparison: AnalysisComparison?
  /// The `--fail-on` conditions that hold; non-empty means exit 1.
  public var failedConditions: [FailOnCondition]
  /// Things the reader should know that are not errors ("not a git repository: tree signals only").
  public var warnings: [String]
  /// The model step's error, when it failed: the report is complete for the local signals and the run exits
  /// with this error's status. Not encoded — it is printed on stderr.
  public var modelError: ArrakisError? = nil

  enum CodingKeys: String, CodingKey {
    case analysisId, sessionId, workspace, createdAt, summary, signals, model, improvements, filteredAsRolledBack,
      comparison, failedConditions, warnings
  }
}

extension AnalysisReport {
  static func summaryLine(signals: AnalysisSignals, improvements: Int, model: ModelOutcome) -> String {
    var parts: [String] = []
    if let h = signals.history {
      parts.append("\(h.commits) commit\(h.commits == 1 ? "" : "s") over \(signals.window)")
    } else {
      parts.append("no git history")
    }
    parts.append("\(signals.tree.files) files")
    parts.append("\(signals.hotspots.count) hotspot\(signals.hotspots.count == 1 ? "" : "s")")
    parts.append("\(signals.tree.markerCount) marker\(signals.tree.markerCount == 1 ? "" : "s")")
    if let t = signals.tests { parts.append(t.passed ? "tests passed" : "tests failed") }
    switch model.status {
    case "ranked": parts.append("\(improvements) improvement\(improvements == 1 ? "" : "s")")
    case "failed": parts.append("model ranking failed")
    default: parts.append("model skipped")
    }
    return parts.joined(separator: ", ")
  }

  /// The `analyses.summary` column: small, and enough for the next run's digest and comparison.
  func storedSummary(improvements count: Int) -> JSONValue {
    var o: [String: JSONValue] = [
      "line": .string(summary),
      "hotspots": .array(signals.hotspots.prefix(10).map { .string($0.path) }),
      "markers": .number(Double(signals.tree.markerCount)),
      "improvements": .number(Double(count)),
      "model": .string(model.status),
    ]
    if let t = signals.tests { o["tests"] = .string(t.passed ? "passed" : "failed") }
    if let d = model.detail, model.status == "failed" { o["model_error"] = .string(d) }
    return .object(o)
  }
}
