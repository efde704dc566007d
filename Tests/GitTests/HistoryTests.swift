import ArrakisCore
import Foundation
import TestSupport
import Testing

@testable import Git

@Suite struct HistoryTests {
  @Test func recentCommitsNewestFirst() throws {
    let fixture = try TempRepo()
    for i in 1...3 {
      try fixture.write("f\(i).txt", "\(i)\n")
      try fixture.commitAll("commit \(i)\n\nbody")
    }
    let commits = try Repository.open(path: fixture.dir).recentCommits(limit: 2)
    try #require(commits.map(\.summary) == ["commit 3", "commit 2"])
    #expect(commits[0].id == (try fixture.head()))
    #expect(commits[0].shortID == String(commits[0].id.prefix(7)))
    #expect(commits[0].authorName == "Test User")
    #expect(commits[0].authorEmail == "test@example.com")
    #expect(abs(commits[0].time.timeIntervalSinceNow) < 120)
  }

  /// The churn input must agree with `git log --numstat --no-merges --no-renames`, summed per file.
  @Test func walkMatchesGitNumstat() throws {
    let fixture = try TempRepo()
    try fixture.write("src/a.swift", (1...50).map { "line \($0)" }.joined(separator: "\n") + "\n")
    try fixture.write("src/b.swift", "b\n")
    try fixture.commitAll("add sources")
    try fixture.write("src/a.swift", (1...50).map { $0 % 7 == 0 ? "changed \($0)" : "line \($0)" }.joined(separator: "\n") + "\n")
    try fixture.git("rm", "-q", "src/b.swift")
    try fixture.write("bin.dat", "\u{0}\u{1}\u{2}binary")
    try fixture.commitAll("edit a, drop b, add binary")
    try fixture.git("checkout", "-q", "-b", "side")
    try fixture.write("side.txt", "one\ntwo\n")
    try fixture.commitAll("side work")
    try fixture.git("checkout", "-q", "main")
    try fixture.write("src/a.swift", "rewritten\n")
    try fixture.commitAll("rewrite a")
    try fixture.git("merge", "-q", "--no-edit", "side")
    try fixture.git("mv", "side.txt", "moved.txt")
    try fixture.commitAll("move side")

    let commits = try Repository.open(path: fixture.dir).walk()
    #expect(!commits.contains { $0.isMerge })
    let expectedCount = try fixture.git("rev-list", "--no-merges", "--count", "HEAD")
    #expect(commits.count == Int(expectedCount.trimmingCharacters(in: .whitespacesAndNewlines)))

    var ours: [String: [Int]] = [:]
    for file in commits.flatMap(\.files) {
      let total = ours[file.path] ?? [0, 0]
      ours[file.path] = file.isBinary ? [-1, -1] : [total[0] + file.additions, total[1] + file.deletions]
    }
    var theirs: [String: [Int]] = [:]
    for line in try fixture.git("log", "--numstat", "--no-merges", "--no-renames", "--format=").split(separator: "\n") {
      let parts = line.split(separator: "\t").map(String.init)
      guard parts.count == 3 else { continue }
      let total = theirs[parts[2]] ?? [0, 0]
      theirs[parts[2]] = parts[0] == "-" ? [-1, -1] : [total[0] + Int(parts[0])!, total[1] + Int(parts[1])!]
    }
    #expect(ours == theirs)
    #expect(ours["bin.dat"] == [-1, -1])
  }

  @Test func walkHonoursSinceAndLimit() throws {
    let fixture = try TempRepo()
    for i in 1...4 {
      try fixture.write("f.txt", "\(i)\n")
      try fixture.git("add", "-A")
      let date = "2020-01-0\(i)T12:00:00Z"
      try fixture.git(["-c", "user.name=T", "commit", "-q", "-m", "c\(i)", "--date", date],
                      environment: ["GIT_COMMITTER_DATE": date])
    }
    let repo = try Repository.open(path: fixture.dir)
    let since = ISO8601DateFormatter().date(from: "2020-01-02T00:00:00Z")!
    // The fixture's first commit is dated now, after c1..c4: both sides must still agree.
    let expected = try fixture.git("log", "--format=%s", "--since=2020-01-02T00:00:00Z").split(separator: "\n")
    #expect(try repo.walk(since: since).map(\.summary) == expected.map(String.init))
    #expect(expected.starts(with: ["c4", "c3", "c2"]))
    #expect(try repo.walk(limit: 2).map(\.summary) == ["c4", "c3"])
  }

