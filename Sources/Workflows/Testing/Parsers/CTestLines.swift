/// ctest: `1/3 Test #1: adds .....................   Passed    0.00 sec`, `***Failed`, `***Skipped`,
/// `***Not Run (Disabled)`, and `67% tests passed, 1 tests failed out of 3`.
struct CTestLines: RunnerLines {
  private(set) var counts: TestCounts?
  private var skipped = 0

  static let line = LinePattern(#"\d+/\d+ Test\s+#\d+: (\S+) \.*\s*\**(Passed|Failed|Skipped|Not Run|Timeout|[A-Za-z][A-Za-z ]*?)\b.*"#)
  static let summary = LinePattern(#"\d+% tests passed, (\d+) tests? failed out of (\d+)"#)

  mutating func consume(_ t: String, raw: String, into book: inout TestResultBook) -> Bool {
    if let m = Self.summary.match(t), let failed = m[0].flatMap(Int.init), let total = m[1].flatMap(Int.init) {
      counts = TestCounts(passed: max(0, total - failed - skipped), failed: failed, skipped: skipped)
      return true
    }
    guard t.contains(" Test"), t.contains("#"), let m = Self.line.match(t), let name = m[0], let word = m[1] else { return false }
    let outcome: TestOutcome = word == "Passed" ? .passed : (word == "Skipped" || word.hasPrefix("Not Run")) ? .skipped : .failed
    if outcome == .skipped { skipped += 1 }
    book.record(name, outcome)
    return true
  }
}
