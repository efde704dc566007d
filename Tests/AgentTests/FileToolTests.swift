import ArrakisCore
import Foundation
import Testing

@testable import Agent

@Suite struct ReadToolTests {
  @Test func numberedLinesRelativeToRoot() async {
    let ws = TempWorkspace()
    ws.write("a.txt", "one\ntwo\nthree\n")
    let o = await call("Read", ["file_path": "a.txt"], ws.context())
    #expect(o.text == "     1\tone\n     2\ttwo\n     3\tthree\n")
    #expect(o.output.summary == "Read a.txt (3 lines)")
  }

  @Test func offsetAndLimit() async {
    let ws = TempWorkspace()
    ws.write("a.txt", (1...10).map { "l\($0)" }.joined(separator: "\n"))
    let o = await call("Read", ["file_path": "a.txt", "offset": 4, "limit": 2], ws.context())
    #expect(o.text.hasPrefix("     4\tl4\n     5\tl5\n"))
    #expect(o.text.contains("lines 4-5 of 10"))
  }

  @Test func defaultLimitAndLongLines() async {
    let ws = TempWorkspace()
    ws.write("big.txt", (1...2500).map { _ in "x" }.joined(separator: "\n"))
    ws.write("wide.txt", String(repeating: "y", count: 3000))
    let ctx = ws.context()
    let o = await call("Read", ["file_path": "big.txt"], ctx)
    #expect(o.output.summary == "Read big.txt (2000 lines)")
    #expect(o.text.contains("of 2500"))
    let w = await call("Read", ["file_path": "wide.txt"], ctx)
    #expect(w.text.contains("[line truncated]"))
    #expect(w.text.count < 2100)
  }

  @Test func errors() async {
    let ws = TempWorkspace()
    ws.write("d/x.txt", "x")
    ws.write("pic.png", "not really")
    FileManager.default.createFile(atPath: ws.root + "/bin.dat", contents: Data([1, 2, 0, 3]))
    let ctx = ws.context()
    let missing = await call("Read", ["file_path": "nope.txt"], ctx)
    #expect(missing.isError && missing.text.contains("does not exist") && missing.text.contains("nope.txt"))
    let dir = await call("Read", ["file_path": "d"], ctx)
    #expect(dir.isError && dir.text.contains("directory"))
    let bin = await call("Read", ["file_path": "bin.dat"], ctx)
    #expect(bin.isError && bin.text.contains("binary"))
    let img = await call("Read", ["file_path": "pic.png"], ctx)
    #expect(img.isError && img.text.contains("image"))
    let bad = await call("Read", [:], ctx)
    #expect(bad.isError && bad.text.contains("file_path"))
  }
}

@Suite struct WriteToolTests {
  @Test func createsWithParents() async {
    let ws = TempWorkspace()
    let o = await call("Write", ["file_path": "new/dir/f.swift", "content": "let x = 1\n"], ws.context())
    #expect(!o.isError)
    #expect(ws.read("new/dir/f.swift") == "let x = 1\n")
    #expect(o.output.summary == "Write new/dir/f.swift (1 lines)")
  }

  @Test func overwriteNeedsRead() async {
    let ws = TempWorkspace()
    ws.write("f.txt", "old")
    let ctx = ws.context()
    let refused = await call("Write", ["file_path": "f.txt", "content": "new"], ctx)
    #expect(refused.isError && refused.text.contains("Read it first"))
    #expect(ws.read("f.txt") == "old")
    _ = await call("Read", ["file_path": "f.txt"], ctx)
    let ok = await call("Write", ["file_path": "f.txt", "content": "new"], ctx)
    #expect(!ok.isError)
    #expect(ws.read("f.txt") == "new")
  }
}

@Suite struct EditToolTests {
  @Test func uniqueReplacementWithDiff() async {
    let ws = TempWorkspace()
    ws.write("s.swift", "a\nb\nc\nd\n")
    let ctx = ws.context()
    _ = await call("Read", ["file_path": "s.swift"], ctx)
    let o = await call("Edit", ["file_path": "s.swift", "old_string": "b\nc", "new_string": "B\nC\nC2"], ctx)
    #expect(!o.isError)
    #expect(ws.read("s.swift") == "a\nB\nC\nC2\nd\n")
    #expect(o.output.summary == "Edit s.swift (+3 −2)")
    #expect(o.text.contains("- b") && o.text.contains("+ C2"))
  }

  @Test func requiresRead() async {
    let ws = TempWorkspace()
    ws.write("s.swift", "a")
    let o = await call("Edit", ["file_path": "s.swift", "old_string": "a", "new_string": "b"], ws.context())
    #expect(o.isError && o.text.contains("has not been Read"))
    #expect(ws.read("s.swift") == "a")
  }

  @Test func notFoundNotUniqueIdentical() async {
    let ws = TempWorkspace()
    ws.write("s.txt", "x y x z x")
    let ctx = ws.context()
    _ = await call("Read", ["file_path": "s.txt"], ctx)
    let absent = await call("Edit", ["file_path": "s.txt", "old_string": "q", "new_string": "r"], ctx)
    #expect(absent.isError && absent.text.contains("not found"))
    let multi = await call("Edit", ["file_path": "s.txt", "old_string": "x", "new_string": "w"], ctx)
    #expect(multi.isError && multi.text.contains("3 times"))
    let same = await call("Edit", ["file_path": "s.txt", "old_string": "y", "new_string": "y"], ctx)
    #expect(same.isError && same.text.contains("identical"))
    #expect(ws.read("s.txt") == "x y x z x")
  }

  @Test func replaceAll() async {
    let ws = TempWorkspace()
    ws.write("s.txt", "x\ny\nx\n")
    let ctx = ws.context()
    _ = await call("Read", ["file_path": "s.txt"], ctx)
    let o = await call("Edit", ["file_path": "s.txt", "old_string": "x", "new_string": "w", "replace_all": true], ctx)
    #expect(!o.isError)
    #expect(ws.read("s.txt") == "w\ny\nw\n")
    #expect(o.output.summary == "Edit s.txt (+2 −2)")
  }

  @Test func writeThenEditWithoutRead() async {
    // A file the model wrote itself counts as seen.
    let ws = TempWorkspace()
    let ctx = ws.context()
    _ = await call("Write", ["file_path": "n.txt", "content": "hello"], ctx)
    let o = await call("Edit", ["file_path": "n.txt", "old_string": "hello", "new_string": "bye"], ctx)
    #expect(!o.isError)
  }
}
