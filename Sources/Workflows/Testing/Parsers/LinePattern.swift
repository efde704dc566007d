import Agent
import FoundationEssentials

/// A compiled regular expression matched against a whole line, giving its capture groups (nil for a
/// group that did not take part). The runner parsers read hundreds of thousands of lines, so each
/// pattern is compiled once (SwiftRegex: word boundaries as ICU's).
/// `@unchecked Sendable`: a compiled Regex is immutable, but Regex<AnyRegexOutput> is not declared Sendable.
struct LinePattern: @unchecked Sendable {
  let regex: Regex<AnyRegexOutput>

  init(_ pattern: String, caseInsensitive: Bool = false) {
    // The patterns are literals in this module; one that does not compile is a programming error.
    let re = try! SwiftRegex.compile(pattern)
    regex = caseInsensitive ? re.ignoresCase() : re
  }

  /// Capture groups 1…n of a whole-line match (what `^(?:pattern)$` found), or nil.
  func match(_ line: String) -> [String?]? {
    guard let m = try? regex.wholeMatch(in: line) else { return nil }
    return Self.groups(m.output)
  }

  /// Every match of `pattern` in `text` (not anchored), as capture groups.
  static func all(_ pattern: SearchPattern, in text: String) -> [[String?]] {
    text.matches(of: pattern.regex).map { groups($0.output) }
  }

  static func groups(_ output: AnyRegexOutput) -> [String?] {
    (1..<max(1, output.count)).map { output[$0].substring.map(String.init) }
  }
}

/// A pattern searched anywhere in a text (LinePattern.all), compiled once like LinePattern's.
struct SearchPattern: @unchecked Sendable {
  let regex: Regex<AnyRegexOutput>

  init(_ pattern: String, caseInsensitive: Bool = false, anchorsMatchLines: Bool = false) {
    var re = try! SwiftRegex.compile(pattern)
    if caseInsensitive { re = re.ignoresCase() }
    if anchorsMatchLines { re = re.anchorsMatchLineEndings() }
    regex = re
  }
}
/// What every runner family implements: read one line (ANSI colours removed; `raw` keeps the indentation,
/// `t` is trimmed) and say whether it was this family's, recording named results in the book.
protocol RunnerLines: Sendable {
  mutating func consume(_ t: String, raw: String, into book: inout TestResultBook) -> Bool
  /// The counts the family's own summary line(s) printed, nil when none did.
  var counts: TestCounts? { get }
}

extension TestCounts {
  static func + (a: TestCounts, b: TestCounts) -> TestCounts {
    TestCounts(passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped)
  }
}
