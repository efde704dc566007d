import FoundationEssentials
import Glibc

/// One path of a commit's statistics: a line of `git log --numstat`.
public struct CommitFileStat: Sendable, Equatable {
  public var path: String
  public var additions: Int
  public var deletions: Int
  /// Binary files have no line counts; additions and deletions are 0.
  public var isBinary: Bool

  public init(path: String, additions: Int, deletions: Int, isBinary: Bool) {
    self.path = path
    self.additions = additions
    self.deletions = deletions
    self.isBinary = isBinary
  }
}

/// The per-file line counts of one commit against `parentID`, as `analyze` computed them once.
public struct CommitStats: Sendable, Equatable {
  public var commitID: String
  /// The commit the files were diffed against; nil for the empty tree (a root commit).
  public var parentID: String?
  public var files: [CommitFileStat]

  public init(commitID: String, parentID: String?, files: [CommitFileStat]) {
    self.commitID = commitID
    self.parentID = parentID
    self.files = files
  }
}

/// A `commit_stats` row. `files` is packed as numstat lines ("12\t3\tpath", "-\t-\tpath" for a binary
/// file), each ended by a NUL, which no git path contains: one short blob per commit reads back far
/// faster than a row per file or JSON, and a run reads thousands of them.
struct CommitStatsRecord {
  var commitID: String
  var variant: String
  var parentID: String?
  var files: Data

  init(row: SQLRow) {
    commitID = row["commit_id"]
    variant = row["variant"]
    parentID = row["parent_id"]
    files = row["files"]
  }

  init(_ stats: CommitStats, variant: String) {
    commitID = stats.commitID
    self.variant = variant
    parentID = stats.parentID
    var packed = Data()
    for f in stats.files {
      packed.append(contentsOf: (f.isBinary ? "-\t-\t" : "\(f.additions)\t\(f.deletions)\t").utf8)
      packed.append(contentsOf: f.path.utf8)
      packed.append(0)
    }
    files = packed
  }

  /// nil when the blob is not what `init(_:variant:)` writes: the caller diffs that commit again.
  var stats: CommitStats? {
    var result: [CommitFileStat] = []
    for line in files.split(separator: 0, omittingEmptySubsequences: true) {
      let fields = line.split(separator: UInt8(ascii: "\t"), maxSplits: 2, omittingEmptySubsequences: false)
      guard fields.count == 3 else { return nil }
      let path = String(decoding: fields[2], as: UTF8.self)
      if fields[0].elementsEqual("-".utf8) && fields[1].elementsEqual("-".utf8) {
        result.append(CommitFileStat(path: path, additions: 0, deletions: 0, isBinary: true))
        continue
      }
      guard let added = Int(String(decoding: fields[0], as: UTF8.self)),
        let deleted = Int(String(decoding: fields[1], as: UTF8.self))
      else { return nil }
      result.append(CommitFileStat(path: path, additions: added, deletions: deleted, isBinary: false))
    }
    return CommitStats(commitID: commitID, parentID: parentID, files: result)
  }
}

extension Ledger {
  /// Ids per query: well under SQLite's limit on bound parameters.
  static let commitStatsBatch = 500

  /// The stored statistics of those of `ids` computed as `variant`, by commit id; commits never stored
  /// (or stored unreadably) are absent.
  public func commitStats(_ ids: [String], variant: String) throws -> [String: CommitStats] {
    try read("read commit statistics") { db in
      var found: [String: CommitStats] = [:]
      found.reserveCapacity(ids.count)
      var start = 0
      while start < ids.count {
        let batch = Array(ids[start..<min(ids.count, start + Ledger.commitStatsBatch)])
        start += batch.count
        let marks = Array(repeating: "?", count: batch.count).joined(separator: ", ")
        let rows = try db.rows(
          sql: "SELECT commit_id, variant, parent_id, files FROM commit_stats WHERE variant = ? AND commit_id IN (\(marks))",
          arguments: [variant] + batch)
        for row in rows {
          if let stats = CommitStatsRecord(row: row).stats { found[stats.commitID] = stats }
        }
      }
      return found
    }
  }

  /// Stores (or replaces) statistics computed as `variant`, in one transaction.
  public func storeCommitStats(_ stats: [CommitStats], variant: String) throws {
    guard !stats.isEmpty else { return }
    try write("store commit statistics") { db in
      for s in stats {
        let record = CommitStatsRecord(s, variant: variant)
        try db.execute(
          sql: """
            INSERT INTO commit_stats (commit_id, variant, parent_id, files) VALUES (?, ?, ?, ?)
            ON CONFLICT (commit_id, variant) DO UPDATE SET parent_id = excluded.parent_id, files = excluded.files
            """,
          arguments: [record.commitID, record.variant, record.parentID, record.files])
      }
    }
  }
}
