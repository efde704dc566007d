/// One value bound to or read from a statement: SQLite's five storage classes.
public enum SQLiteValue: Sendable, Equatable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob([UInt8])
}

/// One result row: the statement's column names and the row's values, in the same order.
public struct SQLiteRow: Sendable, Equatable {
  public let columns: [String]
  public let values: [SQLiteValue]

  public init(columns: [String], values: [SQLiteValue]) {
    self.columns = columns
    self.values = values
  }

  /// The value of the first column named `column` (exact spelling), nil when the row has none.
  public subscript(_ column: String) -> SQLiteValue? {
    columns.firstIndex(of: column).map { values[$0] }
  }
}