  /// `git log --numstat -z --no-merges --no-renames` as commit id → its lines ("12\t3\tpath", "-\t-\tpath").
  static func gitNumstat(_ dir: String) throws -> [String: [String]] {
    var byCommit: [String: [String]] = [:]
    var current = ""
    let out = try GitFixture.sh("git log --numstat -z --no-merges --no-renames --format=%H", cwd: dir)
    for token in out.split(separator: "\0") {
      let field = token.trimmingCharacters(in: .newlines)
      if field.count == 40, !field.contains("\t") {
        current = field
        byCommit[current, default: []] += []
      } else if !field.isEmpty {
        byCommit[current, default: []].append(field)
      }
    }
    return byCommit
  }

  /// The file statistics diffed on every core are git's, commit by commit (binary files, a deletion, a
  /// path with a tab, a root commit, a merged side branch), and the same as on one worker, in walk order.
  @Test func numstatOnEveryCoreMatchesGitCommitByCommit() throws {
    let temp = TempDir("numstat")
    try HistoryFixture.make(at: temp.path, commits: 150)
    let repo = try Repository.open(path: temp.path)
    let commits = try repo.commits()
    let expected = try Self.gitNumstat(temp.path)
    #expect(commits.count == expected.count)
    #expect(commits.count > 4 * Repository.commitsPerWorker, "enough commits to split among workers")
    #expect(commits.allSatisfy { $0.files.isEmpty })
    let ids = commits.map(\.id)
    let single = try repo.numstat(of: ids, workers: 1)
    let parallel = try repo.numstat(of: ids, workers: 4)
    #expect(single == parallel)
    for (commit, files) in zip(commits, parallel) {
      let ours = files.map { $0.isBinary ? "-\t-\t\($0.path)" : "\($0.additions)\t\($0.deletions)\t\($0.path)" }
      #expect(ours.sorted() == (expected[commit.id] ?? ["missing"]).sorted(), "commit \(commit.summary)")
    }
    #expect(parallel.joined().contains { $0.isBinary })
    #expect(parallel.joined().contains { $0.path == "docs/a\tb.txt" })
    // `walk` is the two halves together.
    #expect(try repo.walk().map(\.files) == parallel)
  }

  /// Workers open the shared git directory, so a linked worktree is diffed like its main checkout.
  @Test func numstatInALinkedWorktree() throws {
    let temp = TempDir("numstat-worktree")
    try HistoryFixture.make(at: temp.path + "/main", commits: 80)
    try GitFixture.sh("git worktree add -q ../linked -b linked", cwd: temp.path + "/main")
    let main = try Repository.open(path: temp.path + "/main")
    let linked = try Repository.open(path: temp.path + "/linked")
    #expect(linked.isWorktree)
    let ids = try linked.commits().map(\.id)
    #expect(ids == (try main.commits().map(\.id)))
    #expect(try linked.numstat(of: ids, workers: 2) == (try main.numstat(of: ids, workers: 1)))
  }

  @Test func commitsKnowTheirFirstParent() throws {
    let temp = TempDir("parents")
    try HistoryFixture.make(at: temp.path, commits: 40)
    let commits = try Repository.open(path: temp.path).commits()
    let head = try #require(commits.first)
    let parent = try GitFixture.sh("git rev-parse HEAD^", cwd: temp.path).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(head.firstParentID == parent)
    let root = try #require(commits.last)
    #expect(root.parentCount == 0)
    #expect(root.firstParentID == nil)
  }

  @Test func numstatOfNoCommitsIsEmptyAndABadIdIsAGitError() throws {
    let fixture = try TempRepo()
    let repo = try Repository.open(path: fixture.dir)
    #expect(try repo.numstat(of: []).isEmpty)
    let error = try #require(throws: ArrakisError.self) {
      try repo.numstat(of: [String(repeating: "ab", count: 20)])
    }
    #expect(error.status == .git)
  }

  @Test func ancestryAndMergeBase() throws {
    let fixture = try TempRepo()
    let base = try fixture.head()
    try fixture.git("checkout", "-q", "-b", "topic")
    try fixture.write("t.txt", "t\n")
    try fixture.commitAll("topic")
    try fixture.git("checkout", "-q", "main")
    try fixture.write("m.txt", "m\n")
    try fixture.commitAll("main")
    let repo = try Repository.open(path: fixture.dir)
    #expect(try repo.isAncestor(base, of: "topic"))
    #expect(try repo.isAncestor("main", of: "main"))
    #expect(try !repo.isAncestor("topic", of: "main"))
    #expect(try repo.mergeBase("main", "topic") == base)
  }
}
