import ArrakisCore
import Foundation
import Testing
@testable import Ledger

@Suite struct RetentionTests {
  @Test(arguments: engines) func pruneDropsBodiesKeepsFiguresAndSearchForgets(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let old = try ledger.startSession(NewSession(systemType: .code, workspace: "/w", startedAt: Date().addingTimeInterval(-90 * 86_400)))
    let msg = try ledger.appendMessage(sessionID: old, role: "user", content: [["type": "text", "text": "zanzibar secret"]], text: "zanzibar secret")
    try ledger.recordToolOperation(sessionID: old, messageID: msg, toolName: "Read", parameters: ["file_path": "x"], result: "body", success: true, deniedReason: nil, durationMs: 3, reasoning: nil)
    try ledger.addUsage(sessionID: old, input: 10, output: 5, costUSD: 0.5)
    try ledger.finishSession(id: old, status: .success, durationMs: 100)
    let recent = try ledger.startSession(NewSession(systemType: .ask, workspace: "/w"))
    _ = try ledger.appendMessage(sessionID: recent, role: "user", content: [], text: "zanzibar today")

    let dry = try ledger.prune(before: Date().addingTimeInterval(-30 * 86_400), dryRun: true)
    #expect(dry.sessions == 1 && dry.messages == 1 && dry.toolOperations == 1)
    #expect(try ledger.search(text: "zanzibar").count == 2, "a dry run changes nothing")

    let done = try ledger.prune(before: Date().addingTimeInterval(-30 * 86_400), dryRun: false)
    #expect(done == PruneReport(cutoff: done.cutoff, sessions: 1, messages: 1, toolOperations: 1, dryRun: false))
    #expect(try ledger.search(text: "zanzibar").map(\.sessionID) == [recent])
    let s = try ledger.session(idOrPrefix: old)
    #expect(s.inputTokens == 10 && s.costUSD == 0.5 && s.durationMs == 100 && s.toolCallsCount == 1)
    let m = try ledger.messages(sessionID: old)
    try #require(m.count == 1)
    #expect(m[0].text.isEmpty && m[0].systemSource == Ledger.prunedSource)
    #expect(try ledger.toolOperations(sessionID: old).first?.result == nil)
    #expect(try ledger.prune(before: Date().addingTimeInterval(-30 * 86_400), dryRun: true).messages == 0, "pruning twice finds nothing")
  }

  // A backup of a SQLite ledger is a consistent SQLite file (a PostgreSQL one: see PostgresLedgerTests).
  @Test func backupRefusesToOverwrite() throws {
    let ledger = try freshLedger(.sqlite)
    let target = (ledger.path as NSString).deletingLastPathComponent + "/copy.db"
    try ledger.backup(to: target)
    #expect(FileManager.default.fileExists(atPath: target))
    #expect(usageError { try ledger.backup(to: target) }?.message.contains("already exists") == true)
  }
}
