import ArrakisCore
import Foundation
import Testing
import TestSupport
@testable import Claude

/// Real recorded API traffic, when it is present beside the package (see `FixtureSet.recorded`): every response
/// goes through the real client, and the exact values the recordings hold are checked. A clone without the
/// recordings reports this suite as skipped; the project's own fixtures (FixtureTests) cover the same shapes.
@Suite(.serialized, .enabled(if: FixtureSet.recorded.isPresent, "recorded API responses not found beside the package (shared/fixtures/anthropic-real)"))
struct RecordedFixtureTests {
  let recorded = FixtureSet.recorded

  @Test func thereAreNineteenRecordings() {
    #expect(recorded.all.count == 19)
  }

  /// Each recording served by the loopback server and read by the client over libcurl: a message, a token count,
  /// or the API error it recorded, with the request id the response carried.
  @Test func everyRecordedResponseGoesThroughTheClient() throws {
    for name in recorded.all {
      let status = try recorded.status(name)
      let server = try LoopbackServer([.fixture(name, from: recorded)])
      let (c, _) = client(server, retries: 0)
      let countTokens = try recorded.isCountTokens(name)
      do {
        if countTokens {
          #expect(try c.countTokens(hello) > 0, "\(name)")
        } else {
          let response = try c.send(hello, stream: recorded.isSSE(name))
          #expect(response.id.hasPrefix("msg_"), "\(name)")
          #expect(response.stopReason != nil, "\(name)")
        }
        #expect(status == 200, "\(name) answered \(status) but the client saw success")
      } catch let error as ClaudeError {
        #expect(status >= 400, "\(name): \(error)")
        #expect(error.httpStatus == status, "\(name)")
        if let id = try recorded.headers(name)["request-id"] { #expect(error.requestID == id, "\(name)") }
      }
      #expect(server.requests.count == 1, "\(name)")
    }
  }

  @Test func everyRecordedStreamAccumulatesInSmallPieces() throws {
    let streams = recorded.all.filter { recorded.isSSE($0) }
    try #require(!streams.isEmpty)
    for name in streams {
      let (response, _) = try accumulate(name, from: recorded)
      #expect(response.id.hasPrefix("msg_"), "\(name)")
      #expect(response.stopReason != nil, "\(name)")
    }
  }

  @Test func errorsMapToTheirKinds() throws {
    let cases: [(String, ClaudeError.Kind)] = [
      ("09-error-400-invalid-request", .invalidRequest), ("09-error-401-authentication", .authentication),
      ("15-error-404-not-found-count-tokens", .notFound),
    ]
    for (name, kind) in cases {
      let e = ClaudeError.http(status: try recorded.status(name), body: try JSONValue.parse(recorded.body(name)),
                               requestID: try recorded.headers(name)["request-id"])
      #expect(e.kind == kind, "\(name)")
    }
  }

  @Test func streamedTextIsExactAndDeliveredAsDeltas() throws {
    let (response, events) = try accumulate("04-stream-text-sonnet45", from: recorded)
    #expect(response.text == "- Captain\n- Scoop")
    #expect(response.model == "claude-sonnet-4-5-20250929")
    #expect(response.stopReason == .endTurn)
    let deltas = events.compactMap { if case .textDelta(let t) = $0 { return t }; return nil }
    #expect(deltas.joined() == "- Captain\n- Scoop")
    #expect(response.usage == Usage(inputTokens: 17, outputTokens: 10))
  }

  @Test func toolInputFragmentsAreJoinedAndParsed() throws {
    let (response, events) = try accumulate("05-stream-tool-use-input-json-delta", from: recorded)
    #expect(response.stopReason == .toolUse)
    try #require(response.content.count == 2)
    #expect(response.content[1] == .toolUse(id: "toolu_01DYJo37oETVsCdLTTcCWcdq", name: "get_weather",
                                            input: ["location": "San Francisco, CA"]))
    #expect(events.contains(.toolUseStart(id: "toolu_01DYJo37oETVsCdLTTcCWcdq", name: "get_weather")))
    #expect(response.usage.inputTokens == 599 && response.usage.outputTokens == 135)
  }

  @Test func toolWithoutArgumentsGetsEmptyObject() throws {
    let (response, _) = try accumulate("08-roundtrip-stream-step1-tool-use", from: recorded)
    #expect(response.content == [.toolUse(id: "toolu_01UmKD1vMphVCN9vw8PEMk1q", name: "fixed_version", input: [:])])
  }

  @Test func serverToolBlocksAreKeptVerbatim() throws {
    let (response, _) = try accumulate("06-stream-server-and-client-tool-use-sonnet46-beta", from: recorded)
    try #require(response.content.count == 5)
    guard case .unknown(let server) = response.content[1], case .unknown(let result) = response.content[2] else {
      Issue.record("server blocks should be kept as unknown"); return
    }
    #expect(server["type"] == "server_tool_use")
    #expect(server["input"]?.objectValue != nil)
    #expect(result["type"] == "tool_search_tool_result")
    // Sent back, a kept block is the same JSON the server produced.
    #expect(response.content[2].json == result)
    #expect(response.text == "Let me search for a weather tool to help answer your question!Found it! Let me get the weather for San Francisco, CA now.")
  }

  @Test func thinkingAndSignatureAccumulate() throws {
    let (response, events) = try accumulate("10-stream-thinking-haiku45", from: recorded)
    guard case .thinking(let thinking, let signature) = response.content.first else { Issue.record("no thinking block"); return }
    #expect(thinking.hasPrefix("The user wants two names for a pet pelican"))
    #expect(signature.hasPrefix("EugGCmMIDBgCKkC4o7+2"))
    #expect(events.filter { if case .thinkingDelta = $0 { return true }; return false }.count == 9)
    #expect(response.text == "1. **Pouch** – references their distinctive bill pouch\n2. **Captain Bill** – nautical and fun")
  }

  @Test func refusalWithZeroBlocks() throws {
    let (response, _) = try accumulate("14-stream-refusal-no-content-blocks", from: recorded)
    #expect(response.content.isEmpty)
    #expect(response.stopReason == .refusal)
    #expect(response.stopDetails?["category"] == "reasoning_extraction")
  }

  @Test func stopSequenceAndMaxTokens() throws {
    let (stopped, _) = try accumulate("11-stream-stop-sequence-prefill", from: recorded)
    #expect(stopped.stopReason == .stopSequence)
    #expect(stopped.stopSequence == "```")
    let (cut, _) = try accumulate("12-stream-max-tokens", from: recorded)
    #expect(cut.stopReason == .maxTokens)
    #expect(cut.text == #"The phrase "I think, therefore I am" (originally in Latin as"#)
    // 2024 message_delta carried only output_tokens: input must survive from message_start.
    #expect(cut.usage == Usage(inputTokens: 27, outputTokens: 15))
  }

  @Test func nonStreamingUsageWithCacheFields() throws {
    let written = try #require(MessageResponse(json: JSONValue.parse(recorded.body("02-nonstream-text-cache-write-1h"))))
    #expect(written.usage == Usage(inputTokens: 17, outputTokens: 100, cacheCreationInputTokens: 2056,
                                   cacheReadInputTokens: 0, cacheCreation1hInputTokens: 2056))
    #expect(written.stopReason == .maxTokens)
    #expect(written.text.hasPrefix("Here are the key principles for designing scalable systems:"))
    let read = try #require(MessageResponse(json: JSONValue.parse(recorded.body("03-nonstream-text-cache-read"))))
    #expect(read.usage == Usage(inputTokens: 11, outputTokens: 100, cacheReadInputTokens: 2055))
    let toolTurn = try #require(MessageResponse(json: JSONValue.parse(recorded.body("07-roundtrip-nonstream-step1-tool-use"))))
    #expect(toolTurn.toolUses.first?.input == ["location": "San Francisco, CA"])
  }

  @Test func crlfLineEndingsAndOddChunkingGiveTheSameResult() throws {
    let body = String(decoding: try recorded.body("04b-stream-text-opus46"), as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n")
    for chunk in [1, 2, 7, 4096] {
      var parser = SSEParser()
      var acc = StreamAccumulator()
      let bytes = Data(body.utf8)
      var offset = 0
      while offset < bytes.count {
        try parser.feed(Data(bytes[offset..<min(offset + chunk, bytes.count)])) { try acc.handle($0) { _ in } }
        offset += chunk
      }
      #expect(acc.response.text == "1. **Captain Scoop**\n2. **Gullet**", "chunk \(chunk)")
      #expect(acc.isComplete)
    }
  }
}
