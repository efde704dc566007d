import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// `arrakis code` end to end: scripted model turns on the loopback server, tools running for real in a
/// temp git repository, the real ledger.
@Suite struct CodeCommandTests {
  let dir = TempDir("code")
  var db: String { dir.file("ledger.db") }
  var repo: String { dir.file("repo") }

  init() throws {
    // A tiny project whose test fails: add() subtracts.
    try dir.write("repo/calc.sh", "add() { echo $(( $1 - $2 )); }\n")
    try dir.write("repo/test.sh", ". ./calc.sh\n[ \"$(add 2 3)\" = 5 ] && echo PASS || { echo FAIL; exit 1; }\n")
    try dir.write("repo/Makefile", "test:\n\tsh test.sh\n")
    try GitFixture.sh("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
  }

  func code(_ args: [String], server: LoopbackServer?) async throws -> CLIResult {
    var env = ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test"]
    if let server { env["ANTHROPIC_BASE_URL"] = server.baseURL }
    return try await CLIRunner.run(["code"] + args, env: env, cwd: repo)
  }

  func tool(_ id: String, _ name: String, _ input: JSONValue) -> SSEBuilder.Block { .toolUse(id: id, name: name, input: input) }

  @Test func fixesAFailingTestOverSeveralTurns() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [.text("Let me read the code."), tool("t1", "Read", ["file_path": "calc.sh"])], stopReason: "tool_use")),
      .sse(SSEBuilder.turn(blocks: [tool("t2", "Edit", ["file_path": "calc.sh", "old_string": "$1 - $2", "new_string": "$1 + $2"])], stopReason: "tool_use")),
      .sse(SSEBuilder.turn(blocks: [tool("t3", "Bash", ["command": "make test"])], stopReason: "tool_use")),
      .sse(SSEBuilder.text("Fixed: add() now adds.")),
    ])
    let r = try await code(["--permission", "full-access", "fix the failing test"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("Fixed: add() now adds."))
    #expect(r.stderr.contains("● Read calc.sh"))
    #expect(r.stderr.contains("● Edit calc.sh (+1 −1)"))
    #expect(r.stderr.contains("● Bash make test (exit 0)"))
    #expect(try String(contentsOfFile: repo + "/calc.sh", encoding: .utf8).contains("$1 + $2"))
    // The model saw the test pass.
    let lastRequest = try #require(server.requests.last?.body?["messages"]?.arrayValue?.last)
    #expect(lastRequest["content"]?[0]?["content"]?.stringValue?.contains("PASS") == true)
    // The ledger has the session, 8 messages and 3 tool operations with reasoning.
    let ledger = try Ledger.open(path: db)
    let s = try #require(try ledger.listSessions().first)
    #expect(s.systemType == .code && s.status == .success && s.toolCallsCount == 3)
    #expect(try ledger.messages(sessionID: s.id).count == 8)
    let ops = try ledger.toolOperations(sessionID: s.id)
    try #require(ops.map(\.toolName) == ["Read", "Edit", "Bash"])
    #expect(ops[0].reasoning == "Let me read the code.")
    #expect(ops.allSatisfy { $0.success })
  }

  @Test func severalToolCallsInOneTurnAnswerInOneMessageInOrder() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [
        tool("a", "Read", ["file_path": "calc.sh"]), tool("b", "Glob", ["pattern": "*.sh"]), tool("c", "Read", ["file_path": "missing.txt"]),
      ], stopReason: "tool_use")),
      .sse(SSEBuilder.text("Seen.")),
    ])
    let r = try await code(["--permission", "read-only", "look"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let results = try #require(server.requests.last?.body?["messages"]?.arrayValue?.last?["content"]?.arrayValue)
    try #require(results.map { $0["tool_use_id"]?.stringValue } == ["a", "b", "c"])
    #expect(results[2]["is_error"]?.boolValue == true)
    #expect(results[2]["content"]?.stringValue?.contains("missing.txt") == true)
  }

  @Test func toolErrorsGoBackToTheModelWithTheReason() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [tool("e1", "Edit", ["file_path": "calc.sh", "old_string": "x", "new_string": "y"])], stopReason: "tool_use")),
      .sse(SSEBuilder.turn(blocks: [tool("e2", "Write", ["file_path": "/etc/arrakis-escape", "content": "x"])], stopReason: "tool_use")),
      .sse(SSEBuilder.turn(blocks: [tool("e3", "Bash", ["command": "git push origin main"])], stopReason: "tool_use")),
      .sse(SSEBuilder.text("Giving up.")),
    ])
    let r = try await code(["--permission", "full-access", "--output-format", "json", "try things"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let bodies = server.requests.compactMap { $0.body?["messages"]?.arrayValue?.last?["content"]?[0] }
    try #require(bodies.count == 4)
    #expect(bodies[1]["is_error"]?.boolValue == true)
    #expect(bodies[1]["content"]?.stringValue?.contains("Read") == true)  // must Read before Edit
    #expect(bodies[2]["content"]?.stringValue?.contains("denied") == true)
    #expect(bodies[3]["content"]?.stringValue?.contains("git push") == true)
    #expect(!FileManager.default.fileExists(atPath: "/etc/arrakis-escape"))
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect((obj["permission_denials"] as? [Any])?.count == 2)
    #expect(obj["tool_calls"] as? Int == 3)
  }

  @Test func readOnlyDeniesEditsAndRecordsTheReason() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [tool("w", "Write", ["file_path": "new.txt", "content": "x"])], stopReason: "tool_use")),
      .sse(SSEBuilder.text("ok")),
    ])
    let r = try await code(["write a file"], server: server)  // stdin is not a terminal: read-only
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: repo + "/new.txt"))
    let tools = try #require(server.requests.first?.body?["tools"]?.arrayValue)
    #expect(tools.compactMap { $0["name"]?.stringValue } == ["Read", "Glob", "Grep"])
    let ledger = try Ledger.open(path: db)
    let session = try #require(try ledger.listSessions().first)
    let op = try #require(try ledger.toolOperations(sessionID: session.id).first)
    #expect(op.deniedReason?.contains("safe-write") == true)
  }

  @Test func firstRequestIsSmallAndCached() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("hi"))])
    #expect(try await code(["--permission", "full-access", "hello"], server: server).status == 0)
    let req = try #require(server.requests.first)
    #expect(req.rawBody.count <= 10_000, "first request is \(req.rawBody.count) bytes")
    #expect(req.body?["tools"]?.arrayValue?.count == 6)
    let text = String(decoding: req.rawBody, as: UTF8.self)
    let breakpoints = text.components(separatedBy: "\"cache_control\"").count - 1
    #expect(breakpoints >= 3 && breakpoints <= 4)
    #expect(req.body?["tools"]?.arrayValue?.last?["cache_control"] != nil)
    #expect(req.body?["system"]?[0]?["text"]?.stringValue?.contains(repo.split(separator: "/").last.map(String.init) ?? "?") == true)
    #expect(req.body?["system"]?[0]?["text"]?.stringValue?.contains("make test") == true)
  }

  @Test func maxTurnsStopsWithExit11() async throws {
    let server = try LoopbackServer(handler: { _ in .sse(SSEBuilder.toolUse(id: "g\(UUID().uuidString.prefix(4))", name: "Glob", input: ["pattern": "*"])) })
    let r = try await code(["--max-turns", "3", "loop forever"], server: server)
    #expect(r.status == 11)
    #expect(r.stderr.contains("--max-turns"))
    #expect(server.requests.count == 3)
    #expect(try Ledger.open(path: db).listSessions().first?.exitReason == "max_turns")
  }

  /// The next turn is estimated at what the last one cost: a run stops before the turn that would take it
  /// over the budget, not after, and says how much it spent of how much.
  @Test func budgetStopsBeforeTheNextTurn() async throws {
    // Each scripted turn costs 12 input + 7 output tokens on Sonnet: $0.000141.
    let server = try LoopbackServer(handler: { _ in .sse(SSEBuilder.toolUse(id: "b\(UUID().uuidString.prefix(4))", name: "Glob", input: ["pattern": "*"])) })
    let r = try await code(["--max-budget-usd", "0.0003", "spend"], server: server)
    #expect(r.status == 11)
    #expect(r.stderr.contains("stopped at --max-budget-usd: spent $0.000282 of the $0.0003 limit; the next turn would cost about $0.000141"), "\(r.stderr)")
    #expect(server.requests.count == 2)
    let s = try #require(try Ledger.open(path: db).listSessions().first)
    #expect(s.exitReason == "max_budget")
    #expect(abs((s.costUSD ?? 0) - 0.000282) < 1e-9)
    #expect((s.costUSD ?? 1) <= 0.0003)
  }

  @Test func pauseTurnIsResumedBySendingTheConversationBack() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [.text("Working on it…")], stopReason: "pause_turn")),
      .sse(SSEBuilder.text(" done.")),
    ])
    let r = try await code(["long task"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let messages = try #require(server.requests.last?.body?["messages"]?.arrayValue)
    #expect(messages.count == 2)
    #expect(messages.last?["role"]?.stringValue == "assistant")
  }

  @Test func refusalIsReported() async throws {
    let server = try LoopbackServer([.fixture("stream-refusal")])
    let r = try await code(["something"], server: server)
    #expect(r.status == 11)
    #expect(r.stderr.contains("refusal"))
  }

  @Test func resumeSendsTheEarlierConversation() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [tool("r1", "Read", ["file_path": "calc.sh"])], stopReason: "tool_use")),
      .sse(SSEBuilder.text("It subtracts.")),
      .sse(SSEBuilder.text("Yes, that is the bug.")),
    ])
    #expect(try await code(["what does add do"], server: server).status == 0)
    let r = try await code(["-c", "is that the bug?"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let messages = try #require(server.requests.last?.body?["messages"]?.arrayValue)
    try #require(messages.count == 5)
    #expect(messages[2]["content"]?[0]?["type"]?.stringValue == "tool_result")
  }

  @Test func streamJSONIsOneEventPerLine() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [tool("s1", "Grep", ["pattern": "add"])], stopReason: "tool_use")),
      .sse(SSEBuilder.text("Found it.")),
    ])
    let r = try await code(["--output-format", "stream-json", "find add"], server: server)
    #expect(r.status == 0)
    let types = try r.stdout.split(separator: "\n").map { line -> String in
      let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      return obj?["type"] as? String ?? "?"
    }
    #expect(types == ["init", "assistant", "tool_call", "tool_result", "assistant", "result"])
  }

  @Test func replayOfARecordedSessionRunsOfflineAndDetectsDivergence() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [tool("p1", "Read", ["file_path": "calc.sh"])], stopReason: "tool_use")),
      .sse(SSEBuilder.text("Read it.")),
    ])
    #expect(try await code(["read calc"], server: server).status == 0)
    let id = try #require(try Ledger.open(path: db).listSessions().first?.id)
    // Same workspace: the replay matches, with no server at all.
    let same = try await code(["--replay", id, "read calc"], server: nil)
    #expect(same.status == 0, "stderr: \(same.stderr)")
    #expect(same.stdout.contains("Read it."))
    // Change the file: the Read result differs and the replay stops with a report.
    try "changed\n".write(toFile: repo + "/calc.sh", atomically: true, encoding: .utf8)
    let diverged = try await code(["--replay", id, "read calc"], server: nil)
    #expect(diverged.status == 11)
    #expect(diverged.stderr.contains("diverged"))
    #expect(diverged.stderr.contains("Read"))
  }

  @Test func replayTakesAFileByAnyNameAndASessionOtherwise() async throws {
    try #"[{"type":"text","text":"from the file"}]"#.write(toFile: repo + "/recording", atomically: true, encoding: .utf8)
    let file = try await code(["--replay", "recording", "x"], server: nil)
    #expect(file.status == 0, "stderr: \(file.stderr)")
    #expect(file.stdout.contains("from the file"))
    let unknown = try await code(["--replay", "no-such-session", "x"], server: nil)
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("no-such-session"))
  }

  @Test func apiFailureMidRunIsRecordedWithWhatWasDone() async throws {
    let overloaded = ScriptedResponse.json(status: 529, body: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
    let server = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [tool("f1", "Read", ["file_path": "calc.sh"])], stopReason: "tool_use")),
      overloaded, overloaded, overloaded,
    ])
    let r = try await code(["read"], server: server)
    #expect(r.status == 6)
    let ledger = try Ledger.open(path: db)
    let s = try #require(try ledger.listSessions().first)
    #expect(s.status == .failed)
    #expect(try ledger.toolOperations(sessionID: s.id).count == 1)
  }
}
