/// Reads test-runner output line by line and records every test it can name with its outcome, plus the
/// counts the runners print. One family of runners per file in Parsers/: swift test (XCTest and Swift
/// Testing), Python (unittest -v, pytest), go test (-v, -json), cargo test, ctest, TAP (node --test),
/// glyph reporters (jest, mocha, node's spec reporter) and count-only summary lines; when none of them
/// named a test, generic `FAIL: name` lines are the failures. The first family that recognises a line
/// takes it.
public struct TestOutputParser: Sendable {
  private var book = TestResultBook()
  private var generic = GenericFailureLines()
  private var swift = SwiftTestLines()
  private var python = PythonTestLines()
  private var go = GoTestLines()
  private var cargo = CargoTestLines()
  private var ctest = CTestLines()
  private var tap = TAPLines()
  private var glyphs = GlyphTestLines()
  private var summaries = SummaryCountLines()

  public init() {}

  /// Every named test, in order of first appearance; when no runner named any, the generic failures.
  public var results: [TestResult] {
    book.isEmpty ? generic.names.map { TestResult(name: $0, outcome: .failed) } : book.results
  }

  /// Whether a runner named passing (or skipped) tests one by one, not only failures or counts: then a
  /// test the output does not name did not run.
  public var namesTests: Bool { book.count(.passed) + book.count(.skipped) > 0 }

  /// Failing tests found, in order.
  public var failingTests: [String] { results.filter { $0.outcome == .failed }.map(\.name) }

  /// Counts summed over every runner that printed a summary; without any, counted from the named results.
  public var counts: TestCounts? {
    let parts: [TestCounts] = [swift.counts, python.counts, go.counts, cargo.counts, ctest.counts, tap.counts, glyphs.counts, summaries.counts]
      .compactMap { $0 }
    if !parts.isEmpty { return parts.reduce(TestCounts(passed: 0, failed: 0), +) }
    guard !book.isEmpty else { return nil }
    return TestCounts(passed: book.count(.passed), failed: book.count(.failed), skipped: book.count(.skipped))
  }

  public static func parse(_ output: String) -> TestOutputParser {
    var p = TestOutputParser()
    for line in output.split(separator: "\n", omittingEmptySubsequences: false) { p.consume(String(line)) }
    return p
  }

  public mutating func consume(_ raw: String) {
    let line = TestOutputParser.stripANSI(raw)
    let t = line.trimmingSpacesAndTabs
    guard !t.isEmpty else { return }
    if swift.consume(t, raw: line, into: &book) { return }
    if cargo.consume(t, raw: line, into: &book) { return }
    if python.consume(t, raw: line, into: &book) { return }
    if go.consume(t, raw: line, into: &book) { return }
    if ctest.consume(t, raw: line, into: &book) { return }
    if tap.consume(t, raw: line, into: &book) { return }
    if glyphs.consume(t, raw: line, into: &book) { return }
    if summaries.consume(t, raw: line, into: &book) { return }
    generic.consume(t)
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
    guard let r = s.firstRange(of: word) else { return nil }
    let digits = s[..<r.lowerBound].reversed().prefix(while: { $0.isNumber })
    return digits.isEmpty ? nil : Int(String(digits.reversed()))
  }

  static func number(after word: String, in s: Substring) -> Int? {
    guard let r = s.firstRange(of: word) else { return nil }
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
