import ArrakisCore
import Foundation
import TestSupport
import Testing
@testable import Ledger

/// A ledger this binary does not understand is refused, not used as is; readers open it read-only.
@Suite struct SchemaGuardTests {
  @Test func aNewerSchemaIsRefusedNamingBothVersions() throws {
    let path = tempLedgerPath()
    let ledger = try Ledger.open(path: path)
    let id = try ledger.startSession(NewSession(systemType: .ask, prompt: "kept"))
    try sqliteFile(ledger) { try $0.execute(sql: "PRAGMA user_version = 99") }
    for open in [{ try Ledger.open(path: path) }, { try Ledger.openReadOnly(path: path)! }] {
      let error = usageError { _ = try open() }
      #expect(error?.status == .ledger)
      #expect(error?.message.contains("schema version 99, newer than this arrakis's \(Schema.version)") == true, "\(String(describing: error))")
    }
    // Nothing was changed by the refusal: the file still reads 99 and holds the session.
    let raw = try rawFile(path)
    #expect(try raw.value(Int.self, sql: "PRAGMA user_version") == 99)
    #expect(try raw.value(String.self, sql: "SELECT prompt FROM sessions WHERE id = ?", arguments: [id]) == "kept")
  }

  @Test func anUnknownMigrationIsRefusedToo() throws {
    let path = tempLedgerPath()
    _ = try Ledger.open(path: path)
    try writing(try rawFile(path)) { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')") }
    let error = usageError { _ = try Ledger.open(path: path) }
    #expect(error?.status == .ledger)
    #expect(error?.message.contains("v9-from-the-future") == true, "\(String(describing: error))")
    #expect(error?.message.contains("this arrakis's \(Schema.version)") == true)
  }

  /// `arrakis log` on a ledger in a folder it cannot write (a backup, a read-only mount): read, not refused,
  /// and nothing written. A read-only bind mount, because root ignores permission bits; skipped visibly
  /// where mounting is not allowed.
  @Test(.enabled(if: Mount.allowed, "cannot mount here (not root, or no CAP_SYS_ADMIN)"))
  func readOnlyOpenReadsAReadOnlyFolder() throws {
    let path = tempLedgerPath()
    let id: String
    do {
      let ledger = try Ledger.open(path: path)
      id = try ledger.startSession(NewSession(systemType: .ask, prompt: "readable"))
    }
    let dir = (path as NSString).deletingLastPathComponent
    let mount = try #require(Mount.readOnlyBind(dir))
    defer { mount.unmount() }
    let roPath = mount.path + "/" + (path as NSString).lastPathComponent
    let reader = try #require(try Ledger.openReadOnly(path: roPath))
    #expect(try reader.session(idOrPrefix: id).prompt == "readable")
    let error = usageError { _ = try reader.startSession(NewSession(systemType: .ask)) }
    #expect(error?.status == .ledger, "a read-only ledger accepted a write")
    #expect(try Ledger.openReadOnly(path: tempLedgerPath()) == nil)
  }
}
