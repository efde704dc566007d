import ArrakisCore
import FoundationEssentials
import Glibc

/// `arrakis log recost`: prices recorded sessions again after the price table or the user's prices changed.
/// Only `sessions.cost_usd` is written; tokens, messages and everything else stay as recorded.
extension Ledger {
  public struct Recosted: Sendable, Equatable {
    public var sessionID: String
    public var before: Double?
    public var after: Double?
  }

  /// Recomputes the cost of every session started at or after `since` (all when nil) from the usage its
  /// messages recorded, each priced by `price(model, usage, sessionStart)` (nil: unknown price, which makes
  /// the session's cost unknown). A session whose messages carry no usage keeps its cost. Returns the
  /// sessions whose cost changed. One transaction: a failure changes nothing.
  public func recost(
    since: Date?, price: (_ model: String?, _ usage: JSONValue, _ sessionStart: Date) -> Double?
  ) throws -> (examined: Int, changed: [Recosted]) {
    try write("recost sessions") { db in
      let sessions = try db.rows(
        sql: "SELECT id, started_at, model, cost_usd FROM sessions WHERE started_at >= ? ORDER BY started_at",
        arguments: [since.map(Timestamp.string) ?? ""])
      var changed: [Recosted] = []
      var examined = 0
      for s in sessions {
        let id: String = s["id"]
        let start = Timestamp.date(s["started_at"]) ?? Date()
        let rows = try db.rows(
          sql: "SELECT model, usage FROM messages WHERE session_id = ? AND usage IS NOT NULL ORDER BY seq", arguments: [id])
        guard !rows.isEmpty else { continue }
        examined += 1
        var total: Double? = 0
        for r in rows {
          guard let text: String = r["usage"], let usage = try? JSONValue.parse(text) else { continue }
          let cost = price(r["model"] ?? s["model"], usage, start)
          total = total.flatMap { t in cost.map { t + $0 } }
        }
        let before: Double? = s["cost_usd"]
        if !Self.sameCost(before, total) {
          try db.execute(sql: "UPDATE sessions SET cost_usd = ? WHERE id = ?", arguments: [total, id])
          changed.append(Recosted(sessionID: id, before: before, after: total))
        }
      }
      return (examined, changed)
    }
  }

  /// Equal to the micro-cent: re-adding the same figures in another order must not count as a change.
  static func sameCost(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (x?, y?): return abs(x - y) < 1e-9
    default: return false
    }
  }
}
