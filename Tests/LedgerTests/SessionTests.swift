import ArrakisCore
import Foundation
import Testing
@testable import Ledger

@Suite struct SessionTests {
  @Test(arguments: engines) func lifecycleSuccessAndFailure(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let id = try ledger.startSession(
      NewSession(systemType: .code, workspace: "/w", gitBranch: "main", model: "m1", prompt: "fix it"))
    #expect(UUID(uuidString: id) != nil && id == id.lowercased())
    var row = try ledger.session(idOrPrefix: id)
    #expect(row.status == .running && row.endedAt == nil && row.costUSD == 0 && row.toolCallsCount == 0)

    try ledger.updateSession(id: id, model: "m2", route: "fast")
    try ledger.finishSession(id: id, status: .success, exitCode: 0, exitReason: "end_turn", apiDurationMs: 42)
    row = try ledger.session(idOrPrefix: id)
    #expect(row.status == .success && row.model == "m2" && row.route == "fast" && row.gitBranch == "main")
    #expect(row.exitReason == "end_turn" && row.apiDurationMs == 42 && row.endedAt != nil)
    #expect((row.durationMs ?? -1) >= 0)

    let failed = try ledger.startSession(NewSession(systemType: .ask))
    try ledger.finishSession(
      id: failed, status: .failed, error: "HTTP 529 overloaded", exitCode: 6, exitReason: "error", durationMs: 1234)
    let f = try ledger.session(idOrPrefix: failed)
    #expect(f.status == .failed && f.error == "HTTP 529 overloaded" && f.exitCode == 6 && f.durationMs == 1234)

    // An unknown id is an error, not a silent no-op.
    #expect(usageError { try ledger.finishSession(id: "nope", status: .success) }?.status == .ledger)
  }

  @Test(arguments: engines) func costIsUnknownOnceAnyPartIsUnknown(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let id = try ledger.startSession(NewSession(systemType: .ask))
    try ledger.addUsage(sessionID: id, input: 100, output: 50, cacheCreation: 10, cacheRead: 5, costUSD: 0.25)
    try ledger.addUsage(sessionID: id, input: 1, output: 2, costUSD: 0.5)
    var row = try ledger.session(idOrPrefix: id)
    #expect(row.inputTokens == 101 && row.outputTokens == 52 && row.cacheCreationTokens == 10 && row.cacheReadTokens == 5)
    #expect(row.costUSD == 0.75)
    try ledger.addUsage(sessionID: id, input: 1, output: 1, costUSD: nil)
    try ledger.addUsage(sessionID: id, input: 1, output: 1, costUSD: 1.0)
    row = try ledger.session(idOrPrefix: id)
    #expect(row.costUSD == nil)  // unknown, never 0 or a partial sum
    #expect(row.inputTokens == 103)  // tokens still add up
  }

  @Test(arguments: engines) func messagesGetIncreasingSeqAndRoundTrip(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let id = try ledger.startSession(NewSession(systemType: .ask))
    let other = try ledger.startSession(NewSession(systemType: .ask))
    let content: JSONValue = [["type": "text", "text": "hello world"]]
    let m1 = try ledger.appendMessage(sessionID: id, role: "user", content: content, text: "hello world")
    try ledger.appendMessage(sessionID: other, role: "user", content: content, text: "x")
    try ledger.appendMessage(
      sessionID: id, role: "assistant", content: [["type": "text", "text": "hi"]], text: "hi", model: "m",
      stopReason: "end_turn", usage: ["input_tokens": 3], latencyMs: 120, systemSource: "default",
      toolCalls: [["name": "Read"]])
    let msgs = try ledger.messages(sessionID: id)
    try #require(msgs.map(\.seq) == [1, 2])
    #expect(msgs[0].id == m1 && msgs[0].content == content && msgs[0].role == "user")
    #expect(msgs[1].usage == ["input_tokens": 3] && msgs[1].stopReason == "end_turn" && msgs[1].latencyMs == 120)
    #expect(msgs[1].systemSource == "default" && msgs[1].toolCalls == [["name": "Read"]])
    #expect(try ledger.messages(sessionID: other).map(\.seq) == [1])
  }

