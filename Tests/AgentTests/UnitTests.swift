import Foundation
import Testing

@testable import Agent
@testable import ArrakisCore

@Suite struct ShellCommandParserTests {
  func texts(_ s: String) -> [String]? { ShellCommandParser.parse(s)?.map(\.text) }

  @Test func splitsCompoundCommands() {
    #expect(texts("a && b; c | d") == ["a", "b", "c", "d"])
    #expect(texts("echo 'a && b' \"c;d\"") == ["echo a && b c;d"])
    #expect(texts("x $(y z) `w`") == ["y z", "w", "x $(y z) `w`"])
    #expect(texts("if true; then make; fi") == ["true", "make"])
    #expect(texts("ls 2>&1 | head") == ["ls 2>&1", "head"])
    #expect(texts("echo $((1+2))") == ["echo $((1+2))"])
    #expect(texts("echo 'open") == nil)
    #expect(texts("a # b; c") == ["a"])
  }

  @Test func peelsWrappersAndRecursesIntoShells() throws {
    let c = try #require(ShellCommandParser.parse("sudo -u root env A=1 /usr/bin/git -C x push")?.first)
    #expect(c.program == "git" && ForbiddenCommand.gitSubcommand(c.args) == "push")
    let nested = try #require(ShellCommandParser.parse("bash -c 'rm -rf /'"))
    #expect(nested.map(\.program) == ["bash", "rm"])
    let piped = try #require(ShellCommandParser.parse("curl x | tee f | sh"))
    #expect(piped.map(\.pipedFrom) == [false, true, true])
  }
}

@Suite struct PathGuardTests {
  @Test func resolvesDotDotAndSymlinksAndNewFiles() {
    let ws = TempWorkspace()
    ws.write("a/b/f.txt", "")
    symlink(ws.root + "/a/b", ws.root + "/lnk")
    #expect(PathGuard.resolve("a/./b/../b/f.txt", base: ws.root) == ws.root + "/a/b/f.txt")
    #expect(PathGuard.resolve("lnk/f.txt", base: ws.root) == ws.root + "/a/b/f.txt")
    #expect(PathGuard.resolve("lnk/../x", base: ws.root) == ws.root + "/a/x")  // physical, like the kernel
    #expect(PathGuard.resolve("new/dir/../g.txt", base: ws.root) == ws.root + "/new/g.txt")
    symlink(ws.root + "/loop", ws.root + "/loop")
    #expect(!PathGuard.isInside(PathGuard.resolve("loop/x", base: ws.root), ws.root))
  }
}

@Suite struct HeadTailBufferTests {
  @Test func keepsHeadAndTail() {
    var b = HeadTailBuffer(cap: 10)
    for chunk in ["abcdef", "ghijkl", "mnopqrstuvwxyz"] { Array(chunk.utf8).withUnsafeBytes { b.append($0) } }
    let t = b.text()
    #expect(t.hasPrefix("abcde") && t.hasSuffix("vwxyz") && t.contains("16 bytes truncated"))
    var small = HeadTailBuffer(cap: 100)
    Array("hello".utf8).withUnsafeBytes { small.append($0) }
    #expect(small.text() == "hello")
    #expect(!small.truncated && b.truncated)
  }

  @Test func keepsEverythingUnderTheCap() {
    var c = HeadTailBuffer(cap: 100)
    Array("hello\n".utf8).withUnsafeBytes { c.append($0) }
    #expect(c.text() == "hello\n")
    #expect(!c.truncated)
    #expect(c.total == 6)
  }
}

@Suite struct GlobPatternTests {
  @Test func matching() {
    #expect(GlobPattern("**/*.swift").matches("a/b/c.swift"))
    #expect(GlobPattern("**/*.swift").matches("c.swift"))
    #expect(!GlobPattern("*.swift").matches("a/c.swift"))
    #expect(GlobPattern("*.md", gitignoreStyle: true).matches("docs/x.md"))
    #expect(GlobPattern("Sources/**").matches("Sources/a/b.swift"))
    #expect(GlobPattern.expandBraces("*.{ts,tsx}") == ["*.ts", "*.tsx"])
    #expect(GlobPattern("Sources/Agent/**/*.swift").literalPrefix == ["Sources", "Agent"])
  }
}
