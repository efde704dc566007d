import ArrakisCore
import Glibc
import SQLite

/// The embedded engine: one SQLite file in WAL mode, shared by every arrakis process on the machine (a
/// person, git hooks, cron).
///
/// Connection choice: one connection per ledger, its calls serialized by a mutex. The CLI is one short
/// process doing a handful of statements; a second (reader) connection would buy nothing but its own open.
/// WAL mode is persistent in the file, so it is set once, when the file is created or migrated, not on
/// every open.
///
/// Concurrency: every write is one short `BEGIN IMMEDIATE` transaction (the write lock is taken up front,
/// so a transaction never has to upgrade from read to write and fail with SQLITE_BUSY_SNAPSHOT). The busy
/// handler waits up to `busyTimeout`; anything that still escapes as SQLITE_BUSY/LOCKED (WAL recovery, the
/// journal-mode switch on a brand-new file, racing migrators) is retried a bounded number of times.
final class SQLiteEngine: LedgerEngine {
  /// The database file.
  let path: String
  private let database: SQLiteDatabase
  /// Opened with SQLITE_OPEN_READONLY: reads need no `query_only` guard.
  private let readOnly: Bool
  private let lock = Lock()
  var dialect: SQLDialect { .sqlite }
  var location: String { path }

  /// How long, in seconds, SQLite's busy handler waits for another process's lock before giving up.
  static let busyTimeout = 10
  /// Bounded retries for SQLITE_BUSY/LOCKED that escape the busy handler.
  static let busyRetries = 40

  private init(path: String, database: SQLiteDatabase, readOnly: Bool) {
    self.path = path
    self.database = database
    self.readOnly = readOnly
  }

