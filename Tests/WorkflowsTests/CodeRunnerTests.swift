import Agent
import ArrakisCore
import Claude
import Foundation
import Ledger
import TestSupport
import Testing

@testable import Workflows

/// `CodeRunner` in-process, end to end: a real git repository, a real ledger file, the real client over libcurl
/// against the loopback Messages API server, and the model's turns scripted as SSE streams.
@Suite(.serialized) struct CodeRunnerTests {
  let tree: TempTree
  let ledger: Ledger

  init() throws {
    tree = try TempTree()
    try tree.write("repo/calc.sh", "add() { echo $(( $1 - $2 )); }\n")
    try tree.write("repo/test.sh", ". ./calc.sh\n[ \"$(add 2 3)\" = 5 ] && echo PASS || { echo FAIL add; exit 1; }\n")
    try GitFixture.sh("git init -q -b main && git add -A && git commit -qm init", cwd: tree.root + "/repo")
    ledger = try Ledger.open(path: tree.root + "/ledger.db")
  }

  var repo: String { tree.root + "/repo" }

  func request(_ prompt: String) -> CodeRequest {
    var r = CodeRequest(prompt: prompt, workspaceRoot: repo, model: "claude-sonnet-4-6", interactive: false)
    r.permission = .fullAccess
    r.testCommand = "sh test.sh"
    return r
  }

  func run(_ r: CodeRequest, _ server: LoopbackServer) async throws -> AgentResult {
    let config = ClientConfig(apiKey: "sk-test", baseURL: server.baseURL, maxRetries: 0, connectTimeout: 2, stallTimeout: 10)
    return try await CodeRunner.run(r, ledger: ledger, client: ClaudeClient(config: config), approve: nil, onEvent: { _ in })
  }

  static func tool(_ id: String, _ name: String, _ input: JSONValue) -> ScriptedResponse {
    .sse(SSEBuilder.toolUse(id: id, name: name, input: input))
  }

  /// Read, Edit, run the tests, say done: the fix the tests below start from.
  static let fixTurns: [ScriptedResponse] = [
    tool("r1", "Read", ["file_path": "calc.sh"]),
    tool("e1", "Edit", ["file_path": "calc.sh", "old_string": "$1 - $2", "new_string": "$1 + $2"]),
    tool("b1", "Bash", ["command": "sh test.sh"]),
    .sse(SSEBuilder.text("Fixed: add() adds.")),
  ]

  @Test func fixesTheRepositoryThroughTheAPI() async throws {
    let server = try LoopbackServer(Self.fixTurns)
    let result = try await run(request("fix add"), server)
    #expect(result.stopReason == .endTurn && !result.isError, "\(result)")
    #expect(result.turns == 4 && result.toolCalls == 3)
    #expect(try String(contentsOfFile: repo + "/calc.sh", encoding: .utf8) == "add() { echo $(( $1 + $2 )); }\n")
    let requests = server.requests
    try #require(requests.count == 4)
    // The system prompt carries what the real git repository says, and the configured test command.
    let system = try #require(requests[0].body?["system"]?[0]?["text"]?.stringValue)
    #expect(system.contains("branch: main") && system.contains("sh test.sh"))
    // The model was shown the test run's output.
    let results = try #require(requests[3].body?["messages"]?.arrayValue?.last?["content"]?.arrayValue)
    #expect(results.first?["tool_use_id"] == "b1")
    #expect(results.first?["content"]?.stringValue?.contains("PASS") == true)
    let s = try ledger.session(idOrPrefix: result.sessionId)
    #expect(s.systemType == .code && s.status == .success && s.gitBranch == "main" && s.model == "claude-sonnet-4-6")
    #expect(s.inputTokens == 4 * 12 && s.outputTokens == 4 * 7 && (s.costUSD ?? 0) > 0)
  }

  @Test func continueSendsTheEarlierConversationAndLinksTheSessions() async throws {
    let server = try LoopbackServer(Self.fixTurns + [.sse(SSEBuilder.text("It adds now."))])
    let first = try await run(request("fix add"), server)
    var again = request("does add work now?")
    again.continueLast = true
    let second = try await run(again, server)
    #expect(second.stopReason == .endTurn)
    let messages = try #require(server.requests.last?.body?["messages"]?.arrayValue)
    #expect(messages.count == 9)  // 8 from the first session, then the new question
    #expect(messages.last?["content"]?.arrayValue?.last?["text"]?.stringValue == "does add work now?")
    #expect(try ledger.session(idOrPrefix: second.sessionId).parentSessionID == first.sessionId)
  }

  @Test func replayingASessionDoesTheWorkAgainWithoutTheAPI() async throws {
    let recorder = try LoopbackServer(Self.fixTurns)
    let recorded = try await run(request("fix add"), recorder)
    try GitFixture.sh("git checkout -q -- calc.sh", cwd: repo)
    let silent = try LoopbackServer([])
    var r = request("fix add")
    r.replay = recorded.sessionId
    let result = try await run(r, silent)
    #expect(result.stopReason == .endTurn && result.divergence == nil, "\(result.divergence ?? "")")
    #expect(try String(contentsOfFile: repo + "/calc.sh", encoding: .utf8) == "add() { echo $(( $1 + $2 )); }\n")
    #expect(silent.requests.isEmpty)
  }

  @Test func nothingToContinueIsAUsageError() async throws {
    var r = request("go on")
    r.continueLast = true
    let server = try LoopbackServer([])
    do {
      _ = try await run(r, server)
      Issue.record("expected a usage error")
    } catch let e as ArrakisError {
      #expect(e.status == .usage && e.message.contains("nothing to continue"))
    }
    #expect(server.requests.isEmpty)
  }
}
