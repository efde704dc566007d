import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// `arrakis log stats|insights|backup|prune` through the real binary.
@Suite struct LogStatsCommandTests {
  let dir = TempDir("logstats")
  var db: String { dir.file("ledger.db") }

  func log(_ args: [String]) async throws -> CLIResult {
    try await CLIRunner.run(["log"] + args, env: ["ARRAKIS_DB": db], cwd: dir.path)
  }

  func seed() throws -> Ledger {
    let ledger = try Ledger.open(path: db)
    for i in 1...4 {
      let id = try ledger.startSession(NewSession(systemType: .ask, workspace: dir.path, startedAt: Date().addingTimeInterval(-Double(i) * 3600)))
      _ = try ledger.appendMessage(sessionID: id, role: "user", content: [["type": "text", "text": .string("question \(i)")]], text: "question \(i)")
      try ledger.addUsage(sessionID: id, input: 100, output: 10, costUSD: i == 4 ? nil : 0.5)
      try ledger.finishSession(id: id, status: i == 1 ? .failed : .success, durationMs: i * 1000, apiDurationMs: i * 900)
    }
    return ledger
  }

  @Test func jsonCarriesExactFigures() async throws {
    _ = try seed()
    let r = try await log(["stats", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let ask = try #require((obj["systems"] as? [[String: Any]])?.first)
    #expect(ask["runs"] as? Int == 4)
    #expect(ask["success_rate"] as? Double == 0.75)
    #expect((ask["total"] as? [String: Any])?["p50_ms"] as? Int == 2000)
    #expect((ask["total"] as? [String: Any])?["p95_ms"] as? Int == 4000)
    #expect(ask["cost_usd"] as? Double == 1.5)
    #expect(ask["unknown_cost_runs"] as? Int == 1)
  }

  @Test func textAndHTML() async throws {
    _ = try seed()
    let text = try await log(["stats"])
    #expect(text.stdout.contains("ask") && text.stdout.contains("75.0%"))
    let page = dir.file("stats.html")
    let r = try await log(["stats", "--html", page])
    #expect(r.status == 0, "\(r.stderr)")
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(html.contains("<svg"))
    #expect(!html.contains("http://") && !html.contains("https://"))
    #expect(!html.contains("<script"))
  }

  @Test func insightsText() async throws {
    _ = try seed()
    let r = try await log(["insights", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) != nil)
  }

  @Test func backupWhileAnotherProcessWrites() async throws {
    _ = try seed()
    // A second process keeps writing sessions while the backup runs.
    let writer = Task.detached { [db] in
      for _ in 0..<20 { _ = try? await CLIRunner.run(["log", "prune", "--older-than", "400.days"], env: ["ARRAKIS_DB": db]) }
    }
    let copy = dir.file("copy.db")
    let r = try await log(["backup", copy])
    #expect(r.status == 0, "\(r.stderr)")
    await writer.value
    let backup = try Ledger.open(path: copy)
    #expect(try backup.countSessions(systemType: .ask) == 4)
    #expect(try await log(["backup", copy]).status == 2, "never overwrites without --force")
    #expect(try await log(["backup", "--force", copy]).status == 0)
    let recorded = try Ledger.open(path: db).listSessions(SessionFilter(limit: 100, systemType: .log))
    #expect(recorded.contains { $0.exitReason?.hasPrefix("backed up to") == true })
  }

  @Test func pruneKeepsFiguresAndShowSaysSo() async throws {
    let ledger = try seed()
    let dry = try await log(["prune", "--older-than", "2h", "--dry-run"])
    #expect(dry.stdout.contains("would prune 3 sessions"), "\(dry.stdout)\(dry.stderr)")
    let r = try await log(["prune", "--older-than", "2h"])
    #expect(r.status == 0 && r.stdout.contains("pruned 3 sessions"), "\(r.stderr)")
    let old = try #require(try ledger.listSessions(SessionFilter(limit: 10, systemType: .ask)).last)
    #expect(old.costUSD == nil || old.inputTokens == 100)
    let show = try await log(["show", old.id])
    #expect(show.stdout.contains("transcript pruned"))
    #expect(!show.stdout.contains("question 4"))
    let stats = try await log(["stats", "--json"])
    #expect(stats.stdout.contains("\"runs\":4"))
  }
}