  /// The connection, for one caller at a time (a transaction, or a test that inspects the file).
  func withDatabase<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
    try lock.withLock { try body(database) }
  }

  // MARK: - Opening

  /// Opens (creating if needed) the ledger at `path`: parent directories (0700), WAL, foreign keys,
  /// synchronous=NORMAL, busy timeout, and migrations up to the current schema.
  static func open(path: String) throws -> SQLiteEngine {
    do {
      try createParentDirectory(of: path)
      return try connect(path: path).engine
    } catch let error as ArrakisError {
      throw error
    } catch {
      throw openError(path, error)
    }
  }

  /// Opens an existing file for reading only: nil when no file exists, no migration, no write, so a
  /// read-only file or folder (a backup, another user's ledger) can be read. A file older than this binary
  /// is migrated first when it can be written; one that cannot is read as is when current enough.
  static func openReadOnly(path: String) throws -> SQLiteEngine? {
    guard access(path, F_OK) == 0 else { return nil }
    do {
      let dir = path.deletingLastPathComponent
      let writable = access(path, W_OK) == 0 && access(dir.isEmpty ? "." : dir, W_OK) == 0
      do {
        let (engine, version) = try connect(path: path, readOnly: true, allowOlder: writable)
        if writable, version < Schema.version { return try open(path: path) }
        return engine
      } catch let error as SQLiteError where error.code == .cannotOpen && !writable {
        // A WAL ledger needs its -shm file, which a read-only folder cannot hold: read the file as it is
        // on disk (immutable), which is all a reader of a folder nobody writes can want.
        let uri = SQLiteDatabase.fileURI(path: path, query: "immutable=1")
        return try connect(path: path, readOnly: true, uri: uri).engine
      }
    } catch let error as ArrakisError {
      throw error
    } catch {
      throw openError(path, error)
    }
  }

  /// The engine and the file's schema version (user_version), which `openReadOnly` compares.
  private static func connect(
    path: String, readOnly: Bool = false, allowOlder: Bool = false, uri: String? = nil
  ) throws -> (engine: SQLiteEngine, version: Int) {
    let database = try retryingBusy {
      let database = try SQLiteDatabase(
        filename: uri ?? path, readOnly: readOnly, uri: uri != nil, busyTimeout: Int32(busyTimeout * 1000))
      // Both only matter to a connection that writes: a reader neither checks foreign keys nor syncs, so it
      // spares their two statements at every `arrakis log`.
      if !readOnly {
        try database.run("PRAGMA foreign_keys = ON")
        // Per connection (not persistent). In WAL mode NORMAL is durable across application crashes and
        // only risks the last commits on power loss, and spares an fsync per commit.
        try database.run("PRAGMA synchronous = NORMAL")
      }
      return database
    }
    let version = try prepare(database, path: path, readOnly: readOnly, allowOlder: allowOlder)
    return (SQLiteEngine(path: path, database: database, readOnly: readOnly), version)
  }

  /// The state of a file `prepare` decides on.
  private struct FileState {
    var version: Int
    var journalMode: String
    /// Identifiers in grdb_migrations that `Schema.migrations` does not hold (a newer arrakis's).
    var unknownMigrations: [String]
  }

  /// The identifiers of `Schema.migrations` as an SQL list, for the one statement of `fileState`.
  private static let knownMigrationsSQL = Schema.migrations.map { "'\($0.identifier)'" }.joined(separator: ", ")

  /// One statement for a file arrakis made (the start of every command pays it): the version, the journal
  /// mode and the migrations this binary does not know. A file without grdb_migrations (new, empty, or
  /// not ledger at all) fails to compile that statement and is read the long way.
  private static func fileState(_ database: SQLiteDatabase) throws -> FileState {
    let db = SQLiteConnection(database: database)
    let sql = """
      SELECT (SELECT user_version FROM pragma_user_version), (SELECT journal_mode FROM pragma_journal_mode),
        (SELECT group_concat(identifier, char(10)) FROM grdb_migrations WHERE identifier NOT IN (\(knownMigrationsSQL)))
      """
    do {
      guard let row = try db.row(sql: sql) else { throw SQLiteError(.error, message: "no row") }
      let unknown: String? = row[2]
      return FileState(
        version: row[0] ?? 0, journalMode: row[1] ?? "",
        unknownMigrations: unknown.map { $0.split(separator: "\n").map(String.init) } ?? [])
    } catch let error as SQLiteError where error.code == .error {
      let applied = try Schema.migrator.appliedIdentifiers(database)
      return FileState(
        version: try db.value(Int.self, sql: "PRAGMA user_version") ?? 0,
        journalMode: try db.value(String.self, sql: "PRAGMA journal_mode") ?? "",
        unknownMigrations: applied.subtracting(Schema.migrations.map(\.identifier)).sorted())
    }
  }

  /// Fast path: a current file costs one statement. Slow path (new or old file): switch to WAL and
  /// migrate, both safe against other processes doing the same at the same moment. Returns the version
  /// the file had when opened.
  @discardableResult
  private static func prepare(_ database: SQLiteDatabase, path: String, readOnly: Bool, allowOlder: Bool = false) throws -> Int {
    let state = try retryingBusy { try fileState(database) }
    let (version, mode, unknown) = (state.version, state.journalMode, state.unknownMigrations)
    // A file from a newer arrakis may hold columns, tables or meanings this binary does not know: writing
    // it (or reading it as if it were ours) could lose what the newer one recorded.
    if version > Schema.version || !unknown.isEmpty {
      let theirs = version > Schema.version ? "\(version)" : "\(version) with migrations \(unknown.sorted().joined(separator: ", "))"
      throw ArrakisError(
        .ledger, "the ledger at \(path) has schema version \(theirs), newer than this arrakis's \(Schema.version)",
        hint: "use the newer arrakis that wrote it, or pass --db / set ARRAKIS_DB to another ledger file")
    }
    if readOnly {
      if version < Schema.version && !allowOlder {
        throw ArrakisError(
          .ledger, "the ledger at \(path) has schema version \(version), older than this arrakis's \(Schema.version), and cannot be written to upgrade it",
          hint: "make it writable once, or pass --db / set ARRAKIS_DB to another ledger file")
      }
      return version
    }
    if mode.lowercased() != "wal" { try enableWAL(database) }
    if version == Schema.version { return version }
    try migrate(database)
    return version
  }

  /// Switching to WAL needs an exclusive lock, which SQLite does not wait for through the busy handler in
  /// every case; when 16 processes create the file together, all but one see BUSY or get the old mode back.
  private static func enableWAL(_ database: SQLiteDatabase) throws {
    for attempt in 0...busyRetries {
      do {
        let mode = try SQLiteConnection(database: database).value(String.self, sql: "PRAGMA journal_mode = WAL")
        if mode?.lowercased() == "wal" { return }
      } catch let error as SQLiteError where isBusy(error) && attempt < busyRetries {}
      backoff(attempt)
    }
    throw SQLiteError(.busy, message: "could not switch the ledger to WAL mode")
  }

  /// Processes racing on a new file each run the migrator: each migration checks its record under the
  /// write lock (SQLiteMigrator.run), so the loser skips what the winner did; a BUSY that escaped the
  /// busy handler is retried.
  private static func migrate(_ database: SQLiteDatabase) throws {
    try retryingBusy { try Schema.migrator.migrate(database) }
  }

  /// Creates the missing folders above the file, each 0700: the ledger holds prompts, answers and file
  /// contents; other users have no business there.
  private static func createParentDirectory(of path: String) throws {
    let dir = path.deletingLastPathComponent
    guard !dir.isEmpty, access(dir, F_OK) != 0 else { return }
    try createParentDirectory(of: dir)
    if mkdir(dir, 0o700) == 0 {
      chmod(dir, 0o700)  // whatever the umask
    } else if errno != EEXIST {  // another process may have created it in the meantime
      throw FolderError(path: dir, reason: String(cString: strerror(errno)))
    }
  }

  struct FolderError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "cannot create the folder \(path): \(reason)" }
  }

  // MARK: - Transactions

  /// One short IMMEDIATE write transaction, retried whole on a BUSY that escaped the busy handler.
  func write<T>(_ what: String, _ body: (any SQLConnection) throws -> T) throws -> T {
    try mapErrors(what) {
      try Self.retryingBusy {
        try withDatabase { db in try db.transaction(.immediate) { try body(SQLiteConnection(database: db)) } }
      }
    }
  }

  /// A read in one snapshot (a DEFERRED transaction). On a connection that can write, `query_only` makes
  /// a write inside it fail (SQLITE_READONLY) instead of taking the write lock.
  func read<T>(_ what: String, _ body: (any SQLConnection) throws -> T) throws -> T {
    try mapErrors(what) {
      try Self.retryingBusy {
        try withDatabase { db in
          if readOnly { return try db.transaction(.deferred) { try body(SQLiteConnection(database: db)) } }
          try db.run("PRAGMA query_only = 1")
          let result = Result { try db.transaction(.deferred) { try body(SQLiteConnection(database: db)) } }
          let restored = Result { try db.run("PRAGMA query_only = 0") }
          let value = try result.get()
          try restored.get()
          return value
        }
      }
    }
  }

  /// Each statement commits by itself (VACUUM refuses to run inside a transaction).
  func outsideTransaction<T>(_ what: String, _ body: (any SQLConnection) throws -> T) throws -> T {
    try mapErrors(what) { try Self.retryingBusy { try withDatabase { try body(SQLiteConnection(database: $0)) } } }
  }
}
