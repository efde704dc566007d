import ArrakisCore
import FoundationEssentials
import Glibc

/// What `arrakis log prune` removed (or, in a dry run, would remove).
public struct PruneReport: Codable, Sendable, Equatable {
  public var cutoff: Date
  public var sessions: Int
  public var messages: Int
  public var toolOperations: Int
  public var dryRun: Bool
}

extension Ledger {
  /// The marker a pruned message carries instead of its content; `log show` prints it as is.
  public static let prunedSource = "pruned"
  static let prunedText = "[transcript pruned by arrakis log prune; the session's figures are kept]"

  /// A copy of the whole ledger as a SQLite file at `destination`: of a SQLite ledger, consistent, taken in
  /// one read snapshot (`VACUUM INTO`), so other processes may keep writing meanwhile; of a PostgreSQL one,
  /// every record copied into the new file batch by batch (`copy(from:)`). Refuses to overwrite: the caller removes the file
  /// first when the user said --force.
  public func backup(to destination: String) throws {
    if FileManager.default.fileExists(atPath: destination) {
      throw ArrakisError(.usage, "\(destination) already exists", hint: "choose another file, or pass --force to overwrite it")
    }
    // SQLite's own message for a missing folder is "unable to open database file", which reads as if the
    // ledger were the problem.
    let folder = destination.deletingLastPathComponent
    var isDirectory: Bool = false
    if !folder.isEmpty, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory) {
      throw ArrakisError(.usage, "cannot write the backup \(destination): the folder \(folder) does not exist", hint: "create it first (mkdir -p \(folder)), or name a file in an existing folder")
    }
    if !folder.isEmpty, !FileManager.default.isWritableFile(atPath: folder) {
      throw ArrakisError(.usage, "cannot write the backup \(destination): the folder \(folder) is not writable", hint: "name a file in a folder you can write")
    }
    // A server's ledger has no file to snapshot: its records are copied into a new SQLite file, batch by
    // batch, as `log copy --to FILE` does (see Sources/Ledger/Copy/LedgerCopy.swift).
    guard dialect == .sqlite else {
      _ = try Ledger.open(path: destination).copy(from: self)
      return
    }
    // VACUUM cannot run inside a transaction, so not through `read`; it reads one snapshot by itself.
    _ = try engine.outsideTransaction("back up the ledger") {
      try $0.execute(sql: "VACUUM INTO ?", arguments: [destination])
    }
  }

  /// Drops the transcript bodies of sessions started before `cutoff`: message content and text are replaced
  /// by a marker (the FTS trigger removes their words from the index), tool parameters and results are
  /// emptied. Sessions, token counts, costs, durations and the tool/modification rows themselves stay, so
  /// `log stats` gives the same figures afterwards. Already-pruned messages are not counted again.
  public func prune(before cutoff: Date, dryRun: Bool) throws -> PruneReport {
    let at = Timestamp.string(cutoff)
    let old = "SELECT id FROM sessions WHERE started_at < ?1"
    let body: (any SQLConnection) throws -> PruneReport = { db in
      let notPruned = db.dialect.isDistinct("system_source", "'pruned'")
      let sessions = try db.value(
        Int.self,
        sql: """
          SELECT count(*) FROM sessions WHERE started_at < ?1 AND (
            EXISTS (SELECT 1 FROM messages m WHERE m.session_id = sessions.id AND \(db.dialect.isDistinct("m.system_source", "'pruned'")))
            OR EXISTS (SELECT 1 FROM tool_operations t WHERE t.session_id = sessions.id AND t.result IS NOT NULL))
          """, arguments: [at]) ?? 0
      let messages = try db.value(
        Int.self, sql: "SELECT count(*) FROM messages WHERE session_id IN (\(old)) AND \(notPruned)",
        arguments: [at]) ?? 0
      let tools = try db.value(
        Int.self, sql: "SELECT count(*) FROM tool_operations WHERE session_id IN (\(old)) AND result IS NOT NULL",
        arguments: [at]) ?? 0
      let report = PruneReport(cutoff: cutoff, sessions: sessions, messages: messages, toolOperations: tools, dryRun: dryRun)
      if dryRun { return report }
      let marker = JSONValue.array([["type": "text", "text": .string(Ledger.prunedText)]]).columnText
      try db.execute(
        sql: """
          UPDATE messages SET content = ?2, text = '', tool_calls = NULL, system_source = 'pruned'
          WHERE session_id IN (\(old)) AND \(notPruned)
          """, arguments: [at, marker])
      try db.execute(
        sql: "UPDATE tool_operations SET parameters = '{}', result = NULL, reasoning = NULL WHERE session_id IN (\(old)) AND result IS NOT NULL",
        arguments: [at])
      return report
    }
    return dryRun ? try read("count what to prune", body) : try write("prune transcripts", body)
  }

  /// The ledger's size on disk: the file and its write-ahead log (SQLite), or the database (PostgreSQL).
  public func sizeOnDisk() -> LedgerSize {
    switch dialect {
    case .sqlite:
      func size(_ p: String) -> Int64 {
        var info = stat()
        return stat(p, &info) == 0 ? Int64(info.st_size) : 0
      }
      let free = (try? read("measure the ledger") { db -> Int64 in
        let pages = try db.value(Int64.self, sql: "PRAGMA freelist_count") ?? 0
        return pages * (try db.value(Int64.self, sql: "PRAGMA page_size") ?? 4096)
      }) ?? 0
      return LedgerSize(bytes: size(path) + size(path + "-wal"), freeBytes: free)
    case .postgres:
      // The server reuses the space of deleted rows by itself; none is counted as free.
      let bytes = (try? read("measure the ledger") {
        try $0.value(Int64.self, sql: "SELECT pg_database_size(current_database())")
      }) ?? nil
      return LedgerSize(bytes: bytes ?? 0, freeBytes: 0)
    }
  }

  /// Gives the pages that pruning emptied back to the file system: the full-text index is merged (it keeps
  /// deleted entries until then), `VACUUM` rewrites the file without its free pages, then a truncating
  /// checkpoint empties the write-ahead log the rewrite went through. `before`: the size to count the freed
  /// bytes from (taken before the prune, whose own writes grow the write-ahead log). Without
  /// this a pruned ledger keeps its size forever (SQLite only reuses free pages). VACUUM needs the write lock
  /// for as long as the rewrite takes; other runs wait for it through the busy handler. On PostgreSQL a
  /// plain VACUUM of the pruned tables makes their space reusable without locking out other writers.
  public func reclaimSpace(before: LedgerSize? = nil) throws -> SpaceReclaimed {
    let before = before ?? sizeOnDisk()
    try engine.outsideTransaction("reclaim free space") { db in
      switch db.dialect {
      case .sqlite:
        // The full-text index keeps deleted entries until its segments are merged.
        try db.execute(sql: "INSERT INTO messages_fts(messages_fts) VALUES ('optimize')")
        try db.execute(sql: "VACUUM")
        _ = try db.row(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
      case .postgres:
        try db.execute(sql: "VACUUM messages")
        try db.execute(sql: "VACUUM tool_operations")
      }
    }
    return SpaceReclaimed(before: before, after: sizeOnDisk())
  }
}

/// Bytes of the ledger on disk (file + WAL), and how many of them are free pages a VACUUM would return.
public struct LedgerSize: Codable, Sendable, Equatable {
  public var bytes: Int64
  public var freeBytes: Int64
}

public struct SpaceReclaimed: Codable, Sendable, Equatable {
  public var before: LedgerSize
  public var after: LedgerSize
  public var freedBytes: Int64 { max(0, before.bytes - after.bytes) }

  enum CodingKeys: String, CodingKey { case before, after, freedBytes }
  public init(before: LedgerSize, after: LedgerSize) {
    self.before = before
    self.after = after
  }
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(before: try c.decode(LedgerSize.self, forKey: .before), after: try c.decode(LedgerSize.self, forKey: .after))
  }
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(before, forKey: .before)
    try c.encode(after, forKey: .after)
    try c.encode(freedBytes, forKey: .freedBytes)
  }
}
