import ArrakisCore
import FoundationEssentials
import Glibc

/// Messages of a session, in order, and full-text search over their text.
extension Ledger {
  /// Appends a message and returns its row id. `seq` is the next number in the session, computed inside
  /// the same IMMEDIATE transaction as the insert, so concurrent writers never collide on it.
  @discardableResult
  public func appendMessage(
    sessionID: String, role: String, content: JSONValue, text: String, model: String? = nil,
    stopReason: String? = nil, usage: JSONValue? = nil, latencyMs: Int? = nil, systemSource: String? = nil,
    toolCalls: JSONValue? = nil, createdAt: Date = Date()
  ) throws -> Int64 {
    try write("append a message") { db in
      try db.value(
        Int64.self,
        sql: """
          INSERT INTO messages (session_id, seq, role, content, text, system_source, tool_calls, model,
            stop_reason, usage, latency_ms, created_at)
          VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE session_id = ?1),
            ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
          RETURNING id
          """,
        arguments: [
          sessionID, role, content.columnText, text, systemSource, toolCalls?.columnText, model, stopReason,
          usage?.columnText, latencyMs, Timestamp.string(createdAt),
        ])!
    }
  }

  /// The session's messages in `seq` order.
  public func messages(sessionID: String) throws -> [MessageRow] {
    try read("read messages") { db in
      try db.rows(sql: "SELECT * FROM messages WHERE session_id = ? ORDER BY seq", arguments: [sessionID])
        .map(MessageRow.init(row:))
    }
  }

  /// Messages whose text matches every word of `text`, newest first.
  public func search(text: String, limit: Int = 20) throws -> [SearchHit] {
    guard let query = searchQuery(text) else { return [] }
    return try read("search messages") { db in
      try db.rows(
        sql: """
          SELECT m.id, m.session_id, m.seq, m.role, m.created_at, \(db.dialect.searchSnippet()) AS snippet
          FROM \(db.dialect.messagesMatching())
          ORDER BY m.id DESC LIMIT ?
          """,
        arguments: [query, max(limit, 0)]
      ).map(SearchHit.init(row:))
    }
  }

  /// What a person typed, as this engine's full-text query ANDing its words (see
  /// `SQLDialect.searchQuery`); nil when nothing searchable is left.
  func searchQuery(_ text: String) -> String? {
    dialect.searchQuery(text.split(whereSeparator: { $0.isWhitespace }).map(String.init))
  }
}

extension Ledger {
  /// Replaces a recorded message's body by a shorter one (the prompt of a request the API refused as too
  /// large or invalid: keeping all of it would grow the ledger by the refused input on every retry).
  public func shortenMessage(id: Int64, content: JSONValue, text: String) throws {
    try write("shorten a refused message") { db in
      try db.execute(
        sql: "UPDATE messages SET content = ?, text = ? WHERE id = ?",
        arguments: [content.columnText, text, id])
    }
  }
}
