import ArrakisCore
import FoundationEssentials
import Glibc

/// What the agent's tools did.
extension Ledger {
  /// Tool output kept per operation. Bash or Read can return megabytes; the ledger keeps the head so the
  /// record stays small and `arrakis log` stays fast. The model saw its own (separately capped) copy.
  public static let toolResultCap = 64 * 1024

  /// Records one tool call and bumps `sessions.tool_calls_count` in the same transaction, so the counter
  /// always equals the number of rows even with concurrent writers.
  @discardableResult
  public func recordToolOperation(
    sessionID: String, messageID: Int64? = nil, toolName: String, parameters: JSONValue, result: String?,
    success: Bool, deniedReason: String? = nil, durationMs: Int? = nil, reasoning: String? = nil,
    createdAt: Date = Date()
  ) throws -> Int64 {
    let capped = result.map { Ledger.cap($0, Ledger.toolResultCap) }
    return try write("record a tool operation") { db in
      let id = try db.value(
        Int64.self,
        sql: """
          INSERT INTO tool_operations (session_id, message_id, tool_name, parameters, result, success,
            denied_reason, duration_ms, reasoning, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          RETURNING id
          """,
        arguments: [
          sessionID, messageID, toolName, parameters.columnText, capped, success, deniedReason, durationMs,
          reasoning, Timestamp.string(createdAt),
        ])!
      try db.execute(
        sql: "UPDATE sessions SET tool_calls_count = tool_calls_count + 1 WHERE id = ?", arguments: [sessionID])
      return id
    }
  }

  /// The session's tool operations in the order they happened.
  public func toolOperations(sessionID: String) throws -> [ToolOperationRow] {
    try read("read tool operations") { db in
      try db.rows(sql: "SELECT * FROM tool_operations WHERE session_id = ? ORDER BY id", arguments: [sessionID])
        .map(ToolOperationRow.init(row:))
    }
  }

  /// The first `limit` bytes of `text`, cut on a character boundary, with a note saying how much was cut.
  static func cap(_ text: String, _ limit: Int) -> String {
    let bytes = Array(text.utf8)
    guard bytes.count > limit else { return text }
    var end = limit
    while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }  // back off UTF-8 continuation bytes
    return String(decoding: bytes[..<end], as: UTF8.self) + "\n… [\(bytes.count - end) bytes cut]"
  }
}
