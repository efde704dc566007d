import FoundationEssentials
import Glibc
import Git
import Ledger

/// analyze's memory of history: the per-file line counts of every commit it has diffed, kept in the
/// ledger by commit id and `Repository.numstatVariant`, so that a daily run diffs only the new commits.
/// A commit id names the commit's content and parents, so stored figures are valid in every clone; a
/// stored entry is used only when it was diffed against the same first parent the walk sees now (a
/// shallow or grafted clone may see another).
struct HistoryCache {
  /// nil: no cache (`--no-cache`); every commit is diffed and nothing is stored.
  let ledger: Ledger?

  /// How many commits came from the ledger and how many were diffed.
  struct Outcome: Equatable {
    var cached: Int
    var diffed: Int
  }

  /// Fills `files` of every commit: from the ledger where known, else diffed (on every core) and stored.
  func fill(_ commits: inout [CommitInfo], from repository: Repository, showProgress: Bool) throws -> Outcome {
    let variant = Repository.numstatVariant
    let known = try ledger?.commitStats(commits.map(\.id), variant: variant) ?? [:]
    var missing: [Int] = []
    for i in commits.indices {
      if let stored = known[commits[i].id], stored.parentID == commits[i].firstParentID {
        commits[i].files = stored.files.map {
          FileStat(path: $0.path, additions: $0.additions, deletions: $0.deletions, isBinary: $0.isBinary)
        }
      } else {
        missing.append(i)
      }
    }
    guard !missing.isEmpty else { return Outcome(cached: commits.count, diffed: 0) }

    let progress = showProgress ? WalkProgress.start(total: missing.count) : nil
    defer { progress?.stop() }
    let diffs = try repository.numstat(of: missing.map { commits[$0].id }, progress: progress.map { p in { @Sendable n in p.advance(n) } })
    for (k, i) in missing.enumerated() { commits[i].files = diffs[k] }
    progress?.stop()

    try ledger?.storeCommitStats(
      missing.map { i in
        CommitStats(
          commitID: commits[i].id, parentID: commits[i].firstParentID,
          files: commits[i].files.map {
            CommitFileStat(path: $0.path, additions: $0.additions, deletions: $0.deletions, isBinary: $0.isBinary)
          })
      }, variant: variant)
    return Outcome(cached: commits.count - missing.count, diffed: missing.count)
  }
}
