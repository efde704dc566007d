import ArrakisCore
import FoundationEssentials
import Glibc

/// Queries `improve` and `rollback` need: finding modifications by what a user types (the newest, an
/// improvement id, a branch), the next open improvement, and runs that died without finishing.
extension Ledger {
  /// The newest modification that produced a commit (what `rollback --last` undoes), rolled back or not.
  public func latestCommittedModification() throws -> SelfModificationRow? {
    try read("read the latest self-modification") { db in
      try db.row(sql: "SELECT * FROM self_modifications WHERE result_commit IS NOT NULL ORDER BY id DESC LIMIT 1")
        .map(SelfModificationRow.init(row:))
    }
  }

  /// Modifications made for one improvement, oldest first.
  public func selfModifications(improvementID: String) throws -> [SelfModificationRow] {
    try read("read self-modifications") { db in
      try db.rows(sql: "SELECT * FROM self_modifications WHERE improvement_id = ? ORDER BY id", arguments: [improvementID])
        .map(SelfModificationRow.init(row:))
    }
  }

  /// Every row of one commit (improve writes one row per changed file, all with the same result commit).
  public func selfModifications(resultCommit: String) throws -> [SelfModificationRow] {
    try read("read self-modifications") { db in
      try db.rows(sql: "SELECT * FROM self_modifications WHERE result_commit = ? ORDER BY id", arguments: [resultCommit])
        .map(SelfModificationRow.init(row:))
    }
  }

  /// Sessions of `systemType` in `workspace` on this machine still marked running. Called while holding
  /// that workspace's run lock, these can only be runs whose process died. Another machine's runs in a
  /// folder of the same path (CI runners) hold their own lock there and are not listed.
  public func runningSessions(systemType: SystemType, workspace: String) throws -> [SessionRow] {
    try read("list running sessions") { db in
      try db.rows(
        sql: """
          SELECT * FROM sessions WHERE system_type = ? AND workspace = ? AND status = 'running'
            AND (host IS NULL OR host = ?) ORDER BY started_at
          """,
        arguments: [systemType, workspace, Host.id]
      ).map(SessionRow.init(row:))
    }
  }

  /// Marks one session interrupted because its process ended without finishing it.
  public func markInterrupted(sessionID: String, reason: String, at: Date = Date()) throws {
    try write("mark a session interrupted") { db in
      try db.execute(
        sql: """
          UPDATE sessions SET status = 'interrupted', ended_at = ?, exit_code = ?,
            exit_reason = COALESCE(exit_reason, ?)
          WHERE id = ? AND status = 'running'
          """,
        arguments: [Timestamp.string(at), ExitStatus.interrupted.rawValue, reason, sessionID])
    }
  }
}
