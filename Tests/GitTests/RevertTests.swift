import ArrakisCore
import Testing

@testable import Git

@Suite struct RevertTests {
  /// An improvement merged into the user's branch, then reverted while the user has unrelated work in progress.
  private func mergedImprovement() throws -> (TempRepo, String) {
    let fixture = try TempRepo()
    try fixture.write("lib.swift", "func f() { 1 }\n")
    try fixture.write("other.swift", "let other = 0\n")
    try fixture.write("doc.md", "docs\n")
    try fixture.commitAll("base")
    try fixture.git("checkout", "-q", "-b", "arrakis/improve/1")
    try fixture.write("lib.swift", "func f() { 2 }\n")
    try fixture.write("added.swift", "let added = 1\n")
    try fixture.commitAll("improve lib")
    let improvement = try fixture.head()
    try fixture.git("checkout", "-q", "main")
    try fixture.git("merge", "-q", "--ff-only", "arrakis/improve/1")
    try fixture.write("doc.md", "more docs\n")
    try fixture.commitAll("user commit after")
    return (fixture, improvement)
  }

  @Test func revertKeepsUnrelatedUncommittedChanges() throws {
    let (fixture, improvement) = try mergedImprovement()
    try fixture.write("other.swift", "let other = 42 // wip\n")
    try fixture.write("notes.txt", "untracked wip\n")
    try fixture.write("doc.md", "staged doc\n")
    try fixture.git("add", "doc.md")
    let parentBefore = try fixture.head()

    let repo = try Repository.discover(from: fixture.dir)
    let id = try repo.revert(commit: improvement)

    #expect(try fixture.head() == id)
    #expect(try fixture.git("rev-parse", "HEAD^") == parentBefore + "\n")
    #expect(try fixture.git("show", "--name-status", "--format=", id) == "D\tadded.swift\nM\tlib.swift\n")
    #expect(try fixture.git("log", "-1", "--format=%s", id) == "Revert \"improve lib\"\n")
    #expect(try fixture.read("lib.swift") == "func f() { 1 }\n")
    #expect(try fixture.git("ls-files", "added.swift") == "")
    #expect(try fixture.read("other.swift") == "let other = 42 // wip\n")
    #expect(try fixture.read("doc.md") == "staged doc\n")
    #expect(try fixture.git("status", "--porcelain") == "M  doc.md\n M other.swift\n?? notes.txt\n")
  }

  @Test func revertRefusedOnUncommittedChangesToItsFiles() throws {
    let (fixture, improvement) = try mergedImprovement()
    try fixture.write("lib.swift", "func f() { 3 } // user edit\n")
    let before = try fixture.userVisibleState()
    let repo = try Repository.open(path: fixture.dir)
    do {
      try repo.revert(commit: improvement)
      Issue.record("expected a refusal")
    } catch let error as ArrakisError {
      #expect(error.status == .git)
      #expect(error.message.contains("uncommitted changes to lib.swift"))
    }
    #expect(try fixture.userVisibleState() == before)
  }

  @Test func revertRefusedWhenItWouldConflict() throws {
    let (fixture, improvement) = try mergedImprovement()
    try fixture.write("lib.swift", "func f() { 2 + 2 }\n")
    try fixture.commitAll("user changed the same line")
    let before = try fixture.userVisibleState()
    let repo = try Repository.open(path: fixture.dir)
    do {
      try repo.revert(commit: improvement)
      Issue.record("expected a refusal")
    } catch let error as ArrakisError {
      #expect(error.message.contains("conflicts"))
      #expect(error.message.contains("lib.swift"))
    }
    #expect(try fixture.userVisibleState() == before)
    #expect(repo.state == .none)
  }
}
