import ArrakisCore
import Foundation
import TestSupport
import Testing
@testable import Ledger

/// `Ledger.copy` (arrakis log copy) between real ledgers of both engines: a ledger written by real
/// arrakis runs is copied and every table compared; copies are idempotent, converge when made back and
/// forth, and complete what an earlier copy could not see yet.
@Suite struct CopyTests {
  let dir = TempDir("ledger-copy")

  /// Source and target engines: every pair the machine can run (PostgreSQL where a server can be had).
  static let pairs: [Pair] = engines.flatMap { a in engines.map { Pair(from: a, to: $0) } }

  struct Pair: Sendable, CustomTestStringConvertible {
    var from: TestEngine
    var to: TestEngine
    var testDescription: String { "\(from.rawValue) → \(to.rawValue)" }
  }

  func expectSame(_ a: Ledger, _ b: Ledger, sourceLocation: SourceLocation = #_sourceLocation) throws {
    for (table, rows) in try differences(a, b) {
      Issue.record("\(table) differs:\n  \(rows.a.joined(separator: "\n  "))\nvs\n  \(rows.b.joined(separator: "\n  "))", sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: pairs) func aCopyOfARealLedgerHoldsEveryRowOfEveryTable(_ pair: Pair) throws {
    let source = try RealLedger.fresh(pair.from, in: dir)
    let counts = try rowCounts(source)
    // The runs wrote into every table; a fixture that did not could not show a table copied.
    for table in LedgerCopier.tables { #expect((counts[table] ?? 0) > 0, "no \(table) in the source") }
    let target = try Ledger.open(path: try freshLocation(pair.to))
    let report = try target.copy(from: source)
    for table in LedgerCopier.tables {
      #expect(report[table]?.copied == counts[table], "\(table)")
      #expect(report[table]?.alreadyThere == 0, "\(table)")
    }
    try expectSame(source, target)
    // What users read through the ledger's own API agrees too: the continued ask, the tool operation's
    // message, the self-modification's improvement, the text search.
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
    // The target numbers its own rows after the copied ones.
    let id = try target.startSession(NewSession(systemType: .ask, prompt: "after the copy"))
    try target.appendMessage(sessionID: id, role: "user", content: [], text: "after")
    #expect(try target.messages(sessionID: id).count == 1)
  }

  @Test(arguments: pairs) func aSecondCopyAddsNothing(_ pair: Pair) throws {
    let source = try RealLedger.fresh(pair.from, in: dir)
    let target = try Ledger.open(path: try freshLocation(pair.to))
    _ = try target.copy(from: source)
    let columns = try commonColumns(source, target)
    let before = try naturalDump(target, columns: columns)
    let again = try target.copy(from: source)
    #expect(again.copied == 0)
    let counts = try rowCounts(source)
    for table in LedgerCopier.tables { #expect(again[table]?.alreadyThere == counts[table], "\(table)") }
    #expect(try naturalDump(target, columns: columns) == before)
  }

  @Test(arguments: pairs) func copiesBackAndForthConverge(_ pair: Pair) throws {
    let a = try RealLedger.fresh(pair.from, in: dir)
    let b = try Ledger.open(path: try freshLocation(pair.to))
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
    try expectSame(a, b)
    #expect(try a.copy(from: b).copied == 0 && b.copy(from: a).copied == 0)
  }

  @Test(arguments: pairs) func aSessionStillRunningWhenCopiedIsCompletedByTheNextCopy(_ pair: Pair) throws {
    let source = try Ledger.open(path: try freshLocation(pair.from))
    let id = try source.startSession(NewSession(systemType: .code, workspace: "/w", prompt: "long run"))
    let first = try source.appendMessage(sessionID: id, role: "user", content: [], text: "first")
    try source.recordToolOperation(sessionID: id, messageID: first, toolName: "Read", parameters: [:], result: "a", success: true)
    let target = try Ledger.open(path: try freshLocation(pair.to))
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
    try expectSame(source, target)
  }

  /// Sessions are copied in id order, so a --continue'd session may come before its parent.
  @Test(arguments: pairs) func continueLinksSurviveWhicheverSessionComesFirst(_ pair: Pair) throws {
    let child = "00000000-0000-4000-8000-00000000000c", parent = "ffffffff-0000-4000-8000-00000000000b"
    let root = "88888888-0000-4000-8000-00000000000a"
    let source = try Ledger.open(path: try freshLocation(pair.from))
    try source.write("make a chain") { c in
      // The child (0…) comes before its parent (f…) in id order, and batches of one spread the chain.
      let chain: [(String, String?)] = [(root, nil), (parent, root), (child, parent)]
      for (id, up) in chain {
        try c.execute(
          sql: "INSERT INTO sessions (id, system_type, started_at, status, parent_session_id) VALUES (?, 'ask', '2026-01-01T00:00:00.000Z', 'success', ?)",
          arguments: [id, up])
      }
    }
    let target = try Ledger.open(path: try freshLocation(pair.to))
    let report = try target.copy(from: source, batchSize: 1)
    #expect(report["sessions"]?.copied == 3)
    #expect(try target.session(idOrPrefix: child).parentSessionID == parent)
    #expect(try target.session(idOrPrefix: parent).parentSessionID == root)
  }

  @Test func progressCountsEverySession() throws {
    let source = try RealLedger.fresh(.sqlite, in: dir)
    let total = try rowCounts(source)["sessions"] ?? 0
    var seen: [CopyProgress] = []
    _ = try Ledger.open(path: dir.file("target.db")).copy(from: source, batchSize: 2) { seen.append($0) }
    let sessions = seen.filter { $0.what == "sessions" }
    #expect(sessions.first?.done == 0 && sessions.last?.done == total && sessions.allSatisfy { $0.total == total })
    #expect(sessions.count == 1 + (total + 1) / 2)
  }
}
