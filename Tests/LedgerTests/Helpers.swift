import ArrakisCore
import Foundation
@testable import Ledger
import SQLite
import TestSupport
import Testing

/// A fresh directory per test; the ledger file inside it does not exist yet.
func tempLedgerPath(_ name: String = "ledger.db") -> String {
  let dir = FileManager.default.temporaryDirectory
    .appendingPathComponent("arrakis-ledger-tests-\(UUID().uuidString)")
  return dir.appendingPathComponent("nested/dir/\(name)").path
}

/// The engines a ledger test runs on: SQLite always; PostgreSQL where a server can be had (a throwaway
/// cluster, or ARRAKIS_TEST_POSTGRES_URL; see Tests/TestSupport/PostgresServer.swift). Where none can, the
/// PostgreSQL cases are absent and `EngineAvailabilityTests` reports the skip.
enum TestEngine: String, Sendable, CaseIterable, CustomTestStringConvertible {
  case sqlite, postgres
  var testDescription: String { rawValue }
}

let engines: [TestEngine] = PostgresServer.isAvailable ? [.sqlite, .postgres] : [.sqlite]

/// Where a new, empty ledger of `engine` is: a file path that does not exist yet, or a new database's URL.
func freshLocation(_ engine: TestEngine) throws -> String {
  switch engine {
  case .sqlite: return tempLedgerPath()
  case .postgres: return try PostgresServer.shared().makeDatabase("ledger")
  }
}

func freshLedger(_ engine: TestEngine = .sqlite) throws -> Ledger {
  try Ledger.open(path: try freshLocation(engine))
}

func usageError(_ body: () throws -> Void) -> ArrakisError? {
  do { try body() } catch let e as ArrakisError { return e } catch { return nil }
  return nil
}

/// The SQLite connection under a ledger, for tests that inspect what only a SQLite file has (pragmas,
/// `grdb_migrations`, query plans, FTS5). Fails the test on another engine.
func sqliteFile<T>(_ ledger: Ledger, _ body: (SQLiteConnection) throws -> T) throws -> T {
  let engine = try #require(ledger.engine as? SQLiteEngine, "this test inspects a SQLite file; the ledger is \(ledger.dialect)")
  return try engine.withDatabase { try body(SQLiteConnection(database: $0)) }
}

/// A connection of its own to the SQLite file at `path`, as another process (or an older arrakis) has one:
/// foreign keys on, waiting for locks.
func rawFile(_ path: String) throws -> SQLiteConnection {
  let database = try SQLiteDatabase(filename: path, busyTimeout: 10_000)
  try database.run("PRAGMA foreign_keys = ON")
  return SQLiteConnection(database: database)
}

/// A write transaction on a connection of `rawFile`.
func writing(_ db: SQLiteConnection, _ body: (SQLiteConnection) throws -> Void) throws {
  try db.database.transaction(.immediate) { try body(db) }
}

func tableExists(_ db: SQLiteConnection, _ table: String) throws -> Bool {
  try db.value(Int.self, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]) == 1
}

/// `SELECT count(*)` (or another single integer) through the ledger's own engine.
func count(_ ledger: Ledger, _ sql: String, _ arguments: [(any SQLValueConvertible)?] = []) throws -> Int {
  try ledger.read("count") { try $0.value(Int.self, sql: sql, arguments: arguments) } ?? 0
}

/// How many migrations the ledger recorded as applied.
func appliedMigrations(_ ledger: Ledger) throws -> Int {
  try count(ledger, ledger.dialect == .sqlite ? "SELECT count(*) FROM grdb_migrations" : "SELECT count(*) FROM ledger_migrations")
}
