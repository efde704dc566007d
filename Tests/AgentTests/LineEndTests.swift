import ArrakisCore
import Foundation
import Testing

@testable import Agent

/// Issue 14: LF, CRLF and mixed files, byte-exact, through the real tools (what the model receives).
@Suite struct LineEndTests {
  func bytes(_ ws: TempWorkspace, _ rel: String) -> [UInt8] {
    (try? Data(contentsOf: URL(fileURLWithPath: ws.root + "/" + rel))).map { [UInt8]($0) } ?? []
  }

  func put(_ ws: TempWorkspace, _ rel: String, _ text: String) {
    FileManager.default.createFile(atPath: ws.root + "/" + rel, contents: Data(text.utf8))
  }

  @Test func readNumbersCRLFAndMixedLinesWithoutTheirCR() async {
    let ws = TempWorkspace()
    put(ws, "crlf.txt", "alpha\r\nbeta\r\ngamma\r\n")
    put(ws, "mixed.txt", "one\r\ntwo\nthree\r\nfour")
    let ctx = ws.context()
    let c = await call("Read", ["file_path": "crlf.txt"], ctx)
    #expect(c.text == "     1\talpha\n     2\tbeta\n     3\tgamma\n")
    #expect(c.output.summary == "Read crlf.txt (3 lines)")
    let page = await call("Read", ["file_path": "crlf.txt", "offset": 2, "limit": 1], ctx)
    #expect(page.text == "     2\tbeta\n[showing lines 2-2 of 3; continue with offset 3]\n")
    let m = await call("Read", ["file_path": "mixed.txt", "offset": 3], ctx)
    #expect(m.text == "     3\tthree\n     4\tfour\n[showing lines 3-4 of 4: end of file]\n")
  }

  @Test func editMatchesAcrossCRLFLinesAndKeepsTheFilesLineEnds() async {
    let ws = TempWorkspace()
    put(ws, "crlf.txt", "alpha\r\nbeta\r\ngamma\r\n")
    put(ws, "mixed.txt", "one\r\ntwo\nthree\r\nfour\n")
    let ctx = ws.context()
    _ = await call("Read", ["file_path": "crlf.txt"], ctx)
    let e = await call("Edit", ["file_path": "crlf.txt", "old_string": "alpha\nbeta", "new_string": "ALPHA\nBETA\nextra"], ctx)
    #expect(!e.isError, "\(e.text)")
    #expect(bytes(ws, "crlf.txt") == Array("ALPHA\r\nBETA\r\nextra\r\ngamma\r\n".utf8))
    #expect(e.output.summary == "Edit crlf.txt (+3 −2)")
    // A single-line edit keeps the CR after it; a replace_all across both kinds keeps each line's own end.
    let one = await call("Edit", ["file_path": "crlf.txt", "old_string": "gamma", "new_string": "g1\ng2"], ctx)
    #expect(!one.isError)
    #expect(bytes(ws, "crlf.txt") == Array("ALPHA\r\nBETA\r\nextra\r\ng1\r\ng2\r\n".utf8))
    _ = await call("Read", ["file_path": "mixed.txt"], ctx)
    let m = await call("Edit", ["file_path": "mixed.txt", "old_string": "one\ntwo\nthree", "new_string": "1\n2\n3"], ctx)
    #expect(!m.isError, "\(m.text)")
    #expect(bytes(ws, "mixed.txt") == Array("1\r\n2\n3\r\nfour\n".utf8))
    // old_string copied with its CRs matches too.
    let raw = await call("Edit", ["file_path": "mixed.txt", "old_string": "1\r\n2", "new_string": "x\ny"], ctx)
    #expect(!raw.isError)
    #expect(bytes(ws, "mixed.txt") == Array("x\r\ny\n3\r\nfour\n".utf8))
    // An old_string copied from Grep's output of a CRLF line, its "\r" included.
    let grepped = await call("Edit", ["file_path": "mixed.txt", "old_string": "3\r", "new_string": "three\r"], ctx)
    #expect(!grepped.isError, "\(grepped.text)")
    #expect(bytes(ws, "mixed.txt") == Array("x\r\ny\nthree\r\nfour\n".utf8))
  }

