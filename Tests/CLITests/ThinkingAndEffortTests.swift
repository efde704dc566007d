import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// `--effort` and adaptive thinking as the request body carries them, and thinking blocks kept with their
/// signatures: in the ledger, on the next turn, and when a session is continued.
@Suite struct ThinkingAndEffortTests {
  let dir = TempDir("thinking")
  var db: String { dir.file("ledger.db") }
  var repo: String { dir.file("repo") }

  init() throws {
    try dir.write("repo/calc.sh", "add() { echo $(( $1 + $2 )); }\n")
    try GitFixture.sh("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
  }

  func run(_ args: [String], server: LoopbackServer) async throws -> CLIResult {
    try await CLIRunner.run(args, env: ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL], cwd: repo)
  }

  static let thought = "The user wants the add function; read calc.sh first."
  static let signature = "EqQBCkgIARABGAIiQL2fsig+/x=="

  @Test func effortAndAdaptiveThinkingAreSentAndThinkingGoesBackSigned() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [.thinking(Self.thought, signature: Self.signature), .toolUse(id: "t1", name: "Read", input: ["file_path": "calc.sh"])],
                           stopReason: "tool_use", model: "claude-sonnet-5-5")),
      .sse(SSEBuilder.text("add() adds.", model: "claude-sonnet-5-5")),
    ])
    let r = try await run(["code", "--permission", "read-only", "--effort", "high", "what does add do?"], server: server)
    #expect(r.status == 0, "\(r.stderr)")
    let first = try #require(server.requests.first?.body)
    #expect(first["thinking"] == ["type": "adaptive"])
    #expect(first["output_config"] == ["effort": "high"])
    // The second request carries the assistant turn back exactly: thinking first, with its signature.
    let second = try #require(server.requests.last?.body?["messages"]?.arrayValue)
    try #require(second.count == 3)
    #expect(second[1]["content"]?[0] == ["type": "thinking", "thinking": .string(Self.thought), "signature": .string(Self.signature)])
    #expect(second[1]["content"]?[1]?["type"] == "tool_use")
    // The ledger keeps the block whole.
    let ledger = try Ledger.open(path: db)
    let s = try #require(try ledger.listSessions().first)
    let assistant = try #require(try ledger.messages(sessionID: s.id).first { $0.role == "assistant" })
    #expect(assistant.content[0]?["signature"]?.stringValue == Self.signature)

    // Continued later: the history sent still has the signed block.
    server.enqueue(.sse(SSEBuilder.text("Still adds.", model: "claude-sonnet-5-5")))
    let c = try await run(["code", "--permission", "read-only", "-c", "and now?"], server: server)
    #expect(c.status == 0, "\(c.stderr)")
    let resumed = try #require(server.requests.last?.body)
    #expect(resumed["messages"]?[1]?["content"]?[0]?["signature"]?.stringValue == Self.signature)
    #expect(resumed["thinking"] == ["type": "adaptive"])
    #expect(resumed["output_config"] == nil)  // no --effort this time: the model's default
  }

  @Test func effortOnAModelWithoutItIsAUsageErrorBeforeAnyCall() async throws {
    let server = try LoopbackServer([])
    let r = try await run(["code", "--model", "claude-haiku-4-5", "--effort", "low", "x"], server: server)
    #expect(r.status == 2)
    #expect(r.stderr.contains("claude-haiku-4-5 has no effort setting"))
    let bad = try await run(["code", "--effort", "extreme", "x"], server: server)
    #expect(bad.status == 2 && bad.stderr.contains("unknown --effort 'extreme'"))
    #expect(server.requests.isEmpty)
    // An older model gets no thinking field at all (its extended thinking needs a budget).
    server.enqueue(.sse(SSEBuilder.text("ok")))
    let old = try await run(["code", "--model", "claude-haiku-4-5", "--permission", "read-only", "x"], server: server)
    #expect(old.status == 0, "\(old.stderr)")
    #expect(server.requests.last?.body?["thinking"] == nil)
  }

  @Test func askSendsEffortOnlyWhenAsked() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("a")), .sse(SSEBuilder.text("b"))])
    let plain = try await run(["ask", "hi"], server: server)
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(server.requests.last?.body?["thinking"] == nil && server.requests.last?.body?["output_config"] == nil)
    let low = try await run(["ask", "--model", "opus", "--effort", "low", "hi"], server: server)
    #expect(low.status == 0, "\(low.stderr)")
    let body = try #require(server.requests.last?.body)
    #expect(body["model"] == "claude-opus-5-5")
    #expect(body["thinking"] == ["type": "adaptive"] && body["output_config"] == ["effort": "low"])
  }
}
