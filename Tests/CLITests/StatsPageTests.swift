import Foundation
import Ledger
import TestSupport
import Testing

/// The stats page's cost chart: a column for every day of the window, empty days included, over a y-axis
/// with labelled ticks.
@Suite struct StatsPageTests {
  let dir = TempDir("statspage")
  var db: String { dir.file("ledger.db") }

  @Test func everyDayHasAColumnAndTheChartHasAYAxis() async throws {
    let ledger = try Ledger.open(path: db)
    for (daysAgo, cost) in [(6, 0.40), (0, 0.10)] {
      let id = try ledger.startSession(NewSession(systemType: .ask, workspace: dir.path, startedAt: Date().addingTimeInterval(-Double(daysAgo) * 86_400)))
      try ledger.addUsage(sessionID: id, input: 10, output: 10, costUSD: cost)
      try ledger.finishSession(id: id, status: .success)
    }
    let page = dir.file("stats.html")
    let r = try await CLIRunner.run(["log", "stats", "--since", "7.days", "--html", page], env: ["ARRAKIS_DB": db], cwd: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    let html = try String(contentsOfFile: page, encoding: .utf8)
    let chart = try #require(html.components(separatedBy: "Cost per day").dropFirst().first?.components(separatedBy: "</svg>").first)
    // 8 days: from 7 days ago to today, five of them without a run.
    #expect(chart.components(separatedBy: "<rect").count - 1 == 8, "\(chart)")
    #expect(chart.components(separatedBy: ": $0</title>").count - 1 == 6)
    #expect(chart.contains(": $0.40</title>") && chart.contains(": $0.10</title>"))
    // The y-axis: a line and ticks from $0 to a round value above the top ($0.40 → $0.40 in steps of $0.10).
    #expect(chart.contains("class=\"axis\""))
    let ticks = chart.components(separatedBy: "class=\"tick\"").dropFirst().compactMap { $0.split(separator: ">").dropFirst().first?.split(separator: "<").first.map(String.init) }
    #expect(ticks == ["$0", "$0.10", "$0.20", "$0.30", "$0.40"], "\(ticks)")
  }
}
