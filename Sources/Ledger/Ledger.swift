import ArrakisCore
import Foundation
import GRDB

/// The record of every run: one SQLite file in WAL mode, shared by every arrakis process on the machine
/// (a person, git hooks, cron). This is the only module that speaks SQL.
///
/// Connection choice: one `DatabaseQueue` (a single connection) per `Ledger`. The CLI is one short process
/// doing a handful of statements; a `DatabasePool` would open a second connection and, on every open,
/// write a dummy transaction whenever the -wal file is absent (i.e. on nearly every CLI start). WAL mode is
/// persistent in the file, so it is set once, when the file is created or migrated, not on every open.
///
/// Concurrency: every write is one short `BEGIN IMMEDIATE` transaction (the write lock is taken up front,
/// so a transaction never has to upgrade from read to write and fail with SQLITE_BUSY_SNAPSHOT). The busy
/// handler waits up to `busyTimeout`; anything that still escapes as SQLITE_BUSY/LOCKED (WAL recovery, the
/// journal-mode switch on a brand-new file, racing migrators) is retried a bounded number of times.
///
/// Nothing here reads the process environment: the caller resolves the path (`Environment.ledgerPath`),
/// and no API key can reach this module through it.
public final class Ledger: Sendable {
  /// The database file this ledger writes.
  public let path: String
  let db: DatabaseQueue

  /// How long SQLite's busy handler waits for another process's lock before giving up.
  static let busyTimeout: TimeInterval = 10
  /// Bounded retries for SQLITE_BUSY/LOCKED that escape the busy handler.
  static let busyRetries = 40

  private init(path: String, db: DatabaseQueue) {
    self.path = path
    self.db = db
  }

  /// Opens (creating if needed) the ledger at `path`: parent directories (0700), WAL, foreign keys,
  /// synchronous=NORMAL, busy timeout, and migrations up to the current schema.
  public static func open(path: String) throws -> Ledger {
    do {
      try createParentDirectory(of: path)
      return try connect(path: path)
    } catch let error as ArrakisError {
      throw error
    } catch {
      throw openError(path, error)
    }
  }

