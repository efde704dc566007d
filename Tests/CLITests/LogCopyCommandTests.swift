import ArrakisCore
import Foundation
import TestSupport
import Testing
@testable import Ledger

/// `arrakis log copy` as a user runs it: the real binary, real files, the summary on stdout, the exit
/// codes of README.md's "Exit status", and a copy killed half-way completed by running it again.
@Suite struct LogCopyCommandTests {
  let dir = TempDir("log-copy")
  var current: String { dir.file("current.db") }

  func arrakis(_ args: [String], env: [String: String] = [:], timeout: TimeInterval = 60) async throws -> CLIResult {
    try await CLIRunner.run(args, env: ["ARRAKIS_DB": current].merging(env) { $1 }, cwd: dir.path, timeout: timeout)
  }

  /// `n` sessions of three messages and one tool operation (pointing at the second message) each,
  /// written in one transaction.
  @discardableResult
  func filled(_ path: String, sessions n: Int) throws -> Ledger {
    let ledger = try Ledger.open(path: path)
    try ledger.write("fill") { c in
      try c.execute(sql: """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(n))
        INSERT INTO sessions (id, system_type, workspace, prompt, started_at, status, input_tokens, cost_usd)
        SELECT printf('%08x-0000-4000-8000-%012x', i, i), 'ask', '/w', 'question ' || i,
          strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + i, 'unixepoch'), 'success', i, 0.001 * i FROM n
        """)
      try c.execute(sql: """
        WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 3)
        INSERT INTO messages (session_id, seq, role, content, text, created_at)
        SELECT s.id, k.j, CASE k.j % 2 WHEN 1 THEN 'user' ELSE 'assistant' END, '[]',
          'message ' || k.j || ' of ' || s.prompt, s.started_at FROM sessions s CROSS JOIN k
        """)
      try c.execute(sql: """
        INSERT INTO tool_operations (session_id, message_id, tool_name, parameters, result, success, created_at)
        SELECT m.session_id, m.id, 'Bash', '{}', 'ok', 1, m.created_at FROM messages m WHERE m.seq = 2
        """)
    }
    return ledger
  }

  /// Rows per table, and tool operations whose message is one of their own session's.
  func counts(_ path: String) throws -> [String: Int] {
    guard let ledger = try Ledger.openReadOnly(path: path) else { return [:] }
    return try ledger.read("count") { c in
      var out: [String: Int] = [:]
      for t in ["sessions", "messages", "tool_operations", "analyses", "improvements", "self_modifications", "commit_stats"] {
        out[t] = try c.value(Int.self, sql: "SELECT count(*) FROM \(t)") ?? 0
      }
      out["linked"] = try c.value(Int.self, sql: """
        SELECT count(*) FROM tool_operations t JOIN messages m ON m.id = t.message_id AND m.session_id = t.session_id AND m.seq = 2
        """) ?? 0
      return out
    }
  }

  func json(_ r: CLIResult) throws -> JSONValue { try JSONValue.parse(r.stdout) }

  func table(_ report: JSONValue, _ name: String) -> (copied: Int?, already: Int?) {
    let t = report["tables"]?.arrayValue?.first { $0["table"]?.stringValue == name }
    return (t?["copied"]?.intValue, t?["already_there"]?.intValue)
  }

