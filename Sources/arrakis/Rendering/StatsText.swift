import FoundationEssentials
import Glibc
import Ledger

/// `arrakis log stats` as text tables; on a terminal each table gets a per-day sparkline.
enum StatsText {
  static func render(_ s: LedgerStats, sparklines: Bool) -> String {
    var out = "since \(Format.localTime(s.since))\n\n"
    if s.systems.isEmpty { return out + "no sessions in this window\n" }
    out += row(["subcommand", "runs", "success", "p50", "p95", "api p50", "api p95", "in", "out", "cache r", "cache w", "cost", "unknown"],
               [10, 6, 8, 7, 7, 8, 8, 7, 7, 8, 8, 9, 8])
    for x in s.systems {
      out += row([x.systemType, "\(x.runs)", percent(x.successRate), Format.duration(ms: x.total.p50Ms),
                  Format.duration(ms: x.total.p95Ms), Format.duration(ms: x.api.p50Ms), Format.duration(ms: x.api.p95Ms),
                  Format.tokens(x.inputTokens), Format.tokens(x.outputTokens), Format.tokens(x.cacheReadTokens),
                  Format.tokens(x.cacheCreationTokens), Format.cost(x.costUSD), "\(x.unknownCostRuns)"],
                 [10, 6, 8, 7, 7, 8, 8, 7, 7, 8, 8, 9, 8])
    }
    out += "\ncost per day (known costs; runs of unknown cost counted apart)\n"
    if sparklines {
      out += "  runs \(Sparkline.render(s.days.map { Double($0.runs) }))\n"
      out += "  cost \(Sparkline.render(s.days.map(\.costUSD)))\n"
    }
    for d in s.days.suffix(14) {
      out += "  \(d.day)  \(Format.padLeft("\(d.runs)", 6)) runs  \(Format.padLeft(Format.cost(d.costUSD), 9))"
        + (d.unknownCostRuns > 0 ? "  + \(d.unknownCostRuns) of unknown cost" : "") + "\n"
    }
    if s.days.count > 14 { out += "  (\(s.days.count - 14) earlier days in --json)\n" }
    if !s.tools.isEmpty {
      out += "\n" + row(["tool", "calls", "failed", "denied", "p95"], [12, 8, 8, 8, 8])
      for t in s.tools {
        out += row([t.toolName, "\(t.calls)", percent(t.failureRate), percent(t.denialRate), Format.duration(ms: t.p95Ms)], [12, 8, 8, 8, 8])
      }
    }
    let m = s.selfModification
    out += "\nself-modification: \(m.attempts) attempts, \(m.green) green (\(m.successRate.map(percent) ?? "-")), "
      + "\(m.kept) kept, \(m.merged) merged, \(m.discarded) discarded\n"
    out += "  rolled back: \(m.rolledBackRedTests) red tests, \(m.rolledBackTampered) tampered gate, \(m.rolledBackByUser) by the user\n"
    out += "  median time to a green gate: \(m.medianMsToGreen.map { Format.duration(ms: $0) } ?? "- (no green gate in this window)")\n"
    return out
  }

  /// `181.3 MB (44.0 MB of it free pages: log prune reclaims them)`.
  static func size(_ s: LedgerSize) -> String {
    Format.bytes(s.bytes) + (s.freeBytes > 0 ? " (\(Format.bytes(s.freeBytes)) of it free pages: log prune reclaims them)" : "")
  }

  static func percent(_ r: Double) -> String { String(cFormat: "%.1f%%", r * 100) }

  static func row(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).enumerated().map { i, cw in i == 0 ? Format.pad(cw.0, cw.1) : Format.padLeft(cw.0, cw.1) }
      .joined(separator: " ") + "\n"
  }
}

/// ▁▂▃▄▅▆▇█, scaled to the largest value; zero is the lowest bar.
enum Sparkline {
  static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
  static func render(_ values: [Double]) -> String {
    guard let top = values.max(), top > 0 else { return String(repeating: "▁", count: values.count) }
    return String(values.map { bars[min(7, Int(($0 / top * 7).rounded()))] })
  }
}
