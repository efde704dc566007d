import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// Sessions that outgrow the window still finish: 300 Read turns of ~26 KB against an API that rejects any
/// prompt over 200,000 tokens (while the model's catalog window is 1M, as in the measured failure).
@Suite(.serialized) struct LongSessionTests {
  let dir = TempDir("long")
  var db: String { dir.file("ledger.db") }
  var repo: String { dir.file("repo") }
  static let files = 30
  static let turns = 300

  init() throws {
    for f in 0..<Self.files {
      let lines = (1...300).map { "file-\(f)-line-\($0): " + String(repeating: "abcdefghij", count: 6) + " \($0 * 7919 % 10007)" }
      try dir.write("repo/f\(f).txt", lines.joined(separator: "\n") + "\n")
    }
    try GitFixture.sh("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
  }

  /// The model: `turns` Read calls in a row, then a final answer; a summary request gets a summary.
  /// Usage reports the prompt as the server counts it (bytes / 4), like the API's own count would.
  final class Script: @unchecked Sendable {
    var served = 0
    var summaries = 0
  }

  static func server(_ script: Script) throws -> LoopbackServer {
    let server = try LoopbackServer(handler: { req in
      let tokens = req.rawBody.count / 4
      if req.rawBody.range(of: Data("compacting the transcript".utf8)) != nil {
        script.summaries += 1
        return .sse(SSEBuilder.turn(blocks: [.text("Summary: the agent read the files f0.txt to f29.txt.")], usage: (tokens, 20)))
      }
      let k = script.served
      script.served += 1
      guard k < Self.turns else { return .sse(SSEBuilder.turn(blocks: [.text("Read them all.")], usage: (tokens, 5))) }
      return .sse(SSEBuilder.turn(blocks: [.toolUse(id: "toolu_r\(k)", name: "Read", input: ["file_path": .string("f\(k % Self.files).txt")])],
                                  stopReason: "tool_use", usage: (tokens, 15)))
    })
    server.promptLimitTokens = 200_000
    server.keepsOnlyLast = 2
    return server
  }

  func code(_ args: [String], _ server: LoopbackServer) async throws -> CLIResult {
    try await CLIRunner.run(["code", "--permission", "read-only", "--max-turns", "400", "--output-format", "stream-json"] + args,
                            env: ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL],
                            cwd: repo, timeout: 600)
  }