  @Test func copiesARealRunAndSaysWhatItDid() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("Four."))])
    let source = dir.file("source.db")
    let ask = try await CLIRunner.run(
      ["ask", "2+2?"], env: ["ARRAKIS_DB": source, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL], cwd: dir.path)
    try #require(ask.status == 0, "\(ask.stderr)")
    let target = dir.file("target.db")
    let r = try await arrakis(["log", "copy", "--from", source, "--to", target])
    #expect(r.status == 0, "\(r.stderr)")
    // Not a terminal: no progress line, nothing on stderr.
    #expect(r.stderr.isEmpty)
    #expect(r.stdout.hasPrefix("copied \(source) into \(target) in "))
    let lines = r.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
    #expect(lines.contains("sessions 1 0") && lines.contains("messages 2 0") && lines.contains("commit_stats 0 0"))
    // The user finds the run in the copy.
    let log = try await arrakis(["log", "--db", target, "--json"])
    #expect(log.status == 0, "\(log.stderr)")
    #expect(try json(log)[0]?["prompt"]?.stringValue == "2+2?", "\(log.stdout)")

    let again = try await arrakis(["log", "copy", "--from", source, "--to", target, "--json"])
    #expect(again.status == 0, "\(again.stderr)")
    let report = try json(again)
    #expect(report["from"]?.stringValue == source && report["to"]?.stringValue == target)
    #expect(table(report, "sessions") == (0, 1) && table(report, "messages") == (0, 2))
    #expect(report["tables"]?.arrayValue?.allSatisfy { $0["copied"]?.intValue == 0 } == true)
    let text = try await arrakis(["log", "copy", "--from", source, "--to", target])
    #expect(text.stdout.hasPrefix("nothing to copy: \(target) already holds every record of \(source)\n"))
  }

  @Test func theCurrentLedgerIsTheSideNotNamed() async throws {
    let source = dir.file("source.db")
    try filled(source, sessions: 3)
    let into = try await arrakis(["log", "copy", "--from", source])
    #expect(into.status == 0, "\(into.stderr)")
    #expect(try counts(current)["sessions"] == 3)
    let out = dir.file("exported.db")
    let export = try await arrakis(["log", "copy", "--to", out, "--json"])
    #expect(export.status == 0, "\(export.stderr)")
    #expect(try table(json(export), "sessions") == (3, 0))
    #expect(try counts(out)["sessions"] == 3)
    let neither = try await arrakis(["log", "copy"])
    #expect(neither.status == 2)
    #expect(neither.stderr.contains("--from LEDGER") && neither.stderr.contains("--to LEDGER"))
  }

  @Test func badLocationsAreExit2AndCreateNothing() async throws {
    let source = dir.file("source.db")
    try filled(source, sessions: 1)
    let scheme = try await arrakis(["log", "copy", "--from", source, "--to", "ftp://host/x.db"])
    #expect(scheme.status == 2 && scheme.stderr.contains("unsupported ledger URL scheme 'ftp:'"), "\(scheme.stderr)")
    let missing = try await arrakis(["log", "copy", "--from", dir.file("nope.db"), "--to", dir.file("t.db")])
    #expect(missing.status == 2 && missing.stderr.contains("no ledger at \(dir.file("nope.db")) to copy from"), "\(missing.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.file("t.db")) && !FileManager.default.fileExists(atPath: dir.file("nope.db")))
    let same = try await arrakis(["log", "copy", "--from", source, "--to", dir.path + "/./source.db"])
    #expect(same.status == 2 && same.stderr.contains("both name the ledger"), "\(same.stderr)")
    let batch = try await arrakis(["log", "copy", "--from", source, "--batch", "0"])
    #expect(batch.status == 2 && batch.stderr.contains("--batch must be a positive number"))
    let json = try await arrakis(["log", "copy", "--from", dir.file("nope.db"), "--to", dir.file("t.db"), "--json"])
    #expect(try self.json(json)["exit_code"]?.intValue == 2)
  }

  @Test func aTargetThatCannotBeOpenedIsExit9() async throws {
    let source = dir.file("source.db")
    try filled(source, sessions: 1)
    try dir.write("notes.txt", String(repeating: "not a ledger\n", count: 400))
    let notADatabase = try await arrakis(["log", "copy", "--from", source, "--to", dir.file("notes.txt")])
    #expect(notADatabase.status == 9, "\(notADatabase.stderr)")
    #expect(notADatabase.stderr.contains(dir.file("notes.txt")))
    #expect(try String(contentsOfFile: dir.file("notes.txt"), encoding: .utf8).hasPrefix("not a ledger"))
    let noFolder = try await arrakis(["log", "copy", "--from", source, "--to", dir.file("no/such/folder/t.db")])
    #expect(noFolder.status == 9 && noFolder.stderr.contains("does not exist"), "\(noFolder.stderr)")
  }

  @Test func aCopyKilledHalfWayIsCompletedByRunningItAgain() async throws {
    let source = dir.file("source.db"), target = dir.file("target.db")
    let n = 3000
    try filled(source, sessions: n)
    let want = try counts(source)
    try #require(want["sessions"] == n && want["linked"] == n)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLIRunner.binaryPath)
    p.arguments = ["log", "copy", "--from", source, "--to", target, "--batch", "5"]
    p.environment = ["PATH": "/usr/bin:/bin", "HOME": dir.path]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    // Killed (no chance to clean up) once some batches are in.
    let deadline = Date().addingTimeInterval(60)
    while p.isRunning, Date() < deadline, (try? counts(target)["sessions"]) ?? 0 < 100 { usleep(5_000) }
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    let partial = try counts(target)
    try #require((partial["sessions"] ?? 0) < n, "the copy finished before it could be killed; the test shows nothing")
    // Whole batches only: every session that is there has all its messages and its tool operation.
    #expect(partial["messages"] == 3 * (partial["sessions"] ?? 0) && partial["tool_operations"] == partial["sessions"])

    let rerun = try await arrakis(["log", "copy", "--from", source, "--to", target, "--json"])
    #expect(rerun.status == 0, "\(rerun.stderr)")
    let report = try json(rerun)
    #expect(table(report, "sessions") == (n - (partial["sessions"] ?? 0), partial["sessions"]))
    #expect(try counts(target) == want)
  }

  /// On a terminal a progress line counts the sessions, erased before the summary; pipes never see it
  /// (copiesARealRunAndSaysWhatItDid).
  @Test func aTerminalSeesTheSessionsCounted() async throws {
    let source = dir.file("source.db"), target = dir.file("target.db")
    // Enough single-session transactions to outlast the line's 0.3 s grace on any machine.
    try filled(source, sessions: 1000)
    let env = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "TERM": "xterm", "LANG": "C.UTF-8", "NO_COLOR": "1"]
    let r = try await Thread.detachedRun(
      "/usr/bin/script", ["-qec", "\(CLIRunner.binaryPath) log copy --from \(source) --to \(target) --batch 1", "/dev/null"], env: env)
    #expect(r.status == 0, "\(r.output)")
    let line = try #require(r.output.range(of: " of 1000 sessions"), "\(r.output.debugDescription)")
    #expect(r.output.contains("log copy: "))
    let erase = try #require(r.output.range(of: "\r\u{1B}[K", range: line.upperBound..<r.output.endIndex))
    let summary = try #require(r.output.range(of: "copied \(source) into \(target)"))
    #expect(erase.upperBound <= summary.lowerBound)
  }

  /// A file into a PostgreSQL database and back, through the CLI: the URL is shown without its password,
  /// a copy killed half-way into the server is completed by the next, and the records come back whole.
  @Test(.enabled(if: PostgresServer.isAvailable, "needs PostgreSQL: apt-get install postgresql, or set ARRAKIS_TEST_POSTGRES_URL"))
  func aFileIntoPostgreSQLAndBack() async throws {
    let server = try PostgresServer.shared()
    let url = try server.makeDatabase("copy")
    let source = dir.file("source.db")
    let n = 1000
    try filled(source, sessions: n)
    let want = try counts(source)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLIRunner.binaryPath)
    p.arguments = ["log", "copy", "--from", source, "--to", url, "--batch", "2"]
    p.environment = ["PATH": "/usr/bin:/bin", "HOME": dir.path]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    let deadline = Date().addingTimeInterval(60)
    while p.isRunning, Date() < deadline, (try? counts(url)["sessions"]) ?? 0 < 20 { usleep(5_000) }
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    let partial = try counts(url)
    try #require((partial["sessions"] ?? 0) < n, "the copy finished before it could be killed; the test shows nothing")
    #expect(partial["messages"] == 3 * (partial["sessions"] ?? 0) && partial["tool_operations"] == partial["sessions"])

    let rerun = try await arrakis(["log", "copy", "--from", source, "--to", url, "--json"], timeout: 300)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    let report = try json(rerun)
    #expect(table(report, "sessions") == (n - (partial["sessions"] ?? 0), partial["sessions"]))
    if let password = server.password {
      #expect(!rerun.stdout.contains(password), "\(rerun.stdout)")
    }
    #expect(report["to"]?.stringValue?.hasPrefix("postgresql://") == true)
    #expect(try counts(url) == want)

    // Back into a new file, with the server as the current ledger.
    let back = dir.file("back.db")
    let home = try await arrakis(["log", "copy", "--to", back], env: ["ARRAKIS_DB": url], timeout: 300)
    #expect(home.status == 0, "\(home.stderr)")
    #expect(try counts(back) == want)
  }

  @Test func anUnreachableServerIsExit9NamingIt() async throws {
    let source = dir.file("source.db")
    try filled(source, sessions: 1)
    // Port 1 on loopback: nothing listens there.
    let r = try await arrakis(["log", "copy", "--from", source, "--to", "postgresql://arrakis@127.0.0.1:1/ledger"])
    #expect(r.status == 9, "\(r.stderr)")
    #expect(r.stderr.contains("cannot reach the PostgreSQL server at 127.0.0.1:1"), "\(r.stderr)")
  }
}
