import ArrakisCore
import Foundation
import Testing

@testable import Agent

/// The pieces under the built-in Grep engine's move from NSRegularExpression to Swift's Regex.
@Suite struct SwiftRegexTests {
  /// ICU's word boundaries: after a digit, and between an identifier and a dot.
  @Test func wordBoundariesAreICUs() throws {
    for (pattern, text) in [(#"\bfoo\d\b"#, "let foo2 = 5"), (#"\bfield\b"#, "obj.field"), (#"\bt\b"#, "can't")] {
      #expect(try SwiftRegex.compile(pattern).firstMatch(in: text) != nil, "\(pattern) in \(text)")
    }
  }

  @Test func riskyPatternsAreTheNestedAndBackreferencing() {
    for p in ["(a+)+$", "(\\w+\\s?)*x", "(a|aa)*b", "(x+)\\1", "(?:a*)*", "((ab)*c)+", "(?<n>a)\\k<n>", "(a+){2,}"] {
      #expect(RegexRisk.unbounded(p), "\(p)")
    }
    for p in ["strbuf_release", "\\bstatic\\s+int\\b", "todo|fixme", "repo_config_get_\\w+", "(?i)foo+", "(?:ab)+", "[(+*]+x", "(foo|bar)", "a{2,3}b*", "(\\d+\\.){3}\\d+", "(a|b)?c", "(a+){2,5}"] {
      #expect(!RegexRisk.unbounded(p), "\(p)")
    }
  }

  @Test func caseFoldingMapsLongSAndKelvin() throws {
    #expect(CaseFold.fold("\u{017F}tatic \u{212A}") == "static k")
    #expect(CaseFold.fold("plain ASCII") == "plain ASCII")
    let s = "x \u{017F}T y", f = CaseFold.fold(s)
    let r = try #require(f.firstRange(of: "sT"))
    #expect(CaseFold.original(s, f, r) == "\u{017F}T")
  }

  @Test func forkedWorkReturnsItsBytes() {
    let big = [UInt8](repeating: 7, count: 200_000)  // more than a pipe holds
    #expect(ForkedWork.run({ big }, stop: { false }) == .done(big))
  }

  /// A child that would run for hours is killed when `stop` says so.
  @Test func forkedWorkIsStopped() throws {
    let re = try SwiftRegex.compile("(a+)+$")
    let evil = String(repeating: "a", count: 40) + "!"
    let start = Date()
    let outcome = ForkedWork.run({ (try? re.firstMatch(in: evil)) == nil ? [0] : [1] }, stop: { Date().timeIntervalSince(start) > 0.3 })
    #expect(outcome == .stopped)
    #expect(Date().timeIntervalSince(start) < 5)
  }
}

/// Patterns matched in a forked child (RegexRisk, multiline) print what rg prints, `-o` and `-i` too.
@Suite(.enabled(if: GrepToolTests.rg != nil, "rg is not installed"))
struct ForkedGrepTests {
  @Test func forkedMatchingAgreesWithRipgrep() async throws {
    let ws = TempWorkspace()
    ws.write("a.txt", "aab ab xaabab\nnothing\n\u{017F}AB aB\r\nlast aaab")
    ws.write("b.txt", "ab\n")
    let rg = try #require(GrepToolTests.rg)
    for input: JSONValue in [
      ["pattern": "(a+b)+", "output_mode": "content"], ["pattern": "(a+b)+", "output_mode": "content", "-o": true],
      ["pattern": "(s?a+b)+", "output_mode": "content", "-o": true, "-i": true], ["pattern": "(a+b)+", "output_mode": "count"],
      ["pattern": "ab\\s+n", "output_mode": "content", "multiline": true],
    ] {
      let builtin = await call("Grep", input, ws.context(engine: .builtin))
      let viaRg = await call("Grep", input, ws.context(engine: .ripgrep(path: rg)))
      #expect(builtin.text == viaRg.text, "built-in and rg differ for \(input.serialized())")
    }
  }
}
