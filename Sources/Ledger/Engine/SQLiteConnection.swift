import Foundation
import GRDB

/// The SQLite side of `SQLConnection`: GRDB's `Database` for the duration of one transaction.
struct SQLiteConnection: SQLConnection {
  let database: Database
  var dialect: SQLDialect { .sqlite }

  @discardableResult
  func execute(sql: String, arguments: [(any SQLValueConvertible)?]) throws -> Int {
    try database.execute(sql: sql, arguments: Self.arguments(arguments))
    return database.changesCount
  }

  func rows(sql: String, arguments: [(any SQLValueConvertible)?]) throws -> [SQLRow] {
    var result: [SQLRow] = []
    try each(sql: sql, arguments: arguments) { result.append($0); return true }
    return result
  }

  func each(sql: String, arguments: [(any SQLValueConvertible)?], _ body: (SQLRow) throws -> Bool) throws {
    // Cached: a walk may run the same look-up once per row of another query (Queries.swift).
    let statement = try database.cachedStatement(sql: sql)
    let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
    var columns: [String]?
    while let row = try cursor.next() {
      let names = columns ?? Array(row.columnNames)
      columns = names
      if try !body(SQLRow(columns: names, values: row.databaseValues.map(Self.value))) { return }
    }
  }

  static func arguments(_ values: [(any SQLValueConvertible)?]) -> StatementArguments {
    StatementArguments(values.map { databaseValue($0?.sqlValue ?? .null) })
  }

  static func databaseValue(_ value: SQLValue) -> DatabaseValue {
    switch value {
    case .null: return .null
    case .integer(let v): return v.databaseValue
    case .real(let v): return v.databaseValue
    case .text(let v): return v.databaseValue
    case .blob(let v): return Data(v).databaseValue
    }
  }

  static func value(_ value: DatabaseValue) -> SQLValue {
    switch value.storage {
    case .null: return .null
    case .int64(let v): return .integer(v)
    case .double(let v): return .real(v)
    case .string(let v): return .text(v)
    case .blob(let v): return .blob([UInt8](v))
    }
  }
}
