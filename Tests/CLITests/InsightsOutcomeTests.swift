import Foundation
import Ledger
import TestSupport
import Testing

/// `log insights` tells a change that failed its gate from a green change the user rolled back.
@Suite struct InsightsOutcomeTests {
  let dir = TempDir("insights")
  var db: String { dir.file("ledger.db") }

  @Test func aGreenChangeRolledBackByTheUserIsNotCalledFailed() async throws {
    let ledger = try Ledger.open(path: db)
    let analysis = try ledger.insertAnalysis(sessionID: nil, workspace: dir.path, headCommit: nil, signals: [:], summary: [:])
    try ledger.insertImprovements([ImprovementRow(id: "i1", analysisID: analysis, title: "Split the parser")])
    // Attempt 1: red gate. Attempt 2: green, merged, then rolled back by the user.
    for green in [false, true] {
      let s = try ledger.startSession(NewSession(systemType: .improve, workspace: dir.path))
      let m = try ledger.recordSelfModification(NewSelfModification(
        sessionID: s, improvementID: "i1", filePath: "Parser.swift", success: green, status: green ? .merged : .rolledBack))
      if green { try ledger.markRolledBack(modificationID: m, revertCommit: "abc") }
    }
    let r = try await CLIRunner.run(["log", "insights"], env: ["ARRAKIS_DB": db], cwd: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("1 failed, 1 green but rolled back by you of 2 attempts"), "\(r.stdout)")
    let json = try await CLIRunner.run(["log", "insights", "--json"], env: ["ARRAKIS_DB": db], cwd: dir.path)
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let item = try #require((obj["improvements"] as? [[String: Any]])?.first)
    #expect(item["failed_attempts"] as? Int == 1)
    #expect(item["undone_attempts"] as? Int == 1)
  }
}
