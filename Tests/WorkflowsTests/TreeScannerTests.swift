import Foundation
import Testing
import Agent

@testable import Workflows

@Suite struct TreeScannerTests {
  static let swiftSource = """
    import Foundation

    // TODO: split this type
    struct Parser {
      func short() -> Int { 1 }

      func parse(_ text: String) -> [String] {
        var out: [String] = []
        for c in text {
          if c == "{" {  // a brace in a string must not count
            out.append("open")
          }
        }
        return out
      }
    }

    """

  static let pythonSource = """
    import os


    def helper(x):
        return x


    def process(
        items,
        limit=3,
    ):
        total = 0

        for i in items:
            total += i  # FIXME overflow
        return total


    class C:
        def m(self):
            pass
    """

  static let goSource = """
    package store

    func (s *Store) Get(key string) string {
    \tif v, ok := s.m[key]; ok {
    \t\treturn v
    \t}
    \treturn ""
    }

    func Put(k string) {
    }
    """

  static let cSource = """
    #include <stdio.h>

    static int add(int a, int b)
    {
        /* } a brace in a comment */
        return a + b;
    }

    int main(void) {
        if (add(1, 2) == 3) {
            printf("ok }\\n");
        }
        return 0; // HACK: exit code
    }
    """

  func makeTree() throws -> TempTree {
    let t = try TempTree()
    try t.write("Sources/App/Parser.swift", Self.swiftSource)
    try t.write("Sources/App/Lonely.swift", "let x = 1\n")
    try t.write("Tests/AppTests/ParserTests.swift", "import Testing\n@Test func parses() {}\n")
    try t.write("lib/process.py", Self.pythonSource)
    try t.write("tests/test_process.py", "def test_process():\n    assert True\n")
    try t.write("store/store.go", Self.goSource)
    try t.write("store/store_test.go", "package store\n")
    try t.write("native/add.c", Self.cSource)
    try t.write("README.md", "# Title\n\nXXX: write docs\nNot a marker: XXXX, TODOs, todo\n")
    try t.write("generated/big.swift", "// TODO: ignored\n")
    try t.write("notes.log", "TODO: ignored by pattern\n")
    try t.write("keep/important.log", "kept by negation\n")
    try t.write(".gitignore", "# comment\ngenerated/\n*.log\n!keep/important.log\n")
    try t.write(".build/debug/x.swift", "func f() {}\n")
    try t.write("node_modules/pkg/index.js", "function f() {}\n")
    try t.write(".git/HEAD", "ref: refs/heads/main\n")
    try t.write("assets/logo.png", Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02]))
    try t.write("data/huge.json", String(repeating: "x", count: 2_100_000))
    return t
  }

  @Test func languagesLinesAndSkips() throws {
    let t = try makeTree()
    let s = try TreeScanner().scan(t.root)
    let paths = s.files.map(\.path)
    #expect(paths == paths.sorted())
    #expect(paths.contains("Sources/App/Parser.swift"))
    #expect(paths.contains("keep/important.log"))
    #expect(paths.contains(".gitignore"))
    for excluded in ["generated/big.swift", "notes.log", ".build/debug/x.swift", "node_modules/pkg/index.js",
                     ".git/HEAD", "assets/logo.png", "data/huge.json"] {
      #expect(!paths.contains(excluded), "\(excluded) should be skipped")
    }
    #expect(s.skipped.binary == 1)
    #expect(s.skipped.tooLarge == 1)
    #expect(s.skipped.ignored == 2)  // the generated/ directory and notes.log

    let parser = try #require(s.file("Sources/App/Parser.swift"))
    #expect(parser.language == "swift")
    #expect(parser.lines == 16)
    #expect(parser.codeLines == 14)
    #expect(s.file("lib/process.py")?.language == "python")
    #expect(s.file("store/store.go")?.language == "go")
    #expect(s.file("native/add.c")?.language == "c")
    #expect(s.file("README.md")?.language == "markdown")
    #expect(s.languages["swift"]?.files == 3)
    #expect(s.languages["swift"]?.testFiles == 1)
    #expect(s.languages["python"]?.lines == 21 + 2)
  }

  @Test func markersWithLineNumbers() throws {
    let t = try makeTree()
    let s = try TreeScanner().scan(t.root)
    let found = s.markers.map { "\($0.path):\($0.line):\($0.kind.rawValue):\($0.text)" }
    #expect(found == [
      "README.md:3:XXX:XXX: write docs",
      "Sources/App/Parser.swift:3:TODO:TODO: split this type",
      "lib/process.py:15:FIXME:FIXME overflow",
      "native/add.c:13:HACK:HACK: exit code",
    ])
    #expect(s.file("Sources/App/Parser.swift")?.markerCount == 1)
    #expect(s.languages["markdown"]?.markers == 1)
  }

  @Test func proseMentioningMarkerWordsIsNotAMarker() throws {
    let t = try TempTree()
    _ = try t.write("doc.swift", """
      /// Finds TODO/FIXME/HACK/XXX markers in a tree.
      let note = "a HACK here is fine"  // not a marker: mid-sentence
      // TODO tidy this
      let x = 1  # FIXME(ana): wrong comment style but still a marker
      """)
    let s = try TreeScanner().scan(t.root)
    #expect(s.markers.map { "\($0.line):\($0.kind.rawValue)" } == ["3:TODO", "4:FIXME"])
  }

  @Test func longestFunctions() throws {
    let t = try makeTree()
    let s = try TreeScanner().scan(t.root)
    #expect(s.file("Sources/App/Parser.swift")?.longestFunction == FunctionSpan(name: "parse", startLine: 7, length: 9))
    #expect(s.file("lib/process.py")?.longestFunction == FunctionSpan(name: "process", startLine: 8, length: 9))
    #expect(s.file("store/store.go")?.longestFunction == FunctionSpan(name: "Get", startLine: 3, length: 6))
    #expect(s.file("native/add.c")?.longestFunction == FunctionSpan(name: "main", startLine: 9, length: 6))
    #expect(s.file("README.md")?.longestFunction == nil)
  }

  @Test func testsAndUntestedSources() throws {
    let t = try makeTree()
    let s = try TreeScanner().scan(t.root)
    #expect(s.file("Tests/AppTests/ParserTests.swift")?.isTest == true)
    #expect(s.file("tests/test_process.py")?.isTest == true)
    #expect(s.file("store/store_test.go")?.isTest == true)
    #expect(s.file("Sources/App/Parser.swift")?.isTest == false)
    #expect(s.untestedSources == ["Sources/App/Lonely.swift", "native/add.c"])
  }

  @Test func testFileNamingConventions() {
    for path in ["Tests/X/AnyFile.swift", "pkg/a_test.go", "test_x.py", "x_test.py", "src/FooTests.swift",
                 "src/Foo.test.ts", "src/foo.spec.js", "lib/user_spec.rb", "src/__tests__/a.js", "spec/models/a.rb",
                 "src/main/java/FooTest.java"] {
      #expect(Language.isTest(path: path), "\(path)")
    }
    for path in ["Sources/Testing/Runner.swift", "src/contest.py", "latest.go", "Test.swift", "protest.rb"] {
      #expect(!Language.isTest(path: path), "\(path)")
    }
  }

  @Test func moreFunctionShapes() throws {
    let t = try TempTree()
    try t.write("a.rs", "pub fn short() {}\n\npub fn long<T>(x: T) -> T {\n    let y = x;\n    y\n}\n")
    try t.write("b.ts", "export async function load(url: string): Promise<void> {\n  await x;\n}\n\nconst handler = async (e) => {\n  a();\n  b();\n  c();\n};\n")
    try t.write("c.rb", "class A\n  def run(x)\n    if x\n      1\n    end\n  rescue\n    2\n  end\nend\n")
    try t.write("d.java", "class D {\n  public static void main(String[] args) {\n    foo(\"x\");\n  }\n}\n")
    try t.write("e.swift", "protocol P {\n  func a()\n  func b()\n}\nstruct S {\n  init(x: Int) {\n    print(x)\n    print(x)\n  }\n}\n")
    let s = try TreeScanner().scan(t.root)
    #expect(s.file("a.rs")?.longestFunction == FunctionSpan(name: "long", startLine: 3, length: 4))
    #expect(s.file("b.ts")?.longestFunction == FunctionSpan(name: "handler", startLine: 5, length: 5))
    #expect(s.file("c.rb")?.longestFunction == FunctionSpan(name: "run", startLine: 2, length: 7))
    #expect(s.file("d.java")?.longestFunction == FunctionSpan(name: "main", startLine: 2, length: 3))
    #expect(s.file("e.swift")?.longestFunction == FunctionSpan(name: "init", startLine: 6, length: 4))
  }

  /// The scanner uses the tools' gitignore matcher; these are the rules it must get right for analysis.
  @Test func gitignoreRules() throws {
    let t = try TempTree()
    try t.write(".gitignore", "/build\n*.o\n!keep.o\ndocs/**/*.tmp\nlogs/\n\\#literal\na[0-9]?.c\n/x*.c\n")
    var g = GitIgnore()
    g.load(directory: t.root, relative: [])
    func ignored(_ path: String, dir: Bool = false) -> Bool { g.isIgnored(path.split(separator: "/").map(String.init), isDirectory: dir) }
    #expect(ignored("build", dir: true))
    #expect(!ignored("src/build", dir: true))  // anchored to the root
    #expect(ignored("src/a.o"))
    #expect(!ignored("src/keep.o"))
    #expect(ignored("docs/a.tmp"))
    #expect(ignored("docs/x/y/a.tmp"))
    #expect(!ignored("logs"))  // directory-only rule
    #expect(ignored("a/logs", dir: true))
    #expect(ignored("#literal"))
    #expect(ignored("a7x.c"))  // character class and ?
    #expect(!ignored("x/b.c"))  // * does not cross a slash
  }

  @Test func nestedGitignoreOverridesParent() throws {
    let t = try TempTree()
    try t.write(".gitignore", "*.gen\n")
    try t.write("sub/.gitignore", "!wanted.gen\n")
    try t.write("sub/wanted.gen", "x\n")
    try t.write("sub/other.gen", "x\n")
    let s = try TreeScanner().scan(t.root)
    #expect(s.files.map(\.path).filter { $0.hasSuffix(".gen") } == ["sub/wanted.gen"])
  }

  @Test func notADirectoryIsAUsageError() {
    #expect(throws: (any Error).self) { try TreeScanner().scan("/nonexistent/arrakis/tree") }
  }

  @Test func largeTreeScansEveryFile() throws {
    let t = try TempTree()
    let body = Self.swiftSource + String(repeating: "let value = compute(1, 2) // filler line\n", count: 60)
    let data = Data(body.utf8)
    for d in 0..<20 {
      try t.mkdir("Sources/M\(d)")
      for f in 0..<100 { _ = FileManager.default.createFile(atPath: "\(t.root)/Sources/M\(d)/File\(f).swift", contents: data) }
    }
    // Correctness at scale (parallel scanning must not lose or duplicate files); speed is in bench/.
    let s = try TreeScanner().scan(t.root)
    #expect(s.files.count == 2000)
    #expect(s.markers.count == 2000)
  }

  /// Manual benchmark: `ARRAKIS_BENCH_TREE=/path swift test --filter largeTreeBenchmark`.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["ARRAKIS_BENCH_TREE"] != nil))
  func largeTreeBenchmark() throws {
    let root = ProcessInfo.processInfo.environment["ARRAKIS_BENCH_TREE"]!
    let s = try TreeScanner().scan(root)
    print("scanned \(s.files.count) files, \(s.markers.count) markers in \(s.durationMs) ms")
  }
}
