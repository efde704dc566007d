import FoundationEssentials
import Glibc
import Git
import Ledger

/// What the git history over the analysis window says: churn per file, fix commits, authors, coupling.
public struct HistorySignals: Codable, Equatable, Sendable {
  public var since: Date
  public var commits: Int
  public var fixCommits: Int
  public var authors: Int
  /// Per file, most-changed first.
  public var churn: [FileChurn]
  public var coChanges: [CoChange]
  public var durationMs: Int

  public init(since: Date, commits: Int, fixCommits: Int, authors: Int, churn: [FileChurn], coChanges: [CoChange], durationMs: Int) {
    self.since = since
    self.commits = commits
    self.fixCommits = fixCommits
    self.authors = authors
    self.churn = churn
    self.coChanges = coChanges
    self.durationMs = durationMs
  }

  /// Reads the window from the repository with one revwalk; the per-commit file statistics come from
  /// `cache` where an earlier run stored them, the rest are diffed on every core (and stored). The figures
  /// are the same with or without a cache. `showProgress`: a progress line on a terminal's stderr while
  /// diffing takes long.
  public static func read(
    _ repository: Repository, since: Date, cache: Ledger? = nil, showProgress: Bool = false
  ) throws -> HistorySignals {
    try readCounting(repository, since: since, cache: cache, showProgress: showProgress).signals
  }

  /// `read`, and how many commits came from the cache and how many were diffed.
  static func readCounting(
    _ repository: Repository, since: Date, cache: Ledger?, showProgress: Bool
  ) throws -> (signals: HistorySignals, outcome: HistoryCache.Outcome) {
    let started = Date()
    var commits = try repository.commits(since: since)
    let outcome = try HistoryCache(ledger: cache).fill(&commits, from: repository, showProgress: showProgress)
    var signals = summarise(commits, since: since)
    signals.durationMs = Int(Date().timeIntervalSince(started) * 1000)
    return (signals, outcome)
  }

  /// The figures from already-walked commits (pure, for tests and for callers that walk themselves).
  public static func summarise(_ commits: [CommitInfo], since: Date) -> HistorySignals {
    var byPath: [String: FileChurn] = [:]
    var fixes = 0
    var authors: Set<String> = []
    for commit in commits where commit.time >= since {
      let isFix = FixCommit.matches(commit.summary)
      if isFix { fixes += 1 }
      authors.insert(commit.authorName)
      for stat in commit.files {
        var c = byPath[stat.path] ?? FileChurn(path: stat.path, commits: 0, linesAdded: 0, linesDeleted: 0)
        c.commits += 1
        c.linesAdded += stat.additions
        c.linesDeleted += stat.deletions
        if isFix { c.fixCommits += 1 }
        c.authors.insert(commit.authorName)
        byPath[stat.path] = c
      }
    }
    let churn = byPath.values.sorted {
      ($0.commits, $0.linesChanged, $1.path) > ($1.commits, $1.linesChanged, $0.path)
    }
    let pairs = Hotspots.coChanges(commits: commits.filter { $0.time >= since }.map { $0.files.map(\.path) }, limit: 10)
    return HistorySignals(
      since: since, commits: commits.count, fixCommits: fixes, authors: authors.count, churn: churn,
      coChanges: pairs, durationMs: 0)
  }
}

/// "Does this commit message describe a fix?" — fix/fixes/fixed/bug/bugfix/hotfix/revert/regression as a
/// word (or the start of one), case-insensitive, so "prefix" and "debugger" do not count but "Fix:" and
/// "Revert \"…\"" do.
public enum FixCommit {
  static let stems = ["fix", "bug", "revert", "regression", "hotfix", "bugfix"]

  public static func matches(_ message: String) -> Bool {
    let words = message.lowercased().split(whereSeparator: { !$0.isLetter })
    return words.contains { word in
      stems.contains { stem in word == stem || (word.hasPrefix(stem) && ["es", "s", "ed", "ing"].contains(String(word.dropFirst(stem.count)))) }
    }
  }
}
