import ArrakisCore
import Testing

@testable import Git

@Suite struct ReferenceTests {
  @Test func createListDeleteBranches() throws {
    let fixture = try TempRepo()
    let repo = try Repository.open(path: fixture.dir)
    try repo.createBranch("arrakis/improve/one", at: "HEAD")
    try repo.createBranch("arrakis/improve/two", at: "main")
    try repo.createBranch("other", at: "HEAD")
    #expect(repo.branchExists("arrakis/improve/one"))
    #expect(try repo.branches(withPrefix: "arrakis/improve/") == ["arrakis/improve/one", "arrakis/improve/two"])
    #expect(try repo.branches() == ["arrakis/improve/one", "arrakis/improve/two", "main", "other"])
    #expect(throws: ArrakisError.self) { try repo.createBranch("other", at: "HEAD") }
    try repo.deleteBranch("arrakis/improve/one")
    #expect(!repo.branchExists("arrakis/improve/one"))
    #expect(try fixture.git("branch", "--list", "arrakis/*") == "  arrakis/improve/two\n")
    #expect(throws: ArrakisError.self) { try repo.deleteBranch("main") }  // checked out
  }

  @Test func resolveRevisions() throws {
    let fixture = try TempRepo()
    let first = try fixture.head()
    try fixture.write("x", "x\n")
    try fixture.commitAll("second")
    try fixture.git("tag", "-a", "v1", "-m", "tag")
    let repo = try Repository.open(path: fixture.dir)
    #expect(try repo.resolve("HEAD~1") == first)
    #expect(try repo.resolve(String(first.prefix(8))) == first)
    #expect(try repo.resolve("v1") == (try fixture.head()))
    #expect(try repo.branchTip("main") == (try fixture.head()))
    #expect(try repo.branchTip("nope") == nil)
    #expect(throws: ArrakisError.self) { try repo.resolve("no-such-rev") }
  }

  @Test func fastForwardMovesBranchAndCheckout() throws {
    let fixture = try TempRepo()
    try fixture.git("checkout", "-q", "-b", "arrakis/improve/x")
    try fixture.write("new.txt", "improved\n")
    try fixture.commitAll("improvement")
    let improved = try fixture.head()
    try fixture.git("checkout", "-q", "main")
    try fixture.write("untracked.txt", "mine\n")
    let repo = try Repository.open(path: fixture.dir)
    try repo.fastForward(branch: "main", to: "arrakis/improve/x")
    #expect(try fixture.head() == improved)
    #expect(try fixture.read("new.txt") == "improved\n")
    #expect(try fixture.git("status", "--porcelain") == "?? untracked.txt\n")
  }

  @Test func fastForwardRefusedWhenBranchMoved() throws {
    let fixture = try TempRepo()
    try fixture.git("branch", "arrakis/improve/x")
    try fixture.git("checkout", "-q", "arrakis/improve/x")
    try fixture.write("new.txt", "improved\n")
    try fixture.commitAll("improvement")
    try fixture.git("checkout", "-q", "main")
    try fixture.write("user.txt", "user\n")
    try fixture.commitAll("user moved on")
    let before = try fixture.head()
    let repo = try Repository.open(path: fixture.dir)
    do {
      try repo.fastForward(branch: "main", to: "arrakis/improve/x")
      Issue.record("expected a refusal")
    } catch let error as ArrakisError {
      #expect(error.status == .git)
      #expect(error.message.contains("does not descend"))
    }
    #expect(try fixture.head() == before)
  }
}
