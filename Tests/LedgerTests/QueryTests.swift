import ArrakisCore
import Foundation
import Testing
@testable import Ledger

@Suite struct QueryTests {
  @Test(arguments: engines) func listingFilters(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let base = Date(timeIntervalSince1970: 1_700_000_000)
    var ids: [String] = []
    for i in 0..<12 {
      let id = try ledger.startSession(
        NewSession(
          systemType: i % 3 == 0 ? .code : .ask, workspace: i % 2 == 0 ? "/a" : "/b",
          prompt: "p\(i)", startedAt: base.addingTimeInterval(Double(i) * 60)))
      if i % 4 == 0 { try ledger.finishSession(id: id, status: .failed, error: "boom") }
      ids.append(id)
    }
    // Default: 10 newest, newest first.
    let all = try ledger.listSessions()
    #expect(all.map(\.id) == Array(ids.reversed().prefix(10)))
    #expect(try ledger.listSessions(SessionFilter(limit: 3)).map(\.prompt) == ["p11", "p10", "p9"])
    #expect(try ledger.listSessions(SessionFilter(limit: 50, systemType: .code)).map(\.prompt) == ["p9", "p6", "p3", "p0"])
    #expect(try ledger.listSessions(SessionFilter(limit: 50, workspace: "/b")).count == 6)
    #expect(
      try ledger.listSessions(SessionFilter(limit: 50, systemType: .code, workspace: "/a")).map(\.prompt) == ["p6", "p0"])
    #expect(try ledger.listSessions(SessionFilter(limit: 50, status: .failed)).map(\.prompt) == ["p8", "p4", "p0"])
    #expect(
      try ledger.listSessions(SessionFilter(limit: 50, since: base.addingTimeInterval(600))).map(\.prompt)
        == ["p11", "p10"])
    #expect(try ledger.lastSession(systemType: .code, workspace: "/a")?.prompt == "p6")
    #expect(try ledger.lastSession(systemType: .rollback, workspace: "/a") == nil)
    #expect(try ledger.countSessions() == 12 && ledger.countSessions(systemType: .code) == 4)
  }

  @Test(arguments: engines) func fullTextSearchFindsAndFilters(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let a = try ledger.startSession(NewSession(systemType: .ask, prompt: "a"))
    let b = try ledger.startSession(NewSession(systemType: .code, prompt: "b"))
    try ledger.appendMessage(sessionID: a, role: "user", content: [], text: "How do I configure the Frobnicator?")
    try ledger.appendMessage(sessionID: a, role: "assistant", content: [], text: "Set frobnicator.level = 3.")
    try ledger.appendMessage(sessionID: b, role: "user", content: [], text: "Rename the café module")

    let hits = try ledger.search(text: "frobnicator")
    #expect(hits.count == 2 && Set(hits.map(\.sessionID)) == [a])
    #expect(hits.allSatisfy { $0.snippet.lowercased().contains("[frobnicator]") })
    #expect(try ledger.search(text: "cafe").map(\.sessionID) == [b])  // diacritics folded
    #expect(try ledger.search(text: "configure frobnicator").count == 1)  // all words
    #expect(try ledger.search(text: "nothing-like-this").isEmpty)
    // FTS syntax characters are taken literally rather than throwing.
    #expect(try ledger.search(text: "\"frob* AND (x").isEmpty)
    #expect(try ledger.search(text: "   ").isEmpty)

    #expect(try ledger.listSessions(SessionFilter(text: "Frobnicator")).map(\.id) == [a])
    #expect(try ledger.listSessions(SessionFilter(systemType: .code, text: "Frobnicator")).isEmpty)
    #expect(try ledger.listSessions(SessionFilter(text: "café")).map(\.id) == [b])
  }

  @Test(arguments: engines) func idPrefixLookup(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    // Fixed ids so that prefixes are predictable.
    try ledger.write("insert fixed ids") { db in
      for id in ["aaaa1111-0000-0000-0000-000000000000", "aaaa2222-0000-0000-0000-000000000000",
                 "bbbb0000-0000-0000-0000-000000000000"] {
        try db.execute(
          sql: "INSERT INTO sessions (id, system_type, started_at) VALUES (?, 'ask', ?)",
          arguments: [id, Timestamp.string(Date())])
      }
    }
    #expect(try ledger.session(idOrPrefix: "b").id.hasPrefix("bbbb"))
    #expect(try ledger.session(idOrPrefix: "AAAA1").id.hasPrefix("aaaa1111"))
    #expect(try ledger.session(idOrPrefix: "aaaa2222-0000-0000-0000-000000000000").id.hasPrefix("aaaa2222"))

    let ambiguous = usageError { _ = try ledger.session(idOrPrefix: "aaaa") }
    #expect(ambiguous?.status == .usage)
    #expect(ambiguous?.message.contains("ambiguous") == true)
    #expect(ambiguous?.message.contains("aaaa1111-0000") == true && ambiguous?.message.contains("aaaa2222-0000") == true)

    let none = usageError { _ = try ledger.session(idOrPrefix: "cc") }
    #expect(none?.status == .usage && none?.message.hasPrefix("no session matches") == true)
    // Wildcards are not ids.
    #expect(usageError { _ = try ledger.session(idOrPrefix: "*") }?.status == .usage)
    #expect(usageError { _ = try ledger.session(idOrPrefix: "") }?.status == .usage)
  }

  // SQLite's query plans (PostgreSQL's planner picks by table statistics, which a test-sized table lacks).
  @Test func listingQueriesUseIndexes() throws {
    let ledger = try freshLedger(.sqlite)
    func plan(_ sql: String) throws -> String {
      try sqliteFile(ledger) { db in
        try db.rows(sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
      }
    }
    let newest = try plan("SELECT * FROM sessions ORDER BY started_at DESC, rowid DESC LIMIT 20")
    #expect(newest.contains("sessions_started_at") && !newest.contains("TEMP B-TREE"), "\(newest)")
    let last = try plan(
      "SELECT * FROM sessions WHERE workspace IS 'x' AND system_type = 'ask' ORDER BY started_at DESC, rowid DESC LIMIT 1")
    #expect(last.contains("sessions_workspace_type_started"), "\(last)")
    let prefix = try plan("SELECT * FROM sessions WHERE id GLOB 'ab*' LIMIT 6")
    #expect(prefix.contains("INDEX") && !prefix.contains("SCAN"), "\(prefix)")
    let msgs = try plan("SELECT * FROM messages WHERE session_id = 'x' ORDER BY seq")
    #expect(!msgs.contains("TEMP B-TREE") && msgs.contains("INDEX"), "\(msgs)")
  }

  @Test(arguments: engines) func analysesImprovementsAndModifications(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let sid = try ledger.startSession(NewSession(systemType: .analyze, workspace: "/repo"))
    let aid = try ledger.insertAnalysis(
      sessionID: sid, workspace: "/repo", headCommit: "abc", signals: ["churn": 3], summary: ["n": 2])
    #expect(try ledger.latestAnalysis(workspace: "/repo")?.id == aid)
    #expect(try ledger.analysis(id: aid)?.signals == ["churn": 3])
    try ledger.insertImprovements([
      ImprovementRow(id: "i1", analysisID: aid, title: "Split Foo", files: ["Foo.swift"], fingerprint: "fp1"),
      ImprovementRow(id: "i2", analysisID: aid, title: "Test Bar", risk: "low"),
    ])
    #expect(try ledger.improvements(analysisID: aid).map(\.id) == ["i1", "i2"])
    #expect(try ledger.improvement(id: "i1")?.files == ["Foo.swift"])
    #expect(try ledger.improvement(fingerprint: "fp1")?.id == "i1")
    try ledger.setImprovementStatus(id: "i1", status: .kept)
    #expect(try ledger.improvements(status: .kept).map(\.id) == ["i1"])
    #expect(usageError { try ledger.setImprovementStatus(id: "zz", status: .kept) }?.status == .usage)

    let isid = try ledger.startSession(NewSession(systemType: .improve, workspace: "/repo"))
    let mid = try ledger.recordSelfModification(
      NewSelfModification(
        sessionID: isid, improvementID: "i1", filePath: "Foo.swift", changeDescription: "split",
        beforeContent: "a", afterContent: "b", testResults: ["passed": 10], branch: "arrakis/improve/i1",
        baseCommit: "abc", resultCommit: "def", success: true))
    #expect(try ledger.session(idOrPrefix: isid).selfModificationsCount == 1)
    try ledger.markRolledBack(modificationID: mid, revertCommit: "fed")
    let m = try #require(try ledger.selfModification(id: mid))
    #expect(m.rollbackExecuted && m.revertCommit == "fed" && m.status == .rolledBack && m.rolledBackAt != nil)
    #expect(m.testResults == ["passed": 10] && m.improvementID == "i1")
    #expect(try ledger.selfModifications(sessionID: isid).count == 1)
  }
}
