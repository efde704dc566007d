import ArrakisCore

/// `go test -v`: `--- PASS: TestAdd (0.00s)`, `--- FAIL: …`, `--- SKIP: …`, subtests indented as
/// `TestSplit/empty`; package lines (`ok  example.com/m 0.1s`, `FAIL example.com/m 0.1s`, a bare `FAIL`)
/// are not tests. `go test -json`: one object a line, `{"Action":"pass","Test":"TestAdd",…}`; its `output`
/// events repeat the -v text inside JSON strings and are ignored.
struct GoTestLines: RunnerLines {
  private var passed = 0
  private var failed = 0
  private var skipped = 0

  static let verbose = LinePattern(#"--- (PASS|FAIL|SKIP): (\S+) \(.*\)"#)
  static let package = LinePattern(#"(?:ok|FAIL|\?)\s+\S+(?:\s+.*)?"#)

  /// Without -v go test prints only failures, so a pass count of 0 would be a guess.
  var counts: TestCounts? { passed > 0 ? TestCounts(passed: passed, failed: failed, skipped: skipped) : nil }

  mutating func consume(_ t: String, raw: String, into book: inout TestResultBook) -> Bool {
    if t.hasPrefix("{"), t.contains("\"Action\"") {
      guard let json = try? JSONValue.parse(t), let action = json["Action"]?.stringValue else { return true }
      guard let test = json["Test"]?.stringValue else { return true }
      switch action {
      case "pass": note(test, .passed, &book)
      case "fail": note(test, .failed, &book)
      case "skip": note(test, .skipped, &book)
      default: break
      }
      return true
    }
    if t.hasPrefix("--- "), let m = Self.verbose.match(t), let word = m[0], let name = m[1] {
      note(name, word == "PASS" ? .passed : word == "FAIL" ? .failed : .skipped, &book)
      return true
    }
    if t == "FAIL" || t == "PASS" { return true }
    if t.hasPrefix("ok ") || t.hasPrefix("FAIL\t") || t.hasPrefix("FAIL ") || t.hasPrefix("?   "),
      t.contains("\t") || t.hasSuffix(" failed]") || t.hasSuffix("[no test files]"),
      Self.package.match(t) != nil
    {
      return true
    }
    return false
  }

  private mutating func note(_ name: String, _ outcome: TestOutcome, _ book: inout TestResultBook) {
    switch outcome {
    case .passed: passed += 1
    case .failed: failed += 1
    default: skipped += 1
    }
    book.record(name, outcome)
  }
}
