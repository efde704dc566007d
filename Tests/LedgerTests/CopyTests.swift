import ArrakisCore
import Foundation
import TestSupport
import Testing
@testable import Ledger

/// `Ledger.copy` (arrakis log copy) between real files: a ledger written by real arrakis runs is copied
/// and every table compared; copies are idempotent, converge when made back and forth, and complete what
/// an earlier copy could not see yet.
@Suite struct CopyTests {
  let dir = TempDir("ledger-copy")

  func source() throws -> Ledger { try RealLedger.fresh(at: dir.file("source.db")) }

  @Test func aCopyOfARealLedgerHoldsEveryRowOfEveryTable() throws {
    let source = try source()
    let counts = try rowCounts(source)
    // The runs wrote into every table; a fixture that did not could not show a table copied.
    for table in LedgerCopier.tables { #expect((counts[table] ?? 0) > 0, "no \(table) in the source") }
    let target = try Ledger.open(path: dir.file("target.db"))
    let report = try target.copy(from: source)
    for table in LedgerCopier.tables {
      #expect(report[table]?.copied == counts[table], "\(table)")
      #expect(report[table]?.alreadyThere == 0, "\(table)")
    }
    let want = try naturalDump(source), got = try naturalDump(target)
    for table in LedgerCopier.tables { #expect(got[table] == want[table], "\(table)") }
    // What users read through the ledger's own API agrees too: the continued ask, the tool operation's
    // message, the self-modification's improvement.
    let continued = try #require(try target.listSessions(SessionFilter(limit: 10, systemType: .ask)).first { $0.parentSessionID != nil })
    #expect(try target.session(idOrPrefix: continued.parentSessionID!).systemType == .ask)
    let code = try #require(try target.listSessions(SessionFilter(limit: 10, systemType: .code)).first)
    let op = try #require(try target.toolOperations(sessionID: code.id).first)
    let message = try #require(try target.messages(sessionID: code.id).first { $0.id == op.messageID })
    #expect(message.role == "assistant")
    let improve = try #require(try target.listSessions(SessionFilter(limit: 10, systemType: .improve)).first)
    let mod = try #require(try target.selfModifications(sessionID: improve.id).first)
    #expect(try target.improvement(id: try #require(mod.improvementID))?.title == "Add mul() to calc.sh")
    #expect(try target.search(text: "Eight").count == 1)
  }

  @Test func aSecondCopyAddsNothing() throws {
    let source = try source()
    let target = try Ledger.open(path: dir.file("target.db"))
    _ = try target.copy(from: source)
    let before = try naturalDump(target)
    let again = try target.copy(from: source)
    #expect(again.copied == 0)
    let counts = try rowCounts(source)
    for table in LedgerCopier.tables { #expect(again[table]?.alreadyThere == counts[table], "\(table)") }
    #expect(try naturalDump(target) == before)
  }

  @Test func copiesBackAndForthConverge() throws {
    let a = try source()
    let b = try Ledger.open(path: dir.file("b.db"))
    _ = try b.copy(from: a)
    // Each side then records a run of its own.
    for (ledger, word) in [(a, "alpha"), (b, "beta")] {
      let id = try ledger.startSession(NewSession(systemType: .ask, workspace: "/w", prompt: word))
      let m = try ledger.appendMessage(sessionID: id, role: "assistant", content: [], text: word)
      try ledger.recordToolOperation(sessionID: id, messageID: m, toolName: "Bash", parameters: [:], result: "ok", success: true)
      try ledger.finishSession(id: id, status: .success)
    }
    let toA = try a.copy(from: b), toB = try b.copy(from: a)
    #expect(toA["sessions"]?.copied == 1 && toA["messages"]?.copied == 1 && toA["tool_operations"]?.copied == 1)
    #expect(toB["sessions"]?.copied == 1 && toB["messages"]?.copied == 1 && toB["tool_operations"]?.copied == 1)
    #expect(try naturalDump(a) == naturalDump(b))
    #expect(try a.copy(from: b).copied == 0 && b.copy(from: a).copied == 0)
  }

  @Test func aSessionStillRunningWhenCopiedIsCompletedByTheNextCopy() throws {
    let source = try Ledger.open(path: dir.file("source.db"))
    let id = try source.startSession(NewSession(systemType: .code, workspace: "/w", prompt: "long run"))
    let first = try source.appendMessage(sessionID: id, role: "user", content: [], text: "first")
    try source.recordToolOperation(sessionID: id, messageID: first, toolName: "Read", parameters: [:], result: "a", success: true)
    let target = try Ledger.open(path: dir.file("target.db"))
    _ = try target.copy(from: source)
    #expect(try target.session(idOrPrefix: id).status == .running)
    let second = try source.appendMessage(sessionID: id, role: "assistant", content: [], text: "second")
    try source.recordToolOperation(sessionID: id, messageID: second, toolName: "Bash", parameters: [:], result: "b", success: true)
    try source.addUsage(sessionID: id, input: 10, output: 5, costUSD: 0.01)
    try source.finishSession(id: id, status: .success)
    let report = try target.copy(from: source)
    #expect(report["messages"]?.copied == 1 && report["messages"]?.alreadyThere == 1)
    #expect(report["tool_operations"]?.copied == 1 && report["tool_operations"]?.alreadyThere == 1)
    #expect(try target.session(idOrPrefix: id).status == .success)
    #expect(try target.session(idOrPrefix: id).inputTokens == 10)
    let ops = try target.toolOperations(sessionID: id), messages = try target.messages(sessionID: id)
    try #require(ops.count == 2 && messages.count == 2)
    #expect(ops.map(\.messageID) == messages.map(\.id))
    #expect(try naturalDump(target) == naturalDump(source))
  }

  /// Sessions are copied in id order, so a --continue'd session may come before its parent.
  @Test func continueLinksSurviveWhicheverSessionComesFirst() throws {
    let child = "00000000-0000-4000-8000-00000000000c", parent = "ffffffff-0000-4000-8000-00000000000b"
    let root = "88888888-0000-4000-8000-00000000000a"
    let source = try Ledger.open(path: dir.file("source.db"))
    try source.write("make a chain") { c in
      // The child (0…) comes before its parent (f…) in id order, and batches of one spread the chain.
      let chain: [(String, String?)] = [(root, nil), (parent, root), (child, parent)]
      for (id, up) in chain {
        try c.execute(
          sql: "INSERT INTO sessions (id, system_type, started_at, status, parent_session_id) VALUES (?, 'ask', '2026-01-01T00:00:00.000Z', 'success', ?)",
          arguments: [id, up])
      }
    }
    let target = try Ledger.open(path: dir.file("target.db"))
    let report = try target.copy(from: source, batchSize: 1)
    #expect(report["sessions"]?.copied == 3)
    #expect(try target.session(idOrPrefix: child).parentSessionID == parent)
    #expect(try target.session(idOrPrefix: parent).parentSessionID == root)
  }

  @Test func progressCountsEverySession() throws {
    let source = try source()
    let total = try rowCounts(source)["sessions"] ?? 0
    var seen: [CopyProgress] = []
    _ = try Ledger.open(path: dir.file("target.db")).copy(from: source, batchSize: 2) { seen.append($0) }
    let sessions = seen.filter { $0.what == "sessions" }
    #expect(sessions.first?.done == 0 && sessions.last?.done == total && sessions.allSatisfy { $0.total == total })
    #expect(sessions.count == 1 + (total + 1) / 2)
  }
}
