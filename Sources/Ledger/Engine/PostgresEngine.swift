import ArrakisCore
import FoundationEssentials
import Glibc
import Postgres

/// The shared engine: a PostgreSQL database a team's machines all write to (CI runners, cron hosts,
/// laptops). One connection per `Ledger`, opened with the URL as libpq reads it (PGPASSWORD, ~/.pgpass,
/// PGSSLMODE… apply).
///
/// Concurrency: every write is one short SERIALIZABLE transaction, so the queries written for SQLite's
/// single writer keep their meaning with many writers; one that loses a race (40001, 40P01) or whose
/// connection broke is run again whole, after reconnecting, a bounded number of times. Reads run in one
/// REPEATABLE READ snapshot. Nothing is ever "locked": PostgreSQL waits for row locks itself.
final class PostgresEngine: LedgerEngine, @unchecked Sendable {
  /// The URL as given, password included (it never leaves this object).
  private let url: String
  /// The URL without its password, for messages.
  let location: String
  var dialect: SQLDialect { .postgres }

  /// Guards `connection`: a libpq connection serves one statement at a time.
  private let lock = Lock()
  private var connection: PGConnection?

  /// Whole-transaction attempts before a retryable failure is reported.
  static let attempts = 8

  private init(url: String, connection: PGConnection) {
    self.url = url
    self.location = PGLocation.redacted(url)
    self.connection = connection
  }

  // MARK: - Opening

  /// Connects and brings the schema up to date (creating it in an empty database).
  static func open(url: String) throws -> PostgresEngine {
    let engine = try connect(url: url)
    try engine.migrate()
    return engine
  }

  /// Connects to a ledger that exists: nil when the database holds no ledger yet (a reader never creates
  /// one); an older schema is brought up to date, a newer one refused.
  static func openIfExists(url: String) throws -> PostgresEngine? {
    let engine = try connect(url: url)
    let exists = try engine.read("read the schema") { db in
      try db.value(String.self, sql: "SELECT CAST(to_regclass('ledger_migrations') AS text)") != nil
    }
    guard exists else { return nil }
    try engine.migrate()
    return engine
  }

  private static func connect(url: String) throws -> PostgresEngine {
    do {
      return PostgresEngine(url: url, connection: try PGConnection(url: url))
    } catch let error as PGError {
      throw ledgerError("open", PGLocation.redacted(url), error)
    }
  }

  /// Applies the migrations this database lacks, under a transaction-scoped advisory lock so that processes
  /// starting together against a new database migrate it once; each records its identifier in
  /// `ledger_migrations`. A database migrated by a newer arrakis (an identifier unknown here) is refused.
  func migrate() throws {
    let known = Schema.migrations.map(\.identifier)
    let applied = try appliedMigrations()
    try refuseNewer(applied)
    guard Set(known).subtracting(applied).count > 0 else { return }
    try transaction("migrate", isolation: "READ COMMITTED") { db in
      // READ COMMITTED: once the lock is held, each statement sees what the holder before committed.
      try db.execute(sql: "SELECT pg_advisory_xact_lock(hashtext('arrakis ledger migrations'))")
      try db.execute(sql: "CREATE TABLE IF NOT EXISTS ledger_migrations (identifier TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
      let done = Set(try db.values(String.self, sql: "SELECT identifier FROM ledger_migrations"))
      for migration in Schema.migrations where !done.contains(migration.identifier) {
        try db.connection.executeScript(migration.postgres)
        try db.execute(
          sql: "INSERT INTO ledger_migrations (identifier, applied_at) VALUES (?, ?)",
          arguments: [migration.identifier, Timestamp.string(Date())])
      }
    }
  }

  private func appliedMigrations() throws -> [String] {
    try read("read the schema") { db in
      guard try db.value(String.self, sql: "SELECT CAST(to_regclass('ledger_migrations') AS text)") != nil else { return [] }
      return try db.values(String.self, sql: "SELECT identifier FROM ledger_migrations")
    }
  }

  private func refuseNewer(_ applied: [String]) throws {
    let unknown = Set(applied).subtracting(Schema.migrations.map(\.identifier))
    guard unknown.isEmpty else {
      throw ArrakisError(
        .ledger, "the ledger at \(location) has migrations this arrakis does not know (\(unknown.sorted().joined(separator: ", "))): a newer arrakis wrote it",
        hint: "use that newer arrakis, or pass --db / set ARRAKIS_DB to another ledger")
    }
  }

  // MARK: - Transactions

  func write<T>(_ what: String, _ body: (any SQLConnection) throws -> T) throws -> T {
    try transaction(what, isolation: "SERIALIZABLE", body)
  }

  func read<T>(_ what: String, _ body: (any SQLConnection) throws -> T) throws -> T {
    try transaction(what, isolation: "REPEATABLE READ READ ONLY", body)
  }

  /// Each statement commits by itself (VACUUM refuses to run inside a transaction).
  func outsideTransaction<T>(_ what: String, _ body: (any SQLConnection) throws -> T) throws -> T {
    try attempting(what) { connection in try body(PostgresConnection(connection: connection)) }
  }

  private func transaction<T>(_ what: String, isolation: String, _ body: (PostgresConnection) throws -> T) throws -> T {
    try attempting(what) { connection in
      try connection.execute("BEGIN ISOLATION LEVEL \(isolation)")
      do {
        let result = try body(PostgresConnection(connection: connection))
        try connection.execute("COMMIT")
        return result
      } catch {
        if connection.isConnected { _ = try? connection.execute("ROLLBACK") }
        throw error
      }
    }
  }

  /// Runs `body` on the connection (reconnecting first if it was lost), again from the start on a
  /// serialization failure, a deadlock or a lost connection, with a growing, jittered pause; any other
  /// failure, or the last attempt's, reaches the caller as an `ArrakisError` naming the server.
  ///
  /// A connection lost during COMMIT leaves it unknown whether the transaction committed; running it again
  /// then fails on the unique key the first run wrote (session ids, message sequence numbers) rather than
  /// recording twice.
  private func attempting<T>(_ what: String, _ body: (PGConnection) throws -> T) throws -> T {
    lock.lock()
    defer { lock.unlock() }
    var attempt = 0
    var lost = false
    while true {
      do {
        let connection = try currentConnection()
        return try body(connection)
      } catch let error as PGError {
        attempt += 1
        // Once the connection broke, a server that does not answer yet may be restarting: keep trying
        // within the same bound.
        let retryable = error.isRetryable || (lost && error.kind == .unreachable)
        if !retryable || attempt >= Self.attempts { throw Self.ledgerError(what, location, error) }
        if error.kind == .connectionLost {
          connection = nil
          lost = true
        }
        Self.backoff(attempt)
      }
    }
  }

  private func currentConnection() throws -> PGConnection {
    if let connection, connection.isConnected { return connection }
    connection = nil
    let fresh = try PGConnection(url: url)
    connection = fresh
    return fresh
  }

  /// 10 ms, 20 ms … up to 640 ms, each between half and all of that: about 1.3 s over all attempts.
  static func backoff(_ attempt: Int) {
    let cap = 10_000 * (1 << min(attempt - 1, 6))
    usleep(UInt32.random(in: UInt32(cap / 2)...UInt32(cap)))
  }

  static func ledgerError(_ what: String, _ location: String, _ error: PGError) -> ArrakisError {
    return ArrakisError(
      .ledger, (what == "open" ? "cannot open the ledger at" : "cannot \(what) in the ledger at") + " \(location): \(error)",
      hint: error.whatToCheck ?? "pass --db / set ARRAKIS_DB to use another ledger")
  }
}
