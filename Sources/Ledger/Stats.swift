import FoundationEssentials
import Glibc

/// `arrakis log stats`: figures over a time window, per subcommand, per tool, per day, and for
/// self-modification. Sums and counts are aggregated in SQL; percentiles are exact, computed in Swift
/// over the fetched durations (nearest rank, see `Percentile`), so that test figures can be asserted.
/// The window applies to when a session started; its tool calls and modifications go with it.
public struct LedgerStats: Codable, Sendable, Equatable {
  public var since: Date
  public var systems: [SystemStats]
  public var days: [DayStats]
  public var tools: [ToolStats]
  public var selfModification: SelfModificationStats
}

public struct LatencyStats: Codable, Sendable, Equatable {
  public var p50Ms: Int?
  public var p95Ms: Int?
}

public struct SystemStats: Codable, Sendable, Equatable {
  public var systemType: String
  public var runs: Int
  public var succeeded: Int
  /// succeeded / runs (0…1).
  public var successRate: Double
  public var total: LatencyStats
  public var api: LatencyStats
  public var inputTokens: Int
  public var outputTokens: Int
  public var cacheReadTokens: Int
  public var cacheCreationTokens: Int
  /// Sum of the known costs; runs whose cost is unknown are counted in `unknownCostRuns`, never as 0.
  public var costUSD: Double
  public var unknownCostRuns: Int
}

public struct DayStats: Codable, Sendable, Equatable {
  /// UTC day, `2025-01-31`.
  public var day: String
  public var runs: Int
  public var costUSD: Double
  public var unknownCostRuns: Int

  public init(day: String, runs: Int, costUSD: Double, unknownCostRuns: Int) {
    self.day = day
    self.runs = runs
    self.costUSD = costUSD
    self.unknownCostRuns = unknownCostRuns
  }
}

public struct ToolStats: Codable, Sendable, Equatable {
  public var toolName: String
  public var calls: Int
  /// Calls that ran and failed (denials are not failures of the tool).
  public var failures: Int
  public var denials: Int
  public var failureRate: Double
  public var denialRate: Double
  public var p95Ms: Int?
}

/// Counted per improve attempt (one session), not per row: improve writes one self_modifications row per
/// changed file. Status values relied on (written by `improve`/`rollback`): kept, merged, discarded,
/// tampered, rolled_back (red gate or the agent stopped; rollback_executed = 0), baseline_red, unchanged;
/// `rollback` sets rollback_executed = 1 (and status rolled_back) on a kept or merged change.
public struct SelfModificationStats: Codable, Sendable, Equatable {
  public var attempts: Int
  /// Gate green (success = 1), whatever happened afterwards.
  public var green: Int
  public var kept: Int
  public var merged: Int
  public var discarded: Int
  public var rolledBackRedTests: Int
  public var rolledBackTampered: Int
  public var rolledBackByUser: Int
  /// green / attempts (0…1), nil when there were no attempts.
  public var successRate: Double?
  /// Median time from the improve session's start to its green gate's record, nil when none was green.
  /// Approximate upward: the record is written after the commit that follows the green gate.
  public var medianMsToGreen: Int?
}

/// Nearest-rank percentile: the smallest value such that at least p% of the values are ≤ it.
public enum Percentile {
  public static func of(sorted values: [Int], _ p: Double) -> Int? {
    guard !values.isEmpty else { return nil }
    let rank = Int((p / 100 * Double(values.count)).rounded(.up))
    return values[min(max(rank, 1), values.count) - 1]
  }
}

extension Ledger {
  public func stats(since: Date) throws -> LedgerStats {
    let from = Timestamp.string(since)
    return try read("compute stats") { db in
      let (systems, days) = try Self.systemAndDayStats(db, from)
      return LedgerStats(
        since: since, systems: systems, days: days, tools: try Self.toolStats(db, from),
        selfModification: try Self.selfModificationStats(db, from))
    }
  }

  /// One grouped scan (system × day) folded into both tables, then one pass over the durations: the window
  /// is read twice, not four times (this is what keeps 100,000 sessions under the 200 ms goal).
  static func systemAndDayStats(_ db: any SQLConnection, _ from: String) throws -> ([SystemStats], [DayStats]) {
    var systems: [String: SystemStats] = [:], days: [String: DayStats] = [:]
    let d = db.dialect
    try db.each(
      sql: """
        SELECT system_type, substr(started_at, 1, 10), count(*), \(d.countWhere("status = 'success'")), sum(input_tokens),
          sum(output_tokens), sum(cache_read_tokens), sum(cache_creation_tokens), \(d.total("cost_usd")), \(d.countWhere("cost_usd IS NULL"))
        FROM sessions WHERE started_at >= ? GROUP BY 1, 2
        """, arguments: [from]
    ) { r in
      let system: String = r[0], day: String = r[1], runs: Int = r[2], cost: Double = r[8], unknown: Int = r[9]
      var x = systems[system] ?? SystemStats(
        systemType: system, runs: 0, succeeded: 0, successRate: 0, total: LatencyStats(), api: LatencyStats(),
        inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, costUSD: 0, unknownCostRuns: 0)
      x.runs += runs; x.succeeded += r[3] as Int; x.inputTokens += r[4] as Int; x.outputTokens += r[5] as Int
      x.cacheReadTokens += r[6] as Int; x.cacheCreationTokens += r[7] as Int; x.costUSD += cost; x.unknownCostRuns += unknown
      systems[system] = x
      var d = days[day] ?? DayStats(day: day, runs: 0, costUSD: 0, unknownCostRuns: 0)
      d.runs += runs; d.costUSD += cost; d.unknownCostRuns += unknown
      days[day] = d
      return true
    }
    var total: [String: [Int]] = [:], api: [String: [Int]] = [:]
    try db.each(
      sql: "SELECT system_type, duration_ms, api_duration_ms FROM sessions WHERE started_at >= ?", arguments: [from]
    ) { r in
      let system: String = r[0]
      if let d: Int = r[1] { total[system, default: []].append(d) }
      if let a: Int = r[2] { api[system, default: []].append(a) }
      return true
    }
    let result = systems.values.map { x -> SystemStats in
      var x = x
      x.successRate = x.runs == 0 ? 0 : Double(x.succeeded) / Double(x.runs)
      let t = (total[x.systemType] ?? []).sorted(), a = (api[x.systemType] ?? []).sorted()
      x.total = LatencyStats(p50Ms: Percentile.of(sorted: t, 50), p95Ms: Percentile.of(sorted: t, 95))
      x.api = LatencyStats(p50Ms: Percentile.of(sorted: a, 50), p95Ms: Percentile.of(sorted: a, 95))
      return x
    }.sorted { ($0.runs, $1.systemType) > ($1.runs, $0.systemType) }
    return (result, days.values.sorted { $0.day < $1.day })
  }

