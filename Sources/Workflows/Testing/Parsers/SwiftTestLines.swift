/// `swift test`: XCTest's `Test Case '…' passed/failed/skipped (…)` lines and `Executed N tests` totals, and
/// Swift Testing's `✔ Test name() passed after …`, `✘ … failed …`, `➜ … skipped` and `Test run with N tests`.
/// `Suite … passed/failed` lines are groups, not tests, and are not recorded.
struct SwiftTestLines: RunnerLines {
  private var xctest: TestCounts?
  private var swiftTestingTotal: Int?
  private var swiftTestingFailed = 0
  private var swiftTestingSkipped = 0

  static let testCase = LinePattern(#"Test Case '(.+)' (passed|failed|skipped) \(.*"#)

  var counts: TestCounts? {
    var parts: [TestCounts] = xctest.map { [$0] } ?? []
    if let total = swiftTestingTotal {
      parts.append(TestCounts(
        passed: max(0, total - swiftTestingFailed - swiftTestingSkipped), failed: swiftTestingFailed, skipped: swiftTestingSkipped))
    }
    return parts.isEmpty ? nil : parts.reduce(TestCounts(passed: 0, failed: 0), +)
  }

  mutating func consume(_ t: String, raw: String, into book: inout TestResultBook) -> Bool {
    if t.hasPrefix("Test Case '") {
      guard let m = Self.testCase.match(t), var name = m[0], let word = m[1] else { return true }
      if name.hasPrefix("-[") && name.hasSuffix("]") {  // macOS: -[Module.Class testX]
        name = String(name.dropFirst(2).dropLast()).replacing(" ", with: ".")
      }
      book.record(name, word == "passed" ? .passed : word == "failed" ? .failed : .skipped)
      return true
    }
    // XCTest totals; the last "Executed" line is the whole run's.
    if t.hasPrefix("Executed "), t.contains(" test"), let total = TestOutputParser.number(before: " test", in: t) {
      let failed = TestOutputParser.number(before: " failure", in: t) ?? 0
      let skipped = TestOutputParser.number(before: " test skipped", in: t) ?? TestOutputParser.number(before: " tests skipped", in: t) ?? 0
      xctest = TestCounts(passed: max(0, total - failed - skipped), failed: failed, skipped: skipped)
      return true
    }
    // Swift Testing (macOS prints a private-use glyph instead of ✔/✘).
    guard let rest = TestOutputParser.afterSymbol(t, "Test ") else {
      return TestOutputParser.afterSymbol(t, "Suite ") != nil && (t.contains(" passed") || t.contains(" failed") || t.contains(" started"))
    }
    if rest.hasPrefix("run with ") {
      swiftTestingTotal = TestOutputParser.number(after: "run with ", in: rest)
      return true
    }
    if rest.contains(" recorded an issue") || rest.hasSuffix(" started.") { return true }
    for (word, outcome) in [(" passed", TestOutcome.passed), (" failed", .failed), (" skipped", .skipped)] {
      guard let r = rest.firstRange(of: word + " after ") ?? rest.firstRange(of: word + ".") ?? rest.firstRange(of: word + ":")
        ?? (rest.hasSuffix(word) ? rest.lastRange(of: word) : nil)
      else { continue }
      var name = rest[..<r.lowerBound]
      if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 { name = name.dropFirst().dropLast() }
      if book.outcome(String(name)) == nil {
        if outcome == .failed { swiftTestingFailed += 1 }
        if outcome == .skipped { swiftTestingSkipped += 1 }
      }
      book.record(name, outcome)
      return true
    }
    return false
  }
}
