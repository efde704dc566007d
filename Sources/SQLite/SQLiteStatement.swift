import CSQLite

/// One prepared statement of a connection. Its owner resets it after each use (`SQLiteDatabase.run`), so
/// that a statement kept in the cache holds neither a read lock nor its last arguments.
final class SQLiteStatement {
  let handle: OpaquePointer
  private let connection: OpaquePointer

  /// Prepares the first statement of `sql` (UTF-8, `length` bytes); nil when there is none (only
  /// whitespace or comments). `consumed` is how many bytes that statement took.
  static func prepare(
    _ connection: OpaquePointer, _ sql: UnsafePointer<CChar>, length: Int, consumed: inout Int
  ) throws -> SQLiteStatement? {
    var handle: OpaquePointer?
    var tail: UnsafePointer<CChar>?
    let rc = sqlite3_prepare_v2(connection, sql, Int32(length), &handle, &tail)
    consumed = tail.map { $0 - sql } ?? length
    guard rc == SQLITE_OK else {
      sqlite3_finalize(handle)
      throw SQLiteDatabase.error(rc, connection)
    }
    return handle.map { SQLiteStatement(handle: $0, connection: connection) }
  }

  private init(handle: OpaquePointer, connection: OpaquePointer) {
    self.handle = handle
    self.connection = connection
  }

  deinit { sqlite3_finalize(handle) }

  /// How many `?` places the statement has (the highest number, for `?NNN` ones).
  var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

  /// True while a previous use has stepped and not been reset: a walk that runs the same look-up inside
  /// its own loop needs a second statement.
  var isBusy: Bool { sqlite3_stmt_busy(handle) != 0 }

  var columnNames: [String] {
    (0..<sqlite3_column_count(handle)).map { sqlite3_column_name(handle, $0).map { String(cString: $0) } ?? "" }
  }

  /// Binds exactly as many values as the statement has places; a different count is a programming error
  /// reported as SQLITE_MISUSE (SQLite itself would bind the missing ones as NULL).
  func bind(_ values: ArraySlice<SQLiteValue>) throws {
    guard values.count == parameterCount else {
      throw SQLiteError(misuse: "wrong number of statement arguments: \(values.count) for \(parameterCount) places")
    }
    for (offset, value) in values.enumerated() {
      let index = Int32(offset + 1)
      let rc: Int32
      switch value {
      case .null: rc = sqlite3_bind_null(handle, index)
      case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
      case .real(let v): rc = sqlite3_bind_double(handle, index, v)
      case .text(let v): rc = v.withCString { arrakis_sqlite3_bind_text(handle, index, $0, Int32(v.utf8.count)) }
      // An empty blob through bind_blob may come with a nil pointer, which SQLite binds as NULL.
      case .blob(let v) where v.isEmpty: rc = sqlite3_bind_zeroblob(handle, index, 0)
      case .blob(let v): rc = v.withUnsafeBytes { arrakis_sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count)) }
      }
      guard rc == SQLITE_OK else { throw SQLiteDatabase.error(rc, connection) }
    }
  }

  /// One step: true when it produced a row.
  func step() throws -> Bool {
    switch sqlite3_step(handle) {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    case let rc: throw SQLiteDatabase.error(rc, connection)
    }
  }

  /// The current row's values.
  func values() -> [SQLiteValue] {
    (0..<sqlite3_column_count(handle)).map(value)
  }

  private func value(_ column: Int32) -> SQLiteValue {
    switch sqlite3_column_type(handle, column) {
    case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
    case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
    case SQLITE_TEXT:
      // Text first, then its length, as SQLite's documentation orders the two calls.
      guard let text = sqlite3_column_text(handle, column) else { return .text("") }
      let count = Int(sqlite3_column_bytes(handle, column))
      return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
    case SQLITE_BLOB:
      guard let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
      let count = Int(sqlite3_column_bytes(handle, column))
      return .blob([UInt8](UnsafeRawBufferPointer(start: bytes, count: count)))
    default: return .null
    }
  }

  /// Ready for the next use: no row in progress, no arguments kept.
  func reset() {
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
  }
}
