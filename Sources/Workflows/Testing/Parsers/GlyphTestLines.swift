/// Runners that mark each test with a glyph: jest/vitest/mocha (`✓ adds (2 ms)`, `✕ subtracts`, `○ skipped
/// name`) and node's spec reporter (`✔ adds (0.4ms)`, `✖ subs (1ms)`, `﹣ muls # SKIP`). A node `describe`
/// block is announced as `▶ math` and later reported with the same glyphs: it is a group, not a test, and
/// is not recorded. jest's `Tests: 1 failed, 4 passed, 5 total` gives the counts.
struct GlyphTestLines: RunnerLines {
  private(set) var counts: TestCounts?
  private var suites: Set<String> = []

  static let passGlyphs: Set<Character> = ["✓", "✔", "√"]
  static let failGlyphs: Set<Character> = ["✕", "✖", "×"]
  static let skipGlyphs: Set<Character> = ["○", "﹣", "-"]

  mutating func consume(_ t: String, raw: String, into book: inout TestResultBook) -> Bool {
    if t.hasPrefix("Tests:"), t.contains(" total") {
      counts = TestCounts(
        passed: TestOutputParser.number(before: " passed", in: t) ?? 0, failed: TestOutputParser.number(before: " failed", in: t) ?? 0,
        skipped: (TestOutputParser.number(before: " skipped", in: t) ?? 0) + (TestOutputParser.number(before: " todo", in: t) ?? 0))
      return true
    }
    guard let glyph = t.first, t.dropFirst().first == " " else { return false }
    if glyph == "▶" {
      suites.insert(Self.name(t.dropFirst(2)))
      return true
    }
    let outcome: TestOutcome
    if Self.passGlyphs.contains(glyph) { outcome = .passed }
    else if Self.failGlyphs.contains(glyph) { outcome = .failed }
    else if Self.skipGlyphs.contains(glyph) && glyph != "-" { outcome = .skipped }
    else { return false }
    var rest = t.dropFirst(2)
    if rest.hasPrefix("skipped ") { rest = rest.dropFirst(8) }
    let name = Self.name(rest)
    // node's "✖ failing tests:" heads a list of repeats; Swift Testing's "✔ Test …" is not ours.
    if name.hasSuffix(":") || name.hasPrefix("Test ") || name.hasPrefix("Suite ") { return name.hasSuffix(":") }
    if suites.contains(name) { return true }
    book.record(name, rest.contains(" # SKIP") || rest.contains(" # TODO") ? .skipped : outcome)
    return true
  }

  /// Without the trailing duration (`(2 ms)`, `(0.4ms)`) and TAP-style directive.
  static func name(_ s: Substring) -> String {
    var s = s
    if let hash = s.firstRange(of: " # ") { s = s[..<hash.lowerBound] }
    if s.hasSuffix(")"), let open = s.lastRange(of: " ("),
      s[open.upperBound...].contains(where: \.isNumber), s[open.upperBound...].hasSuffix("ms)") || s[open.upperBound...].hasSuffix("s)")
    {
      s = s[..<open.lowerBound]
    }
    return s.trimmingSpacesAndTabs
  }
}
