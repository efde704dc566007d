/// Reads test-runner output line by line and picks out failing test names and pass/fail counts for the
/// runners arrakis meets most: swift test (XCTest and Swift Testing), pytest, go test, cargo test, jest.
/// Anything else falls back to generic `FAIL:`/`not ok` lines. Parsing is best-effort: the gate itself
/// is the exit status; the names only make the report and the next prompt more specific.
public struct TestOutputParser: Sendable {
  private var names: [String] = []
  private var seen: Set<String> = []
  private var generic: [String] = []
  private var xctest: TestCounts?
  private var swiftTestingTotal: Int?
  private var swiftTestingFailures = 0
  private var pytest: TestCounts?
  private var jest: TestCounts?
  private var cargo: TestCounts?
  private var goPassed = 0
  private var goFailed = 0

  public init() {}

  /// Failing tests found, or the generic fallback's findings if no known runner reported any.
  public var failingTests: [String] { names.isEmpty ? generic : names }

  /// Counts summed over every runner that reported some.
  public var counts: TestCounts? {
    var parts: [TestCounts] = [xctest, pytest, jest, cargo].compactMap { $0 }
    if let total = swiftTestingTotal {
      parts.append(TestCounts(passed: max(0, total - swiftTestingFailures), failed: swiftTestingFailures))
    }
    // Without -v go test prints only failures, so a pass count of 0 would be a guess.
    if goPassed > 0 { parts.append(TestCounts(passed: goPassed, failed: goFailed)) }
    guard !parts.isEmpty else { return nil }
    return TestCounts(passed: parts.map(\.passed).reduce(0, +), failed: parts.map(\.failed).reduce(0, +))
  }

  public static func parse(_ output: String) -> TestOutputParser {
    var p = TestOutputParser()
    for line in output.split(separator: "\n", omittingEmptySubsequences: false) { p.consume(String(line)) }
    return p
  }

  private mutating func add(_ name: Substring) {
    let name = name.trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty, seen.insert(name).inserted else { return }
    names.append(name)
  }

  public mutating func consume(_ raw: String) {
    let line = TestOutputParser.stripANSI(raw)
    let t = line.trimmingCharacters(in: .whitespaces)
    guard !t.isEmpty else { return }

    // XCTest: "Test Case '-[Module.Class testX]' failed (0.01 seconds)." / Linux: "Test Case 'Class.testX' failed".
    if t.hasPrefix("Test Case '"), let end = t.range(of: "' failed") {
      var name = t[t.index(t.startIndex, offsetBy: 11)..<end.lowerBound]
      if name.hasPrefix("-[") && name.hasSuffix("]") {
        name = name.dropFirst(2).dropLast()
        add(Substring(name.replacingOccurrences(of: " ", with: ".")))
      } else {
        add(name)
      }
      return
    }
    // XCTest totals; the last "Executed" line is the whole run's.
    if t.hasPrefix("Executed "), t.contains(" tests") || t.contains(" test,"),
      let total = TestOutputParser.number(before: " test", in: t)
    {
      let failed = TestOutputParser.number(before: " failure", in: t) ?? 0
      xctest = TestCounts(passed: max(0, total - failed), failed: failed)
      return
    }
    // Swift Testing: "✘ Test parse() failed after 0.01 seconds with 1 issue." (macOS uses a private-use glyph).
    if let rest = TestOutputParser.afterSymbol(t, "Test ") {
      if rest.hasPrefix("run with ") {
        swiftTestingTotal = TestOutputParser.number(after: "run with ", in: rest)
        return
      }
      if let end = rest.range(of: " failed after ") ?? rest.range(of: " failed", options: .backwards).flatMap({
        rest[$0.upperBound...].trimmingCharacters(in: .punctuationCharacters).isEmpty ? $0 : nil
      }) {
        var name = rest[..<end.lowerBound]
        guard !name.contains(" recorded an issue") else { return }
        if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 { name = name.dropFirst().dropLast() }
        if seen.contains(String(name)) { return }
        swiftTestingFailures += 1
        add(name)
      }
      return
    }
    // pytest: "FAILED tests/test_a.py::test_x - AssertionError" (summary) or "tests/test_a.py::test_x FAILED" (-v).
    if (t.hasPrefix("FAILED ") || t.hasPrefix("ERROR ")) && t.contains("::") {
      let rest = t.drop(while: { $0 != " " }).dropFirst()
      add(rest.range(of: " - ").map { rest[..<$0.lowerBound] } ?? rest)
      return
    }
    if t.contains("::"), let r = t.range(of: " FAILED"), !t.hasPrefix("test ") {
      add(t[..<r.lowerBound])
      return
    }
    if t.hasPrefix("="), t.contains(" in "), t.contains(" passed") || t.contains(" failed") || t.contains(" error") {
      let failed = (TestOutputParser.number(before: " failed", in: t) ?? 0) + (TestOutputParser.number(before: " error", in: t) ?? 0)
      pytest = TestCounts(passed: TestOutputParser.number(before: " passed", in: t) ?? 0, failed: failed)
      return
    }
    // go test: "--- FAIL: TestName (0.00s)", subtests "--- FAIL: TestName/case".
    if t.hasPrefix("--- FAIL: ") {
      let rest = t.dropFirst(10)
      add(rest.range(of: " (").map { rest[..<$0.lowerBound] } ?? rest)
      goFailed += 1
      return
    }
    if t.hasPrefix("--- PASS: ") { goPassed += 1; return }
    // cargo: "test tests::it_works ... FAILED", "test result: FAILED. 3 passed; 1 failed; 0 ignored; …".
    if t.hasPrefix("test "), t.hasSuffix(" ... FAILED") {
      add(t.dropFirst(5).dropLast(11))
      return
    }
    if t.hasPrefix("test result: ") {
      let c = TestCounts(passed: TestOutputParser.number(before: " passed", in: t) ?? 0,
                         failed: TestOutputParser.number(before: " failed", in: t) ?? 0)
      cargo = TestCounts(passed: (cargo?.passed ?? 0) + c.passed, failed: (cargo?.failed ?? 0) + c.failed)
      return
    }
    // jest: "✕ adds numbers (3 ms)", "Tests:       1 failed, 4 passed, 5 total".
    if t.hasPrefix("✕ ") {
      var name = t.dropFirst(2)
      if name.hasSuffix(")"), let open = name.range(of: " (", options: .backwards) { name = name[..<open.lowerBound] }
      add(name)
      return
    }
    if t.hasPrefix("Tests:"), t.contains(" total") {
      jest = TestCounts(passed: TestOutputParser.number(before: " passed", in: t) ?? 0,
                        failed: TestOutputParser.number(before: " failed", in: t) ?? 0)
      return
    }
    consumeGeneric(t)
  }

