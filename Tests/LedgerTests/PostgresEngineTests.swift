import ArrakisCore
import Foundation
import Postgres
import TestSupport
import Testing
@testable import Ledger

/// Reported skipped where no PostgreSQL server can be had, so a run that left out the PostgreSQL cases of
/// the parameterized ledger tests says so (.ci/run sets ARRAKIS_TEST_POSTGRES_REQUIRED=1: there they run).
@Suite struct EngineAvailabilityTests {
  @Test(.enabled(if: PostgresServer.isAvailable, "no PostgreSQL here: the ledger tests ran on SQLite only (apt-get install postgresql, or set ARRAKIS_TEST_POSTGRES_URL)"))
  func theLedgerTestsRunOnPostgreSQLToo() throws {
    #expect(engines.contains(.postgres))
    #expect(try PostgresServer.shared().port > 0)
  }
}

/// What only the PostgreSQL engine has: migrations under an advisory lock, retries of whole transactions,
/// reconnection, and the server's failures as ledger errors naming the server.
@Suite(.enabled(if: PostgresServer.isAvailable, "needs PostgreSQL: apt-get install postgresql, or set ARRAKIS_TEST_POSTGRES_URL"))
struct PostgresEngineTests {
  func admin(_ url: String) throws -> PGConnection { try PGConnection(url: url) }

  @Test func anEmptyDatabaseIsNoLedgerUntilOpenedThenMigratedOnce() throws {
    let url = try PostgresServer.shared().makeDatabase("open")
    #expect(try Ledger.openIfExists(path: url) == nil)
    #expect(try Ledger.openReadOnly(path: url) == nil)
    let id = try Ledger.open(path: url).startSession(NewSession(systemType: .ask, prompt: "hello"))
    for _ in 0..<3 {
      let again = try #require(try Ledger.openReadOnly(path: url))
      #expect(try again.session(idOrPrefix: id).prompt == "hello")
    }
    let recorded = try admin(url).execute("SELECT identifier FROM ledger_migrations ORDER BY identifier").rows.compactMap { $0[0] }
    #expect(recorded == Schema.migrations.map(\.identifier).sorted())
  }

  @Test func processesOpeningANewDatabaseTogetherMigrateItOnce() throws {
    let url = try PostgresServer.shared().makeDatabase("race")
    let failures = LockedList()
    DispatchQueue.concurrentPerform(iterations: 8) { i in
      do {
        _ = try Ledger.open(path: url).startSession(NewSession(systemType: .ask, prompt: "writer \(i)"))
      } catch {
        failures.append("\(error)")
      }
    }
    #expect(failures.items.isEmpty, "\(failures.items)")
    let db = try admin(url)
    #expect(try db.execute("SELECT count(*) FROM ledger_migrations").rows == [[String(Schema.migrations.count)]])
    #expect(try db.execute("SELECT count(*) FROM sessions").rows == [["8"]])
  }

  @Test func aDatabaseMigratedByANewerArrakisIsRefused() throws {
    let url = try PostgresServer.shared().makeDatabase("newer")
    _ = try Ledger.open(path: url)
    try admin(url).execute("INSERT INTO ledger_migrations VALUES ('v99-from-the-future', '2099-01-01T00:00:00.000Z')")
    let error = try #require(throws: ArrakisError.self) { try Ledger.open(path: url) }
    #expect(error.status == .ledger)
    #expect(error.message.contains("v99-from-the-future") && error.message.contains("newer arrakis"), "\(error.message)")
  }

