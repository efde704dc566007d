import Foundation
import Git
import Ledger
import TestSupport
import Testing

@testable import Workflows

/// analyze's per-commit statistics in the ledger: the figures are the same cold, warm and after new
/// commits as without any cache, and a warm run diffs only what it has not seen.
@Suite struct HistoryCacheTests {
  let temp = TempDir("history-cache")
  var repoPath: String { temp.path + "/repo" }
  /// The fixture's 120 hourly commits end two days ago: a 30-day window holds them all.
  let since = Date().addingTimeInterval(-30 * 86_400)

  func read(_ cache: Ledger?) throws -> (signals: HistorySignals, outcome: HistoryCache.Outcome) {
    var (signals, outcome) = try HistorySignals.readCounting(
      try Repository.open(path: repoPath), since: since, cache: cache, showProgress: false)
    signals.durationMs = 0
    return (signals, outcome)
  }

  func commitCount() throws -> Int {
    Int(try GitFixture.sh("git rev-list --no-merges --count HEAD", cwd: repoPath).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
  }

  @Test func coldWarmAndAfterNewCommitsGiveTheFiguresOfNoCache() throws {
    try HistoryFixture.make(at: repoPath, commits: 120, endingDaysAgo: 2)
    let ledger = try Ledger.open(path: temp.file("ledger.db"))
    let total = try commitCount()

    let uncached = try read(nil)
    #expect(uncached.outcome == .init(cached: 0, diffed: total))
    #expect(uncached.signals.commits == total)
    #expect(uncached.signals.fixCommits > 0)
    #expect(uncached.signals.churn.contains { $0.path == "docs/a\tb.txt" })
    #expect(uncached.signals.churn.contains { $0.path.hasSuffix(".bin") })
    #expect(!uncached.signals.coChanges.isEmpty)

    let cold = try read(ledger)
    #expect(cold.outcome == .init(cached: 0, diffed: total))
    #expect(cold.signals == uncached.signals)

    let warm = try read(ledger)
    #expect(warm.outcome == .init(cached: total, diffed: 0))
    #expect(warm.signals == uncached.signals)

    try GitFixture.sh("""
      printf 'new line\\n' >> src/mod1.swift && git add -A && git commit -qm 'fix: one more'
      printf 'x\\n' > fresh.txt && git rm -q src/mod2.swift && git add -A && git commit -qm 'two more'
      """, cwd: repoPath)
    let after = try read(ledger)
    #expect(after.outcome == .init(cached: total, diffed: 2))
    let afterUncached = try read(nil)
    #expect(after.signals == afterUncached.signals)
    #expect(after.signals.commits == total + 2)
    #expect(after.signals.churn.contains { $0.path == "fresh.txt" })
    #expect(after.signals != uncached.signals)
  }

  func head() throws -> String {
    try GitFixture.sh("git rev-parse HEAD", cwd: repoPath).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A warm run reads the stored figures instead of diffing: a planted entry shows up in the churn.
  @Test func aWarmRunUsesWhatIsStored() throws {
    try HistoryFixture.make(at: repoPath, commits: 40, endingDaysAgo: 2)
    let ledger = try Ledger.open(path: temp.file("ledger.db"))
    _ = try read(ledger)
    let head = try head()
    let stored = try #require(try ledger.commitStats([head], variant: Repository.numstatVariant)[head])
    var planted = stored
    planted.files = [CommitFileStat(path: "planted.txt", additions: 7, deletions: 1, isBinary: false)]
    try ledger.storeCommitStats([planted], variant: Repository.numstatVariant)
    let warm = try read(ledger)
    #expect(warm.outcome.diffed == 0)
    #expect(warm.signals.churn.first { $0.path == "planted.txt" }?.linesAdded == 7)
  }

  /// Figures diffed against another first parent (a shallow or grafted clone) or stored under another
  /// variant (other diff options) are not used: that commit is diffed again and the figures are right.
  @Test func anotherParentOrVariantIsDiffedAgain() throws {
    try HistoryFixture.make(at: repoPath, commits: 40, endingDaysAgo: 2)
    let ledger = try Ledger.open(path: temp.file("ledger.db"))
    let expected = try read(nil).signals
    let head = try head()
    let wrong = [CommitFileStat(path: "wrong.txt", additions: 1, deletions: 0, isBinary: false)]
    try ledger.storeCommitStats(
      [CommitStats(commitID: head, parentID: String(repeating: "0", count: 40), files: wrong)],
      variant: Repository.numstatVariant)
    try ledger.storeCommitStats([CommitStats(commitID: head, parentID: nil, files: wrong)], variant: "numstat/v0")
    let first = try read(ledger)
    #expect(first.outcome.diffed == first.signals.commits)
    #expect(first.signals == expected)
    #expect(try ledger.commitStats([head], variant: "numstat/v0")[head]?.files == wrong)
  }
}