  @Test func writeKeepsCRLFWhenOverwritingAndCountsLinesOnBytes() async {
    let ws = TempWorkspace()
    put(ws, "crlf.txt", "a\r\nb\r\n")
    let ctx = ws.context()
    _ = await call("Read", ["file_path": "crlf.txt"], ctx)
    let w = await call("Write", ["file_path": "crlf.txt", "content": "x\ny\nz\n"], ctx)
    #expect(w.text == "Overwrote crlf.txt (3 lines, CRLF line ends kept)")
    #expect(bytes(ws, "crlf.txt") == Array("x\r\ny\r\nz\r\n".utf8))
    let n = await call("Write", ["file_path": "new.txt", "content": "p\r\nq\r\n"], ctx)
    #expect(n.text == "Created new.txt (2 lines)")
    #expect(bytes(ws, "new.txt") == Array("p\r\nq\r\n".utf8))
    #expect(EditTool.lineCount("a\r\nb") == 2 && EditTool.lineCount("a\r\n") == 1 && EditTool.lineCount("a\nb\r\n") == 2)
  }

  @Test func grepAgreesWithRipgrepOnCRLF() async {
    let ws = TempWorkspace()
    put(ws, "crlf.txt", "end\r\nfoo bar\r\nbar\n")
    for engine in [GrepEngine.builtin] + (ProcessRunner.which("rg").map { [GrepEngine.ripgrep(path: $0)] } ?? []) {
      let ctx = ws.context(engine: engine)
      let anchored = await call("Grep", ["pattern": "end$", "output_mode": "content"], ctx)
      #expect(anchored.text == "No matches found", "\(engine): `$` does not match before a CR, as in rg")
      let count = await call("Grep", ["pattern": "bar", "output_mode": "count"], ctx)
      #expect(count.text == "crlf.txt:2")
      let line = await call("Grep", ["pattern": "foo", "output_mode": "content"], ctx)
      #expect(line.text == "crlf.txt:2:foo bar\r", "\(engine)")
    }
  }
}

/// Issue 14: one budget per result, applied by the tool at a whole line; the loop never cuts again.
@Suite struct ResultBudgetTests {
  @Test func a4000LineFileReadInPagesShowsEveryLineExactlyOnce() async throws {
    let ws = TempWorkspace()
    // Long lines, so the 30,000-character budget (not the 2,000-line limit) ends each page.
    let lines = (1...4000).map { "line \($0) " + String(repeating: "abcdefghij", count: 3 + $0 % 7) }
    ws.write("big.txt", lines.joined(separator: "\n") + "\n")
    let ctx = ws.context()
    var seen: [Int: Int] = [:]
    var offset = 1
    var pages = 0
    while pages < 100 {
      pages += 1
      var input: JSONValue = ["file_path": "big.txt"]
      if offset > 1 { input = ["file_path": "big.txt", "offset": .number(Double(offset))] }
      let o = await call("Read", input, ctx)
      #expect(!o.isError)
      #expect(o.text.count <= ctx.limits.resultChars, "a page is over the budget")
      #expect(AgentLoop.cap(o.text, to: ctx.limits.safetyNetChars) == o.text && o.text.count <= 30_000, "the loop's net would cut a page")
      for row in o.text.split(separator: "\n") where !row.hasPrefix("[") {
        let parts = row.split(separator: "\t", maxSplits: 1)
        let n = try #require(Int(parts[0].trimmingCharacters(in: .whitespaces)))
        #expect(String(parts[1]) == lines[n - 1])
        seen[n, default: 0] += 1
      }
      let footer = o.text.split(separator: "\n").last.map(String.init) ?? ""
      guard let r = footer.range(of: "continue with offset ") else { break }
      let next = try #require(Int(footer[r.upperBound...].prefix { $0.isNumber }))
      #expect(next == (seen.keys.max() ?? 0) + 1, "the footer names the line after the last one shown")
      offset = next
    }
    #expect(pages > 2)
    #expect(seen.count == 4000 && seen.values.allSatisfy { $0 == 1 }, "\(4000 - seen.count) lines missing or repeated")
  }