  static func events(_ stdout: String, type: String) -> [JSONValue] {
    stdout.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }.filter { $0["type"]?.stringValue == type }
  }

  @Test func threeHundredReadTurnsFinishAndCanBeContinued() async throws {
    let script = Script()
    let server = try Self.server(script)
    let r = try await code(["read every file, one per turn"], server)
    #expect(r.status == 0, "\(r.stderr.suffix(2000))")
    let compactions = Self.events(r.stdout, type: "compaction")
    #expect(!compactions.isEmpty)
    #expect(compactions.allSatisfy { ($0["tokens_after"]?.intValue ?? .max) < ($0["tokens_before"]?.intValue ?? 0) })
    // The API turned away only the first request over its real limit; from then on the estimate held.
    #expect(server.rejectedForLength == 1)
    #expect(server.rejectedForLength <= compactions.count)
    #expect(Self.events(r.stdout, type: "result").first?["turns"]?.intValue == Self.turns + 1)

    // The newest result reached the model whole.
    let last = try #require(server.requests.last?.body?["messages"]?.arrayValue?.last)
    let newest = try #require(last["content"]?[0]?["content"]?.stringValue)
    let expected = try String(contentsOfFile: repo + "/f\((Self.turns - 1) % Self.files).txt", encoding: .utf8)
    #expect(newest.count > 25_000 && newest.contains("file-\((Self.turns - 1) % Self.files)-line-300:"))
    #expect(newest.contains(expected.split(separator: "\n")[150]))

    // The ledger holds all 300 results whole, and every compaction.
    let ledger = try Ledger.open(path: db)
    let session = try #require(try ledger.listSessions().first)
    let rows = try ledger.messages(sessionID: session.id)
    let results = rows.filter { $0.role == "user" }.flatMap { $0.content.arrayValue ?? [] }.filter { $0["type"] == "tool_result" }
    #expect(results.count == Self.turns)
    #expect(results.allSatisfy { ($0["content"]?.stringValue?.count ?? 0) > 25_000 })
    let recorded = rows.filter { $0.systemSource == "compaction" }
    #expect(recorded.count == compactions.count)
    #expect(recorded.allSatisfy { $0.content[1]?["tokens_before"]?.intValue != nil && $0.content[1]?["cleared_tool_use_ids"] != nil })
    #expect(try ledger.toolOperations(sessionID: session.id).count == Self.turns)
    // What the model was shown instead of a cleared result says how to see it.
    let placeholders = (server.requests.last?.body?["messages"]?.arrayValue ?? []).compactMap { $0["content"]?[0]?["content"]?.stringValue }
      .filter { $0.hasPrefix("[cleared to fit the context window:") }
    #expect(placeholders.first?.contains("Read f") == true && placeholders.first?.contains("arrakis log show \(session.id.prefix(8))") == true)

    // Continuing the 300-turn session builds its context the same way.
    let before = server.rejectedForLength
    let c = try await code(["-c", "anything left?"], server)
    #expect(c.status == 0, "\(c.stderr.suffix(2000))")
    #expect(server.rejectedForLength - before <= 1)
    #expect(!Self.events(c.stdout, type: "compaction").isEmpty)
    let sent = try #require(server.requests.last?.rawBody.count)
    #expect(sent / 4 <= 200_000)
  }

  /// Long assistant turns and small results: clearing results is not enough, so the oldest turns are
  /// summarized by a model call of their own, whose cost counts.
  @Test func whenClearingIsNotEnoughTheOldestTurnsAreSummarized() async throws {
    let script = Script()
    let talk = String(repeating: "I am thinking aloud about the next step. ", count: 60)
    let server = try LoopbackServer(handler: { req in
      let tokens = req.rawBody.count / 4
      if req.rawBody.range(of: Data("compacting the transcript".utf8)) != nil {
        script.summaries += 1
        return .sse(SSEBuilder.turn(blocks: [.text("Summary: listed the files several times.")], usage: (tokens, 20), model: "claude-sonnet-5-5"))
      }
      let k = script.served
      script.served += 1
      guard k < 40 else { return .sse(SSEBuilder.turn(blocks: [.text("Done.")], usage: (tokens, 5), model: "claude-sonnet-5-5")) }
      return .sse(SSEBuilder.turn(blocks: [.text(talk), .toolUse(id: "toolu_g\(k)", name: "Glob", input: ["pattern": "f1*.txt"])],
                                  stopReason: "tool_use", usage: (tokens, 400), model: "claude-sonnet-5-5"))
    })
    server.promptLimitTokens = 20_000
    let r = try await code(["--context-window", "20000", "--max-tokens", "2000", "list the files until you are sure"], server)
    #expect(r.status == 0, "\(r.stderr.suffix(2000))")
    let compactions = Self.events(r.stdout, type: "compaction")
    #expect(compactions.contains { $0["kind"] == "summary" })
    #expect(script.summaries >= 1)
    #expect(server.rejectedForLength == 0)
    let first = try #require(server.requests.last?.body?["messages"]?[0]?["content"]?[0]?["text"]?.stringValue)
    #expect(first.hasPrefix("[Compaction note:") && first.contains("list the files until you are sure") && first.contains("Summary: listed the files"))
    let ledger = try Ledger.open(path: db)
    let session = try #require(try ledger.listSessions().first)
    let rows = try ledger.messages(sessionID: session.id)
    #expect(rows.filter { $0.role == "assistant" }.count == 41)  // every turn kept whole
    let summaryCall = try #require(rows.first { $0.systemSource == "compaction-summary" })
    #expect(summaryCall.usage?["output_tokens"]?.intValue == 20)
    #expect(session.outputTokens == 40 * 400 + 5 + 20 * script.summaries)
  }

  /// `ask -c` on a conversation far larger than the window: the oldest exchanges are left out, the newest
  /// and the new question are sent, and nothing is lost from the ledger.
  @Test func askContinuesAConversationOfAnySize() async throws {
    let ledger = try Ledger.open(path: db)
    let big = String(repeating: "All work and no play makes Jack a dull boy. ", count: 1_000)  // 45 KB
    let id = try ledger.startSession(NewSession(systemType: .ask, workspace: repo, model: "claude-haiku-4-5", prompt: "long"))
    for i in 0..<40 {
      try ledger.appendMessage(sessionID: id, role: "user", content: [["type": "text", "text": .string("question \(i): \(big)")]], text: "q")
      try ledger.appendMessage(sessionID: id, role: "assistant", content: [["type": "text", "text": .string("answer \(i)")]], text: "a")
    }
    try ledger.finishSession(id: id, status: .success)
    let server = try LoopbackServer([.sse(SSEBuilder.text("still here"))])
    server.promptLimitTokens = 200_000
    let r = try await CLIRunner.run(["ask", "--model", "claude-haiku-4-5", "-c", "what was the last answer?"],
                                    env: ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL], cwd: repo)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(server.rejectedForLength == 0)
    let messages = try #require(server.requests.last?.body?["messages"]?.arrayValue)
    #expect(messages.last?["content"]?[0]?["text"]?.stringValue == "what was the last answer?")
    #expect(messages.dropLast().last?["content"]?[0]?["text"] == "answer 39")
    #expect(messages.first?["content"]?[0]?["text"]?.stringValue?.hasPrefix("[The first ") == true)
    #expect(messages.count < 81 && messages.count > 10)
    #expect(try ledger.messages(sessionID: id).count == 80)
  }
}

