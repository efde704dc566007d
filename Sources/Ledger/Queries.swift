import ArrakisCore
import Foundation
import GRDB

/// What `arrakis log` can ask for. Every filter is optional; results are newest first.
public struct SessionFilter: Sendable, Equatable {
  public var limit: Int
  public var systemType: SystemType?
  /// Sessions started at or after this instant.
  public var since: Date?
  public var workspace: String?
  public var status: SessionStatus?
  /// Words that some message of the session must contain (full-text, all words).
  public var text: String?

  public init(
    limit: Int = 10, systemType: SystemType? = nil, since: Date? = nil, workspace: String? = nil,
    status: SessionStatus? = nil, text: String? = nil
  ) {
    self.limit = limit
    self.systemType = systemType
    self.since = since
    self.workspace = workspace
    self.status = status
    self.text = text
  }
}

extension Ledger {
  /// Sessions matching `filter`, newest first. Plans: no filter walks `sessions_started_at` backwards and
  /// stops after `limit` rows; workspace (+ system) uses `sessions_workspace_type_started`; text walks the
  /// FTS matches newest first and stops as soon as no older match can change the answer.
  public func listSessions(_ filter: SessionFilter = SessionFilter()) throws -> [SessionRow] {
    var clauses: [String] = []
    var args: [(any DatabaseValueConvertible)?] = []
    if let t = filter.systemType { clauses.append("system_type = ?"); args.append(t) }
    if let s = filter.since { clauses.append("started_at >= ?"); args.append(Timestamp.string(s)) }
    if let w = filter.workspace { clauses.append("workspace = ?"); args.append(w) }
    if let st = filter.status { clauses.append("status = ?"); args.append(st) }
    if let text = filter.text {
      guard let q = Ledger.ftsQuery(text) else { return [] }
      return try sessionsMatching(q, clauses: clauses, args: args, filter: filter)
    }
    let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
    args.append(max(filter.limit, 0))
    let sql = "SELECT * FROM sessions \(whereSQL) ORDER BY started_at DESC, rowid DESC LIMIT ?"
    return try readGRDB("list sessions") { db in
      try SessionRow.fetchAll(db, sql: sql, arguments: StatementArguments(args))
    }
  }

  /// The newest `limit` sessions (passing `clauses`) with a message matching the FTS query `q`.
  /// Collecting every matching session first is fast for a rare word but cost 1.8 s for a common one over a
  /// million messages. So the matches are counted first, up to `commonMatches`: below that the sessions are
  /// collected through the FTS index; above it the sessions are walked newest first, each checked with a
  /// rowid-bounded FTS look-up per message, which stops after `limit` hits — few sessions when the word is common.
  func sessionsMatching(
    _ q: String, clauses: [String], args: [(any DatabaseValueConvertible)?], filter: SessionFilter,
    commonMatches: Int = 20_000
  ) throws -> [SessionRow] {
    let limit = max(filter.limit, 0)
    guard limit > 0 else { return [] }
    return try readGRDB("search sessions") { db in
      let matches = try Int.fetchOne(
        db, sql: "SELECT count(*) FROM (SELECT 1 FROM messages_fts WHERE messages_fts MATCH ? LIMIT ?)",
        arguments: [q, commonMatches]) ?? 0
      if matches < commonMatches {
        let sql = "SELECT * FROM sessions WHERE " + (clauses + [
          """
          id IN (SELECT m.session_id FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
                 WHERE messages_fts MATCH ?)
          """,
        ]).joined(separator: " AND ") + " ORDER BY started_at DESC, rowid DESC LIMIT ?"
        return try SessionRow.fetchAll(db, sql: sql, arguments: StatementArguments(args + [q, limit]))
      }
      let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
      let sessions = try SessionRow.fetchCursor(
        db, sql: "SELECT * FROM sessions \(whereSQL) ORDER BY started_at DESC, rowid DESC", arguments: StatementArguments(args))
      let hit = try db.makeStatement(sql: """
        SELECT 1 FROM messages m WHERE m.session_id = ?
          AND EXISTS (SELECT 1 FROM messages_fts WHERE messages_fts MATCH ? AND messages_fts.rowid = m.id) LIMIT 1
        """)
      var found: [SessionRow] = []
      while found.count < limit, let session = try sessions.next() {
        if try Int.fetchOne(hit, arguments: [session.id, q]) != nil { found.append(session) }
      }
      return found
    }
  }

  /// A session by full id or by a unique prefix of it (as `git` does with commits).
  /// Unknown → ArrakisError(.usage, "no session matches …"); several → .usage listing the candidates.
  public func session(idOrPrefix: String) throws -> SessionRow {
    let prefix = idOrPrefix.trimmingCharacters(in: .whitespaces).lowercased()
    guard !prefix.isEmpty, prefix.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
      throw ArrakisError(
        .usage, "no session matches '\(idOrPrefix)'",
        hint: "a session id is a UUID or a prefix of one, as printed by `arrakis log`")
    }
    // GLOB with a literal prefix (no wildcards: checked above) is turned into a range scan on the
    // primary key, so a prefix lookup costs the same as an exact one.
    let rows = try readGRDB("look up a session") { db in
      try SessionRow.fetchAll(
        db, sql: "SELECT * FROM sessions WHERE id GLOB ? ORDER BY started_at DESC LIMIT 6",
        arguments: [prefix + "*"])
    }
    if let exact = rows.first(where: { $0.id == prefix }) { return exact }
    switch rows.count {
    case 0:
      throw ArrakisError(.usage, "no session matches '\(idOrPrefix)'", hint: "`arrakis log` lists sessions")
    case 1:
      return rows[0]
    default:
      let shown = rows.prefix(5).map { "  \($0.id)  \($0.systemType)  \(Timestamp.string($0.startedAt))" }
      let more = rows.count > 5 ? "\n  …" : ""
      throw ArrakisError(
        .usage,
        "session prefix '\(idOrPrefix)' is ambiguous; it matches:\n" + shown.joined(separator: "\n") + more,
        hint: "give more characters of the id")
    }
  }

  /// The newest session of a system in a workspace (what `--continue` continues). nil when none.
  public func lastSession(systemType: SystemType, workspace: String?) throws -> SessionRow? {
    try readGRDB("find the last session") { db in
      try SessionRow.fetchOne(
        db,
        sql: """
          SELECT * FROM sessions WHERE workspace IS ? AND system_type = ?
          ORDER BY started_at DESC, rowid DESC LIMIT 1
          """,
        arguments: [workspace, systemType])
    }
  }

  /// Sessions that continue `id` (its `--continue` children), oldest first.
  public func childSessions(of id: String) throws -> [SessionRow] {
    try readGRDB("list continued sessions") { db in
      try SessionRow.fetchAll(
        db, sql: "SELECT * FROM sessions WHERE parent_session_id = ? ORDER BY started_at", arguments: [id])
    }
  }

  /// Number of sessions (all, or matching a system type). For stats and tests.
  public func countSessions(systemType: SystemType? = nil) throws -> Int {
    try readGRDB("count sessions") { db in
      if let t = systemType {
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions WHERE system_type = ?", arguments: [t]) ?? 0
      }
      return try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions") ?? 0
    }
  }
}
