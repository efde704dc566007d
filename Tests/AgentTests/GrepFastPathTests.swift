import ArrakisCore
import Foundation
import Testing

@testable import Agent

/// The built-in engine's shortcuts (BuiltinGrep.LiteralPlan: memmem without the regex for patterns that
/// are only literals; the literal prefilter; files opened from the walk and searched while it goes on)
/// must not change a result: each call is compared with the same call through rg.
@Suite(.enabled(if: GrepToolTests.rg != nil, "rg is not installed: the built-in engine's shortcuts cannot be compared with it"))
struct GrepFastPathTests {
  /// Lines made to trip the shortcuts: several needles on a line, one at the very end of a file without a
  /// newline, CRLF, a needle split by a line end, non-ASCII case partners of `k` and `s` (KELVIN SIGN,
  /// LONG S) and of other letters, regex punctuation used literally, and enough files that the pool
  /// finishes them out of order.
  static func tree() -> TempWorkspace {
    let ws = TempWorkspace()
    ws.write("a.c", "int main() {\n  die(_(\"no\"));\n  /* TODO: fixme */ todo();\n  return 0;\n}\n")
    ws.write("b.c", "static int x;\nstatic  int y;\nSTATIC INT z;\nstatic inty;\nfixme")
    ws.write("crlf.txt", "one TODO\r\ntwo\r\nFixMe three\r\n")
    ws.write("split.txt", "tod\no\nfix\nme\n")
    ws.write("fold.txt", "\u{017F}tatic long s\n\u{212A}ernel kelvin\nplain static\nKERNEL\n\u{00C9}t\u{00E9} TODO\n")
    ws.write("punct.txt", "a.b\naxb\n(x)\n[y]\nc++\nc+\n$HOME\n^start\na|b\n")
    ws.write("empty.txt", "")
    for d in 0..<6 {
      for f in 0..<15 {
        ws.write("many/d\(d)/f\(f).c", String(repeating: "x\n", count: (d + f) % 7) + ((d * f) % 3 == 0 ? "todo here\nstatic int k;\n" : "nothing\n"))
      }
    }
    return ws
  }

  @Test func literalShortcutsAgreeWithRipgrep() async throws {
    let ws = Self.tree()
    let rg = try #require(GrepToolTests.rg)
    var inputs: [JSONValue] = []
    let patterns = [
      "todo", "TODO", "todo|fixme", "fixme|todo|TODO", "die\\(_\\(", "a\\.b", "\\(x\\)", "\\[y\\]", "c\\+\\+", "\\$HOME", "\\^start",
      "a\\|b", "static", "kernel", "static|kernel", "\\bstatic\\s+int\\b", "todo|", "t.do", "o\\r", "\u{00C9}t\u{00E9}",
    ]
    for p in patterns {
      for mode in ["files_with_matches", "count", "content"] {
        inputs.append(["pattern": .string(p), "output_mode": .string(mode)])
        inputs.append(["pattern": .string(p), "output_mode": .string(mode), "-i": true])
      }
      inputs.append(["pattern": .string(p), "output_mode": "content", "-C": 1, "-i": true])
      // (-o of an empty match is printed differently by ICU and rg, shortcut or not.)
      if !p.hasSuffix("|") { inputs.append(["pattern": .string(p), "output_mode": "content", "-o": true]) }
    }
    for input in inputs {
      let builtin = await call("Grep", input, ws.context(engine: .builtin))
      let viaRg = await call("Grep", input, ws.context(engine: .ripgrep(path: rg)))
      #expect(builtin.text == viaRg.text, "built-in and rg differ for \(input.serialized())")
      #expect(builtin.isError == viaRg.isError, "\(input.serialized()): \(builtin.text) / \(viaRg.text)")
    }
    // The shortcuts were taken where they should be, and found what rg finds.
    let alternation = await call("Grep", ["pattern": "todo|fixme", "-i": true, "output_mode": "count"], ws.context(engine: .builtin))
    #expect(alternation.text.contains("a.c:1") && alternation.text.contains("crlf.txt:2") && alternation.text.contains("b.c:1"))
    let longS = await call("Grep", ["pattern": "static", "-i": true, "output_mode": "content", "path": "fold.txt"], ws.context(engine: .builtin))
    #expect(longS.text == "fold.txt:1:\u{017F}tatic long s\nfold.txt:3:plain static")
  }

  /// Regexes must match line by line as rg does, also where `\s`, `[^x]` or `$` meet a line end or a
  /// "\r" (BuiltinGrep gives Swift's Regex one line at a time, without its "\n").
  @Test func regexMatchesLineByLineAsRg() async throws {
    let ws = TempWorkspace()
    var body = ""
    for k in 0..<30 {
      switch k % 6 {
      case 0: body += "static\n"
      case 1: body += "  int a\(k); \n"
      case 2: body += "\n"
      case 3: body += "static int b\(k) = x;\r\n"
      case 4: body += "  ;  static  \n"
      default: body += "x\ty static\n"
      }
    }
    ws.write("span.c", body + "static")
    ws.write("short.c", "static int s;\n\nstatic\n  int t;\n")
    let rg = try #require(GrepToolTests.rg)
    let patterns = [
      "static\\s+int", "static\\s*", "[^;]+;", "\\s$", "^$", "^\\s*$", "static$", "\\bint\\b", "[a-z]+\\s+[a-z]+",
      "x\\s", ";\\s*$", "\\d+", "\\S+\\s+\\S+", "(static|int)\\s", "\\r$", ".$", "t\\s*",
    ]
    for p in patterns {
      for input: JSONValue in [
        ["pattern": .string(p), "output_mode": "content"], ["pattern": .string(p), "output_mode": "count"],
        ["pattern": .string(p), "output_mode": "content", "-i": true, "-C": 1],
      ] {
        let builtin = await call("Grep", input, ws.context(engine: .builtin))
        let viaRg = await call("Grep", input, ws.context(engine: .ripgrep(path: rg)))
        #expect(builtin.text == viaRg.text, "built-in and rg differ for \(input.serialized())")
      }
    }
  }

