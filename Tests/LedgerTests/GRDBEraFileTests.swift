import Foundation
import SQLite
import Testing
@testable import Ledger

/// Ledger files stay compatible both ways with the arrakis versions that used GRDB: they record applied
/// migrations in `grdb_migrations`, which Engine/SQLiteMigrator.swift reads and writes as GRDB did.
@Suite struct GRDBEraFileTests {
  /// GRDB's DatabaseMigrator creates its table with exactly this statement.
  static let grdbTable = "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)"

  /// A file as a GRDB-era arrakis left it after its first three migrations (WAL, user_version 3), with a
  /// session in it: it opens, is migrated to the current schema, and keeps the session.
  @Test func aFileWrittenThroughGRDBOpensAndMigrates() throws {
    let path = tempLedgerPath()
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let old = Array(Schema.migrations.prefix(3))
    let raw = try rawFile(path)
    #expect(try raw.value(String.self, sql: "PRAGMA journal_mode = WAL") == "wal")
    try writing(raw) { db in
      try db.execute(sql: Self.grdbTable)
      for (index, m) in old.enumerated() {
        try db.execute(sql: m.sqlite)
        try db.execute(sql: "PRAGMA user_version = \(index + 1)")
        try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [m.identifier])
      }
      try db.execute(
        sql: "INSERT INTO sessions (id, system_type, prompt, started_at) VALUES (?, 'ask', 'from GRDB days', ?)",
        arguments: ["abcd0000-0000-0000-0000-000000000000", "2025-01-01T00:00:00.000Z"])
    }
    raw.database.close()

    let ledger = try Ledger.open(path: path)
    #expect(try ledger.session(idOrPrefix: "abcd").prompt == "from GRDB days")
    try sqliteFile(ledger) { (db: SQLiteConnection) throws in
      #expect(try db.value(Int.self, sql: "PRAGMA user_version") == Schema.version)
      #expect(try db.values(String.self, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") == Schema.migrations.map(\.identifier))
      #expect(try Schema.migrator.hasCompletedMigrations(db.database))
      // The table is GRDB's own still, not re-created.
      #expect(try db.value(String.self, sql: "SELECT sql FROM sqlite_master WHERE name = 'grdb_migrations'") == Self.grdbTable)
    }
    // Reopening runs nothing: any DDL would bump the schema cookie.
    let cookie = try sqliteFile(ledger) { (db: SQLiteConnection) throws in try db.value(Int.self, sql: "PRAGMA schema_version") }
    _ = try Ledger.open(path: path)
    #expect(try sqliteFile(ledger) { (db: SQLiteConnection) throws in try db.value(Int.self, sql: "PRAGMA schema_version") } == cookie)
  }

  /// What a GRDB-era arrakis reads of a file written now: GRDB's table, every identifier, the version.
  @Test func aFileWrittenNowIsWhatGRDBReads() throws {
    let path = tempLedgerPath()
    _ = try Ledger.open(path: path)
    let raw = try rawFile(path)
    #expect(try raw.value(String.self, sql: "SELECT sql FROM sqlite_master WHERE name = 'grdb_migrations'") == Self.grdbTable)
    #expect(try Set(raw.values(String.self, sql: "SELECT identifier FROM grdb_migrations")) == Set(Schema.migrations.map(\.identifier)))
    #expect(try raw.value(Int.self, sql: "PRAGMA user_version") == Schema.version)
    #expect(try raw.value(String.self, sql: "PRAGMA journal_mode") == "wal")
  }
}
