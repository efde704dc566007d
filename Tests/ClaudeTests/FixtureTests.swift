import ArrakisCore
import Foundation
import Testing
import TestSupport
@testable import Claude

/// The project's own API responses (Tests/Fixtures/anthropic), shaped like the API's documented format:
/// the parser and accumulator read each one exactly, in small pieces and through the real client.
@Suite struct FixtureTests {
  @Test func everyOwnFixtureIsThere() {
    #expect(Fixtures.all.count == 16)
  }

  @Test func everyStreamIsUnderstood() throws {
    let streams = Fixtures.all.filter(Fixtures.isSSE)
    try #require(streams.count == 8)
    for name in streams {
      let (response, _) = try accumulate(name)
      #expect(response.id.hasPrefix("msg_"), "\(name)")
      #expect(response.stopReason != nil, "\(name)")
    }
  }

  @Test func streamedTextIsExactAndDeliveredAsDeltas() throws {
    let (response, events) = try accumulate("stream-text")
    #expect(response.text == "- Ahab\n- Queequeg\n- Starbuck")
    #expect(response.model == "claude-sonnet-4-6")
    #expect(response.stopReason == .endTurn)
    let deltas = events.compactMap { if case .textDelta(let t) = $0 { return t }; return nil }
    #expect(deltas == ["- Ahab", "\n- Queequeg\n- Star", "buck"])
    #expect(response.usage == Usage(inputTokens: 21, outputTokens: 14))
  }

