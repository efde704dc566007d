import ArrakisCore
import FoundationEssentials
import Glibc

/// The session lifecycle: start, usage, updates, finish. Each call is one short write transaction.
extension Ledger {
  /// Records a running session owned by this process and returns its id (a lowercase UUID). Sessions
  /// whose process is gone are finished as interrupted first (`sweepDeadSessions`), so no run stays
  /// `running` past the next start.
  public func startSession(_ new: NewSession) throws -> String {
    let id = UUID().uuidString.lowercased()
    let me = getpid()
    let started = ProcTable.startTime(me)
    try write("start a session") { db in
      _ = try Ledger.sweepDeadSessions(db, now: Date())
      try db.execute(
        sql: """
          INSERT INTO sessions (id, system_type, workspace, git_branch, model, prompt, parent_session_id,
            route, started_at, status, pid, process_start, host)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)
          """,
        arguments: [
          id, new.systemType, new.workspace, new.gitBranch, new.model, new.prompt, new.parentSessionID,
          new.route, Timestamp.string(new.startedAt), me, started, Host.id,
        ])
    }
    return id
  }

  /// Finishes as interrupted every `running` session whose process is gone, keeping what it recorded;
  /// returns their ids. A process is gone when its pid is not running or runs with another start time (a
  /// reused pid). Rows from before the pid was recorded are swept once they are a day old. Sessions of
  /// other machines sharing the ledger are left to them.
  @discardableResult
  public func sweepDeadSessions(now: Date = Date()) throws -> [String] {
    try write("finish the sessions of dead processes") { db in try Ledger.sweepDeadSessions(db, now: now) }
  }

  static let legacyStaleAfter: TimeInterval = 86_400

  static func sweepDeadSessions(_ db: any SQLConnection, now: Date) throws -> [String] {
    // Only this machine's sessions: another machine's pid means nothing here (Host.swift).
    let rows = try db.rows(
      sql: "SELECT id, pid, process_start, started_at FROM sessions WHERE status = 'running' AND (host IS NULL OR host = ?)",
      arguments: [Host.id])
    let legacyCutoff = Timestamp.string(now.addingTimeInterval(-legacyStaleAfter))
    let dead = rows.compactMap { row -> String? in
      let id: String = row["id"]
      guard let pid: Int32 = row["pid"] else {
        let started: String = row["started_at"]
        return started < legacyCutoff ? id : nil
      }
      guard ProcTable.isAlive(pid) else { return id }
      let recorded: Int64? = row["process_start"]
      return recorded != nil && ProcTable.startTime(pid) != recorded ? id : nil
    }
    for id in dead {
      try db.execute(
        sql: """
          UPDATE sessions SET status = 'interrupted', ended_at = ?, exit_code = COALESCE(exit_code, 130),
            exit_reason = COALESCE(exit_reason, 'the arrakis process ended without finishing the session (killed?)'),
            duration_ms = COALESCE(duration_ms, \(db.dialect.millisecondsBetween("started_at", "?")))
          WHERE id = ? AND status = 'running'
          """,
        arguments: [Timestamp.string(now), Timestamp.string(now), id])
    }
    return dead
  }

  /// Adds one API call's usage to the session's totals.
  ///
  /// Cost rule: a session's cost is known only if every contributing cost is known. `costUSD: nil` (a model
  /// without a price) makes the session's cost NULL for good; SQL arithmetic does this by itself, since
  /// NULL + x is NULL. A session starts at 0 (nothing billed yet), so one with no API calls costs 0.
  public func addUsage(
    sessionID: String, input: Int, output: Int, cacheCreation: Int = 0, cacheRead: Int = 0, costUSD: Double?
  ) throws {
    try write("record usage") { db in
      let changed = try db.execute(
        sql: """
          UPDATE sessions SET input_tokens = input_tokens + ?, output_tokens = output_tokens + ?,
            cache_creation_tokens = cache_creation_tokens + ?, cache_read_tokens = cache_read_tokens + ?,
            cost_usd = cost_usd + ?
          WHERE id = ?
          """,
        arguments: [input, output, cacheCreation, cacheRead, costUSD, sessionID])
      try Ledger.requireChange(changed, sessionID)
    }
  }

  /// Changes what became known after the start (the model actually used, the route taken, the branch).
  /// nil leaves a field as it is.
  public func updateSession(
    id: String, model: String? = nil, route: String? = nil, gitBranch: String? = nil, prompt: String? = nil
  ) throws {
    try write("update a session") { db in
      let changed = try db.execute(
        sql: """
          UPDATE sessions SET model = COALESCE(?, model), route = COALESCE(?, route),
            git_branch = COALESCE(?, git_branch), prompt = COALESCE(?, prompt)
          WHERE id = ?
          """,
        arguments: [model, route, gitBranch, prompt, id])
      try Ledger.requireChange(changed, id)
    }
  }

  /// Ends a session. `durationMs: nil` takes the wall time since `started_at`.
  public func finishSession(
    id: String, status: SessionStatus, error: String? = nil, exitCode: Int? = nil, exitReason: String? = nil,
    durationMs: Int? = nil, apiDurationMs: Int? = nil, endedAt: Date = Date()
  ) throws {
    let ended = Timestamp.string(endedAt)
    try write("finish a session") { db in
      let changed = try db.execute(
        sql: """
          UPDATE sessions SET status = ?, error = ?, exit_code = ?, exit_reason = ?, ended_at = ?,
            duration_ms = COALESCE(?, \(db.dialect.millisecondsBetween("started_at", "?"))),
            api_duration_ms = COALESCE(?, api_duration_ms)
          WHERE id = ?
          """,
        arguments: [status, error, exitCode, exitReason, ended, durationMs, ended, apiDurationMs, id])
      try Ledger.requireChange(changed, id)
    }
  }

  /// Deletes a session and, through ON DELETE CASCADE, its messages, tool operations and modifications.
  public func deleteSession(id: String) throws {
    try write("delete a session") { db in
      let changed = try db.execute(sql: "DELETE FROM sessions WHERE id = ?", arguments: [id])
      try Ledger.requireChange(changed, id)
    }
  }

  /// An update that touched no row means the caller holds an id the ledger does not know: say so
  /// instead of silently recording nothing.
  static func requireChange(_ changed: Int, _ sessionID: String) throws {
    if changed == 0 {
      throw ArrakisError(.ledger, "no session \(sessionID) in the ledger", hint: "it may have been deleted")
    }
  }
}
