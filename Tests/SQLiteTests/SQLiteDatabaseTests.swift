import Foundation
import SQLite
import Testing

/// Sources/SQLite against a real file in a fresh folder.
@Suite struct SQLiteDatabaseTests {
  let dir: String

  init() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("arrakis-sqlite-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  func open(_ name: String = "t.db", readOnly: Bool = false) throws -> SQLiteDatabase {
    try SQLiteDatabase(filename: dir + "/" + name, readOnly: readOnly)
  }

  @Test func everyKindOfValueReadsBackAsBound() throws {
    let db = try open()
    try db.execute("CREATE TABLE t (v)")
    let values: [SQLiteValue] = [
      .null, .integer(Int64.min), .integer(42), .real(1.5), .text(""), .text("café ☕"), .blob([]), .blob([0, 1, 255]),
    ]
    for value in values { try db.execute("INSERT INTO t VALUES (?)", [value]) }
    #expect(try db.rows("SELECT v FROM t ORDER BY rowid").map { $0.values[0] } == values)
    #expect(try db.rows("SELECT v AS value FROM t LIMIT 1").first?.columns == ["value"])
  }

  @Test func executeRunsEveryStatementWithItsArguments() throws {
    let db = try open()
    let changed = try db.execute(
      "CREATE TABLE t (a, b); INSERT INTO t VALUES (?, ?); -- a comment\nINSERT INTO t VALUES (?, 'x'), (?, 'y');",
      [.integer(1), .text("one"), .integer(2), .integer(3)])
    #expect(changed == 2)
    #expect(try db.value("SELECT group_concat(a || b, ',') FROM t") == .text("1one,2x,3y"))
    // Numbered places take their argument by number.
    #expect(try db.value("SELECT ?2 || ?1", [.text("a"), .text("b")]) == .text("ba"))
  }

  @Test func aWrongNumberOfArgumentsIsAMisuse() throws {
    let db = try open()
    for arguments: [SQLiteValue] in [[], [.integer(1), .integer(2)]] {
      #expect(throws: SQLiteError.self) { try db.value("SELECT ?", arguments) }
      do { _ = try db.value("SELECT ?", arguments) } catch let error as SQLiteError { #expect(error.code == .misuse) }
    }
    #expect(throws: SQLiteError.self) { try db.execute("SELECT 1; SELECT ?", []) }
    #expect(throws: SQLiteError.self) { try db.rows("SELECT 1; SELECT 2") }
  }

  /// A walk stopped early leaves its cached statement reset: the next use starts from the first row, and a
  /// walk that runs its own SQL again inside itself gets a statement of its own.
  @Test func cachedStatementsAreResetAndNotSharedWhileInUse() throws {
    let db = try open()
    try db.execute("CREATE TABLE t (n); INSERT INTO t VALUES (1), (2), (3)")
    let sql = "SELECT n FROM t ORDER BY n"
    var first: [SQLiteValue] = []
    try db.each(sql) { first.append($0.values[0]); return false }
    var inner: [SQLiteValue] = []
    var outer: [SQLiteValue] = []
    try db.each(sql) { row in
      outer.append(row.values[0])
      try db.each(sql) { inner.append($0.values[0]); return true }
      return true
    }
    #expect(first == [.integer(1)])
    #expect(outer == [.integer(1), .integer(2), .integer(3)])
    #expect(inner.count == 9)
    // Nothing holds the read lock afterwards: another connection can switch the journal mode.
    #expect(try open().value("PRAGMA journal_mode = WAL") == .text("wal"))
  }

  @Test func aTransactionCommitsOrRollsBackWhole() throws {
    let db = try open()
    try db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    try db.transaction(.immediate) { try db.execute("INSERT INTO t VALUES (1)") }
    struct Stop: Error {}
    #expect(throws: Stop.self) {
      try db.transaction(.immediate) {
        try db.execute("INSERT INTO t VALUES (2)")
        throw Stop()
      }
    }
    do {
      try db.transaction(.deferred) { try db.execute("INSERT INTO t VALUES (3); INSERT INTO t VALUES (1)") }
      Issue.record("a duplicate key was accepted")
    } catch let error as SQLiteError {
      #expect(error.code == .constraint)
      #expect(error.extendedCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY: extended codes are on
      #expect(error.message.contains("t.n"), "\(error.message)")
    }
    #expect(!db.isInTransaction)
    #expect(try db.rows("SELECT n FROM t").map { $0.values[0] } == [.integer(1)])
  }

  @Test func anotherConnectionsWriteLockIsBusy() throws {
    let a = try open()
    try a.execute("PRAGMA journal_mode = WAL; CREATE TABLE t (n)")
    let b = try SQLiteDatabase(filename: dir + "/t.db", busyTimeout: 50)
    try a.transaction(.immediate) {
      do {
        try b.transaction(.immediate) {}
        Issue.record("two write transactions at once")
      } catch let error as SQLiteError {
        #expect(error.code == .busy)
      }
    }
    try b.transaction(.immediate) { try b.execute("INSERT INTO t VALUES (1)") }
  }

  @Test func openingSortsItsFailures() throws {
    try Data("not a database, just text that is long enough to be read as a header".utf8).write(to: URL(fileURLWithPath: dir + "/text.db"))
    #expect { _ = try open("text.db") } throws: { ($0 as? SQLiteError)?.code == .notADatabase }
    #expect { _ = try open("missing/x.db") } throws: { ($0 as? SQLiteError)?.code == .cannotOpen }

    try open("ro.db").execute("CREATE TABLE t (n)")
    let reader = try open("ro.db", readOnly: true)
    do {
      try reader.execute("INSERT INTO t VALUES (1)")
      Issue.record("a read-only connection wrote")
    } catch let error as SQLiteError {
      #expect(error.code == .readOnly)
    }
  }

  @Test func fileURIsKeepThePathWhole() throws {
    #expect(SQLiteDatabase.fileURI(path: "/a b/c?d#e%f.db", query: "immutable=1") == "file:/a%20b/c%3Fd%23e%25f.db?immutable=1")
    try FileManager.default.createDirectory(atPath: dir + "/odd ?#%", withIntermediateDirectories: true)
    let path = dir + "/odd ?#%/x.db"
    try SQLiteDatabase(filename: path).execute("CREATE TABLE t (n); INSERT INTO t VALUES (7)")
    let reader = try SQLiteDatabase(filename: SQLiteDatabase.fileURI(path: path, query: "immutable=1"), readOnly: true, uri: true)
    #expect(try reader.value("SELECT n FROM t") == .integer(7))
  }

  @Test func aClosedConnectionRefusesCalls() throws {
    let db = try open()
    db.close()
    #expect { _ = try db.value("SELECT 1") } throws: { ($0 as? SQLiteError)?.code == .misuse }
  }
}
