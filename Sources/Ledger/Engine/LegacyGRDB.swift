import GRDB

// Transitional: the GRDB-typed transactions the files not yet ported to `SQLConnection` still use. They run
// on the SQLite engine only; this file goes once every query is ported.
extension Ledger {
  var db: DatabaseQueue { (engine as! SQLiteEngine).queue }

  func writeGRDB<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
    try write(what) { try body(($0 as! SQLiteConnection).database) }
  }

  func readGRDB<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
    try read(what) { try body(($0 as! SQLiteConnection).database) }
  }

  static func retryingBusy<T>(_ body: () throws -> T) throws -> T { try SQLiteEngine.retryingBusy(body) }

  func mapErrors<T>(_ what: String, _ body: () throws -> T) throws -> T {
    try (engine as! SQLiteEngine).mapErrors(what, body)
  }
}