  @Test func toolInputFragmentsAreJoinedAndParsed() throws {
    let (response, events) = try accumulate("stream-tool-use")
    #expect(response.stopReason == .toolUse)
    try #require(response.content.count == 2)
    #expect(response.content[0] == .text("I'll read the entry point first."))
    #expect(response.content[1] == .toolUse(id: "toolu_01FixtureReadMain0001", name: "Read",
                                            input: ["file_path": "Sources/main.swift", "limit": 40]))
    #expect(events.contains(.toolUseStart(id: "toolu_01FixtureReadMain0001", name: "Read")))
    // The 2024 message_delta carries only output_tokens: input must survive from message_start.
    #expect(response.usage == Usage(inputTokens: 412, outputTokens: 88))
  }

  @Test func toolWithoutArgumentsGetsEmptyObject() throws {
    let (response, _) = try accumulate("stream-tool-use-no-input")
    #expect(response.content == [.toolUse(id: "toolu_01FixtureNoInput0001", name: "current_branch", input: [:])])
  }

  @Test func serverToolBlocksAreKeptVerbatim() throws {
    let (response, _) = try accumulate("stream-server-tool-use")
    try #require(response.content.count == 5)
    guard case .unknown(let server) = response.content[1], case .unknown(let result) = response.content[2] else {
      Issue.record("server blocks should be kept as unknown"); return
    }
    #expect(server["type"] == "server_tool_use")
    #expect(server["input"] == ["query": "libgit2 1.9 release notes"])
    #expect(result["type"] == "web_search_tool_result")
    // Sent back, a kept block is the same JSON the server produced.
    #expect(response.content[2].json == result)
    #expect(response.text == "Let me look up the release notes. Found them; now I'll check the pinned version.")
    #expect(response.toolUses.map(\.name) == ["Grep"])
    #expect(response.toolUses.first?.input == ["pattern": "libgit2", "glob": "*.swift"])
  }

  @Test func thinkingAndSignatureAccumulate() throws {
    let (response, events) = try accumulate("stream-thinking")
    guard case .thinking(let thinking, let signature) = response.content.first else { Issue.record("no thinking block"); return }
    #expect(thinking == "The user asks which of the two loops terminates. The second one decrements i.")
    #expect(signature == "EqQBCkgIBxABGAIqQFixtureSignatureOnlyForTestsAAAA==")
    #expect(events.filter { if case .thinkingDelta = $0 { return true }; return false }.count == 3)
    #expect(response.text == "The second loop terminates.")
  }

  @Test func refusalWithZeroBlocks() throws {
    let (response, _) = try accumulate("stream-refusal")
    #expect(response.content.isEmpty)
    #expect(response.stopReason == .refusal)
    #expect(response.stopDetails?["category"] == "cyber")
  }

  @Test func stopSequenceAndMaxTokens() throws {
    let (stopped, _) = try accumulate("stream-stop-sequence")
    #expect(stopped.stopReason == .stopSequence)
    #expect(stopped.stopSequence == "```")
    #expect(stopped.text == "\nfunc add(_ a: Int, _ b: Int) -> Int {\n  a + b\n}\n")
    let (cut, _) = try accumulate("stream-max-tokens")
    #expect(cut.stopReason == .maxTokens)
    #expect(cut.text == "A write-ahead log records each change before")
    #expect(cut.usage == Usage(inputTokens: 19, outputTokens: 10))
  }

  @Test func nonStreamingUsageWithCacheFields() throws {
    let written = try #require(MessageResponse(json: JSONValue.parse(Fixtures.body("message-cache-write"))))
    #expect(written.usage == Usage(inputTokens: 23, outputTokens: 64, cacheCreationInputTokens: 3104,
                                   cacheReadInputTokens: 0, cacheCreation1hInputTokens: 3104))
    #expect(written.stopReason == .maxTokens)
    #expect(written.text.hasPrefix("Three rules keep a ledger trustworthy"))
    let read = try #require(MessageResponse(json: JSONValue.parse(Fixtures.body("message-cache-read"))))
    #expect(read.usage == Usage(inputTokens: 9, outputTokens: 13, cacheReadInputTokens: 3104))
    #expect(read.stopReason == .endTurn)
    let toolTurn = try #require(MessageResponse(json: JSONValue.parse(Fixtures.body("message-tool-use"))))
    #expect(toolTurn.toolUses.first?.input == ["pattern": "Tests/**/*.swift"])
  }

  @Test func crlfLineEndingsAndOddChunkingGiveTheSameResult() throws {
    let body = String(decoding: try Fixtures.body("stream-thinking"), as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n")
    for chunk in [1, 2, 7, 4096] {
      var parser = SSEParser()
      var acc = StreamAccumulator()
      let bytes = Data(body.utf8)
      var offset = 0
      while offset < bytes.count {
        try parser.feed(Data(bytes[offset..<min(offset + chunk, bytes.count)])) { try acc.handle($0) { _ in } }
        offset += chunk
      }
      #expect(acc.response.text == "The second loop terminates.", "chunk \(chunk)")
      #expect(acc.isComplete)
    }
  }

  @Test func errorEventSurfacesWithPartial() throws {
    let stream = SSEBuilder.turn(blocks: [.text("Half an")]).components(separatedBy: "event: message_delta")[0]
      + SSEBuilder.errorEvent()
    var parser = SSEParser()
    var acc = StreamAccumulator()
    let error = expectClaudeError { try parser.feed(Data(stream.utf8)) { try acc.handle($0) { _ in } } }
    #expect(error?.kind == .streamError(type: "overloaded_error", message: "Overloaded"))
    #expect(error?.partial?.text == "Half an")
  }

  /// Each of the project's fixtures served over the loopback server and read by the real client.
  @Test func everyOwnFixtureGoesThroughTheClient() throws {
    for name in Fixtures.all {
      let status = try Fixtures.status(name)
      let server = try LoopbackServer([.fixture(name)])
      let (c, _) = client(server, retries: 0)
      do {
        if try FixtureSet.own.isCountTokens(name) {
          #expect(try c.countTokens(hello) == 14, "\(name)")
        } else {
          let response = try c.send(hello, stream: Fixtures.isSSE(name))
          #expect(response.id.hasPrefix("msg_01Fixture"), "\(name)")
        }
        #expect(status == 200, "\(name) answered \(status) but the client saw success")
      } catch let error as ClaudeError {
        #expect(status >= 400, "\(name): \(error)")
        #expect(error.httpStatus == status, "\(name)")
        #expect(error.requestID == (try Fixtures.headers(name))["request-id"], "\(name)")
      }
      #expect(server.requests.count == 1, "\(name)")
    }
  }

  @Test func aMissingFixtureFailsByName() throws {
    #expect(throws: FixtureMissing.self) { try Fixtures.body("no-such-fixture") }
    let server = try LoopbackServer([.fixture("no-such-fixture")])
    let (c, _) = client(server)
    let e = expectClaudeError { _ = try c.send(hello) }
    #expect(e?.apiMessage?.contains("missing fixture no-such-fixture") == true)
    #expect(server.requests.count == 1)  // not retried into the next scripted response
  }
}