  /// Opens an existing ledger for a command that may write (`log prune`); returns nil when no file exists
  /// yet, so it never creates an empty ledger (or its directories) as a side effect.
  public static func openIfExists(path: String) throws -> Ledger? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try open(path: path)
  }

  /// Opens an existing ledger for reading only (`arrakis log`, `log stats`): nil when no file exists, no
  /// migration, no write, so a read-only file or folder (a backup, another user's ledger) can be read. A
  /// file older than this binary is migrated first when it can be written; one that cannot is read as is
  /// when current enough.
  public static func openReadOnly(path: String) throws -> Ledger? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    do {
      let dir = (path as NSString).deletingLastPathComponent
      let writable = access(path, W_OK) == 0 && access(dir.isEmpty ? "." : dir, W_OK) == 0
      do {
        let ledger = try connect(path: path, readOnly: true, allowOlder: writable)
        if writable, try ledger.read("read the schema version", { try Int.fetchOne($0, sql: "PRAGMA user_version") ?? 0 }) < Schema.version {
          return try open(path: path)
        }
        return ledger
      } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN && !writable {
        // A WAL ledger needs its -shm file, which a read-only folder cannot hold: read the file as it is
        // on disk (immutable), which is all a reader of a folder nobody writes can want.
        let uri = "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1"
        return try connect(path: path, readOnly: true, uri: uri)
      }
    } catch let error as ArrakisError {
      throw error
    } catch {
      throw openError(path, error)
    }
  }

  private static func connect(path: String, readOnly: Bool = false, allowOlder: Bool = false, uri: String? = nil) throws -> Ledger {
    var config = Configuration()
    config.readonly = readOnly
    config.busyMode = .timeout(busyTimeout)
    config.foreignKeysEnabled = true
    // GRDB leaves the journal mode alone for a DatabaseQueue with `.default`; `prepare` sets WAL once.
    config.journalMode = .default
    config.label = "arrakis.ledger"
    config.prepareDatabase { db in
      // Per connection (not persistent). In WAL mode NORMAL is durable across application crashes and
      // only risks the last commits on power loss, and spares an fsync per commit.
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
    let queue = try retryingBusy { try DatabaseQueue(path: uri ?? path, configuration: config) }
    try prepare(queue, path: path, readOnly: readOnly, allowOlder: allowOlder)
    return Ledger(path: path, db: queue)
  }

  /// Fast path: a current file costs two pragma reads. Slow path (new or old file): switch to WAL and
  /// migrate, both safe against other processes doing the same at the same moment.
  private static func prepare(_ queue: DatabaseQueue, path: String, readOnly: Bool, allowOlder: Bool = false) throws {
    let (version, mode, applied) = try retryingBusy {
      try queue.inDatabase { db in
        (
          try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
          try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
          try db.tableExists("grdb_migrations")
            ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
        )
      }
    }
    // A file from a newer arrakis may hold columns, tables or meanings this binary does not know: writing
    // it (or reading it as if it were ours) could lose what the newer one recorded.
    let unknown = Set(applied).subtracting(Schema.migrator.migrations)
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
      return
    }
    if mode.lowercased() != "wal" { try enableWAL(queue) }
    if version == Schema.version { return }
    try migrate(queue)
  }

  /// Switching to WAL needs an exclusive lock, which SQLite does not wait for through the busy handler in
  /// every case; when 16 processes create the file together, all but one see BUSY or get the old mode back.
  private static func enableWAL(_ queue: DatabaseQueue) throws {
    for attempt in 0...busyRetries {
      do {
        let mode = try queue.inDatabase { try String.fetchOne($0, sql: "PRAGMA journal_mode = WAL") }
        if mode?.lowercased() == "wal" { return }
      } catch let error as DatabaseError where isBusy(error) && attempt < busyRetries {}
      backoff(attempt)
    }
    throw DatabaseError(resultCode: .SQLITE_BUSY, message: "could not switch the ledger to WAL mode")
  }

  /// GRDB's migrator reads the applied migrations before it takes the write lock, so two processes racing
  /// on a new file can both try migration 1; the loser's IMMEDIATE transaction waits, then fails on
  /// "table already exists" and rolls back whole. Running the migrator again then sees the winner's work,
  /// so a bounded retry is enough and nothing is half-applied.
  private static func migrate(_ queue: DatabaseQueue) throws {
    let migrator = Schema.migrator
    for attempt in 0...busyRetries {
      do {
        try migrator.migrate(queue)
        return
      } catch let error as DatabaseError {
        // Only SQLite's own failures can come from a race (BUSY, or "already exists" = SQLITE_ERROR).
        let done = (try? queue.read { try migrator.hasCompletedMigrations($0) }) ?? false
        if done { return }
        if attempt == busyRetries || !(isBusy(error) || error.resultCode == .SQLITE_ERROR) { throw error }
        backoff(attempt)
      }
    }
  }

  private static func createParentDirectory(of path: String) throws {
    let dir = (path as NSString).deletingLastPathComponent
    guard !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) else { return }
    do {
      // 0700: the ledger holds prompts, answers and file contents; other users have no business there.
      try FileManager.default.createDirectory(
        atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      // Another process may have created it in the meantime.
      if !FileManager.default.fileExists(atPath: dir) { throw error }
    }
  }

  // MARK: - Transactions

  /// One short IMMEDIATE write transaction, retried whole on a BUSY that escaped the busy handler.
  /// `body` must not have effects outside the database: it may run more than once.
  func write<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
    try mapErrors(what) {
      try Ledger.retryingBusy {
        var result: T?
        try db.inTransaction(.immediate) { database in
          result = try body(database)
          return .commit
        }
        return result!
      }
    }
  }

  /// A read in one snapshot.
  func read<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
    try mapErrors(what) { try Ledger.retryingBusy { try db.read(body) } }
  }

  // MARK: - Errors and retries

  static func isBusy(_ error: DatabaseError) -> Bool {
    error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
  }

  static func retryingBusy<T>(_ body: () throws -> T) throws -> T {
    var attempt = 0
    while true {
      do {
        return try body()
      } catch let error as DatabaseError where isBusy(error) && attempt < busyRetries {
        backoff(attempt)
        attempt += 1
      }
    }
  }

  /// Jittered, growing sleep (1–50 ms) so that racing processes do not retry in lock-step.
  static func backoff(_ attempt: Int) {
    let cap = min(50_000, 1_000 * (1 << min(attempt, 6)))
    usleep(UInt32.random(in: 500...UInt32(cap)))
  }

  func mapErrors<T>(_ what: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as DatabaseError {
      if Ledger.isDiskFull(error, path: path) { throw Ledger.diskFull("\(what) in", path) }
      throw ArrakisError(
        .ledger, "cannot \(what) in the ledger at \(path): \(Ledger.describe(error))",
        hint: Ledger.hint(for: error))
    }
  }

  /// "cannot open the ledger at …" / "cannot record a message in the ledger at …": the disk is full.
  private static func diskFull(_ what: String, _ path: String) -> ArrakisError {
    ArrakisError(
      .ledger, "cannot \(what) the ledger at \(path): the disk holding it is full",
      hint: "free space on that file system, or pass --db / set ARRAKIS_DB to a ledger on another disk")
  }

  /// SQLite reports a full disk as SQLITE_FULL, or as a plain "disk I/O error" when the write that failed
  /// was the WAL's or the -shm's: then the file system's free space tells.
  static func isDiskFull(_ error: DatabaseError, path: String) -> Bool {
    if error.resultCode == .SQLITE_FULL { return true }
    guard error.resultCode == .SQLITE_IOERR else { return false }
    var fs = statvfs()
    let dir = (path as NSString).deletingLastPathComponent
    guard statvfs(dir.isEmpty ? "." : dir, &fs) == 0 else { return false }
    // A few blocks may remain reserved or be taken by the failed write's own partial pages.
    return fs.f_bavail < 8 || (fs.f_favail == 0 && fs.f_files > 0)
  }

  private static func openError(_ path: String, _ error: Error) -> ArrakisError {
    if let db = error as? DatabaseError, isDiskFull(db, path: path) { return diskFull("open", path) }
    let detail = (error as? DatabaseError).map(describe) ?? "\(error)"
    let hint = (error as? DatabaseError).map(hint(for:))
      ?? "check that the directory of \(path) can be created and written, or pass --db / set ARRAKIS_DB"
    return ArrakisError(.ledger, "cannot open the ledger at \(path): \(detail)", hint: hint)
  }

  static func describe(_ error: DatabaseError) -> String {
    error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
  }

  static func hint(for error: DatabaseError) -> String {
    switch error.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return "another process held the ledger for more than \(Int(busyTimeout)) s; try again"
    case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
      return "check the file's permissions, or pass --db / set ARRAKIS_DB to a writable path"
    case .SQLITE_NOTADB, .SQLITE_CORRUPT:
      return "the file is not an arrakis ledger or is damaged; move it aside or pass --db"
    case .SQLITE_FULL:
      return "the disk is full"
    default:
      return "pass --db / set ARRAKIS_DB to use another ledger file"
    }
  }
}
