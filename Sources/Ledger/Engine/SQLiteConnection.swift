import SQLite

/// The SQLite side of `SQLConnection`: the engine's one connection for the duration of one transaction.
struct SQLiteConnection: SQLConnection {
  let database: SQLiteDatabase
  var dialect: SQLDialect { .sqlite }

  @discardableResult
  func execute(sql: String, arguments: [(any SQLValueConvertible)?]) throws -> Int {
    try database.execute(sql, Self.arguments(arguments))
  }

  func rows(sql: String, arguments: [(any SQLValueConvertible)?]) throws -> [SQLRow] {
    var result: [SQLRow] = []
    try each(sql: sql, arguments: arguments) { result.append($0); return true }
    return result
  }

  func each(sql: String, arguments: [(any SQLValueConvertible)?], _ body: (SQLRow) throws -> Bool) throws {
    // Cached: a walk may run the same look-up once per row of another query (Queries.swift).
    try database.each(sql, Self.arguments(arguments), cached: true) { row in
      try body(SQLRow(columns: row.columns, values: row.values.map(Self.value)))
    }
  }

  static func arguments(_ values: [(any SQLValueConvertible)?]) -> [SQLiteValue] {
    values.map { databaseValue($0?.sqlValue ?? .null) }
  }

  static func databaseValue(_ value: SQLValue) -> SQLiteValue {
    switch value {
    case .null: return .null
    case .integer(let v): return .integer(v)
    case .real(let v): return .real(v)
    case .text(let v): return .text(v)
    case .blob(let v): return .blob(v)
    }
  }

  static func value(_ value: SQLiteValue) -> SQLValue {
    switch value {
    case .null: return .null
    case .integer(let v): return .integer(v)
    case .real(let v): return .real(v)
    case .text(let v): return .text(v)
    case .blob(let v): return .blob(v)
    }
  }
}
