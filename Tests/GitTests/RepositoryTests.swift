import ArrakisCore
import Foundation
import Testing

@testable import Git

@Suite struct RepositoryTests {
  @Test func discoversFromSubdirectory() throws {
    let fixture = try TempRepo()
    try fixture.write("a/b/c.txt", "x\n")
    let repo = try Repository.discover(from: "\(fixture.dir)/a/b")
    #expect(repo.workdir == fixture.dir || repo.workdir?.hasSuffix(fixture.dir) == true)
    #expect(repo.gitDir.hasSuffix("/repo/.git"))
    #expect(repo.commonDir == repo.gitDir)
    #expect(!repo.isBare)
    #expect(repo.currentBranch == "main")
    #expect(repo.headCommitID == (try fixture.head()))
    #expect(repo.state == .none)
  }

  @Test func notARepositoryIsAGitError() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arrakis-norepo-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      _ = try Repository.discover(from: dir.path)
      Issue.record("expected an error")
    } catch let error as ArrakisError {
      #expect(error.status == .git)
      #expect(error.message == "not a git repository: \(dir.path)")
      #expect(error.hint == "run inside a git repository or pass --repo")
    }
  }

  @Test func unbornHead() throws {
    let fixture = try TempRepo(commit: false)
    let repo = try Repository.discover(from: fixture.dir)
    #expect(try repo.headState == .unborn(branch: "main"))
    #expect(repo.headCommitID == nil)
    #expect(repo.currentBranch == "main")
    #expect(try repo.recentCommits(limit: 5).isEmpty)
    #expect(try repo.walk().isEmpty)
  }

  @Test func detachedHead() throws {
    let fixture = try TempRepo()
    let head = try fixture.head()
    try fixture.git("checkout", "-q", "--detach")
    let repo = try Repository.open(path: fixture.dir)
    #expect(try repo.headState == .detached(commit: head))
    #expect(repo.currentBranch == nil)
  }

  @Test func mergeInProgressIsDetected() throws {
    let fixture = try TempRepo()
    try fixture.git("checkout", "-q", "-b", "other")
    try fixture.write("README.md", "other\n")
    try fixture.commitAll("other")
    try fixture.git("checkout", "-q", "main")
    try fixture.write("README.md", "mine\n")
    try fixture.commitAll("mine")
    try fixture.git("merge", "other", allowFailure: true)
    let repo = try Repository.open(path: fixture.dir)
    #expect(repo.state == .merge)
    #expect(try repo.status().contains { $0.path == "README.md" && $0.isConflicted })
    #expect(throws: ArrakisError.self) { try repo.commit(message: "nope") }
  }

  @Test func statusAndDirtiness() throws {
    let fixture = try TempRepo()
    let repo = try Repository.open(path: fixture.dir)
    #expect(try !repo.isDirty)
    try fixture.write(".gitignore", "*.log\n")
    try fixture.commitAll("ignore logs")
    try fixture.write("README.md", "changed\n")
    try fixture.write("new/dir/file.txt", "new\n")
    try fixture.write("debug.log", "ignored\n")
    try fixture.write("staged.txt", "s\n")
    try fixture.git("add", "staged.txt")
    let status = try repo.status()
    #expect(try repo.isDirty)
    #expect(try repo.dirtyPaths == ["README.md", "new/dir/file.txt", "staged.txt"])
    #expect(status.first { $0.path == "README.md" }?.worktree == .modified)
    #expect(status.first { $0.path == "new/dir/file.txt" }?.worktree == .untracked)
    #expect(status.first { $0.path == "staged.txt" }?.index == .added)
  }

  @Test func configAndDefaultSignature() throws {
    let fixture = try TempRepo()
    let repo = try Repository.open(path: fixture.dir)
    #expect(repo.defaultSignature() == Signature(name: "Test User", email: "test@example.com"))
    try repo.setConfigValue("arrakis.model", "opus")
    #expect(try repo.configValue("arrakis.model") == "opus")
    #expect(try fixture.git("config", "--local", "arrakis.model") == "opus\n")
    #expect(try repo.configValue("arrakis.missing") == nil)
    #expect(Signature.fallback == Signature(name: "arrakis", email: "arrakis@localhost"))
  }
}
