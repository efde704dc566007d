/// One transaction's connection, handed to the body of `LedgerEngine.write`/`read` (and so of
/// `Ledger.write`/`read`). Valid only inside that body.
///
/// SQL is written with `?` placeholders (SQLite's `?1`-style numbered ones too); the PostgreSQL
/// implementation renumbers them to `$1…` outside quotes.
protocol SQLConnection {
  var dialect: SQLDialect { get }
  /// Runs a statement that returns no rows; returns how many rows it inserted, changed or deleted.
  @discardableResult
  func execute(sql: String, arguments: [(any SQLValueConvertible)?]) throws -> Int
  func rows(sql: String, arguments: [(any SQLValueConvertible)?]) throws -> [SQLRow]
  /// Streams the rows to `body` until it returns false, without holding them all (a walk over 100,000
  /// sessions that stops after 20). The default implementation reads them all first.
  func each(sql: String, arguments: [(any SQLValueConvertible)?], _ body: (SQLRow) throws -> Bool) throws
}

extension SQLConnection {
  func each(sql: String, arguments: [(any SQLValueConvertible)?], _ body: (SQLRow) throws -> Bool) throws {
    for row in try rows(sql: sql, arguments: arguments) {
      if try !body(row) { return }
    }
  }

  @discardableResult
  func execute(sql: String) throws -> Int { try execute(sql: sql, arguments: []) }

  func rows(sql: String) throws -> [SQLRow] { try rows(sql: sql, arguments: []) }

  /// The first row, nil when there is none.
  func row(sql: String, arguments: [(any SQLValueConvertible)?] = []) throws -> SQLRow? {
    var first: SQLRow?
    try each(sql: sql, arguments: arguments) { first = $0; return false }
    return first
  }

  /// The first column of the first row; nil when there is no row or the value is NULL.
  func value<T: SQLValueConvertible>(
    _: T.Type = T.self, sql: String, arguments: [(any SQLValueConvertible)?] = []
  ) throws -> T? {
    guard let row = try row(sql: sql, arguments: arguments) else { return nil }
    return row[0] as T?
  }

  /// The first column of every row, NULLs left out.
  func values<T: SQLValueConvertible>(
    _: T.Type = T.self, sql: String, arguments: [(any SQLValueConvertible)?] = []
  ) throws -> [T] {
    try rows(sql: sql, arguments: arguments).compactMap { $0[0] as T? }
  }
}

/// The engine behind a `Ledger`: opens connections and runs transactions.
protocol LedgerEngine: Sendable {
  var dialect: SQLDialect { get }
  /// What to name in messages: the file's path, or the URL with its password removed.
  var location: String { get }
  /// One short write transaction (SQLite: BEGIN IMMEDIATE with busy retries; PostgreSQL: retried whole on
  /// a serialization failure or a lost connection). `body` must not have effects outside the database: it
  /// may run more than once. Errors reach the caller as `ArrakisError` saying "cannot \(what) in the ledger
  /// at \(location)".
  func write<T>(_ what: String, _ body: (any SQLConnection) throws -> T) throws -> T
  /// A read in one snapshot.
  func read<T>(_ what: String, _ body: (any SQLConnection) throws -> T) throws -> T
  /// Statements that cannot run inside a transaction (SQLite's VACUUM, PostgreSQL's VACUUM), each in its
  /// own autocommit statement.
  func outsideTransaction<T>(_ what: String, _ body: (any SQLConnection) throws -> T) throws -> T
}
