import Foundation
import Ledger
import TestSupport
import Testing

/// `arrakis log` over a ledger filled through the real `ask` path and through the Ledger API.
@Suite struct LogCommandTests {
  let dir = TempDir("log")
  var db: String { dir.file("ledger.db") }

  func log(_ args: [String]) async throws -> CLIResult {
    try await CLIRunner.run(["log"] + args, env: ["ARRAKIS_DB": db], cwd: dir.path)
  }

  /// Three sessions: two asks (one failed) and a code run in another workspace.
  func seed() throws -> [String] {
    let ledger = try Ledger.open(path: db)
    let a = try ledger.startSession(NewSession(systemType: .ask, workspace: dir.path, model: "claude-sonnet-4-6", prompt: "rebase question"))
    _ = try ledger.appendMessage(sessionID: a, role: "user", content: [["type": "text", "text": "how does rebase onto work"]], text: "how does rebase onto work")
    _ = try ledger.appendMessage(sessionID: a, role: "assistant", content: [["type": "text", "text": "It replays commits."]], text: "It replays commits.")
    try ledger.addUsage(sessionID: a, input: 100, output: 20, costUSD: 0.0006)
    try ledger.finishSession(id: a, status: .success, error: nil, exitCode: 0, exitReason: "end_turn", durationMs: 900, apiDurationMs: 800)
    let b = try ledger.startSession(NewSession(systemType: .ask, workspace: dir.path, model: "claude-sonnet-4-6", prompt: "broken"))
    try ledger.finishSession(id: b, status: .failed, error: "overloaded", exitCode: 6, exitReason: nil, durationMs: 10, apiDurationMs: nil)
    let c = try ledger.startSession(NewSession(systemType: .code, workspace: "/elsewhere", model: "claude-opus-4-8", prompt: "fix it"))
    _ = try ledger.recordToolOperation(sessionID: c, messageID: nil, toolName: "Read", parameters: ["file_path": "a.swift"], result: "1\tlet x = 1", success: true, deniedReason: nil, durationMs: 2, reasoning: "look first")
    try ledger.addUsage(sessionID: c, input: 10, output: 5, costUSD: nil)
    try ledger.finishSession(id: c, status: .success, error: nil, exitCode: 0, exitReason: "end_turn", durationMs: 50, apiDurationMs: 40)
    return [a, b, c]
  }

  @Test func listsNewestFirstWithCostAndUnknownCost() async throws {
    let ids = try seed()
    let r = try await log([])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    try #require(lines.count == 4)  // header + 3
    #expect(lines[1].hasPrefix(String(ids[2].prefix(8))))
    #expect(lines[1].contains("?"))  // unknown cost, never $0
    #expect(lines[3].contains("$0.0006"))
  }

  @Test func jsonAndJsonlCarryTheSameRows() async throws {
    _ = try seed()
    let json = try await log(["--json"])
    let array = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
    #expect(array?.count == 3)
    #expect(array?.first?["system_type"] as? String == "code")
    #expect(array?.first?["tool_calls_count"] as? Int == 1)
    let jsonl = try await log(["--jsonl", "-n", "2"])
    let lines = jsonl.stdout.split(separator: "\n")
    #expect(lines.count == 2)
    for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil) }
  }

  @Test func filters() async throws {
    let ids = try seed()
    #expect(try await log(["--system", "code", "--json"]).stdout.contains(ids[2]))
    #expect(!(try await log(["--system", "code", "--json"]).stdout.contains(ids[0])))
    let failed = try await log(["--status", "failed", "--json"]).stdout
    #expect(failed.contains(ids[1]) && !failed.contains(ids[0]))
    let here = try await log(["--workspace", ".", "--json"]).stdout
    #expect(here.contains(ids[0]) && !here.contains(ids[2]))
    let found = try await log(["-q", "rebase", "--json"]).stdout
    #expect(found.contains(ids[0]) && !found.contains(ids[1]))
    #expect(try await log(["--since", "1.day", "--json"]).stdout.contains(ids[0]))
    #expect(try await log(["--since", "2001-01-01", "--json"]).stdout.contains(ids[0]))
  }

  @Test func badFilterValuesAreUsageErrors() async throws {
    let r = try await log(["--since", "yesterdayish"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("yesterdayish"))
    let s = try await log(["--system", "bogus"])
    #expect(s.status == 2)
    #expect(s.stderr.contains("bogus"))
  }

  @Test func showPrintsTheTranscriptByPrefix() async throws {
    let ids = try seed()
    let r = try await log(["show", String(ids[0].prefix(6))])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("how does rebase onto work"))
    #expect(r.stdout.contains("It replays commits."))
    let code = try await log(["show", ids[2]])
    #expect(code.stdout.contains("● Read"))
    let json = try await log(["show", "--json", ids[2]])
    let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect((obj?["tool_operations"] as? [Any])?.count == 1)
  }

  @Test func showUnknownIdIsAUsageError() async throws {
    _ = try seed()
    let r = try await log(["show", "zzzz"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("zzzz"))
  }

  @Test func pathAndEmptyLedger() async throws {
    #expect(try await log(["path"]).stdout == db + "\n")
    let r = try await log([])
    #expect(r.status == 0)
    #expect(r.stdout.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: db), "reading must not create a ledger")
  }
}
