import FoundationEssentials
import Glibc

/// `arrakis log insights`: patterns across sessions rather than figures of one window.
public struct LedgerInsights: Codable, Sendable, Equatable {
  public struct FileChurn: Codable, Sendable, Equatable {
    public var filePath: String
    public var modifications: Int
    /// Rows undone: red gate, tampered, or rolled back by the user.
    public var rolledBack: Int
  }
  public struct FailingTool: Codable, Sendable, Equatable {
    public var toolName: String
    public var calls: Int
    public var failures: Int
    public var denials: Int
  }
  public struct RecurringImprovement: Codable, Sendable, Equatable {
    public var improvementID: String
    public var title: String
    public var attempts: Int
    /// Attempts whose gate stayed red or was tampered with: the change did not work.
    public var failedAttempts: Int
    /// Attempts whose gate was green and that the user rolled back afterwards: they worked, and were not
    /// wanted; not failures.
    public var undoneAttempts: Int = 0
  }
  public var files: [FileChurn]
  public var tools: [FailingTool]
  public var improvements: [RecurringImprovement]
  /// Attempts (improve sessions) whose change is kept or merged and not rolled back.
  public var keptChanges: Int
  /// Known cost of all improve sessions; those of unknown cost are counted, never priced at 0.
  public var improveCostUSD: Double
  public var improveUnknownCostRuns: Int
  /// improveCostUSD / keptChanges; nil when nothing was kept.
  public var costPerKeptChangeUSD: Double?
}

extension Ledger {
  public func insights(limit: Int = 10) throws -> LedgerInsights {
    try read("compute insights") { db in
      let d = db.dialect
      let files = try db.rows(
        sql: """
          SELECT file_path, count(*) AS n,
            \(d.countWhere("rollback_executed = 1 OR status IN ('rolled_back', 'tampered') OR tampered = 1")) AS undone
          FROM self_modifications WHERE file_path IS NOT NULL
          GROUP BY file_path ORDER BY undone DESC, n DESC, file_path LIMIT ?
          """, arguments: [limit]
      ).map { LedgerInsights.FileChurn(filePath: $0[0], modifications: $0[1], rolledBack: $0[2]) }
      // PostgreSQL takes no output alias in HAVING: the aggregates are spelled out there.
      let failures = d.countWhere("success = 0 AND denied_reason IS NULL")
      let tools = try db.rows(
        sql: """
          SELECT tool_name, count(*), \(failures) AS failures,
            \(d.countWhere("denied_reason IS NOT NULL")) FROM tool_operations
          GROUP BY tool_name HAVING \(failures) > 0 ORDER BY failures DESC, tool_name LIMIT ?
          """, arguments: [limit]
      ).map { LedgerInsights.FailingTool(toolName: $0[0], calls: $0[1], failures: $0[2], denials: $0[3]) }
      let attempts = "count(DISTINCT m.session_id)"
      let failed = "count(DISTINCT CASE WHEN m.success = 0 OR m.tampered = 1 THEN m.session_id END)"
      let undone = "count(DISTINCT CASE WHEN m.success = 1 AND m.tampered = 0 AND m.rollback_executed = 1 THEN m.session_id END)"
      let improvements = try db.rows(
        sql: """
          SELECT i.id, i.title, \(attempts) AS attempts, \(failed) AS failed, \(undone) AS undone
          FROM improvements i JOIN self_modifications m ON m.improvement_id = i.id
          GROUP BY i.id HAVING \(attempts) > 1 OR \(failed) > 0 OR \(undone) > 0
          ORDER BY failed DESC, undone DESC, attempts DESC, i.id LIMIT ?
          """, arguments: [limit]
      ).map {
        LedgerInsights.RecurringImprovement(
          improvementID: $0[0], title: $0[1], attempts: $0[2], failedAttempts: $0[3], undoneAttempts: $0[4])
      }
      let kept = try db.value(
        Int.self,
        sql: """
          SELECT count(DISTINCT session_id) FROM self_modifications
          WHERE status IN ('kept', 'merged') AND rollback_executed = 0
          """) ?? 0
      let cost = try db.row(
        sql: "SELECT \(d.total("cost_usd")), count(*) - count(cost_usd) FROM sessions WHERE system_type = 'improve'")!
      let usd: Double = cost[0]
      return LedgerInsights(
        files: files, tools: tools, improvements: improvements, keptChanges: kept, improveCostUSD: usd,
        improveUnknownCostRuns: cost[1], costPerKeptChangeUSD: kept == 0 ? nil : usd / Double(kept))
    }
  }
}
