import ArrakisCore
import Foundation
import Testing

@testable import Agent

/// A small tree exercising .gitignore (nested, negation, dir-only, anchored), hidden files, binaries and .git.
func searchTree() -> TempWorkspace {
  let ws = TempWorkspace()
  ws.write(".gitignore", "build/\n*.log\n!keep.log\n/anchored.txt\n")
  ws.write("src/a.swift", "import Foundation\nlet foo = 1\nfunc Bar() {}\n// FOO comment\nlet x = 2\nlet y = 3\nlet z = 4\nlet foo2 = 5\n")
  ws.write("src/b.swift", "struct B { var foo: Int }\n")
  ws.write("src/nested/.gitignore", "secret.swift\n")
  ws.write("src/nested/secret.swift", "let foo = \"secret\"\n")
  ws.write("src/nested/c.swift", "// nothing here\nlet bar = foo(1)\n")
  ws.write("build/out.swift", "let foo = 0\n")
  ws.write("x.log", "foo log\n")
  ws.write("keep.log", "foo kept\n")
  ws.write("anchored.txt", "foo anchored\n")
  ws.write("sub/anchored.txt", "foo not anchored\n")
  ws.write("docs/readme.md", "# Foo\nUse foo() wisely.\n")
  ws.write(".hidden/h.swift", "let foo = hidden\n")
  ws.write(".git/config", "foo = bar\n")
  FileManager.default.createFile(atPath: ws.root + "/bin.dat", contents: Data("foo\0bar".utf8))
  return ws
}

@Suite struct GlobToolTests {
  @Test func newestFirstAndGitignore() async {
    let ws = searchTree()
    ws.setMtime("src/a.swift", 1_000)
    ws.setMtime("src/b.swift", 3_000)
    ws.setMtime("src/nested/c.swift", 2_000)
    ws.setMtime(".hidden/h.swift", 500)
    let o = await call("Glob", ["pattern": "**/*.swift"], ws.context())
    #expect(o.text == "src/b.swift\nsrc/nested/c.swift\nsrc/a.swift\n.hidden/h.swift")
    #expect(o.output.summary == "Glob **/*.swift (4 files)")
  }

  @Test func pathBracesAndTopLevelOnly() async {
    let ws = searchTree()
    let ctx = ws.context()
    let top = await call("Glob", ["pattern": "*.log"], ctx)
    #expect(top.text == "keep.log")
    let braces = await call("Glob", ["pattern": "**/*.{md,txt}"], ctx)
    #expect(Set(braces.text.split(separator: "\n")) == ["docs/readme.md", "sub/anchored.txt"])
    let inPath = await call("Glob", ["pattern": "*.swift", "path": "src/nested"], ctx)
    #expect(inPath.text == "src/nested/c.swift")
    let none = await call("Glob", ["pattern": "**/*.rs"], ctx)
    #expect(none.text == "No files found")
  }

  @Test func capAt100() async {
    let ws = TempWorkspace()
    for i in 0..<130 { ws.write("f/\(i).txt", "") }
    let o = await call("Glob", ["pattern": "f/*.txt"], ws.context())
    #expect(o.text.split(separator: "\n").count == 101)
    #expect(o.text.contains("truncated: showing 100 of 130"))
  }
}

@Suite struct GitIgnoreTests {
  @Test func semantics() {
    var g = GitIgnore()
    g.files.append(.init(base: [], rules: GitIgnore.parse("*.o\n!keep.o\nbuild/\n/top.txt\ndocs/**/gen\n# comment\n")))
    g.files.append(.init(base: ["lib"], rules: GitIgnore.parse("!x.o\n")))
    #expect(g.isIgnored(["a", "b.o"], isDirectory: false))
    #expect(!g.isIgnored(["keep.o"], isDirectory: false))
    #expect(!g.isIgnored(["lib", "x.o"], isDirectory: false))
    #expect(g.isIgnored(["lib", "y.o"], isDirectory: false))
    #expect(g.isIgnored(["a", "build"], isDirectory: true))
    #expect(!g.isIgnored(["a", "build"], isDirectory: false))
    #expect(g.isIgnored(["top.txt"], isDirectory: false))
    #expect(!g.isIgnored(["a", "top.txt"], isDirectory: false))
    #expect(g.isIgnored(["docs", "gen"], isDirectory: true))
    #expect(g.isIgnored(["docs", "a", "b", "gen"], isDirectory: false))
  }
}

@Suite struct GrepToolTests {
  static var rg: String? { ProcessRunner.which("rg") }

  /// Runs the same call through both engines and checks they agree.
  func both(_ ws: TempWorkspace, _ input: JSONValue) async -> String {
    let builtin = await call("Grep", input, ws.context(engine: .builtin))
    if let rg = GrepToolTests.rg {
      let viaRg = await call("Grep", input, ws.context(engine: .ripgrep(path: rg)))
      #expect(viaRg.text == builtin.text, "rg and built-in differ for \(input.serialized())")
      #expect(viaRg.output.summary == builtin.output.summary)
    }
    return builtin.text
  }

  @Test func filesWithMatchesHonoursIgnoreHiddenBinaryGit() async {
    let ws = searchTree()
    let out = await both(ws, ["pattern": "foo"])
    #expect(out == ".hidden/h.swift\ndocs/readme.md\nkeep.log\nsrc/a.swift\nsrc/b.swift\nsrc/nested/c.swift\nsub/anchored.txt")
  }

