import ArrakisCore
import Foundation
import Testing

@testable import Agent

/// rg runs in parallel and the tool sorts its output (RipgrepOutput): the text must be what
/// `rg --sort=path` prints for the same tree, call after call, and what the built-in engine prints.
@Suite(.enabled(if: GrepToolTests.rg != nil, "rg is not installed: there is no parallel rg output to order"))
struct RipgrepOrderTests {
  /// Names whose order differs between a whole-path sort and rg's directory-by-directory walk
  /// ("a/…" before "a-b", "a.txt"), separators inside names (":", "-1-"), digits, case, non-ASCII, and
  /// enough files that rg's threads finish in varying order.
  static func tree() -> TempWorkspace {
    let ws = TempWorkspace()
    let body = "alpha foo\nbeta\ngamma\ndelta foo\nepsilon\nzeta\neta\ntheta foo bar foo\n"
    for name in [
      "a/b.txt", "a/b/c.txt", "a-b.txt", "a.txt", "a b/c.txt", "A.txt", "é.txt", "we:ird-1-.txt", "x-1-y.txt",
      "10.txt", "9.txt", "z/a-b/c.txt", "z/a/c.txt", "z/a.b/c.txt", ".dot/f.txt",
    ] {
      ws.write(name, body)
    }
    for d in 0..<8 { for f in 0..<12 { ws.write("many/d\(d)/f\(f).txt", String(repeating: body, count: 1 + (d * f) % 9)) } }
    ws.write("crlf.txt", "one foo\r\ntwo\r\nthree foo\r\n")
    FileManager.default.createFile(atPath: ws.root + "/bin.dat", contents: Data("foo\0bar\nfoo\n".utf8))
    return ws
  }

  /// What the tool ran before it sorted itself: the same argv with `--sort=path`, no `--null`, and line
  /// numbers only when asked for.
  static func sortedByRipgrep(_ r: GrepRequest, root: String) async throws -> [String] {
    let rg = try #require(GrepToolTests.rg)
    var argv = RipgrepSearch.argv(rg: rg, r).map { $0 == "--null" ? "--sort=path" : $0 }
    if r.mode == .content && !r.lineNumbers, let k = argv.firstIndex(of: "--line-number") { argv[k] = "--no-line-number" }
    let result = await ProcessRunner.run(argv, directory: root, timeoutMs: 60_000, outputCap: 16 << 20)
    #expect(result.exitCode == 0 || result.exitCode == 1, "rg failed: \(result.output)")
    var lines = result.output.utf8.split(separator: 10, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  static func request(_ ws: TempWorkspace, _ pattern: String, path: String = "", _ edit: (inout GrepRequest) -> Void = { _ in }) -> GrepRequest {
    let abs = path.isEmpty ? ws.root : ws.root + "/" + path
    var r = GrepRequest(pattern: pattern, searchPath: abs, displayPath: path, isFile: FileIO.kind(ofResolved: abs) == .file)
    edit(&r)
    return r
  }

  @Test func sameLinesAsRipgrepSortedByPath() async throws {
    let ws = Self.tree()
    let rg = try #require(GrepToolTests.rg)
    let requests: [GrepRequest] = [
      Self.request(ws, "foo"),
      Self.request(ws, "foo") { $0.mode = .count },
      Self.request(ws, "foo") { $0.mode = .content },
      Self.request(ws, "foo") { $0.mode = .content; $0.lineNumbers = false },
      Self.request(ws, "foo") { $0.mode = .content; $0.before = 1; $0.after = 1 },
      Self.request(ws, "foo") { $0.mode = .content; $0.before = 2; $0.lineNumbers = false },
      Self.request(ws, "gamma|eta") { $0.mode = .content; $0.after = 1 },
      Self.request(ws, "fo+") { $0.mode = .content; $0.onlyMatching = true },
      Self.request(ws, "FOO") { $0.mode = .content; $0.caseInsensitive = true; $0.glob = "*.txt" },
      Self.request(ws, "beta\\ngamma") { $0.mode = .content; $0.multiline = true },
      Self.request(ws, "foo", path: "z") { $0.mode = .content; $0.after = 2 },
      Self.request(ws, "foo", path: "crlf.txt") { $0.mode = .content },
      Self.request(ws, "foo", path: "bin.dat") { $0.mode = .content },
      Self.request(ws, "zzz_nothing") { $0.mode = .content },
    ]
    for r in requests {
      let expected = try await Self.sortedByRipgrep(r, root: ws.root)
      for _ in 0..<3 {  // parallel rg finishes files in a different order from run to run
        guard case .success(let lines) = await RipgrepSearch.search(rg: rg, r, cwdRoot: ws.root, timeoutMs: 60_000) else {
          Issue.record("rg failed for \(r.pattern)")
          continue
        }
        #expect(lines == expected, "mode \(r.mode), pattern \(r.pattern), path \(r.displayPath)")
      }
    }
    // The order is rg's walk, not a whole-path sort: the folder "a" before the file "a-b.txt".
    let files = try await Self.sortedByRipgrep(Self.request(ws, "foo"), root: ws.root)
    #expect(Array(files.prefix(8)) == [".dot/f.txt", "10.txt", "9.txt", "A.txt", "a/b/c.txt", "a/b.txt", "a b/c.txt", "a-b.txt"])
  }

  /// Through the tool: paging and the result budget work on the sorted entries, and the built-in
  /// engine gives the same text.
  @Test func pagingAndBudgetAgreeWithTheBuiltInEngine() async throws {
    let ws = Self.tree()
    let rg = try #require(GrepToolTests.rg)
    let inputs: [JSONValue] = [
      ["pattern": "foo"],
      ["pattern": "foo", "head_limit": 5, "offset": 3],
      ["pattern": "foo", "output_mode": "count", "offset": 100],
      ["pattern": "foo", "output_mode": "content", "-C": 1, "head_limit": 40, "offset": 7],
      ["pattern": "foo", "output_mode": "content"],  // past the result budget: stops at a whole entry
    ]
    for input in inputs {
      let viaRg = await call("Grep", input, ws.context(engine: .ripgrep(path: rg)))
      let builtin = await call("Grep", input, ws.context(engine: .builtin))
      #expect(!viaRg.isError, "\(viaRg.text)")
      #expect(viaRg.text == builtin.text, "rg and built-in differ for \(input.serialized())")
      #expect(viaRg.output.summary == builtin.output.summary)
    }
    let all = await call("Grep", ["pattern": "foo", "output_mode": "content"], ws.context(engine: .ripgrep(path: rg)))
    #expect(all.text.contains("budget of"), "the content search should exceed the result budget: \(all.text.suffix(200))")
  }
}