  @Test(arguments: engines) func toolOperationsCountAndCap(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let id = try ledger.startSession(NewSession(systemType: .code))
    let mid = try ledger.appendMessage(sessionID: id, role: "assistant", content: [], text: "")
    try ledger.recordToolOperation(
      sessionID: id, messageID: mid, toolName: "Bash", parameters: ["command": "ls"], result: "a\nb",
      success: true, durationMs: 5, reasoning: "look around")
    let big = String(repeating: "é", count: Ledger.toolResultCap)  // 2 bytes each: over the cap
    try ledger.recordToolOperation(
      sessionID: id, toolName: "Read", parameters: ["path": "/x"], result: big, success: false,
      deniedReason: "outside the workspace")
    #expect(try ledger.session(idOrPrefix: id).toolCallsCount == 2)
    let ops = try ledger.toolOperations(sessionID: id)
    try #require(ops.count == 2)
    #expect(ops[0].toolName == "Bash" && ops[0].messageID == mid && ops[0].success)
    #expect(ops[0].parameters == ["command": "ls"] && ops[0].reasoning == "look around")
    #expect(!ops[1].success && ops[1].deniedReason == "outside the workspace")
    let capped = try #require(ops[1].result)
    #expect(capped.utf8.count < Ledger.toolResultCap + 100 && capped.hasSuffix("bytes cut]"))
  }

  @Test(arguments: engines) func deletingASessionCascades(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let id = try ledger.startSession(NewSession(systemType: .improve))
    let keep = try ledger.startSession(NewSession(systemType: .ask))
    let child = try ledger.startSession(NewSession(systemType: .ask, parentSessionID: id))
    let mid = try ledger.appendMessage(sessionID: id, role: "user", content: [], text: "cascade me")
    try ledger.appendMessage(sessionID: keep, role: "user", content: [], text: "keep me")
    try ledger.recordToolOperation(sessionID: id, messageID: mid, toolName: "Edit", parameters: [:], result: nil, success: true)
    try ledger.recordSelfModification(NewSelfModification(sessionID: id, filePath: "a.swift", success: true))
    try ledger.deleteSession(id: id)
    let counts = try ["messages", "tool_operations", "self_modifications", "sessions"].map {
      try count(ledger, "SELECT count(*) FROM \($0)")
    }
    #expect(counts == [1, 0, 0, 2])
    #expect(try ledger.session(idOrPrefix: child).parentSessionID == nil)  // ON DELETE SET NULL
    #expect(try ledger.search(text: "cascade").isEmpty)  // FTS row removed by the trigger
    #expect(try ledger.search(text: "keep").count == 1)
  }

  /// A session whose process is gone (never finished: kill -9, power loss) is finished as interrupted by
  /// the next start, with what it recorded; a live one, and a reused pid's new process, are told apart.
  @Test(arguments: engines) func theNextStartFinishesSessionsWhoseProcessIsGone(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let dead = try ledger.startSession(NewSession(systemType: .code))
    try ledger.appendMessage(sessionID: dead, role: "user", content: .array([]), text: "work in progress")
    let reused = try ledger.startSession(NewSession(systemType: .ask))
    let legacy = try ledger.startSession(NewSession(systemType: .ask, startedAt: Date().addingTimeInterval(-2 * 86_400)))
    let recentLegacy = try ledger.startSession(NewSession(systemType: .ask))
    // A pid that ran and exited; our own pid with another start time (the pid was reused); no pid at all.
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/true")
    try p.run()
    p.waitUntilExit()
    try ledger.write("fake dead processes") { db in
      try db.execute(sql: "UPDATE sessions SET pid = ? WHERE id = ?", arguments: [p.processIdentifier, dead])
      try db.execute(sql: "UPDATE sessions SET process_start = process_start - 1 WHERE id = ?", arguments: [reused])
      try db.execute(sql: "UPDATE sessions SET pid = NULL, process_start = NULL WHERE id IN (?, ?)", arguments: [legacy, recentLegacy])
    }
    let live = try ledger.startSession(NewSession(systemType: .ask))
    let status = { (id: String) in try ledger.session(idOrPrefix: id).status }
    #expect(try status(dead) == .interrupted)
    #expect(try status(reused) == .interrupted)
    #expect(try status(legacy) == .interrupted)
    #expect(try status(recentLegacy) == .running)
    #expect(try status(live) == .running)
    #expect(try ledger.messages(sessionID: dead).map(\.text) == ["work in progress"])
    #expect(try ledger.session(idOrPrefix: dead).exitReason?.contains("ended without finishing") == true)
    #expect(try ledger.sweepDeadSessions().isEmpty)
  }
}
