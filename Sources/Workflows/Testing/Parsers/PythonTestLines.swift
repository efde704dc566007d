/// Python's two runners. unittest `-v`: `test_add (calc.TestCalc.test_add) ... ok` (the outcome may come a
/// line later, after a docstring or the test's own output), `FAIL: test_x (mod.Case.test_x)` blocks,
/// `Ran N tests` and `FAILED (failures=1, errors=1, skipped=1)` / `OK (skipped=1)`. pytest `-v`:
/// `tests/test_a.py::test_x PASSED [ 50%]`; its summary: `FAILED tests/test_a.py::test_x - AssertionError`
/// (the count line `2 failed, 1 passed in 0.1s`, with or without `=`, is `SummaryCountLines`').
/// unittest names are `module.Class.method` on every Python version (3.11+ prints that in the
/// parentheses; older ones print `module.Class`).
struct PythonTestLines: RunnerLines {
  private var pending: String?
  private var ran: Int?
  private var unittestCounts: TestCounts?

  static let verbose = LinePattern(#"([A-Za-z_]\w*) \(([A-Za-z_][\w.]*\.[\w]+)\)(?: \.\.\. (.*))?"#)
  static let block = LinePattern(#"(?:FAIL|ERROR): ([A-Za-z_]\w*) \(([A-Za-z_][\w.]*)\)(?: \(.*\))?"#)
  static let pytestVerbose = LinePattern(#"(\S+?::\S+?(?:\[[^\]]*\])?) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)(?: .*)?"#)
  static let pytestSummary = LinePattern(#"(PASSED|FAILED|ERROR|XPASS|XFAIL) (\S+?::\S+?(?:\[[^\]]*\])?)(?: - .*)?"#)
  static let unittestTotals = LinePattern(#"(OK|FAILED)(?: \((.*)\))?"#)

  var counts: TestCounts? { unittestCounts }

  static func qualified(_ method: String, _ parens: String) -> String {
    parens.hasSuffix("." + method) ? parens : parens + "." + method
  }

  static func outcome(_ text: String) -> TestOutcome? {
    let t = text.trimmingSpacesAndTabs
    if t == "ok" || t == "expected failure" { return .passed }
    if t == "FAIL" || t == "ERROR" || t == "unexpected success" { return .failed }
    if t.hasPrefix("skipped") { return .skipped }
    return nil
  }

  mutating func consume(_ t: String, raw: String, into book: inout TestResultBook) -> Bool {
    if t.contains(") ") || t.hasSuffix(")"), let m = Self.verbose.match(t), let method = m[0], let parens = m[1] {
      let name = Self.qualified(method, parens)
      if let tail = m[2], let outcome = Self.outcome(tail) {
        book.record(name, outcome)
        pending = nil
      } else {
        pending = name
      }
      return true
    }
    if let name = pending {
      // The outcome after a docstring line ("Subtracts. ... FAIL") or after the test's own output ("ok").
      let tail = t.lastRange(of: " ... ").map { String(t[$0.upperBound...]) } ?? t
      if let outcome = Self.outcome(tail) {
        book.record(name, outcome)
        pending = nil
        return true
      }
    }
    if t.hasPrefix("FAIL: ") || t.hasPrefix("ERROR: "), let m = Self.block.match(t), let method = m[0], let parens = m[1] {
      book.record(Self.qualified(method, parens), .failed)
      return true
    }
    if t.hasPrefix("Ran "), t.hasSuffix("s") || t.contains(" test"), let n = TestOutputParser.number(before: " test", in: t) {
      ran = n
      return true
    }
    if let ran, let m = Self.unittestTotals.match(t) {
      var failed = 0, skipped = 0
      for part in (m[1] ?? "").split(separator: ",") {
        let kv = part.split(separator: "=").map { $0.trimmingSpacesAndTabs }
        guard kv.count == 2, let n = Int(kv[1]) else { continue }
        if kv[0] == "failures" || kv[0] == "errors" || kv[0] == "unexpected successes" { failed += n }
        if kv[0] == "skipped" || kv[0] == "expected failures" { skipped += n }
      }
      unittestCounts = TestCounts(passed: max(0, ran - failed - skipped), failed: failed, skipped: skipped)
      self.ran = nil
      return true
    }
    if t.contains("::"), let m = Self.pytestVerbose.match(t), let name = m[0], let word = m[1] {
      book.record(name, Self.pytestOutcome(word))
      return true
    }
    if t.contains("::"), let m = Self.pytestSummary.match(t), let word = m[0], let name = m[1] {
      book.record(name, Self.pytestOutcome(word))
      return true
    }
    return false
  }

  /// XFAIL is a known failure (not a pass); XPASS a non-strict unexpected pass.
  static func pytestOutcome(_ word: String) -> TestOutcome {
    switch word {
    case "PASSED", "XPASS": return .passed
    case "SKIPPED", "XFAIL": return .skipped
    default: return .failed
    }
  }
}
