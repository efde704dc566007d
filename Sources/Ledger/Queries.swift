import ArrakisCore
import FoundationEssentials
import Glibc

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
    var args: [(any SQLValueConvertible)?] = []
    if let t = filter.systemType { clauses.append("system_type = ?"); args.append(t) }
    if let s = filter.since { clauses.append("started_at >= ?"); args.append(Timestamp.string(s)) }
    if let w = filter.workspace { clauses.append("workspace = ?"); args.append(w) }
    if let st = filter.status { clauses.append("status = ?"); args.append(st) }
    if let text = filter.text {
      guard let q = searchQuery(text) else { return [] }
      return try sessionsMatching(q, clauses: clauses, args: args, filter: filter)
    }
    let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
    args.append(max(filter.limit, 0))
    let sql = "SELECT * FROM sessions \(whereSQL) ORDER BY started_at DESC, rowid DESC LIMIT ?"
    return try read("list sessions") { db in
      try db.rows(sql: sql, arguments: args).map(SessionRow.init(row:))
    }
  }

  /// The newest `limit` sessions (passing `clauses`) with a message matching the full-text query `q`
  /// (`searchQuery`). Collecting every matching session first is fast for a rare word but cost 1.8 s for a
  /// common one over a million messages. So the matches are counted first, up to `commonMatches`: below
  /// that the sessions are collected through the full-text index; above it the sessions are walked newest
  /// first, each checked with a look-up of its own messages in the index, which stops after `limit`
  /// hits — few sessions when the word is common.
  func sessionsMatching(
    _ q: String, clauses: [String], args: [(any SQLValueConvertible)?], filter: SessionFilter,
    commonMatches: Int = 20_000
  ) throws -> [SessionRow] {
    let limit = max(filter.limit, 0)
    guard limit > 0 else { return [] }
    return try read("search sessions") { db in
      let matches = try db.value(
        Int.self, sql: "SELECT count(*) FROM (\(db.dialect.matchingMessageIDs()) LIMIT ?) AS hits",
        arguments: [q, commonMatches]) ?? 0
      if matches < commonMatches {
        let sql = "SELECT * FROM sessions WHERE " + (clauses + [
          "id IN (SELECT m.session_id FROM \(db.dialect.messagesMatching()))",
        ]).joined(separator: " AND ") + " ORDER BY started_at DESC, rowid DESC LIMIT ?"
        return try db.rows(sql: sql, arguments: args + [q, limit]).map(SessionRow.init(row:))
      }
      let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
      let hit = "SELECT 1 FROM messages m WHERE m.session_id = ? AND \(db.dialect.messageMatches()) LIMIT 1"
      var found: [SessionRow] = []
      try db.each(sql: "SELECT * FROM sessions \(whereSQL) ORDER BY started_at DESC, rowid DESC", arguments: args) { row in
        let session = try SessionRow(row: row)
        if try db.row(sql: hit, arguments: [session.id, q]) != nil { found.append(session) }
        return found.count < limit
      }
      return found
    }
  }

  /// A session by full id or by a unique prefix of it (as `git` does with commits).
  /// Unknown → ArrakisError(.usage, "no session matches …"); several → .usage listing the candidates.
  public func session(idOrPrefix: String) throws -> SessionRow {
    let prefix = idOrPrefix.trimmingSpacesAndTabs.lowercased()
    guard !prefix.isEmpty, prefix.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
      throw ArrakisError(
        .usage, "no session matches '\(idOrPrefix)'",
        hint: "a session id is a UUID or a prefix of one, as printed by `arrakis log`")
    }
    // A literal prefix (no wildcards: checked above) is a range scan on an index (`startsWith`), so a
    // prefix lookup costs the same as an exact one.
    let rows = try read("look up a session") { db in
      try db.rows(
        sql: "SELECT * FROM sessions WHERE \(db.dialect.startsWith("id")) ORDER BY started_at DESC LIMIT 6",
        arguments: [db.dialect.prefixPattern(prefix)]
      ).map(SessionRow.init(row:))
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
    try read("find the last session") { db in
      try db.row(
        sql: """
          SELECT * FROM sessions WHERE \(db.dialect.isSame("workspace", "?")) AND system_type = ?
          ORDER BY started_at DESC, rowid DESC LIMIT 1
          """,
        arguments: [workspace, systemType]
      ).map(SessionRow.init(row:))
    }
  }

  /// Sessions that continue `id` (its `--continue` children), oldest first.
  public func childSessions(of id: String) throws -> [SessionRow] {
    try read("list continued sessions") { db in
      try db.rows(sql: "SELECT * FROM sessions WHERE parent_session_id = ? ORDER BY started_at", arguments: [id])
        .map(SessionRow.init(row:))
    }
  }

  /// Number of sessions (all, or matching a system type). For stats and tests.
  public func countSessions(systemType: SystemType? = nil) throws -> Int {
    try read("count sessions") { db in
      if let t = systemType {
        return try db.value(Int.self, sql: "SELECT count(*) FROM sessions WHERE system_type = ?", arguments: [t]) ?? 0
      }
      return try db.value(Int.self, sql: "SELECT count(*) FROM sessions") ?? 0
    }
  }
}
