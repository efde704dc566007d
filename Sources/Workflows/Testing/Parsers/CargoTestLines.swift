/// `cargo test`: `test tests::adds ... ok`, `... FAILED`, `... ignored` (also `ignored, reason`), and one
/// `test result: FAILED. 1 passed; 1 failed; 1 ignored; …` line per test binary, summed.
struct CargoTestLines: RunnerLines {
  private(set) var counts: TestCounts?

  static let line = LinePattern(#"test (.+) \.\.\. (ok|FAILED|ignored)(?:,.*)?"#)

  mutating func consume(_ t: String, raw: String, into book: inout TestResultBook) -> Bool {
    guard t.hasPrefix("test ") else { return false }
    if t.hasPrefix("test result: ") {
      let c = TestCounts(
        passed: TestOutputParser.number(before: " passed", in: t) ?? 0, failed: TestOutputParser.number(before: " failed", in: t) ?? 0,
        skipped: TestOutputParser.number(before: " ignored", in: t) ?? 0)
      counts = counts.map { $0 + c } ?? c
      return true
    }
    guard let m = Self.line.match(t), let name = m[0], let word = m[1] else { return false }
    book.record(name, word == "ok" ? .passed : word == "FAILED" ? .failed : .skipped)
    return true
  }
}
