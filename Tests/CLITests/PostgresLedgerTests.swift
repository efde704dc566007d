import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// The CLI against a PostgreSQL ledger (`ARRAKIS_DB=postgresql://…`): the real binary, a real server
/// (Tests/TestSupport/PostgresServer.swift), the loopback Messages API, real git repositories.
// Skipped where no PostgreSQL is installed and ARRAKIS_TEST_POSTGRES_URL is unset; .ci/run makes them required.
@Suite(.enabled(if: PostgresServer.isAvailable, "needs PostgreSQL: apt-get install postgresql, or set ARRAKIS_TEST_POSTGRES_URL"))
struct PostgresLedgerTests {
  let dir = TempDir("pg-cli")

  func run(_ args: [String], db: String, server: LoopbackServer? = nil, cwd: String? = nil) async throws -> CLIResult {
    var env = ["ARRAKIS_DB": db, "ARRAKIS_STALL_TIMEOUT": "2"]
    if let server {
      env["ANTHROPIC_BASE_URL"] = server.baseURL
      env["ANTHROPIC_API_KEY"] = "sk-test-0123456789"
    }
    return try await CLIRunner.run(args, env: env, cwd: cwd ?? dir.path)
  }

  @Test func askCodeAnalyzeAndEveryLogViewWorkOnAPostgreSQLLedger() async throws {
    let db = try PostgresServer.shared().makeDatabase("cli")
    let ask = try await run(["ask", "what is a frobnicator?"], db: db, server: try LoopbackServer([.sse(SSEBuilder.text("A frobnicator frobs."))]))
    #expect(ask.status == 0, "\(ask.stderr)")
    #expect(ask.stdout.contains("A frobnicator frobs."))

    try dir.write("repo/calc.sh", "add() { echo $(( $1 - $2 )); }\n")
    try GitFixture.sh("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: dir.file("repo"))
    let code = try await run(
      ["code", "--permission", "full-access", "fix add"], db: db,
      server: try LoopbackServer([
        .sse(SSEBuilder.turn(blocks: [.toolUse(id: "t0", name: "Read", input: ["file_path": "calc.sh"])], stopReason: "tool_use")),
        .sse(SSEBuilder.turn(blocks: [.toolUse(id: "t1", name: "Edit", input: ["file_path": "calc.sh", "old_string": "$1 - $2", "new_string": "$1 + $2"])], stopReason: "tool_use")),
        .sse(SSEBuilder.text("Fixed.")),
      ]), cwd: dir.file("repo"))
    #expect(code.status == 0, "\(code.stderr)")
    #expect(try String(contentsOfFile: dir.file("repo/calc.sh"), encoding: .utf8).contains("$1 + $2"), "\(code.stderr)")

    let repo = try ScriptedRepository.standard()
    let analyze = try await run(["analyze", "--no-model"], db: db, cwd: repo.path)
    #expect(analyze.status == 0, "\(analyze.stderr)")
    #expect(analyze.stdout.contains("Hotspots"))

    let log = try await run(["log", "--json"], db: db)
    #expect(log.status == 0, "\(log.stderr)")
    let sessions = try #require(try JSONValue.parse(log.stdout).arrayValue)
    #expect(sessions.compactMap { $0["system_type"]?.stringValue }.sorted() == ["analyze", "ask", "code"], "\(log.stdout)")
    let askID = try #require(sessions.first { $0["system_type"]?.stringValue == "ask" }?["id"]?.stringValue)

    let show = try await run(["log", "show", String(askID.prefix(8))], db: db)
    #expect(show.status == 0, "\(show.stderr)")
    #expect(show.stdout.contains("what is a frobnicator?") && show.stdout.contains("A frobnicator frobs."), "\(show.stdout)")

    let search = try await run(["log", "-q", "frobs", "--json"], db: db)
    #expect(search.status == 0, "\(search.stderr)")
    #expect(try JSONValue.parse(search.stdout).arrayValue?.compactMap { $0["id"]?.stringValue } == [askID], "\(search.stdout)")

    let stats = try await run(["log", "stats"], db: db)
    #expect(stats.status == 0, "\(stats.stderr)")
    #expect(stats.stdout.contains("ask") && stats.stdout.contains("code") && stats.stdout.contains("analyze"), "\(stats.stdout)")
    let insights = try await run(["log", "insights"], db: db)
    #expect(insights.status == 0, "\(insights.stderr)")

    // A backup of a server's ledger is a SQLite file holding the same sessions.
    let file = dir.file("backup.db")
    let backup = try await run(["log", "backup", file], db: db)
    #expect(backup.status == 0, "\(backup.stderr)")
    let fromFile = try await run(["log", "--json"], db: file)
    let backedUp = try #require(try JSONValue.parse(fromFile.stdout).arrayValue, "\(fromFile.stderr)")
    let ids = Set(sessions.compactMap { $0["id"]?.stringValue })
    #expect(ids.isSubset(of: Set(backedUp.compactMap { $0["id"]?.stringValue })), "\(fromFile.stdout)")

    // The password is in the URL the test passes, never in what arrakis prints.
    let password = try #require(try PostgresServer.shared().password)
    for output in [ask.stderr, log.stdout, show.stdout, stats.stdout, stats.stderr, insights.stdout, backup.stderr] {
      #expect(!output.contains(password))
    }
  }

  @Test func anUnreachableServerIsExit9NamingHostAndPortAndNothingIsCreated() async throws {
    let port = PostgresServer.freePortForTests()
    let url = "postgresql://arrakis:secret@127.0.0.1:\(port)/ledger"
    for args in [["ask", "hi"], ["log"], ["log", "stats"]] {
      let r = try await run(args, db: url, server: try LoopbackServer([.sse(SSEBuilder.text("unused"))]))
      #expect(r.status == 9, "\(args): \(r.stderr)")
      #expect(r.stderr.contains("127.0.0.1:\(port)"), "\(r.stderr)")
      #expect(r.stderr.contains("PostgreSQL") && r.stderr.contains("running"), "\(r.stderr)")
      #expect(!r.stderr.contains("secret"))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "a URL is never taken for a path")
  }

  @Test func aRefusedPasswordIsExit9WithLibpqsReason() async throws {
    let server = try PostgresServer.shared()
    let r = try await run(["log"], db: server.url(database: "postgres", password: "wrong-password"))
    #expect(r.status == 9, "\(r.stderr)")
    #expect(r.stderr.contains("password authentication failed"), "\(r.stderr)")
    #expect(!r.stderr.contains("wrong-password"))
  }

  @Test func theServerStoppingMidRunFailsTheRunCleanlyAndKeepsWhatWasRecorded() async throws {
    // A cluster of its own: this test stops it.
    let cluster = try PostgresServer()
    defer { cluster.shutDown() }
    let db = try cluster.makeDatabase("stop")
    // The model's first answer arrives after the server went away: recording it fails.
    let api = try LoopbackServer(handler: { _ in
      try? cluster.stop()
      return .sse(SSEBuilder.text("an answer nobody can record"))
    })
    let r = try await run(["ask", "remember this question"], db: db, server: api)
    #expect(r.status == 9, "\(r.stderr)")
    #expect(r.stderr.contains("127.0.0.1:\(cluster.port)"), "\(r.stderr)")
    #expect(r.stderr.contains("PostgreSQL"), "\(r.stderr)")

    try cluster.start()
    let show = try await run(["log", "--json"], db: db)
    #expect(show.status == 0, "\(show.stderr)")
    let sessions = try #require(try JSONValue.parse(show.stdout).arrayValue)
    try #require(sessions.count == 1, "\(show.stdout)")
    let id = try #require(sessions[0]["id"]?.stringValue)
    let transcript = try await run(["log", "show", id], db: db)
    #expect(transcript.stdout.contains("remember this question"), "the question recorded before the server stopped stays: \(transcript.stdout)")
  }

  @Test func configShowsTheEngineAndNeverThePassword() async throws {
    let pg = try await CLIRunner.run(["config"], env: ["ARRAKIS_DB": "postgresql://team:s3cret@db.example:5433/arrakis"], cwd: dir.path)
    #expect(pg.status == 0, "\(pg.stderr)")
    #expect(pg.stdout.contains("ledger:    PostgreSQL postgresql://team@db.example:5433/arrakis (ARRAKIS_DB)"), "\(pg.stdout)")
    #expect(!pg.stdout.contains("s3cret"))
    let secretJSON = try await CLIRunner.run(["config", "--json"], env: ["ARRAKIS_DB": "postgresql://team:s3cret@db.example:5433/arrakis"], cwd: dir.path)
    #expect(secretJSON.status == 0, "\(secretJSON.stderr)")
    #expect(!secretJSON.stdout.contains("s3cret"), "\(secretJSON.stdout)")
    let json = try await CLIRunner.run(["config", "--json"], env: ["ARRAKIS_DB": "postgres://db.example/arrakis"], cwd: dir.path)
    let ledger = try JSONValue.parse(json.stdout)["ledger"]
    #expect(ledger?["engine"]?.stringValue == "PostgreSQL" && ledger?["location"]?.stringValue == "postgres://db.example/arrakis")
    let file = try await CLIRunner.run(["config"], env: ["ARRAKIS_DB": dir.file("a.db")], cwd: dir.path)
    #expect(file.stdout.contains("ledger:    SQLite \(dir.file("a.db")) (ARRAKIS_DB)"), "\(file.stdout)")
  }
}
