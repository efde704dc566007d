import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

/// `arrakis log stats --html`: one self-contained page (inline CSS and SVG; no script, no network) with
/// the charts a person looks at first: cost per day, runs per subcommand, latency, tool failure rates.
enum StatsHTML {
  static func render(_ s: LedgerStats) -> String {
    var body = "<h1>arrakis — since \(esc(Format.localTime(s.since)))</h1>\n"
    if s.systems.isEmpty { body += "<p>No sessions in this window.</p>\n" }
    let unknown = s.days.reduce(0) { $0 + $1.unknownCostRuns }
    body += section("Cost per day (USD, known costs)", SVGChart.columns(
      everyDay(s.days, since: s.since).map { (String($0.day.suffix(5)), $0.costUSD) }, format: { Format.cost($0) }))
    if unknown > 0 { body += "<p class=note>\(unknown) run(s) of unknown cost are not in these bars (never counted as $0).</p>\n" }
    body += section("Runs per subcommand", SVGChart.bars(
      s.systems.map { ($0.systemType, Double($0.runs)) }, format: { String(Int($0)) }))
    body += section("Latency p50 / p95 (total)", SVGChart.pairedBars(
      s.systems.map { ($0.systemType, Double($0.total.p50Ms ?? 0), Double($0.total.p95Ms ?? 0)) },
      format: { Format.duration(ms: Int($0)) }))
    if !s.tools.isEmpty {
      body += section("Tool failure rate", SVGChart.bars(
        s.tools.map { ($0.toolName, $0.failureRate * 100) }, format: { String(cFormat: "%.1f%%", $0) }, max: 100))
    }
    body += "<h2>Per subcommand</h2>\n" + table(
      ["subcommand", "runs", "success", "p50", "p95", "api p50", "api p95", "input", "output", "cache read", "cache write", "cost", "unknown cost"],
      s.systems.map { x in
        [x.systemType, "\(x.runs)", StatsText.percent(x.successRate), Format.duration(ms: x.total.p50Ms), Format.duration(ms: x.total.p95Ms),
         Format.duration(ms: x.api.p50Ms), Format.duration(ms: x.api.p95Ms), "\(x.inputTokens)", "\(x.outputTokens)",
         "\(x.cacheReadTokens)", "\(x.cacheCreationTokens)", Format.cost(x.costUSD), "\(x.unknownCostRuns)"]
      })
    body += "<h2>Tools</h2>\n" + table(
      ["tool", "calls", "failed", "denied", "p95"],
      s.tools.map { [$0.toolName, "\($0.calls)", StatsText.percent($0.failureRate), StatsText.percent($0.denialRate), Format.duration(ms: $0.p95Ms)] })
    let m = s.selfModification
    body += "<h2>Self-modification</h2>\n" + table(
      ["attempts", "green", "kept", "merged", "discarded", "rolled back: red tests", "tampered gate", "by the user", "median to green"],
      [["\(m.attempts)", "\(m.green)", "\(m.kept)", "\(m.merged)", "\(m.discarded)", "\(m.rolledBackRedTests)",
        "\(m.rolledBackTampered)", "\(m.rolledBackByUser)", m.medianMsToGreen.map { Format.duration(ms: $0) } ?? "-"]])
    return """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>arrakis stats</title>
      <style>
      body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}
      h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}
      table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:right}
      td:first-child,th:first-child{text-align:left}.note{color:#a40}
      svg text{font:11px system-ui,sans-serif;fill:#333}
      </style></head><body>
      \(body)</body></html>

      """
  }

  /// Every UTC day from the window's start to today, days without runs as zero, so that the chart's gaps
  /// are gaps. A window reaching back further than a year starts at its first day with runs instead.
  static func everyDay(_ days: [DayStats], since: Date, now: Date = Date()) -> [DayStats] {
    let today = UTCDay.start(of: now)
    var start = UTCDay.start(of: since)
    if today.timeIntervalSince(start) > 366 * 86_400, let first = days.first.flatMap({ UTCDay.date($0.day) }) {
      start = max(start, first)
    }
    if let last = days.last.flatMap({ UTCDay.date($0.day) }), last > today { return days }
    let known = Dictionary(days.map { ($0.day, $0) }, uniquingKeysWith: { a, _ in a })
    var out: [DayStats] = []
    var day = start
    while day <= today {
      let key = UTCDay.string(day)
      out.append(known[key] ?? DayStats(day: key, runs: 0, costUSD: 0, unknownCostRuns: 0))
      day = day.addingTimeInterval(86_400)
    }
    return out
  }

  static func section(_ title: String, _ svg: String) -> String { "<h2>\(esc(title))</h2>\n\(svg)\n" }

  static func table(_ head: [String], _ rows: [[String]]) -> String {
    "<table><tr>" + head.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
      + rows.map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n" }.joined() + "</table>\n"
  }

  static func esc(_ s: String) -> String {
    s.replacing("&", with: "&amp;").replacing("<", with: "&lt;")
      .replacing(">", with: "&gt;").replacing("\"", with: "&quot;")
  }
}