  static func toolStats(_ db: any SQLConnection, _ from: String) throws -> [ToolStats] {
    var byTool: [String: (calls: Int, failures: Int, denials: Int, durations: [Int])] = [:]
    try db.each(
      sql: """
        SELECT t.tool_name, t.success, t.denied_reason IS NOT NULL, t.duration_ms
        FROM tool_operations t JOIN sessions s ON s.id = t.session_id WHERE s.started_at >= ?
        """, arguments: [from]
    ) { r in
      let name: String = r[0], success: Bool = r[1], denied: Bool = r[2]
      var t = byTool[name] ?? (0, 0, 0, [])
      t.calls += 1
      if denied { t.denials += 1 } else if !success { t.failures += 1 }
      if let d: Int = r[3], !denied { t.durations.append(d) }
      byTool[name] = t
      return true
    }
    return byTool.map { name, t in
      ToolStats(
        toolName: name, calls: t.calls, failures: t.failures, denials: t.denials,
        failureRate: Double(t.failures) / Double(t.calls), denialRate: Double(t.denials) / Double(t.calls),
        p95Ms: Percentile.of(sorted: t.durations.sorted(), 95))
    }.sorted { ($0.calls, $1.toolName) > ($1.calls, $0.toolName) }
  }

  static func selfModificationStats(_ db: any SQLConnection, _ from: String) throws -> SelfModificationStats {
    // One row per attempt (session): what any of its rows says, and when its first green row was written.
    let d = db.dialect
    let row = try db.row(
      sql: """
        WITH attempt AS (
          SELECT m.session_id,
            max(m.success) AS green,
            \(d.anyWhere("m.status = 'kept' AND m.rollback_executed = 0")) AS kept,
            \(d.anyWhere("m.status = 'merged' AND m.rollback_executed = 0")) AS merged,
            \(d.anyWhere("m.status = 'discarded'")) AS discarded,
            \(d.anyWhere("m.status = 'rolled_back' AND m.rollback_executed = 0")) AS red,
            \(d.anyWhere("m.tampered = 1 OR m.status = 'tampered'")) AS tampered,
            max(m.rollback_executed) AS user_rollback
          FROM self_modifications m JOIN sessions s ON s.id = m.session_id
          WHERE s.started_at >= ? GROUP BY m.session_id)
        SELECT count(*), \(d.total("green")), \(d.total("kept")), \(d.total("merged")), \(d.total("discarded")),
          \(d.total("red")), \(d.total("tampered")), \(d.total("user_rollback")) FROM attempt
        """, arguments: [from])!
    let attempts: Int = row[0], green = Int(row[1] as Double)
    var times: [Int] = []
    try db.each(
      sql: """
        SELECT \(d.millisecondsBetween("s.started_at", "min(m.created_at)"))
        FROM self_modifications m JOIN sessions s ON s.id = m.session_id
        WHERE s.started_at >= ? AND m.success = 1 GROUP BY m.session_id, s.started_at
        """, arguments: [from]
    ) { r in
      if let ms: Int = r[0] { times.append(ms) }
      return true
    }
    return SelfModificationStats(
      attempts: attempts, green: green, kept: Int(row[2] as Double), merged: Int(row[3] as Double),
      discarded: Int(row[4] as Double), rolledBackRedTests: Int(row[5] as Double),
      rolledBackTampered: Int(row[6] as Double), rolledBackByUser: Int(row[7] as Double),
      successRate: attempts == 0 ? nil : Double(green) / Double(attempts),
      medianMsToGreen: Percentile.of(sorted: times.sorted(), 50))
  }
}

extension LedgerStats {
  /// What a missing ledger has to show.
  public static func empty(since: Date) -> LedgerStats {
    LedgerStats(
      since: since, systems: [], days: [], tools: [],
      selfModification: SelfModificationStats(
        attempts: 0, green: 0, kept: 0, merged: 0, discarded: 0, rolledBackRedTests: 0, rolledBackTampered: 0,
        rolledBackByUser: 0, successRate: nil, medianMsToGreen: nil))
  }
}
