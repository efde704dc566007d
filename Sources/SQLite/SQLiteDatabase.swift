import CSQLite

/// One SQLite connection. Not shareable between threads at once: its owner serializes the calls (the
/// ledger's engine holds it behind a mutex, one connection per ledger).
public final class SQLiteDatabase: @unchecked Sendable {
  private var handle: OpaquePointer?
  /// Prepared statements of `each`, by SQL text: a walk may run the same look-up once per row of another
  /// query (Sources/Ledger/Queries.swift).
  private var cache: [String: SQLiteStatement] = [:]
  /// The file name as given to `init` (a path, or a `file:` URI).
  private let filename: String

  /// Opens (creating unless `readOnly`) the database at `filename`. `uri`: `filename` is a `file:` URI
  /// (see `fileURI`), so that its query (`immutable=1`, `mode=ro`) applies. The connection waits up to
  /// `busyTimeout` milliseconds for another connection's lock, reports extended result codes, refuses
  /// double-quoted string literals (a misspelled column name is an error, not a string), and has read the
  /// file's header, so that a file that is not a database fails here (SQLITE_NOTADB).
  public init(filename: String, readOnly: Bool = false, uri: Bool = false, busyTimeout: Int32 = 0) throws {
    self.filename = filename
    var flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
    if uri { flags |= SQLITE_OPEN_URI }
    // Extended codes for a failure of the open itself too (SQLite 3.37 and later; older ones ignore the flag).
    flags |= SQLITE_OPEN_EXRESCODE
    var handle: OpaquePointer?
    let rc = sqlite3_open_v2(filename, &handle, flags, nil)
    guard let handle else { throw SQLiteError(code: rc, message: String(cString: sqlite3_errstr(rc))) }
    self.handle = handle
    guard rc == SQLITE_OK else {
      let error = Self.error(rc, handle)
      close()
      throw error
    }
    sqlite3_extended_result_codes(handle, 1)
    sqlite3_busy_timeout(handle, busyTimeout)
    arrakis_sqlite3_refuse_double_quoted_strings(handle)
    do {
      try each("SELECT * FROM sqlite_master LIMIT 1", cached: false) { _ in false }
    } catch {
      close()
      throw error
    }
  }

  deinit { close() }

  /// Closes the connection (a WAL file is checkpointed if this was the last connection); later calls fail
  /// with SQLITE_MISUSE.
  public func close() {
    cache = [:]  // finalizes them: a connection with live statements does not close
    if let handle { sqlite3_close_v2(handle) }
    handle = nil
  }

  /// Runs every statement of `sql` (a migration's DDL, several statements); `arguments` fill the places of
  /// the statements in order. Returns the rows changed by the last INSERT, UPDATE or DELETE
  /// (sqlite3_changes).
  @discardableResult
  public func execute(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> Int {
    let connection = try open()
    var remaining = arguments[...]
    try sql.withCString { start in
      var offset = 0
      let length = sql.utf8.count
      while offset < length {
        var consumed = 0
        let statement = try SQLiteStatement.prepare(connection, start + offset, length: length - offset, consumed: &consumed)
        offset += max(consumed, 1)
        guard let statement else { continue }
        let count = min(statement.parameterCount, remaining.count)
        try statement.bind(remaining.prefix(count))
        remaining = remaining.dropFirst(count)
        while try statement.step() {}
      }
    }
    guard remaining.isEmpty else {
      throw SQLiteError(misuse: "wrong number of statement arguments: \(arguments.count) for the statements of \(sql)")
    }
    return Int(sqlite3_changes(connection))
  }

  /// Streams the rows of one statement to `body` until it returns false. The statement is prepared once
  /// per connection (`cached`) and reset after the walk, whether it ended, stopped or failed.
  public func each(
    _ sql: String, _ arguments: [SQLiteValue] = [], cached: Bool = true, _ body: (SQLiteRow) throws -> Bool
  ) throws {
    let statement = try statement(sql, cached: cached)
    defer { statement.reset() }
    try statement.bind(arguments[...])
    var columns: [String]?
    while try statement.step() {
      let names = columns ?? statement.columnNames
      columns = names
      if try !body(SQLiteRow(columns: names, values: statement.values())) { return }
    }
  }

  /// Every row of one statement.
  public func rows(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> [SQLiteRow] {
    var rows: [SQLiteRow] = []
    try each(sql, arguments) { rows.append($0); return true }
    return rows
  }

  /// The first column of the first row; nil when there is no row.
  public func value(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> SQLiteValue? {
    var first: SQLiteValue?
    try each(sql, arguments) { first = $0.values.first; return false }
    return first
  }

  /// True between BEGIN and COMMIT/ROLLBACK (SQLite may also roll back by itself on some errors).
  public var isInTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

  private func open() throws -> OpaquePointer {
    guard let handle else { throw SQLiteError(misuse: "the connection to \(filename) is closed") }
    return handle
  }

  /// One statement of `sql`, from the cache when it is there and not in use; more than one is a misuse.
  private func statement(_ sql: String, cached: Bool) throws -> SQLiteStatement {
    if cached, let statement = cache[sql], !statement.isBusy { return statement }
    let connection = try open()
    let statement = try sql.withCString { start -> SQLiteStatement in
      let length = sql.utf8.count
      var consumed = 0
      guard let statement = try SQLiteStatement.prepare(connection, start, length: length, consumed: &consumed) else {
        throw SQLiteError(misuse: "no statement in \(sql)")
      }
      var rest = 0
      if consumed < length, try SQLiteStatement.prepare(connection, start + consumed, length: length - consumed, consumed: &rest) != nil {
        throw SQLiteError(misuse: "more than one statement in \(sql)")
      }
      return statement
    }
    if cached, cache[sql] == nil { cache[sql] = statement }
    return statement
  }

  /// The error of a call that returned `rc`, with the connection's message for it.
  static func error(_ rc: Int32, _ connection: OpaquePointer) -> SQLiteError {
    SQLiteError(code: rc, message: sqlite3_errmsg(connection).map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc)))
  }
}
