import ArrakisCore
import Git
import Ledger

/// Writes what an improve run did into `self_modifications`: one row per changed file when there is a
/// change, one row without a file when there is only an outcome (red baseline, red gate, no change).
enum ModificationRecords {
  struct Context {
    var sessionID: String
    var improvementID: String?
    var branch: String
    var baseline: String
    var reasoning: String?
    var tests: [String: TestRun]
    var failToPass: [TestTransition] = []
    var passToPass: [TestTransition] = []
    var metric: MetricReport?
  }

  static func transitions(_ list: [TestTransition]) -> JSONValue {
    .array(list.map { ["name": .string($0.name), "before": .string($0.before.rawValue), "after": .string($0.after.rawValue)] })
  }

  static func metricJSON(_ m: MetricReport) -> JSONValue {
    var obj: [String: JSONValue] = [
      "command": .string(m.command), "goal": .string(m.goal.rawValue), "baseline": .array(m.baseline.map { .number($0) }),
      "candidate": .array(m.candidate.map { .number($0) }), "significant": .bool(m.significant), "verdict": .string(m.verdict),
    ]
    if let b = m.baselineMedian { obj["baseline_median"] = .number(b) }
    if let c = m.candidateMedian { obj["candidate_median"] = .number(c) }
    if let s = m.baselineSpread { obj["baseline_spread"] = .number(s) }
    return .object(obj)
  }

  static func testResultsJSON(_ c: Context, tamperReasons: [String]) -> JSONValue {
    guard case .object(var obj) = testResultsJSON(c.tests, tamperReasons: tamperReasons) else { return .null }
    obj["fail_to_pass"] = transitions(c.failToPass)
    obj["pass_to_pass"] = transitions(c.passToPass)
    if let m = c.metric { obj["metric"] = metricJSON(m) }
    return .object(obj)
  }

  static func testResultsJSON(_ tests: [String: TestRun], tamperReasons: [String]) -> JSONValue {
    var obj: [String: JSONValue] = [:]
    for (name, run) in tests {
      obj[name] = [
        "command": .string(run.command), "passed": .bool(run.passed), "exit_code": .number(Double(run.exitCode)),
        "summary": .string(run.summary), "duration_ms": .number(Double(run.durationMs)),
        "output": .string(ImprovePrompts.tail(run.output, 4000)),
        "failing_tests": .array(run.failingTests.map { .string($0) }),
      ]
    }
    obj["tamper_reasons"] = .array(tamperReasons.map { .string($0) })
    return .object(obj)
  }

  @discardableResult
  static func record(
    _ c: Context, changes: [FileChange], resultCommit: String?, success: Bool, tamperReasons: [String],
    status: ModificationStatus, description: String, ledger: Ledger
  ) throws -> [Int64] {
    let tests = testResultsJSON(c, tamperReasons: tamperReasons)
    func row(_ change: FileChange?) -> NewSelfModification {
      NewSelfModification(
        sessionID: c.sessionID, improvementID: c.improvementID, filePath: change?.path,
        changeDescription: change.map { "\($0.status.rawValue) (+\($0.additions) −\($0.deletions)): \(description)" } ?? description,
        beforeContent: change?.oldContent, afterContent: change?.newContent, reasoning: c.reasoning, testResults: tests,
        branch: c.branch, baseCommit: c.baseline, resultCommit: resultCommit, success: success,
        tampered: !tamperReasons.isEmpty, status: status)
    }
    let rows = changes.isEmpty ? [row(nil)] : changes.map(row)
    return try rows.map { try ledger.recordSelfModification($0) }
  }
}
