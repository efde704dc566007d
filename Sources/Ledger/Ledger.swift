import ArrakisCore
import FoundationEssentials
import Glibc
import Postgres

/// The record of every run, behind one engine: a SQLite file (the embedded default, see
/// Engine/SQLiteEngine.swift) or a PostgreSQL server a team shares. This is the only module that speaks
/// SQL; its queries are written once for both engines, with what differs in Engine/SQLDialect.swift.
///
/// Nothing here reads the process environment: the caller resolves the location (`Environment.ledgerPath`),
/// and no API key can reach this module through it.
public final class Ledger: Sendable {
  /// Where this ledger lives, for messages: the database file, or the server's URL without its password.
  public let path: String
  let engine: any LedgerEngine

  init(engine: any LedgerEngine) {
    self.engine = engine
    self.path = engine.location
  }

  /// The SQL dialect of the engine, for queries that differ.
  var dialect: SQLDialect { engine.dialect }

  /// Opens (creating if needed) the ledger at `path`: parent directories (0700), WAL, foreign keys,
  /// synchronous=NORMAL, busy timeout, and migrations up to the current schema.
  /// A `postgresql://` or `postgres://` URL opens a PostgreSQL ledger instead (Engine/PostgresEngine.swift).
  public static func open(path: String) throws -> Ledger {
    if PGLocation.isURL(path) { return Ledger(engine: try PostgresEngine.open(url: path)) }
    return Ledger(engine: try SQLiteEngine.open(path: path))
  }

  /// Opens an existing ledger for a command that may write (`log prune`); returns nil when no file exists
  /// yet, so it never creates an empty ledger (or its directories) as a side effect.
  public static func openIfExists(path: String) throws -> Ledger? {
    if PGLocation.isURL(path) { return try PostgresEngine.openIfExists(url: path).map { Ledger(engine: $0) } }
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try open(path: path)
  }

  /// Opens an existing ledger for reading only (`arrakis log`, `log stats`): nil when no file exists, no
  /// migration, no write, so a read-only file or folder (a backup, another user's ledger) can be read. A
  /// file older than this binary is migrated first when it can be written; one that cannot is read as is
  /// when current enough.
  public static func openReadOnly(path: String) throws -> Ledger? {
    if PGLocation.isURL(path) { return try PostgresEngine.openIfExists(url: path).map { Ledger(engine: $0) } }
    return try SQLiteEngine.openReadOnly(path: path).map { Ledger(engine: $0) }
  }

  // MARK: - Transactions

  /// One short write transaction (see `LedgerEngine.write`). `body` must not have effects outside the
  /// database: it may run more than once.
  @discardableResult
  func write<T>(_ what: String, _ body: (any SQLConnection) throws -> T) throws -> T {
    try engine.write(what, body)
  }

  /// A read in one snapshot.
  func read<T>(_ what: String, _ body: (any SQLConnection) throws -> T) throws -> T {
    try engine.read(what, body)
  }
}
