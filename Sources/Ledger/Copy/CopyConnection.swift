/// The calls the copier makes on a ledger's connection, with values taken and given as they are stored
/// (no decoding into records, so every column, also one this binary does not model, is carried as is).
typealias CopyValue = SQLValue

protocol CopyConnection {
  /// Rows of `sql`, each as the values of `columns` (the names or aliases of its result columns), in order.
  func rows(_ sql: String, _ arguments: [CopyValue], columns: [String]) throws -> [[CopyValue]]
  func execute(_ sql: String, _ arguments: [CopyValue]) throws
  /// The table's writable columns (generated ones left out), in declaration order; none when the ledger
  /// has no such table (an older schema).
  func columns(of table: String) throws -> [String]
}

extension Ledger {
  /// One write transaction on this ledger for the copier (the engine's retries and error mapping).
  func copyWrite<T>(_ what: String, _ body: (any CopyConnection) throws -> T) throws -> T {
    try write(what) { try body(EngineCopyConnection(connection: $0)) }
  }

  /// One read snapshot of this ledger for the copier.
  func copyRead<T>(_ what: String, _ body: (any CopyConnection) throws -> T) throws -> T {
    try read(what) { try body(EngineCopyConnection(connection: $0)) }
  }
}

private struct EngineCopyConnection: CopyConnection {
  let connection: any SQLConnection

  func rows(_ sql: String, _ arguments: [CopyValue], columns: [String]) throws -> [[CopyValue]] {
    let rows = try connection.rows(sql: sql, arguments: arguments)
    guard let first = rows.first else { return [] }
    // Positions found once per result, not per value (a page holds thousands of rows).
    if first.columns == columns { return rows.map(\.values) }
    let at = columns.map { name in first.columns.firstIndex(of: name) ?? first.columns.firstIndex { $0.lowercased() == name.lowercased() } }
    return rows.map { row in at.map { $0.map { row.values[$0] } ?? .null } }
  }

  func execute(_ sql: String, _ arguments: [CopyValue]) throws {
    try connection.execute(sql: sql, arguments: arguments)
  }

  func columns(of table: String) throws -> [String] {
    switch connection.dialect {
    case .sqlite:
      // table_info leaves hidden and generated columns out: they are not inserted.
      return try connection.values(String.self, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table])
    case .postgres:
      // Generated columns (the search vector) are computed, identity ones (integer ids, the rowid that
      // orders sessions) numbered by the target: neither is carried.
      return try connection.values(
        String.self,
        sql: """
          SELECT column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER' AND is_identity = 'NO'
          ORDER BY ordinal_position
          """, arguments: [table])
    }
  }
}

/// Values pass through the copier unconverted.
extension SQLValue: SQLValueConvertible {
  var sqlValue: SQLValue { self }
  static func from(_ value: SQLValue) -> SQLValue? { value }
}

extension CopyValue {
  static func of(_ text: String) -> CopyValue { .text(text) }
  static func of(_ integer: Int64) -> CopyValue { .integer(integer) }
  var int64: Int64? { Int64.from(self) }
  var string: String? { String.from(self) }
}
