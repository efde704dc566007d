import Foundation
import Ledger
import TestSupport
import Testing

/// `arrakis ask` end to end: the real binary, the real libcurl path, a real ledger file, and a loopback
/// server in place of the API. Each test checks what a user sees (stdout, stderr, exit code) and what the
/// ledger holds afterwards.
@Suite struct AskCommandTests {
  let dir = TempDir("ask")
  var db: String { dir.file("ledger.db") }

  func ask(_ args: [String], server: LoopbackServer?, key: String? = "sk-test-key-0123456789", stdin: String? = nil,
           extraEnv: [String: String] = [:]) async throws -> CLIResult {
    var env = ["ARRAKIS_DB": db, "ARRAKIS_STALL_TIMEOUT": "1"]
    if let server { env["ANTHROPIC_BASE_URL"] = server.baseURL }
    if let key { env["ANTHROPIC_API_KEY"] = key }
    env.merge(extraEnv) { _, n in n }
    return try await CLIRunner.run(["ask"] + args, env: env, stdin: stdin, cwd: dir.path)
  }

  func sessions() throws -> [SessionRow] {
    try Ledger.open(path: db).listSessions(SessionFilter(limit: 100))
  }

  @Test func streamsAnAnswerAndRecordsIt() async throws {
    let server = try LoopbackServer([.fixture("stream-text")])
    let r = try await ask(["name", "three", "pirates"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout == "- Ahab\n- Queequeg\n- Starbuck\n")
    #expect(r.stdout.hasSuffix("\n"))
    let s = try #require(try sessions().first)
    #expect(s.status == .success)
    #expect(s.systemType == .ask)
    #expect(s.outputTokens > 0)
    #expect(s.costUSD != nil && s.costUSD! > 0)
    let ledger = try Ledger.open(path: db)
    let messages = try ledger.messages(sessionID: s.id)
    try #require(messages.map(\.role) == ["user", "assistant"])
    #expect(messages[0].text == "name three pirates")
    #expect(messages[1].text + "\n" == r.stdout)
    // The request the server saw.
    let req = try #require(server.requests.first)
    #expect(req.headers["x-api-key"] == "sk-test-key-0123456789")
    #expect(req.headers["anthropic-version"] == "2023-06-01")
    #expect(req.body?["stream"]?.boolValue == true)
  }

  @Test func pipedStdinIsAddedAsContext() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("Looks fine."))])
    let r = try await ask(["review", "this"], server: server, stdin: "diff --git a/x b/x\n+added line\n")
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout == "Looks fine.\n")
    let sent = try #require(server.requests.first?.body?["messages"]?[0]?["content"])
    let text = sent.stringValue ?? sent[0]?["text"]?.stringValue ?? ""
    #expect(text.contains("+added line"))
    #expect(text.hasSuffix("review this"))
  }

  @Test func jsonPrintsOneParsableObject() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("Paris"))])
    let r = try await ask(["--json", "capital of France?"], server: server)
    #expect(r.status == 0)
    let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    #expect(obj?["text"] as? String == "Paris")
    #expect((obj?["session_id"] as? String)?.count == 36)
    #expect(obj?["stop_reason"] as? String == "end_turn")
    #expect(obj?["cost_usd"] as? Double != nil)
    #expect((obj?["usage"] as? [String: Any])?["output_tokens"] as? Int == 7)
    #expect(obj?["duration_ms"] as? Int != nil)
  }

  @Test func continueSendsTheEarlierExchange() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("Four.")), .sse(SSEBuilder.text("Eight."))])
    #expect(try await ask(["2+2?"], server: server).status == 0)
    let r = try await ask(["-c", "double it"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout == "Eight.\n")
    let messages = try #require(server.requests.last?.body?["messages"]?.arrayValue)
    try #require(messages.count == 3)
    #expect(messages[1]["role"]?.stringValue == "assistant")
    let rows = try sessions()
    try #require(rows.count == 2)
    #expect(rows[0].parentSessionID == rows[1].id)
  }

  @Test func continueWithNothingToContinueIsAClearError() async throws {
    let r = try await ask(["-c", "more"], server: nil)
    #expect(r.status == 2)
    #expect(r.stderr.contains("nothing to continue"))
  }

  @Test func missingKeySaysWhatToSetAndRecordsTheFailure() async throws {
    let server = try LoopbackServer([])
    let r = try await ask(["hello"], server: server, key: nil)
    #expect(r.status == 3)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.contains("ANTHROPIC_API_KEY"))
    #expect(server.requests.isEmpty)
    let s = try #require(try sessions().first)
    #expect(s.status == .failed)
    #expect(s.error?.contains("ANTHROPIC_API_KEY") == true)
  }

  @Test func noPromptIsAUsageError() async throws {
    let r = try await ask([], server: nil)
    #expect(r.status == 2)
    #expect(r.stderr.contains("no prompt"))
  }

  @Test func rateLimitWithRetryAfterThenSuccess() async throws {
    let server = try LoopbackServer([
      .json(status: 429, headers: ["retry-after-ms": "20", "request-id": "req_rl"],
            body: #"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#),
      .sse(SSEBuilder.text("ok")),
    ])
    let r = try await ask(["hi"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout == "ok\n")
    #expect(server.requests.count == 2)
  }

  @Test func overloadedThreeTimesFailsClearly() async throws {
    let overloaded = ScriptedResponse.json(
      status: 529, headers: ["request-id": "req_overload_1"],
      body: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
    let server = try LoopbackServer([overloaded, overloaded, overloaded])
    let r = try await ask(["hi"], server: server)
    #expect(r.status == 6)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.contains("overloaded"))
    #expect(r.stderr.contains("retry later"))
    #expect(r.stderr.contains("req_overload_1"))
    #expect(server.requests.count == 3)
    #expect(try sessions().first?.status == .failed)
  }

  @Test(arguments: [
    ("error-401-authentication", Int32(4), "rejected"),
    ("error-400-invalid-request", Int32(5), "Input should be a valid list"),
  ])
  func apiErrorsMapToExitCodes(fixture: String, status: Int32, text: String) async throws {
    let server = try LoopbackServer([.fixture(fixture)])
    let r = try await ask(["hi"], server: server)
    #expect(r.status == status, "stderr: \(r.stderr)")
    #expect(r.stderr.contains(text))
    #expect(r.stdout.isEmpty)
    #expect(server.requests.count == 1)
  }

  @Test func unknownModelNamesItAndTheAliases() async throws {
    let server = try LoopbackServer([
      .json(status: 404, headers: ["x-should-retry": "false"],
            body: #"{"type":"error","error":{"type":"not_found_error","message":"model: claude-nope"},"request_id":"req_1"}"#)
    ])
    let r = try await ask(["--model", "claude-nope", "hi"], server: server)
    #expect(r.status == 5)
    #expect(r.stderr.contains("claude-nope"))
    #expect(r.stderr.contains("sonnet"))
  }

  @Test func promptTooLarge() async throws {
    let server = try LoopbackServer([.json(status: 413, body: #"{"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}"#)])
    let r = try await ask(["hi"], server: server)
    #expect(r.status == 5)
    #expect(r.stderr.lowercased().contains("too large"))
  }

  @Test func droppedConnectionIsANetworkError() async throws {
    let server = try LoopbackServer([.dropConnection, .dropConnection, .dropConnection])
    let r = try await ask(["hi"], server: server)
    #expect(r.status == 7)
    #expect(server.requests.count == 3)
  }

  @Test func stalledStreamKeepsThePartialAnswer() async throws {
    let head = SSEBuilder.text("Partial answer that never ends")
      .components(separatedBy: "event: content_block_stop").first!
    let server = try LoopbackServer([.stall(afterSSE: head)])
    let r = try await ask(["hi"], server: server)
    #expect(r.status == 7, "stderr: \(r.stderr)")
    #expect(r.stderr.contains("stall") || r.stderr.contains("no data"))
    let s = try #require(try sessions().first)
    #expect(s.status == .failed)
    let messages = try Ledger.open(path: db).messages(sessionID: s.id)
    #expect(messages.last?.text.contains("Partial answer") == true)
  }

  @Test func truncatedStreamIsAProtocolErrorAndKeepsWhatArrived() async throws {
    let head = SSEBuilder.text("Half of it").components(separatedBy: "event: content_block_stop").first!
    let server = try LoopbackServer([.truncate(head)])
    let r = try await ask(["hi"], server: server)
    #expect(r.status == 8, "stderr: \(r.stderr)")
    let s = try #require(try sessions().first)
    let messages = try Ledger.open(path: db).messages(sessionID: s.id)
    #expect(messages.last?.text == "Half of it")
  }

  @Test func malformedJSONIsAProtocolError() async throws {
    let server = try LoopbackServer([.json(status: 200, body: "{not json")])
    let r = try await ask(["--no-stream", "hi"], server: server)
    #expect(r.status == 8, "stderr: \(r.stderr)")
  }

  @Test func errorEventMidStreamIsSurfacedNotRetried() async throws {
    let head = SSEBuilder.text("Start").components(separatedBy: "event: content_block_stop").first!
    let server = try LoopbackServer([.sse(head + SSEBuilder.errorEvent())])
    let r = try await ask(["hi"], server: server)
    #expect(r.status == 8, "stderr: \(r.stderr)")
    #expect(r.stderr.contains("Overloaded") || r.stderr.contains("overloaded"))
    #expect(server.requests.count == 1)
  }

  @Test func theAPIKeyIsNeverWrittenToTheLedger() async throws {
    let key = "sk-ant-SECRET-\(UUID().uuidString)"
    let server = try LoopbackServer([.sse(SSEBuilder.text("fine")), .json(status: 401, body: #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#)])
    _ = try await ask(["hello"], server: server, key: key)
    _ = try await ask(["again"], server: server, key: key)
    for suffix in ["", "-wal", "-shm"] {
      if let data = FileManager.default.contents(atPath: db + suffix) {
        #expect(data.range(of: Data(key.utf8)) == nil, "key found in \(db + suffix)")
        #expect(data.range(of: Data("SECRET".utf8)) == nil)
      }
    }
  }

  @Test func sixteenProcessesWritingAtOnceLoseNothing() async throws {
    let server = try LoopbackServer(handler: { _ in .sse(SSEBuilder.text("ok")) })
    // 16 real processes at once, each opening the same ledger and writing a session and its messages.
    let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
      for i in 0..<16 { group.addTask { try await ask(["question \(i)"], server: server).status } }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(statuses.count == 16)
    #expect(statuses.allSatisfy { $0 == 0 }, "\(statuses)")
    let rows = try sessions()
    #expect(rows.count == 16)
    #expect(rows.allSatisfy { $0.status == .success })
    let ledger = try Ledger.open(path: db)
    for row in rows { #expect(try ledger.messages(sessionID: row.id).count == 2) }
  }
}
