import Foundation

/// A compiled regular expression matched against a whole line, giving its capture groups (nil for a
/// group that did not take part). The runner parsers read hundreds of thousands of lines, so each
/// pattern is compiled once.
struct LinePattern: @unchecked Sendable {
  let regex: NSRegularExpression

  init(_ pattern: String, caseInsensitive: Bool = false) {
    // The patterns are literals in this module; one that does not compile is a programming error.
    regex = try! NSRegularExpression(pattern: "^(?:" + pattern + ")$", options: caseInsensitive ? [.caseInsensitive] : [])
  }

  /// Capture groups 1…n of a whole-line match, or nil.
  func match(_ line: String) -> [String?]? {
    let ns = line as NSString
    guard let m = regex.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { return nil }
    return (1..<max(1, m.numberOfRanges)).map { i in
      let r = m.range(at: i)
      return r.location == NSNotFound ? nil : ns.substring(with: r)
    }
  }

  /// Every match of `pattern` in `text` (not anchored), as capture groups.
  static func all(_ pattern: NSRegularExpression, in text: String) -> [[String?]] {
    let ns = text as NSString
    return pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
      (1..<max(1, m.numberOfRanges)).map { i in
        let r = m.range(at: i)
        return r.location == NSNotFound ? nil : ns.substring(with: r)
      }
    }
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
