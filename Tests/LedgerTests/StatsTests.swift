import ArrakisCore
import Foundation
import Testing
@testable import Ledger

/// `Ledger.stats` on a ledger with known figures, asserted exactly.
@Suite struct StatsTests {
  let ledger: Ledger
  let day1 = Timestamp.date("2030-03-01T10:00:00.000Z")!
  let day2 = Timestamp.date("2030-03-02T10:00:00.000Z")!

  init() throws { ledger = try freshLedger() }
  init(_ engine: TestEngine) throws { ledger = try freshLedger(engine) }

  // Each test runs on every engine: a suite of its own per engine, the cases below on its ledger.
  @Test(arguments: engines) func perSubcommandFiguresAreExact(engine: TestEngine) throws { try StatsTests(engine).perSubcommandFiguresAreExact() }
  @Test(arguments: engines) func costPerDayKeepsUnknownApart(engine: TestEngine) throws { try StatsTests(engine).costPerDayKeepsUnknownApart() }
  @Test(arguments: engines) func windowExcludesOlderSessions(engine: TestEngine) throws { try StatsTests(engine).windowExcludesOlderSessions() }
  @Test(arguments: engines) func toolFailureAndDenialRates(engine: TestEngine) throws { try StatsTests(engine).toolFailureAndDenialRates() }
  @Test(arguments: engines) func selfModificationOutcomesPerAttempt(engine: TestEngine) throws { try StatsTests(engine).selfModificationOutcomesPerAttempt() }

  @discardableResult
  func session(_ type: SystemType, at: Date, status: SessionStatus = .success, ms: Int, api: Int?,
               tokens: (Int, Int, Int, Int) = (100, 10, 5, 50), cost: Double?) throws -> String {
    let id = try ledger.startSession(NewSession(systemType: type, workspace: "/w", startedAt: at))
    try ledger.addUsage(sessionID: id, input: tokens.0, output: tokens.1, cacheCreation: tokens.2, cacheRead: tokens.3, costUSD: cost)
    try ledger.finishSession(id: id, status: status, durationMs: ms, apiDurationMs: api, endedAt: at.addingTimeInterval(1))
    return id
  }

  /// Ten asks with durations 100…1000 ms (p50 = 500, p95 = 1000 by nearest rank), one failed, one of unknown cost.
  func seed() throws {
    for i in 1...10 {
      try session(.ask, at: i <= 6 ? day1 : day2, status: i == 3 ? .failed : .success, ms: i * 100, api: i * 10,
                  cost: i == 10 ? nil : 0.25)
    }
    let code = try session(.code, at: day2, ms: 5000, api: 4000, tokens: (1000, 200, 0, 0), cost: 1.5)
    for (n, ok, denied, ms) in [("Bash", true, false, 10), ("Bash", false, false, 30), ("Bash", false, true, 0), ("Bash", true, false, 20),
                                ("Read", true, false, 1)] {
      try ledger.recordToolOperation(sessionID: code, messageID: nil, toolName: n, parameters: [:], result: "r", success: ok,
                                     deniedReason: denied ? "policy" : nil, durationMs: ms, reasoning: nil)
    }
  }

  func perSubcommandFiguresAreExact() throws {
    try seed()
    let s = try ledger.stats(since: Timestamp.date("2030-01-01T00:00:00.000Z")!)
    let ask = try #require(s.systems.first { $0.systemType == "ask" })
    #expect(ask.runs == 10 && ask.succeeded == 9 && ask.successRate == 0.9)
    #expect(ask.total == LatencyStats(p50Ms: 500, p95Ms: 1000))
    #expect(ask.api == LatencyStats(p50Ms: 50, p95Ms: 100))
    #expect(ask.inputTokens == 1000 && ask.outputTokens == 100 && ask.cacheCreationTokens == 50 && ask.cacheReadTokens == 500)
    #expect(abs(ask.costUSD - 2.25) < 1e-9)
    #expect(ask.unknownCostRuns == 1)
    let code = try #require(s.systems.first { $0.systemType == "code" })
    #expect(code.runs == 1 && code.total.p95Ms == 5000 && code.costUSD == 1.5 && code.unknownCostRuns == 0)
  }

  func costPerDayKeepsUnknownApart() throws {
    try seed()
    let s = try ledger.stats(since: Timestamp.date("2030-01-01T00:00:00.000Z")!)
    try #require(s.days.map(\.day) == ["2030-03-01", "2030-03-02"])
    #expect(s.days[0].runs == 6 && abs(s.days[0].costUSD - 1.5) < 1e-9 && s.days[0].unknownCostRuns == 0)
    #expect(s.days[1].runs == 5 && abs(s.days[1].costUSD - 2.25) < 1e-9 && s.days[1].unknownCostRuns == 1)
  }

  func windowExcludesOlderSessions() throws {
    try seed()
    let s = try ledger.stats(since: day2)
    #expect(s.systems.first { $0.systemType == "ask" }?.runs == 4)
  }

  func toolFailureAndDenialRates() throws {
    try seed()
    let s = try ledger.stats(since: Timestamp.date("2030-01-01T00:00:00.000Z")!)
    let bash = try #require(s.tools.first { $0.toolName == "Bash" })
    #expect(bash.calls == 4 && bash.failures == 1 && bash.denials == 1)
    #expect(bash.failureRate == 0.25 && bash.denialRate == 0.25)
    #expect(bash.p95Ms == 30)
    #expect(s.tools.first?.toolName == "Bash")
  }

  func selfModificationOutcomesPerAttempt() throws {
    let at = Timestamp.date("2030-03-01T10:00:00.000Z")!
    func attempt(_ rows: [(String, Bool, Bool)], greenAfter: TimeInterval = 60) throws -> [Int64] {
      let id = try ledger.startSession(NewSession(systemType: .improve, workspace: "/w", startedAt: at))
      return try rows.map { status, success, tampered in
        try ledger.recordSelfModification(
          NewSelfModification(sessionID: id, filePath: "a.swift", success: success, tampered: tampered, status: ModificationStatus(status)),
          createdAt: at.addingTimeInterval(greenAfter))
      }
    }
    _ = try attempt([("kept", true, false), ("kept", true, false)], greenAfter: 60)  // two files, one attempt
    _ = try attempt([("merged", true, false)], greenAfter: 120)
    _ = try attempt([("rolled_back", false, false)])
    _ = try attempt([("tampered", false, true)])
    let undone = try attempt([("kept", true, false)], greenAfter: 300)
    try ledger.markRolledBack(modificationID: undone[0], revertCommit: nil)
    _ = try attempt([("discarded", true, false)], greenAfter: 30)
    let m = try ledger.stats(since: Timestamp.date("2030-01-01T00:00:00.000Z")!).selfModification
    #expect(m.attempts == 6 && m.green == 4)
    #expect(m.kept == 1 && m.merged == 1 && m.discarded == 1)
    #expect(m.rolledBackRedTests == 1 && m.rolledBackTampered == 1 && m.rolledBackByUser == 1)
    #expect(m.successRate == 4.0 / 6.0)
    #expect(m.medianMsToGreen == 60_000)  // 30 s, 60 s, 120 s, 300 s → nearest-rank median 60 s
  }

  @Test func percentileIsNearestRank() {
    #expect(Percentile.of(sorted: [], 50) == nil)
    #expect(Percentile.of(sorted: [7], 95) == 7)
    #expect(Percentile.of(sorted: Array(1...20), 95) == 19)
    #expect(Percentile.of(sorted: Array(1...20), 50) == 10)
  }
}
