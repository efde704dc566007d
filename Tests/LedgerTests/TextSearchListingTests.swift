import ArrakisCore
import Foundation
import Testing
@testable import Ledger

/// `log -q`: the early-stopping walk over FTS matches must give exactly what the plain query gives.
@Suite struct TextSearchListingTests {
  /// The obvious query: every session with a matching message, newest first.
  func naive(_ ledger: Ledger, _ words: String, limit: Int, system: SystemType? = nil) throws -> [String] {
    let query = try #require(ledger.searchQuery(words))
    return try ledger.read("the plain query") { db in
      try db.values(
        String.self,
        sql: """
          SELECT id FROM sessions WHERE id IN (SELECT m.session_id FROM \(db.dialect.messagesMatching()))
            \(system == nil ? "" : "AND system_type = ?")
          ORDER BY started_at DESC LIMIT ?
          """, arguments: [query] + (system.map { [$0.rawValue] } ?? []) + [limit])
    }
  }

  @Test(arguments: engines) func earlyStopGivesTheSameSessionsAsTheFullQuery(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let base = Date(timeIntervalSince1970: 1_700_000_000)
    // 40 sessions that overlap in time: session i's messages are written while later ones have started,
    // and some sessions mention the rare word only in an old message.
    var ids: [String] = []
    for i in 0..<40 {
      ids.append(try ledger.startSession(NewSession(
        systemType: i % 3 == 0 ? .code : .ask, workspace: "/w", prompt: "s\(i)", startedAt: base.addingTimeInterval(Double(i) * 10))))
    }
    for round in 0..<3 {
      for (i, id) in ids.enumerated().reversed() where (i + round) % 2 == 0 || round == 0 {
        let word = (i % 7 == 0 && round == 0) ? "rare common" : "common"
        _ = try ledger.appendMessage(
          sessionID: id, role: "user", content: [["type": "text", "text": .string(word)]], text: "\(word) round \(round)",
          createdAt: base.addingTimeInterval(Double(i) * 10 + Double(round) * 3 + 1))
      }
    }
    // Both plans: through the FTS index (rare words) and the newest-first walk (common words, forced here).
    for common in [20_000, 0] {
      for (words, limit) in [("common", 5), ("common", 20), ("common", 100), ("rare", 3), ("rare", 10), ("round 2", 7), ("absent", 5)] {
        let q = try #require(ledger.searchQuery(words))
        let fast = try ledger.sessionsMatching(q, clauses: [], args: [], filter: SessionFilter(limit: limit), commonMatches: common).map(\.id)
        #expect(fast == (try naive(ledger, words, limit: limit)), "\(words) limit \(limit) threshold \(common)")
      }
      let code = try ledger.sessionsMatching(
        try #require(ledger.searchQuery("common")), clauses: ["system_type = ?"], args: [SystemType.code], filter: SessionFilter(limit: 4),
        commonMatches: common).map(\.id)
      #expect(code == (try naive(ledger, "common", limit: 4, system: .code)))
    }
    #expect(try ledger.listSessions(SessionFilter(limit: 3, text: "rare")).map(\.id) == (try naive(ledger, "rare", limit: 3)))
  }
}
