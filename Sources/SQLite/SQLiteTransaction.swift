import CSQLite

extension SQLiteDatabase {
  /// How a transaction takes its locks: DEFERRED on its first read or write, IMMEDIATE takes the write lock
  /// at BEGIN (a write then never has to upgrade a read lock, which fails at once with SQLITE_BUSY).
  public enum TransactionKind: String, Sendable {
    case deferred = "DEFERRED"
    case immediate = "IMMEDIATE"
  }

  /// `body` in one transaction: committed when it returns, rolled back when it (or the COMMIT) throws. The
  /// first error is the one thrown. SQLite may have rolled back by itself on a failed statement (a full
  /// disk, an I/O error): COMMIT is then refused as SQLITE_ABORT rather than SQLite's "no transaction".
  public func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
    try run("BEGIN \(kind.rawValue) TRANSACTION")
    do {
      let result = try body()
      guard isInTransaction else { throw SQLiteError(code: SQLITE_ABORT, message: "Transaction was aborted") }
      try run("COMMIT TRANSACTION")
      return result
    } catch {
      if isInTransaction { try? run("ROLLBACK TRANSACTION") }
      throw error
    }
  }

  /// A statement without arguments or rows, prepared once per connection (BEGIN, COMMIT, pragmas).
  public func run(_ sql: String) throws {
    try each(sql) { _ in true }
  }
}
