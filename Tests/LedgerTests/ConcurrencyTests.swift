import ArrakisCore
import Foundation
import TestSupport
import Testing
@testable import Ledger

/// 16 writers with their own connections on one brand-new file, all starting at the same instant: the
/// first open (WAL switch + migration) races, then every write contends. Nothing may be lost and no call
/// may fail with "database is locked". Threads stand in for processes here (each `Ledger` has its own
/// SQLite connection and SQLite locks per connection through the same POSIX file locks);
/// `sixteenArrakisProcessesLoseNothing` is the same with real processes.
@Suite struct ConcurrencyTests {
  final class Box: @unchecked Sendable {
    let lock = NSLock()
    var errors: [String] = []
    func add(_ e: String) { lock.lock(); errors.append(e); lock.unlock() }
  }

  @Test func sixteenWritersOnAFreshFileLoseNothing() throws {
    let path = tempLedgerPath()
    let writers = 16, sessionsEach = 12, messagesEach = 4
    let box = Box()
    let gate = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for w in 0..<writers {
      done.enter()
      let t = Thread {
        defer { done.leave() }
        gate.wait()
        do {
          let ledger = try Ledger.open(path: path)
          for s in 0..<sessionsEach {
            let id = try ledger.startSession(NewSession(systemType: .ask, workspace: "/w\(w)", prompt: "w\(w) s\(s)"))
            for m in 0..<messagesEach {
              try ledger.appendMessage(sessionID: id, role: m % 2 == 0 ? "user" : "assistant", content: [], text: "writer\(w) message\(m)")
            }
            try ledger.recordToolOperation(sessionID: id, toolName: "Bash", parameters: [:], result: "ok", success: true)
            try ledger.addUsage(sessionID: id, input: 10, output: 5, costUSD: 0.001)
            try ledger.finishSession(id: id, status: .success)
          }
        } catch {
          box.add("writer \(w): \(error)")
        }
      }
      t.stackSize = 1 << 20
      t.start()
    }
    for _ in 0..<writers { gate.signal() }
    done.wait()

    #expect(box.errors.isEmpty, "\(box.errors)")
    let ledger = try Ledger.open(path: path)
    let (sessions, messages, ops, fts, badSeq, running, tools, migrations) = (
      try count(ledger, "SELECT count(*) FROM sessions"),
      try count(ledger, "SELECT count(*) FROM messages"),
      try count(ledger, "SELECT count(*) FROM tool_operations"),
      try count(ledger, "SELECT count(*) FROM (\(ledger.dialect.matchingMessageIDs())) AS hits", [ledger.searchQuery("message0")]),
      // seq must be exactly 1…n within each session.
      try count(ledger, """
        SELECT count(*) FROM (SELECT session_id FROM messages GROUP BY session_id
          HAVING min(seq) != 1 OR max(seq) != count(*)) AS bad
        """),
      try count(ledger, "SELECT count(*) FROM sessions WHERE status != 'success'"),
      try count(ledger, "SELECT sum(tool_calls_count) FROM sessions"),
      try appliedMigrations(ledger)
    )
    #expect(sessions == writers * sessionsEach)
    #expect(messages == writers * sessionsEach * messagesEach)
    #expect(ops == writers * sessionsEach && tools == ops)
    #expect(fts == writers * sessionsEach)
    #expect(badSeq == 0 && running == 0 && migrations == Schema.migrations.count)  // each migration applied exactly once
    for w in 0..<writers {
      #expect(try ledger.listSessions(SessionFilter(limit: 100, workspace: "/w\(w)")).count == sessionsEach)
    }
  }

  /// 16 real `arrakis ask` processes at once, three asks each, on one brand-new ledger (a SQLite file, an
  /// empty PostgreSQL database): every process opens (and the first ones migrate) it, starts a session,
  /// records two messages and its usage.
  @Test(arguments: engines) func sixteenArrakisProcessesLoseNothing(_ engine: TestEngine) async throws {
    let dir = TempDir("sixteen-writers")
    let path = engine == .sqlite ? dir.file("ledger.db") : try freshLocation(.postgres)
    let server = try LoopbackServer(handler: { _ in .sse(SSEBuilder.text("noted")) })
    defer { server.stop() }
    let writers = 16, asksEach = 3
    let env = ["ARRAKIS_DB": path, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL]
    let runs = try await withThrowingTaskGroup(of: [CLIResult].self) { group in
      for w in 0..<writers {
        group.addTask {
          var out: [CLIResult] = []
          for a in 0..<asksEach {
            out.append(try await CLIRunner.run(["ask", "writer \(w) ask \(a)"], env: env, cwd: dir.path, timeout: 120))
          }
          return out
        }
      }
      return try await group.reduce(into: []) { $0 += $1 }
    }
    try #require(runs.count == writers * asksEach)
    for r in runs {
      #expect(r.status == 0, "\(r.stderr)")
      #expect(!r.stderr.lowercased().contains("locked"), "\(r.stderr)")
    }
    let ledger = try Ledger.open(path: path)
    let sessions = try ledger.listSessions(SessionFilter(limit: 1000))
    #expect(sessions.count == writers * asksEach)
    #expect(sessions.allSatisfy { $0.status == .success && $0.outputTokens > 0 })
    #expect(Set(sessions.compactMap(\.prompt)).count == writers * asksEach)
    for s in sessions { #expect(try ledger.messages(sessionID: s.id).map(\.seq) == [1, 2]) }
  }
}