  @Test func concurrentWritesToOneRowAreRetriedAndNoneIsLost() throws {
    let url = try PostgresServer.shared().makeDatabase("retry")
    let id = try Ledger.open(path: url).startSession(NewSession(systemType: .code, prompt: "busy"))
    let failures = LockedList()
    // Eight connections adding to the same session's totals under SERIALIZABLE: most transactions conflict
    // with another at least once and are run again.
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      do {
        let ledger = try Ledger.open(path: url)
        for _ in 0..<25 { try ledger.addUsage(sessionID: id, input: 1, output: 2, costUSD: 0.5) }
      } catch {
        failures.append("\(error)")
      }
    }
    #expect(failures.items.isEmpty, "\(failures.items)")
    let session = try Ledger.open(path: url).session(idOrPrefix: id)
    #expect(session.inputTokens == 200 && session.outputTokens == 400)
    #expect(session.costUSD == 100)
  }

  @Test func aTerminatedConnectionIsReopenedAndTheWriteGoesThrough() throws {
    let url = try PostgresServer.shared().makeDatabase("reconnect")
    let ledger = try Ledger.open(path: url)
    let id = try ledger.startSession(NewSession(systemType: .ask, prompt: "before"))
    // Every other connection to this database (the ledger's) is cut by the server.
    try admin(url).execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
    try ledger.appendMessage(sessionID: id, role: "user", content: ["text"], text: "after the cut")
    #expect(try ledger.messages(sessionID: id).map(\.text) == ["after the cut"])
  }

  @Test func anUnreachableServerIsALedgerErrorNamingHostAndPort() throws {
    let port = PostgresServer.freePortForTests()
    let error = try #require(throws: ArrakisError.self) { try Ledger.open(path: "postgresql://arrakis:secret@127.0.0.1:\(port)/ledger") }
    #expect(error.status == .ledger)
    #expect(error.message.contains("127.0.0.1:\(port)"), "\(error.message)")
    #expect(error.message.contains("Connection refused"), "\(error.message)")
    #expect(!error.message.contains("secret"), "the password is never shown: \(error.message)")
    #expect(error.hint?.contains("running") == true, "\(error.hint ?? "")")
  }

  @Test func aRefusedPasswordGivesLibpqsReason() throws {
    let server = try PostgresServer.shared()
    let url = server.url(database: "postgres", password: "not-the-password")
    let error = try #require(throws: ArrakisError.self) { try Ledger.open(path: url) }
    #expect(error.status == .ledger)
    #expect(error.message.contains("password authentication failed"), "\(error.message)")
    #expect(!error.message.contains("not-the-password"))
  }

  @Test func textAndJSONAreKeptAsRecordedIncludingWhatPostgreSQLCannotHold() throws {
    let ledger = try freshLedger(.postgres)
    let id = try ledger.startSession(NewSession(systemType: .code, prompt: "Grüße 🌍"))
    // A tool's output with a NUL byte: PostgreSQL's text cannot hold it, the rest of the output is kept.
    let content: JSONValue = [["type": "tool_result", "content": "bin\u{0}ary é"]]
    try ledger.appendMessage(sessionID: id, role: "user", content: content, text: "bin\u{0}ary é", usage: ["input_tokens": 3])
    let message = try #require(try ledger.messages(sessionID: id).first)
    #expect(message.text == "bin\u{FFFD}ary é")
    #expect(message.content == content, "json keeps the \\u0000 escape as written")
    #expect(try ledger.session(idOrPrefix: id).prompt == "Grüße 🌍")
  }
}

@Suite struct PlaceholderTests {
  @Test(arguments: [
    ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"),
    ("VALUES (?1, (SELECT max(x) FROM t WHERE s = ?1), ?2, ?3)", "VALUES ($1, (SELECT max(x) FROM t WHERE s = $1), $2, $3)"),
    ("SELECT ?2, ?", "SELECT $2, $3"),
    ("SELECT '?', 'it''s ?', \"odd?\" FROM t WHERE x = ?", "SELECT '?', 'it''s ?', \"odd?\" FROM t WHERE x = $1"),
    ("SELECT 1 -- why?\nWHERE a = ? /* and? */ AND b = ?", "SELECT 1 -- why?\nWHERE a = $1 /* and? */ AND b = $2"),
  ])
  func questionMarksBecomeNumberedParametersOutsideQuotesAndComments(sql: String, expected: String) {
    #expect(PostgresConnection.numbered(sql) == expected)
  }

  /// A multi-row INSERT (log copy) has thousands of placeholders: the rewrite is linear in the SQL's length.
  @Test func thousandsOfPlaceholdersAreRewrittenQuickly() {
    let rows = Array(repeating: "(?, ?, ?, ?, ?, ?)", count: 2000).joined(separator: ", ")
    let sql = "INSERT INTO t (a, b, c, d, e, f) VALUES " + rows
    let arguments: [(any SQLValueConvertible)?] = (0..<12_000).map { $0 % 3 == 0 ? nil : "v\($0)" }
    let started = Date()
    let statement = PostgresConnection.statement(sql, arguments)
    #expect(Date().timeIntervalSince(started) < 2, "quadratic rewrite: \(Date().timeIntervalSince(started)) s")
    #expect(statement.values.count == 12_000 && statement.sql.hasSuffix("$11999, $12000)"))
  }

  /// An optional filter, `?1 IS NULL OR column = ?1`, must plan whatever the argument: PostgreSQL cannot
  /// infer a parameter's type from IS NULL.
  @Test func nullArgumentsAreWrittenAsNullAndTextTestedForNullIsDeclaredText() {
    let sql = "SELECT * FROM improvements WHERE (?1 IS NULL OR analysis_id = ?1) AND (?2 IS NULL OR status = ?2) AND title = ?3"
    let none = PostgresConnection.statement(sql, [nil as Int64?, "open", "t"])
    #expect(none.sql == "SELECT * FROM improvements WHERE (NULL IS NULL OR analysis_id = NULL) AND ($2 IS NULL OR status = $2) AND title = $3")
    #expect(none.types == [.text, .text, nil])
    let some = PostgresConnection.statement(sql, [Int64(7), nil as String?, "t"])
    #expect(some.sql.hasPrefix("SELECT * FROM improvements WHERE ($1 IS NULL OR analysis_id = $1) AND (NULL IS NULL OR status = NULL)"))
    #expect(some.values == [.text("7"), .null, .text("t")] && some.types == [.int64, .text, nil])
  }
}

final class LockedList: @unchecked Sendable {
  private let lock = NSLock()
  private var list: [String] = []
  func append(_ s: String) { lock.withLock { list.append(s) } }
  var items: [String] { lock.withLock { list } }
}
