/// A result row, columns read by name (or by position), the reading typed by the variable:
/// `let id: String = row["id"]` traps naming the column when it is NULL or of another kind (a query that
/// does not match the schema is a programming error), `let pid: Int32? = row["pid"]` is nil for NULL or
/// for a column the row does not have (a column added by a later migration).
struct SQLRow: Sendable, Equatable {
  let columns: [String]
  let values: [SQLValue]

  init(columns: [String], values: [SQLValue]) {
    precondition(columns.count == values.count, "a row needs one value per column")
    self.columns = columns
    self.values = values
  }

  /// The value of `column`: the first column of that name, compared case-insensitively as SQL does.
  func value(_ column: String) -> SQLValue? {
    if let i = columns.firstIndex(of: column) { return values[i] }
    let lower = column.lowercased()
    return columns.firstIndex { $0.lowercased() == lower }.map { values[$0] }
  }

  subscript<T: SQLValueConvertible>(_ column: String) -> T {
    guard let value = value(column) else { fatalError("no column \(column) in the row (\(columns.joined(separator: ", ")))") }
    guard let converted = T.from(value) else { fatalError("column \(column) holds \(value), not a \(T.self)") }
    return converted
  }

  subscript<T: SQLValueConvertible>(_ column: String) -> T? {
    guard let value = value(column) else { return nil }
    if case .null = value { return nil }
    guard let converted = T.from(value) else { fatalError("column \(column) holds \(value), not a \(T.self)") }
    return converted
  }

  subscript<T: SQLValueConvertible>(_ index: Int) -> T {
    precondition(values.indices.contains(index), "no column #\(index) in the row (\(columns.joined(separator: ", ")))")
    guard let converted = T.from(values[index]) else { fatalError("column #\(index) holds \(values[index]), not a \(T.self)") }
    return converted
  }

  subscript<T: SQLValueConvertible>(_ index: Int) -> T? {
    precondition(values.indices.contains(index), "no column #\(index) in the row (\(columns.joined(separator: ", ")))")
    if case .null = values[index] { return nil }
    guard let converted = T.from(values[index]) else { fatalError("column #\(index) holds \(values[index]), not a \(T.self)") }
    return converted
  }
}
