import Foundation
import TestSupport
import Testing

@testable import Workflows

/// What `code` tells the agent about its workspace, gathered without walking the tree on the way to the
/// first request: git status is bounded by a budget and does not descend into untracked directories.
@Suite struct WorkspaceContextTests {
  @Test func gitFactsWithUntrackedDirectoriesAsOneEntry() throws {
    let repo = TempDir("context")
    try GitFixture.sh("""
      git init -q -b main . && printf 'a\\n' > tracked.txt && printf 'build/\\n' > .gitignore && git add -A && git commit -qm 'first commit'
      printf 'b\\n' >> tracked.txt && printf 'n\\n' > new.txt && git add new.txt
      mkdir -p scratch/deep/er build && for i in 1 2 3; do printf x > scratch/deep/er/f$i; done && printf x > build/out.o
      """, cwd: repo.path)
    let c = WorkspaceContextBuilder.build(root: repo.path, statusBudget: 30)
    #expect(c.gitBranch == "main")
    #expect(c.head?.count == 12)
    #expect(c.recentCommits.count == 1 && c.recentCommits[0].hasSuffix(" first commit"))
    #expect(c.dirtyFiles == ["new.txt", "scratch/", "tracked.txt"])
  }

  @Test func aStatusThatMissesItsBudgetIsUnknownAndNotWaitedFor() throws {
    let slow = BudgetedStatus {
      usleep(2_000_000)
      return ["late.txt"]
    }
    let started = Date()
    #expect(slow.wait(budget: 0.05) == nil)
    #expect(Date().timeIntervalSince(started) < 1.5)
    #expect(BudgetedStatus.unknown(budget: 0.008).contains("8 ms"))

    let quick = BudgetedStatus { ["a.txt"] }
    #expect(quick.wait(budget: 30) == ["a.txt"])
  }

  @Test func outsideARepositoryNoGitFacts() throws {
    let plain = TempDir("context-plain")
    try plain.write("Makefile", "test:\n\techo ok\n")
    let c = WorkspaceContextBuilder.build(root: plain.path, statusBudget: 30)
    #expect(c.gitBranch == nil)
    #expect(c.dirtyFiles.isEmpty)
    #expect(c.testCommand == "make test")
  }
}
