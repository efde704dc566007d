import GRDB

/// The two calls the copier makes on a ledger's connection, with values taken and given as they are
/// stored (no decoding into records, so every column, also one this binary does not model, is carried).
typealias CopyValue = DatabaseValue

protocol CopyConnection {
  /// Rows of `sql`, each as the values of `columns` (the names or aliases of its result columns), in order.
  func rows(_ sql: String, _ arguments: [CopyValue], columns: [String]) throws -> [[CopyValue]]
  func execute(_ sql: String, _ arguments: [CopyValue]) throws
  /// The table's writable columns (generated ones left out), in declaration order.
  func columns(of table: String) throws -> [String]
}

extension Ledger {
  /// One write transaction on this ledger for the copier (`write`'s retries and error mapping).
  func copyWrite<T>(_ what: String, _ body: (any CopyConnection) throws -> T) throws -> T {
    try write(what) { try body(GRDBCopyConnection(db: $0)) }
  }

  /// One read snapshot of this ledger for the copier.
  func copyRead<T>(_ what: String, _ body: (any CopyConnection) throws -> T) throws -> T {
    try read(what) { try body(GRDBCopyConnection(db: $0)) }
  }
}

private struct GRDBCopyConnection: CopyConnection {
  let db: Database

  func rows(_ sql: String, _ arguments: [CopyValue], columns: [String]) throws -> [[CopyValue]] {
    // Cached: the copier runs the same few statements (per chunk size) thousands of times.
    let statement = try db.cachedStatement(sql: sql)
    return try Row.fetchAll(statement, arguments: StatementArguments(arguments)).map { row in
      columns.map { row[$0] as DatabaseValue }
    }
  }

  func execute(_ sql: String, _ arguments: [CopyValue]) throws {
    try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments))
  }

  func columns(of table: String) throws -> [String] {
    // table_info leaves hidden and generated columns out, which are not inserted.
    try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table])
  }
}

extension DatabaseValue {
  var int64: Int64? { Int64.fromDatabaseValue(self) }
  var text: String? { String.fromDatabaseValue(self) }
}

extension CopyValue {
  static func of(_ text: String) -> CopyValue { text.databaseValue }
  static func of(_ integer: Int64) -> CopyValue { integer.databaseValue }
}
