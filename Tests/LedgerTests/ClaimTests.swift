import ArrakisCore
import Foundation
import Testing
@testable import Ledger

/// Repository identity and the `improve --next` claim queue (ImprovementClaims.swift, WorkspaceImprovements.swift).
@Suite struct ClaimTests {
  let project = RepositoryRef(identity: "github.com/team/proj@1f2e3d", workspace: "/laptop/proj")
  let now = Date(timeIntervalSince1970: 1_750_000_000)

  /// One analysis of `project` made in another clone, with three open improvements, best last.
  func queue(_ ledger: Ledger, clone: String = "/runner/proj") throws {
    let analysis = try ledger.insertAnalysis(
      sessionID: nil, workspace: clone, repository: project.identity, headCommit: nil, signals: nil, summary: nil,
      createdAt: now.addingTimeInterval(-60))
    try ledger.insertImprovements(["c3", "c2", "c1"].map { ImprovementRow(id: $0, analysisID: analysis, title: "fix \($0)") })
  }

  func claim(_ ledger: Ledger, _ who: String, at: Date? = nil, lasting: TimeInterval = 600) throws -> String? {
    let at = at ?? now
    return try ledger.claimImprovement(
      repository: project, claimant: who, until: at.addingTimeInterval(lasting), now: at,
      ranked: { $0.sorted { $0.id < $1.id } }
    )?.id
  }

  @Test(arguments: engines) func eachClaimantGetsAnotherImprovementAndNoneIsLeftForTheFourth(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    try queue(ledger)
    #expect(try claim(ledger, "a") == "c1")
    #expect(try claim(ledger, "b") == "c2")
    #expect(try claim(ledger, "c") == "c3")
    #expect(try claim(ledger, "d") == nil)
    let c1 = try #require(try ledger.improvement(id: "c1"))
    #expect(c1.claimedBy == "a" && c1.claimedUntil == now.addingTimeInterval(600))
    #expect(c1.status == .open && c1.repository == project.identity)
  }

  @Test(arguments: engines) func aClaimLapsesWhenItsTimeHasPassedOrItsSessionHasFinished(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    try queue(ledger)
    #expect(try claim(ledger, "a", lasting: 60) == "c1")
    #expect(try claim(ledger, "b", at: now.addingTimeInterval(61)) == "c1")  // a's claim expired

    // Held by a running session: kept, however long; finished: free at once.
    let session = try ledger.startSession(NewSession(systemType: .improve, workspace: project.workspace))
    #expect(try ledger.transferClaim(improvementID: "c1", from: "b", to: session))
    #expect(try !ledger.transferClaim(improvementID: "c1", from: "b", to: session))  // b no longer holds it
    #expect(try claim(ledger, "c", at: now.addingTimeInterval(62)) == "c2")
    try ledger.finishSession(id: session, status: .failed)
    #expect(try claim(ledger, "d", at: now.addingTimeInterval(63)) == "c1")

    // Released by a run refused before it started: the next run takes it.
    try ledger.releaseClaim(improvementID: "c2", claimant: "c")
    #expect(try claim(ledger, "e", at: now.addingTimeInterval(64)) == "c2")
    // Attempted improvements are no longer open, claimed or not.
    try ledger.setImprovementStatus(id: "c3", status: .attempted)
    #expect(try claim(ledger, "f", at: now.addingTimeInterval(65)) == nil)
  }

  /// Eight processes' worth of connections claiming at once from one file: eight different improvements.
  @Test(arguments: engines) func concurrentClaimantsNeverShareAnImprovement(engine: TestEngine) throws {
    let path = try freshLocation(engine)
    let ledger = try Ledger.open(path: path)
    let analysis = try ledger.insertAnalysis(
      sessionID: nil, workspace: project.workspace, repository: project.identity, headCommit: nil, signals: nil, summary: nil)
    try ledger.insertImprovements((0..<8).map { ImprovementRow(id: "q\($0)", analysisID: analysis, title: "q\($0)") })
    let results = Results()
    DispatchQueue.concurrentPerform(iterations: 8) { i in
      do {
        let own = try Ledger.open(path: path)
        let id = try own.claimImprovement(
          repository: project, claimant: "claimant-\(i)", until: Date().addingTimeInterval(600), ranked: { $0 })?.id
        results.add(id ?? "none")
      } catch {
        results.add("error: \(error)")
      }
    }
    #expect(results.all.sorted() == (0..<8).map { "q\($0)" })
  }

  @Test(arguments: engines) func clonesShareAnalysesAndImprovementsOlderRowsAreFoundByPath(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    try queue(ledger)
    // The laptop's clone sees the runner's analysis and its improvements.
    #expect(try ledger.latestAnalysis(repository: project)?.workspace == "/runner/proj")
    #expect(try ledger.improvements(repository: project, status: .open).map(\.id) == ["c3", "c2", "c1"])
    // Another project is not mixed in, even with the same folder name.
    let other = RepositoryRef(identity: "github.com/else/proj@99", workspace: "/runner/proj")
    #expect(try ledger.improvements(repository: other).isEmpty)
    // A row recorded before identities (repository = its path) is found from that path only.
    let old = try ledger.insertAnalysis(sessionID: nil, workspace: "/old/proj", headCommit: nil, signals: nil, summary: nil)
    try ledger.insertImprovements([ImprovementRow(id: "o1", analysisID: old, title: "old")])
    #expect(try ledger.improvements(repository: RepositoryRef(identity: "x@1", workspace: "/old/proj")).map(\.id) == ["o1"])
    #expect(try ledger.improvement(id: "o1")?.repository == "/old/proj")
  }

  /// A ledger written before v6 is migrated in place: its analyses and improvements are filed under their
  /// workspace path, and `improve --next` still finds them from that folder.
  @Test func aVersion5FileIsBackfilledFromTheWorkspace() throws {
    let path = tempLedgerPath()
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let v5 = Array(Schema.migrations.prefix(5))
    try writing(try rawFile(path)) { db in
      for m in v5 { try db.execute(sql: m.sqlite) }
      try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
      for m in v5 { try db.execute(sql: "INSERT INTO grdb_migrations VALUES (?)", arguments: [m.identifier]) }
      try db.execute(sql: "PRAGMA user_version = 5")
      try db.execute(sql: "INSERT INTO analyses (id, workspace, created_at) VALUES (7, '/w', '2025-01-01T00:00:00.000Z')")
      try db.execute(sql: """
        INSERT INTO improvements (id, analysis_id, title, created_at, updated_at)
        VALUES ('i7', 7, 'old', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')
        """)
    }
    let ledger = try Ledger.open(path: path)
    #expect(try ledger.analysis(id: 7)?.repository == "/w")
    #expect(try ledger.improvement(id: "i7")?.repository == "/w")
    let here = RepositoryRef(identity: "github.com/a/b@1", workspace: "/w")
    #expect(try claim(ledger, "a", at: Date()) == nil)  // `project` is another repository
    #expect(try ledger.claimImprovement(repository: here, claimant: "a", until: Date().addingTimeInterval(60), ranked: { $0 })?.id == "i7")
  }
}

final class Results: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [String] = []
  func add(_ value: String) { lock.withLock { values.append(value) } }
  var all: [String] { lock.withLock { values } }
}