  /// unittest "FAIL: test_x (mod.Case.test_x)", TAP "not ok 3 - name", "FAIL name"/"FAILED: name".
  private mutating func consumeGeneric(_ t: String) {
    var name: Substring?
    if t.hasPrefix("not ok ") {
      let rest = t.dropFirst(7).drop(while: { $0.isNumber })
      name = rest.hasPrefix(" - ") ? rest.dropFirst(3) : rest
    } else {
      for prefix in ["FAIL: ", "ERROR: ", "FAILED: ", "FAIL\t", "FAIL "] where t.hasPrefix(prefix) {
        name = t.dropFirst(prefix.count)
        break
      }
    }
    guard let name, let first = name.first, first != "(" else { return }
    let cleaned = name.split(separator: "\t").first.map(String.init) ?? String(name)
    if !generic.contains(cleaned) && generic.count < 500 { generic.append(cleaned.trimmingCharacters(in: .whitespaces)) }
  }

  /// The text after a leading status glyph (✔ ✘ ◇ or a private-use symbol) and `keyword`, if present.
  static func afterSymbol(_ t: String, _ keyword: String) -> Substring? {
    if t.hasPrefix(keyword) { return t.dropFirst(keyword.count) }
    guard let first = t.unicodeScalars.first, first.value > 0x7F else { return nil }
    let rest = t.unicodeScalars.dropFirst().drop(while: { $0 == " " })
    let s = String(String.UnicodeScalarView(rest))
    return s.hasPrefix(keyword) ? Substring(s.dropFirst(keyword.count)) : nil
  }

  /// The integer immediately before `word` ("3 passed" → 3).
  static func number(before word: String, in s: String) -> Int? {
    guard let r = s.range(of: word) else { return nil }
    let digits = s[..<r.lowerBound].reversed().prefix(while: { $0.isNumber })
    return digits.isEmpty ? nil : Int(String(digits.reversed()))
  }

  static func number(after word: String, in s: Substring) -> Int? {
    guard let r = s.range(of: word) else { return nil }
    return Int(String(s[r.upperBound...].prefix(while: { $0.isNumber })))
  }

  /// Removes ANSI colour/cursor sequences (jest and others colour even some piped output).
  static func stripANSI(_ s: String) -> String {
    guard s.contains("\u{1B}") else { return s }
    var out = ""
    var it = s.unicodeScalars.makeIterator()
    while let c = it.next() {
      if c == "\u{1B}" {
        if let next = it.next(), next == "[" {
          while let x = it.next(), !(x.value >= 0x40 && x.value <= 0x7E) {}
        }
        continue
      }
      out.unicodeScalars.append(c)
    }
    return out
  }
}
