import Foundation
import TestSupport
import Testing

@testable import Ledger

/// Datasette finds the ledger's full-text index (it looks for an FTS table declared with
/// `content="messages"` or `content=[messages]`), also in a ledger made before the index was redeclared.
/// Checked with the sqlite3 shell and Datasette's own detection query.
@Suite struct FullTextDatasetteTests {
  let dir = TempDir("fts")
  var db: String { dir.file("ledger.db") }

  func sqlite(_ sql: String) throws -> String {
    try GitFixture.sh("sqlite3 \(db) \"\(sql.replacingOccurrences(of: "\"", with: "\\\""))\"", cwd: dir.path)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// datasette.utils.detect_fts_sql("messages"), as Datasette runs it.
  static let datasetteDetection = """
    select name from sqlite_master where rootpage = 0 and (
      sql like '%VIRTUAL TABLE%USING FTS%content="messages"%'
      or sql like '%VIRTUAL TABLE%USING FTS%content=[messages]%'
      or (tbl_name = 'messages' and sql like '%VIRTUAL TABLE%USING FTS%'))
    """

  func addMessages(_ ledger: Ledger) throws {
    let id = try ledger.startSession(NewSession(systemType: .ask, workspace: dir.path, prompt: "q"))
    for text in ["how does rebase onto work", "pineapple on pizza"] {
      _ = try ledger.appendMessage(sessionID: id, role: "user", content: [["type": "text", "text": .string(text)]], text: text)
    }
  }

  @Test func datasetteFindsTheIndexAndItsSearchMatchesOnlyTheHits() async throws {
    try addMessages(try Ledger.open(path: db))
    #expect(try sqlite(Self.datasetteDetection) == "messages_fts")
    // What Datasette's ?_search=rebase runs against the table.
    #expect(try sqlite("select text from messages where rowid in (select rowid from messages_fts where messages_fts match 'rebase')") == "how does rebase onto work")
  }

  @Test func aLedgerFromBeforeIsMigratedWithItsIndexRebuilt() async throws {
    // A version-2 ledger, as earlier releases wrote it.
    try (Schema.v1 + "\n" + Schema.v2 + """

      CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
      INSERT INTO grdb_migrations VALUES ('v1-initial'), ('v2-stats-index');
      PRAGMA user_version = 2;
      """).write(toFile: dir.file("v2.sql"), atomically: true, encoding: .utf8)
    _ = try GitFixture.sh("sqlite3 \(db) < v2.sql", cwd: dir.path)
    _ = try sqlite("insert into sessions(id, system_type, started_at, status) values ('s1', 'ask', '2026-01-01T00:00:00.000Z', 'success')")
    _ = try sqlite("insert into messages(session_id, seq, role, content, text, created_at) values ('s1', 1, 'user', '[]', 'an old question about rebase', '2026-01-01T00:00:00.000Z')")
    #expect(try sqlite(Self.datasetteDetection).isEmpty)
    // Any arrakis run that writes migrates it.
    let r = try await CLIRunner.run(["log", "prune", "--older-than", "2000-01-01"], env: ["ARRAKIS_DB": db], cwd: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try sqlite(Self.datasetteDetection) == "messages_fts")
    #expect(try sqlite("select count(*) from messages where rowid in (select rowid from messages_fts where messages_fts match 'rebase')") == "1")
    let found = try await CLIRunner.run(["log", "-q", "rebase", "--json"], env: ["ARRAKIS_DB": db], cwd: dir.path)
    #expect(found.stdout.contains("s1"), "\(found.stdout) \(found.stderr)")
  }
}
