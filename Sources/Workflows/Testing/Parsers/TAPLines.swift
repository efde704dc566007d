/// TAP, as node's built-in runner (`node --test`) prints it: `ok 1 - adds`, `not ok 2 - subs`,
/// `ok 3 - muls # SKIP`, nested subtests indented, a YAML block after each. A `describe` block is reported
/// like a test but its YAML says `type: 'suite'`: it is taken back out. Counts: `# pass 2`, `# fail 1`,
/// `# skipped 1`, `# todo 0`.
struct TAPLines: RunnerLines {
  private var last: String?
  private var pass: Int?
  private var fail = 0
  private var skipped = 0

  static let line = LinePattern(#"(ok|not ok)(?: \d+)?(?: -)?(?: (.*?))?(?: # (SKIP|TODO|skip|todo)\b.*)?"#)
  static let count = LinePattern(#"# (pass|fail|skipped|todo|tests|suites|cancelled) (\d+)"#)

  var counts: TestCounts? { pass.map { TestCounts(passed: $0, failed: fail, skipped: skipped) } }

  mutating func consume(_ t: String, raw: String, into book: inout TestResultBook) -> Bool {
    if t == "type: 'suite'" || t == "type: \"suite\"", let name = last {
      book.remove(name)
      last = nil
      return true
    }
    if t.hasPrefix("# "), let m = Self.count.match(t), let word = m[0], let n = m[1].flatMap(Int.init) {
      switch word {
      case "pass": pass = n
      case "fail": fail = n
      case "skipped", "todo": skipped += n
      default: break
      }
      return true
    }
    guard t.hasPrefix("ok") || t.hasPrefix("not ok") else { return false }
    guard let m = Self.line.match(t), let status = m[0] else { return false }
    guard var name = m[1]?.trimmingSpacesAndTabs, !name.isEmpty else { return true }
    if name.hasPrefix("'") && name.hasSuffix("'") && name.count >= 2 { name = String(name.dropFirst().dropLast()) }
    let outcome: TestOutcome = m[2] != nil ? .skipped : status == "ok" ? .passed : .failed
    book.record(name, outcome)
    last = name
    return true
  }
}