  @Test func contentWithLineNumbersAndCase() async {
    let ws = searchTree()
    let out = await both(ws, ["pattern": "foo", "output_mode": "content", "-i": true, "path": "src"])
    #expect(out.contains("src/a.swift:2:let foo = 1"))
    #expect(out.contains("src/a.swift:4:// FOO comment"))
    let noNumbers = await both(ws, ["pattern": "foo\\(", "output_mode": "content", "-n": false])
    #expect(noNumbers == "docs/readme.md:Use foo() wisely.\nsrc/nested/c.swift:let bar = foo(1)")
  }

  @Test func contextLines() async {
    let ws = searchTree()
    let c = await both(ws, ["pattern": "foo", "output_mode": "content", "-C": 1, "path": "src/a.swift"])
    #expect(c == "src/a.swift-1-import Foundation\nsrc/a.swift:2:let foo = 1\nsrc/a.swift-3-func Bar() {}\n--\nsrc/a.swift-7-let z = 4\nsrc/a.swift:8:let foo2 = 5")
    _ = await both(ws, ["pattern": "let", "output_mode": "content", "-A": 2])
    _ = await both(ws, ["pattern": "foo", "output_mode": "content", "-B": 3, "-i": true])
  }

  @Test func countGlobTypeHeadLimit() async {
    let ws = searchTree()
    let count = await both(ws, ["pattern": "let", "output_mode": "count", "glob": "*.swift"])
    // As in rg, a -g glob whitelists files past .gitignore (secret.swift), not ignored directories (build/).
    #expect(count == ".hidden/h.swift:1\nsrc/a.swift:5\nsrc/nested/c.swift:1\nsrc/nested/secret.swift:1")
    let typed = await both(ws, ["pattern": "foo", "type": "md"])
    #expect(typed == "docs/readme.md")
    let braces = await both(ws, ["pattern": "foo", "glob": "*.{md,log}"])
    #expect(braces == "docs/readme.md\nkeep.log\nx.log")
    let head = await both(ws, ["pattern": "foo", "head_limit": 2])
    #expect(head == ".hidden/h.swift\ndocs/readme.md\n[showing 1-2 of 7 files (head_limit); 5 more: continue with offset 2]")
  }

  @Test func regexFeaturesAndMultiline() async {
    let ws = searchTree()
    let r = await both(ws, ["pattern": "\\bfoo\\d\\b", "output_mode": "content"])
    #expect(r == "src/a.swift:8:let foo2 = 5")
    let alt = await both(ws, ["pattern": "Bar|bar", "output_mode": "files_with_matches"])
    #expect(alt == "src/a.swift\nsrc/nested/c.swift")
    let ml = await both(ws, ["pattern": "here\\nlet bar", "multiline": true, "output_mode": "content"])
    #expect(ml == "src/nested/c.swift:1:// nothing here\nsrc/nested/c.swift:2:let bar = foo(1)")
    let none = await both(ws, ["pattern": "zzzz_nothing"])
    #expect(none == "No matches found")
  }

  @Test func invalidRegexIsAnError() async {
    let ws = searchTree()
    let o = await call("Grep", ["pattern": "foo("], ws.context(engine: .builtin))
    #expect(o.isError)
  }

  @Test func literalExtraction() {
    #expect(RegexLiteral.required(in: "foo") == "foo")
    #expect(RegexLiteral.required(in: "\\bfoo\\d+bar") == "foo")
    #expect(RegexLiteral.required(in: "colou?r") == "colo")
    #expect(RegexLiteral.required(in: "a|b") == nil)
    #expect(RegexLiteral.required(in: "(?i)foo") == nil)
    #expect(RegexLiteral.required(in: "func\\s+\\w+\\(") == "func")
    #expect(RegexLiteral.required(in: "x[abc]yz") == "yz")
  }
}

/// The built-in engine's type table against the installed rg, type by type: a file for every glob of
/// every type (character classes expanded) plus near misses; both engines must pick the same files.
@Suite struct GrepTypeTableTests {
  /// File names a glob matches: `*` becomes `f`, each `[abc]` each of its characters.
  static func names(for glob: String) -> [String] {
    var out = [""]
    var chars = Array(glob)[...]
    while let c = chars.first {
      chars = chars.dropFirst()
      if c == "*" { out = out.map { $0 + "f" }; continue }
      if c == "[", let close = chars.firstIndex(of: "]") {
        let set = chars[chars.startIndex..<close]
        out = out.flatMap { p in set.map { p + String($0) } }
        chars = chars[(close + 1)...]
        continue
      }
      out = out.map { $0 + String(c) }
    }
    return out
  }

  @Test(.enabled(if: GrepToolTests.rg != nil, "rg is not installed: the built-in type table cannot be compared with it"))
  func everyTypeSelectsTheSameFilesAsRipgrep() async throws {
    let rg = try #require(GrepToolTests.rg)
    let ws = TempWorkspace()
    var all = Set<String>()
    for globs in GrepRequest.types.values { for g in globs { all.formUnion(GrepTypeTableTests.names(for: g)) } }
    for name in all.union(["f.pyc", "f.py.bak", "f.swiftx", "Gemfile.lock", "f.markdownx", "notes.txt.orig"]) {
      ws.write("t/" + name, "needle\n")
    }
    for type in GrepRequest.types.keys.sorted() {
      let input: JSONValue = ["pattern": "needle", "type": .string(type)]
      let builtin = await call("Grep", input, ws.context(engine: .builtin))
      let viaRg = await call("Grep", input, ws.context(engine: .ripgrep(path: rg)))
      #expect(!builtin.isError && builtin.text != "No matches found", "type \(type) found nothing: \(builtin.text)")
      #expect(builtin.text == viaRg.text, "type \(type): built-in \(builtin.text) vs rg \(viaRg.text)")
    }
  }
}