  @Test func grepPagesWithOffsetAndStopsAtAWholeLine() async throws {
    let ws = TempWorkspace()
    ws.write("many.txt", (1...3000).map { "match \($0) " + String(repeating: "x", count: 40) }.joined(separator: "\n") + "\n")
    for engine in [GrepEngine.builtin] + (ProcessRunner.which("rg").map { [GrepEngine.ripgrep(path: $0)] } ?? []) {
      let ctx = ws.context(engine: engine)
      var seen: [Int] = []
      var offset = 0
      for _ in 0..<50 {
        let o = await call("Grep", ["pattern": "match", "output_mode": "content", "offset": .number(Double(offset))], ctx)
        #expect(o.text.count <= 30_000)
        for row in o.text.split(separator: "\n") where !row.hasPrefix("[") {
          #expect(row.hasSuffix(String(repeating: "x", count: 40)), "a line was cut: \(row.suffix(50))")
          let n = try #require(Int(row.split(separator: ":")[1]))
          seen.append(n)
        }
        guard let footer = o.text.split(separator: "\n").last, footer.hasPrefix("["), let r = footer.range(of: "continue with offset ") else { break }
        #expect(footer.contains("more not shown"))
        offset = try #require(Int(footer[r.upperBound...].prefix { $0.isNumber }))
      }
      #expect(seen == Array(1...3000), "\(engine): paging lost or repeated lines")
      // head_limit with offset: entries 11-15.
      let h = await call("Grep", ["pattern": "match", "output_mode": "content", "offset": 10, "head_limit": 5], ctx)
      let rows = h.text.split(separator: "\n")
      #expect(rows.prefix(5).map { $0.split(separator: ":")[1] } == ["11", "12", "13", "14", "15"])
      #expect(rows.last == "[showing 11-15 of 3000 lines (head_limit); 2985 more: continue with offset 15]")
      let past = await call("Grep", ["pattern": "match", "offset": 5], ctx)
      #expect(past.text.contains("No entries at offset 5"))
    }
  }
}

/// Issue 14: Grep's `context`, `-o`, and Edit/Write refusing a file changed since it was Read.
@Suite struct ToolParityTests {
  @Test func contextAliasAndOnlyMatching() async {
    let ws = TempWorkspace()
    ws.write("t.txt", "a foo b foo\nx\ny\nfoo\n")
    for engine in [GrepEngine.builtin] + (ProcessRunner.which("rg").map { [GrepEngine.ripgrep(path: $0)] } ?? []) {
      let ctx = ws.context(engine: engine)
      let c = await call("Grep", ["pattern": "^foo", "output_mode": "content", "context": 1], ctx)
      #expect(c.text == "t.txt-3-y\nt.txt:4:foo", "\(engine)")
      let o = await call("Grep", ["pattern": "fo+", "output_mode": "content", "-o": true], ctx)
      #expect(o.text == "t.txt:1:foo\nt.txt:1:foo\nt.txt:4:foo", "\(engine)")
    }
  }

  @Test func editAndWriteRefuseAFileChangedSinceItWasRead() async {
    let ws = TempWorkspace()
    ws.write("f.txt", "one\n")
    let ctx = ws.context()
    _ = await call("Read", ["file_path": "f.txt"], ctx)
    _ = await call("Bash", ["command": "echo two >> f.txt"], ctx)
    let e = await call("Edit", ["file_path": "f.txt", "old_string": "one", "new_string": "1"], ctx)
    #expect(e.isError && e.text.contains("changed on disk since it was last Read") && e.text.contains("Read it again"))
    let w = await call("Write", ["file_path": "f.txt", "content": "x"], ctx)
    #expect(w.isError && w.text.contains("changed on disk since it was last Read"))
    #expect(ws.read("f.txt") == "one\ntwo\n")
    _ = await call("Read", ["file_path": "f.txt"], ctx)
    let ok = await call("Edit", ["file_path": "f.txt", "old_string": "one", "new_string": "1"], ctx)
    #expect(!ok.isError)
    // Its own edits do not count as changes.
    let again = await call("Edit", ["file_path": "f.txt", "old_string": "two", "new_string": "2"], ctx)
    #expect(!again.isError && ws.read("f.txt") == "1\n2\n")
  }

  @Test func everyDescriptionListsEveryParameter() throws {
    for tool in ToolRegistry.standard.tools where tool.name != "Bash" {
      let props = try #require(tool.definition.inputSchema["properties"]?.objectValue)
      for key in props.keys {
        #expect(tool.definition.description.contains(key), "\(tool.name)'s description does not mention \(key)")
      }
    }
  }
}
