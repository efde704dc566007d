import ArrakisCore
import FoundationEssentials
import Glibc

/// One earlier improve run that recorded an outcome: its session and the modification rows it wrote
/// (one per changed file, or one without a file when there was only an outcome).
public struct ImproveAttemptRecord: Sendable, Equatable {
  public var sessionID: String
  public var startedAt: Date
  public var prompt: String?
  /// The session's exit reason: the improve result (`rolled_back`, `tampered`, `incomplete`, …).
  public var exitReason: String?
  public var modifications: [SelfModificationRow]
}

/// Queries behind improve's memory of its own attempts (what was tried for a goal and how it ended) and
/// behind `rollback --prune` (which kept branches the ledger knows, and marking them pruned).
extension Ledger {
  /// Improve sessions that recorded at least one modification for the improvement `improvementID`, from
  /// any clone (the improvement belongs to one repository, whichever folder or machine ran it); when nil,
  /// sessions in `workspace` for no improvement (free-text goals). Newest first, at most `limit`.
  public func improveAttempts(workspace: String, improvementID: String?, limit: Int = 200) throws -> [ImproveAttemptRecord] {
    try read("read earlier improve attempts") { db in
      let sessions = try db.rows(
        sql: """
          SELECT s.id, s.started_at, s.prompt, s.exit_reason FROM sessions s
          WHERE s.system_type = 'improve' AND (s.workspace = ?1 OR ?2 IS NOT NULL) AND EXISTS (
            SELECT 1 FROM self_modifications m WHERE m.session_id = s.id
              AND (m.improvement_id = ?2 OR (?2 IS NULL AND m.improvement_id IS NULL)))
          ORDER BY s.started_at DESC, s.rowid DESC LIMIT ?3
          """, arguments: [workspace, improvementID, max(limit, 0)])
      return try sessions.map { s in
        let id: String = s["id"]
        let rows = try db.rows(sql: "SELECT * FROM self_modifications WHERE session_id = ? ORDER BY id", arguments: [id])
          .map(SelfModificationRow.init(row:))
        return ImproveAttemptRecord(
          sessionID: id, startedAt: try decodeDate(s, "started_at"), prompt: s["prompt"], exitReason: s["exit_reason"],
          modifications: rows)
      }
    }
  }

  /// Every modification recorded on `branch`, oldest first.
  public func selfModifications(branch: String) throws -> [SelfModificationRow] {
    try read("read self-modifications") { db in
      try db.rows(sql: "SELECT * FROM self_modifications WHERE branch = ? ORDER BY id", arguments: [branch])
        .map(SelfModificationRow.init(row:))
    }
  }

  /// Records that `rollback --prune` deleted the branch holding these modifications: status `pruned`, and
  /// the time in `rolled_back_at`. `rollback_executed` stays 0: nobody undid the change for being wrong.
  public func markPruned(modificationIDs: [Int64], at: Date = Date()) throws {
    guard !modificationIDs.isEmpty else { return }
    try write("record a pruned branch") { db in
      for id in modificationIDs {
        try db.execute(
          sql: "UPDATE self_modifications SET status = 'pruned', rolled_back_at = ? WHERE id = ? AND rollback_executed = 0",
          arguments: [Timestamp.string(at), id])
      }
    }
  }
}
