import FoundationEssentials

/// Count-only summaries that name no test: pytest's `2 failed, 1 passed, 1 skipped in 0.12s` (with `-q` or
/// framed in `=`), the plain `3 passed, 1 failed` many scripts print, mocha's `2 passing` / `1 failing` /
/// `1 pending` lines, and `PASSED: 3 FAILED: 1` (read as numbers, never as a test called "3").
struct SummaryCountLines: RunnerLines {
  private var line: TestCounts?
  private var mocha: TestCounts?

  var counts: TestCounts? {
    switch (line, mocha) {
    case let (a?, b?): return a + b
    case let (a, b): return a ?? b
    }
  }

  static let item = SearchPattern(
    #"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|ignored|deselected|warnings?|rerun)"#)
  static let list = LinePattern(
    #"=*\s*\d+ \w+(?:, \d+ \w+)*(?: in [\d.]+\s*(?:s|ms|seconds)?(?: \([^)]*\))?)?\s*=*"#)
  static let labelled = LinePattern(
    #"(?:(?:PASSED|FAILED|SKIPPED|PASS|FAIL|ERRORS?|OK)\s*[:=]\s*\d+[,;]?\s*)+"#, caseInsensitive: true)
  static let labelledItem = SearchPattern(#"(PASSED|FAILED|SKIPPED|PASS|FAIL|ERRORS?|OK)\s*[:=]\s*(\d+)"#, caseInsensitive: true)
  static let mochaLine = LinePattern(#"(\d+) (passing|failing|pending)(?: \(.*\))?"#)

  mutating func consume(_ t: String, raw: String, into book: inout TestResultBook) -> Bool {
    guard let first = t.first, first.isNumber || first == "=" || first.isLetter else { return false }
    if first.isNumber, let m = Self.mochaLine.match(t), let n = m[0].flatMap(Int.init), let word = m[1] {
      var c = mocha ?? TestCounts(passed: 0, failed: 0)
      if word == "passing" { c.passed += n } else if word == "failing" { c.failed += n } else { c.skipped += n }
      mocha = c
      return true
    }
    if first.isLetter {
      guard t.contains(":") || t.contains("="), t.contains(where: \.isNumber), Self.labelled.match(t) != nil else { return false }
      var c = TestCounts(passed: 0, failed: 0)
      for m in LinePattern.all(Self.labelledItem, in: t) {
        guard let word = m[0]?.uppercased(), let n = m[1].flatMap(Int.init) else { continue }
        if word.hasPrefix("PASS") || word == "OK" { c.passed += n }
        else if word.hasPrefix("SKIP") { c.skipped += n }
        else { c.failed += n }
      }
      line = line.map { $0 + c } ?? c
      return true
    }
    guard t.contains(where: \.isNumber), Self.list.match(t) != nil else { return false }
    let items = LinePattern.all(Self.item, in: t)
    guard !items.isEmpty else { return false }
    var c = TestCounts(passed: 0, failed: 0)
    for m in items {
      guard let n = m[0].flatMap(Int.init), let word = m[1] else { continue }
      switch word {
      case "passed", "xpassed": c.passed += n
      case "failed", "error", "errors": c.failed += n
      case "skipped", "xfailed", "ignored": c.skipped += n
      default: break
      }
    }
    line = line.map { $0 + c } ?? c
    return true
  }
}
