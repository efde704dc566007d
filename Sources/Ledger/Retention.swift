import ArrakisCore
import Foundation
import GRDB

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

  /// A consistent copy of the whole ledger at `destination`, taken in one read snapshot (`VACUUM INTO`),
  /// so other processes may keep writing meanwhile. Refuses to overwrite: the caller removes the file
  /// first when the user said --force.
  public func backup(to destination: String) throws {
    if FileManager.default.fileExists(atPath: destination) {
      throw ArrakisError(.usage, "\(destination) already exists", hint: "choose another file, or pass --force to overwrite it")
    }
    try mapErrors("back up the ledger") {
      // VACUUM cannot run inside a transaction, so not through `read`.
      try Ledger.retryingBusy { try db.inDatabase { try $0.execute(sql: "VACUUM INTO ?", arguments: [destination]) } }
    }
  }

  /// Drops the transcript bodies of sessions started before `cutoff`: message content and text are replaced
  /// by a marker (the FTS trigger removes their words from the index), tool parameters and results are
  /// emptied. Sessions, token counts, costs, durations and the tool/modification rows themselves stay, so
  /// `log stats` gives the same figures afterwards. Already-pruned messages are not counted again.
  public func prune(before cutoff: Date, dryRun: Bool) throws -> PruneReport {
    let at = Timestamp.string(cutoff)
    let old = "SELECT id FROM sessions WHERE started_at < ?1"
    let body: (Database) throws -> PruneReport = { db in
      let sessions = try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM sessions WHERE started_at < ?1 AND (
            EXISTS (SELECT 1 FROM messages m WHERE m.session_id = sessions.id AND m.system_source IS NOT 'pruned')
            OR EXISTS (SELECT 1 FROM tool_operations t WHERE t.session_id = sessions.id AND t.result IS NOT NULL))
          """, arguments: [at]) ?? 0
      let messages = try Int.fetchOne(
        db, sql: "SELECT count(*) FROM messages WHERE session_id IN (\(old)) AND system_source IS NOT 'pruned'",
        arguments: [at]) ?? 0
      let tools = try Int.fetchOne(
        db, sql: "SELECT count(*) FROM tool_operations WHERE session_id IN (\(old)) AND result IS NOT NULL",
        arguments: [at]) ?? 0
      let report = PruneReport(cutoff: cutoff, sessions: sessions, messages: messages, toolOperations: tools, dryRun: dryRun)
      if dryRun { return report }
      let marker = JSONValue.array([["type": "text", "text": .string(Ledger.prunedText)]]).columnText
      try db.execute(
        sql: """
          UPDATE messages SET content = ?2, text = '', tool_calls = NULL, system_source = 'pruned'
          WHERE session_id IN (\(old)) AND system_source IS NOT 'pruned'
          """, arguments: [at, marker])
      try db.execute(
        sql: "UPDATE tool_operations SET parameters = '{}', result = NULL, reasoning = NULL WHERE session_id IN (\(old)) AND result IS NOT NULL",
        arguments: [at])
      return report
    }
    return dryRun ? try read("count what to prune", body) : try write("prune transcripts", body)
  }
}
