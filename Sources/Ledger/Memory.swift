import FoundationEssentials
import Glibc

/// An earlier message of this workspace that matched the words of a new request.
public struct PastExchange: Sendable, Equatable {
  public var sessionID: String
  public var systemType: String
  public var prompt: String?
  public var role: String
  public var text: String
  public var createdAt: Date
}

/// A self-modification of this workspace, for the knowledge digest.
public struct PastModification: Sendable, Equatable {
  public var filePath: String?
  public var status: ModificationStatus
  public var tampered: Bool
  public var rollbackExecuted: Bool
  public var description: String?
  public var createdAt: Date
}

/// What the ledger remembers about one workspace, read for the knowledge digest that `ask` and `code`
/// may put in front of the model.
extension Ledger {
  /// Messages of earlier sessions in `workspace` matching any of `words`, best match first (FTS5 rank).
  /// Pruned messages have no words left in the index, so they never match.
  public func pastExchanges(workspace: String, words: [String], excluding: String? = nil, limit: Int = 5)
    throws -> [PastExchange]
  {
    guard let query = dialect.searchQuery(words, anyWord: true) else { return [] }
    return try read("search earlier exchanges") { db in
      let rows = try db.rows(
        sql: """
          SELECT m.session_id, s.system_type, s.prompt, m.role, substr(m.text, 1, 1200) AS text, m.created_at
          FROM \(db.dialect.messagesMatching(anyWord: true)) JOIN sessions s ON s.id = m.session_id
          WHERE s.workspace = ? AND \(db.dialect.isDistinct("s.id", "?")) AND m.role IN ('user', 'assistant')
          ORDER BY \(db.dialect.searchRank()) LIMIT ?
          """, arguments: [query, workspace, excluding, max(limit, 0)])
      return try rows.map {
        PastExchange(
          sessionID: $0["session_id"], systemType: $0["system_type"], prompt: $0["prompt"], role: $0["role"],
          text: $0["text"], createdAt: try decodeDate($0, "created_at"))
      }
    }
  }

  /// The newest self-modifications made in `workspace`, newest first.
  public func recentModifications(workspace: String, limit: Int = 8) throws -> [PastModification] {
    try read("read recent modifications") { db in
      let rows = try db.rows(
        sql: """
          SELECT m.file_path, m.status, m.tampered, m.rollback_executed, m.change_description, m.created_at
          FROM self_modifications m JOIN sessions s ON s.id = m.session_id
          WHERE s.workspace = ? ORDER BY m.created_at DESC, m.id DESC LIMIT ?
          """, arguments: [workspace, max(limit, 0)])
      return try rows.map {
        PastModification(
          filePath: $0["file_path"], status: $0["status"], tampered: $0["tampered"],
          rollbackExecuted: $0["rollback_executed"], description: $0["change_description"],
          createdAt: try decodeDate($0, "created_at"))
      }
    }
  }
}
