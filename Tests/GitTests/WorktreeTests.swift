import ArrakisCore
import Foundation
import Testing

@testable import Git

@Suite struct WorktreeTests {
  /// The whole improve cycle: worktree, edits, commit on the branch, removal, and the user's checkout
  /// (status, HEAD, refs, index, file contents) identical before and after.
  @Test func worktreeCycleLeavesUserCheckoutUntouched() throws {
    let fixture = try TempRepo()
    try fixture.write(".gitignore", "*.log\n")
    try fixture.write("src/keep.swift", "let a = 1\n")
    try fixture.write("src/old.swift", "old\n")
    try fixture.commitAll("sources")
    try fixture.write("README.md", "user edit in progress\n")
    try fixture.write("scratch.txt", "untracked\n")
    try fixture.git("add", "scratch.txt")
    let before = try fixture.userVisibleState()

    let repo = try Repository.discover(from: fixture.dir)
    let path = fixture.outside("worktrees/arrakis-1")
    do {
      let tree = try repo.addWorktree(name: "arrakis-1", path: path, branch: "arrakis/improve/1")
      #expect(tree.isWorktree)
      #expect(tree.workdir == path)
      #expect(tree.commonDir == repo.commonDir)
      #expect(tree.currentBranch == "arrakis/improve/1")
      #expect(FileManager.default.fileExists(atPath: "\(path)/src/keep.swift"))
      try "let a = 2\n".write(toFile: "\(path)/src/keep.swift", atomically: true, encoding: .utf8)
      try FileManager.default.removeItem(atPath: "\(path)/src/old.swift")
      try "new\n".write(toFile: "\(path)/src/new.swift", atomically: true, encoding: .utf8)
      try "noise\n".write(toFile: "\(path)/build.log", atomically: true, encoding: .utf8)
      try tree.stageAll()
      let id = try tree.commit(message: "Improve keep\n\nArrakis-Run: 1\n")
      #expect(try !tree.isDirty)  // build.log is ignored, so nothing is left over
      #expect(try fixture.git("rev-parse", "arrakis/improve/1") == id + "\n")
      #expect(try fixture.git("show", "--name-status", "--format=", id)
        == "M\tsrc/keep.swift\nA\tsrc/new.swift\nD\tsrc/old.swift\n")
      #expect(try fixture.git("log", "-1", "--format=%B", id) == "Improve keep\n\nArrakis-Run: 1\n\n")
      #expect(try repo.listWorktrees().map(\.name) == ["arrakis-1"])
      #expect(try repo.listWorktrees().first?.branch == "arrakis/improve/1")
    }
    try repo.removeWorktree(name: "arrakis-1")

    #expect(try fixture.userVisibleState() == before)
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(!FileManager.default.fileExists(atPath: "\(fixture.dir)/.git/worktrees/arrakis-1"))
    #expect(try fixture.git("worktree", "list").split(separator: "\n").count == 1)
    #expect(repo.branchExists("arrakis/improve/1"))
    #expect(try repo.listWorktrees().isEmpty)
  }

  @Test func pruneStaleAfterDirectoryDeleted() throws {
    let fixture = try TempRepo()
    let repo = try Repository.open(path: fixture.dir)
    let gone = fixture.outside("wt/user-gone")
    let ours = fixture.outside("wt/arrakis-live")
    let locked = fixture.outside("wt/arrakis-locked")
    let kept = fixture.outside("wt/user-kept")
    _ = try repo.addWorktree(name: "user-gone", path: gone, branch: "b1")
    _ = try repo.addWorktree(name: "arrakis-live", path: ours, branch: "b2")
    _ = try repo.addWorktree(name: "arrakis-locked", path: locked, branch: "b3")
    _ = try repo.addWorktree(name: "user-kept", path: kept, branch: "b4")
    try repo.lockWorktree(name: "arrakis-locked", reason: "run in progress")
    try FileManager.default.removeItem(atPath: gone)
    #expect(try repo.listWorktrees().first { $0.name == "user-gone" }?.isValid == false)
    #expect(try repo.listWorktrees().first { $0.name == "arrakis-locked" }?.isLocked == true)

    #expect(try repo.pruneStale(prefix: "arrakis-") == ["arrakis-live", "user-gone"])
    #expect(try repo.listWorktrees().map(\.name) == ["arrakis-locked", "user-kept"])
    #expect(!FileManager.default.fileExists(atPath: ours))
    #expect(FileManager.default.fileExists(atPath: kept))
    #expect(try !fixture.git("worktree", "list").contains("user-gone"))

    try repo.unlockWorktree(name: "arrakis-locked")
    #expect(try repo.pruneStale() == ["arrakis-locked"])
  }
}
