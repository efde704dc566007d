import ArrakisCore
import Foundation
import Testing
@testable import Ledger

@Suite struct ModificationStatusTests {
  /// A status this binary does not know (written by a newer arrakis) reads back as it was, and is written
  /// back unchanged, instead of failing the whole listing.
  @Test(arguments: engines) func unknownStatusFromANewerBinaryIsKept(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let session = try ledger.startSession(NewSession(systemType: .improve, workspace: "/repo"))
    let id = try ledger.recordSelfModification(NewSelfModification(sessionID: session, filePath: "a.swift", success: true))
    try ledger.write("a newer binary's status") { db in
      try db.execute(sql: "UPDATE self_modifications SET status = 'quarantined' WHERE id = ?", arguments: [id])
    }
    let row = try #require(try ledger.selfModifications(sessionID: session).first)
    #expect(row.status.rawValue == "quarantined" && !ModificationStatus.known.contains(row.status))
    try ledger.setSelfModificationStatus(id: id, status: row.status)
    #expect(try ledger.selfModification(id: id)?.status == ModificationStatus("quarantined"))
  }

  /// Stored and printed (`--json`) as the plain string the column always held.
  @Test(arguments: engines) func storedAndEncodedAsThePlainString(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let session = try ledger.startSession(NewSession(systemType: .improve, workspace: "/repo"))
    let id = try ledger.recordSelfModification(NewSelfModification(sessionID: session, success: false, status: .rolledBack))
    let stored = try ledger.read("the raw column") { db in
      try db.value(String.self, sql: "SELECT status FROM self_modifications WHERE id = ?", arguments: [id])
    }
    #expect(stored == "rolled_back")
    let json = try JSONEncoder().encode([ModificationStatus.baselineRed, .kept])
    #expect(String(decoding: json, as: UTF8.self) == #"["baseline_red","kept"]"#)
    #expect(try JSONDecoder().decode([ModificationStatus].self, from: Data(#"["merged","later"]"#.utf8)) == [.merged, ModificationStatus("later")])
  }
}