  /// The built-in engine searches on the dispatch pool from a thread of its own: calls running side by
  /// side must all finish, with the same result each.
  @Test func concurrentBuiltinCallsAllFinish() async throws {
    let ws = Self.tree()
    let expected = await call("Grep", ["pattern": "static", "output_mode": "count"], ws.context(engine: .builtin)).text
    #expect(expected.contains("b.c:3"))
    let finished = Flag()
    let results = Task.detached { () -> [String] in
      defer { finished.set() }
      return await withTaskGroup(of: String.self) { group in
        for k in 0..<12 {
          group.addTask {
            await call("Grep", ["pattern": k % 2 == 0 ? "static" : "stat[i]c", "output_mode": "count"], ws.context(engine: .builtin)).text
          }
        }
        var texts: [String] = []
        for await t in group { texts.append(t) }
        return texts
      }
    }
    let start = Date()
    while !finished.isSet && Date().timeIntervalSince(start) < hangBound { try await Task.sleep(nanoseconds: 20_000_000) }
    try #require(finished.isSet, "concurrent built-in Grep calls did not finish within \(hangBound) s")
    let texts = await results.value
    #expect(texts.count == 12 && texts.allSatisfy { $0 == expected })
  }

  /// A line is cut at `lineChars` characters, not bytes: multi-byte and combined characters count once.
  @Test func longLinesAreCutAtCharactersNotBytes() async throws {
    let ws = TempWorkspace()
    let limit = OutputLimits().lineChars
    // Rows are "long.txt:" + the line: 9 characters, then "x", then the filler.
    let fill = limit - 10
    let lines = [
      "x" + String(repeating: "\u{00E9}", count: fill),  // 2 bytes each: the row is over the limit in bytes only
      "x" + String(repeating: "e\u{0301}", count: fill),  // 3 bytes, 1 character each
      "x" + String(repeating: "a", count: fill),
      "x" + String(repeating: "a", count: fill + 1),
      "x" + String(repeating: "\u{00E9}", count: fill + 1),
    ]
    ws.write("long.txt", lines.joined(separator: "\n") + "\n")
    let rg = try #require(GrepToolTests.rg)
    let input: JSONValue = ["pattern": "x", "output_mode": "content", "-n": false, "path": "long.txt"]
    let builtin = await call("Grep", input, ws.context(engine: .builtin))
    let viaRg = await call("Grep", input, ws.context(engine: .ripgrep(path: rg)))
    #expect(builtin.text == viaRg.text)
    let rows = viaRg.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    try #require(rows.count == 5)
    let cut = "… [line truncated]"
    // Only the last two rows are longer than the limit in characters.
    #expect(rows[0] == "long.txt:" + lines[0] && rows[1] == "long.txt:" + lines[1] && rows[2] == "long.txt:" + lines[2])
    #expect(rows[0].count == limit && rows[0].utf8.count > limit)
    #expect(rows[3].hasSuffix(cut) && rows[3].count == limit + cut.count)
    #expect(rows[4].hasSuffix(cut) && rows[4].count == limit + cut.count)
  }

  @Test func whichPatternsAreOnlyLiterals() {
    #expect(RegexLiteral.alternatives(in: "foo") == ["foo"])
    #expect(RegexLiteral.alternatives(in: "todo|fixme") == ["todo", "fixme"])
    #expect(RegexLiteral.alternatives(in: "die\\(_\\(") == ["die(_("])
    #expect(RegexLiteral.alternatives(in: "a\\|b") == ["a|b"])
    #expect(RegexLiteral.alternatives(in: "caf\u{00E9} au lait") == ["caf\u{00E9} au lait"])
    for notOnlyLiterals in ["todo|", "|todo", "a||b", "t.do", "colou?r", "(a|b)", "[ab]", "x{2}", "^foo", "foo$", "\\bfoo", "\\w+", "\\n", "\\x41", "\\1", "a+", ""] {
      #expect(RegexLiteral.alternatives(in: notOnlyLiterals) == nil, "\(notOnlyLiterals)")
    }
  }

  /// GlobPattern compares plain names, `*suffix` and `prefix*` as bytes and hands the rest to fnmatch:
  /// every component must match exactly as fnmatch(3) with no flags says.
  @Test func compiledGlobComponentsMatchLikeFnmatch() {
    let patterns = ["foo", "*.c", "*", "**", "git-*", "*~", ".*", "*.[ch]", "a?c", "[!a]*", "\\*x", "*a*", "", "é*", "*.tar.gz"]
    let names = ["foo", "foo.c", "x.h", ".hidden", "git-add", "git-", "notes~", "abc", "a.c", "bcd", "*x", "xa", "é.txt", "a.tar.gz", "tar.gz", "Foo"]
    for p in patterns {
      let piece = GlobPattern.Piece(p)
      for n in names where p != "**" {
        #expect(piece.matches(n) == (fnmatch(p, n, 0) == 0), "pattern \(p) name \(n)")
      }
    }
  }
}
