import ArrakisCore
import Claude
import Foundation
import Testing

@testable import Agent

/// The request body built from the messages' cached JSON (MessageBodyCache) is byte for byte the body
/// encoded afresh, turn after turn and after each way compaction changes the conversation in place.
@Suite struct RequestBodyCacheTests {
  static let tools = [
    ToolDefinition(name: "Read", description: "Reads a file", inputSchema: ["type": "object", "properties": ["file_path": ["type": "string"]]]),
    ToolDefinition(name: "Grep", description: "Searches", inputSchema: ["type": "object"]),
  ]

  static func request(_ messages: [ChatMessage], cacheLast: Bool = true) -> MessageRequest {
    var r = MessageRequest(
      model: "claude-sonnet-4-5", maxTokens: 4096, messages: messages, system: "You are \"arrakis\".\n", tools: tools,
      cacheSystemAndTools: true, cacheLastMessage: cacheLast)
    r.thinking = ["type": "adaptive"]
    r.outputConfig = ["effort": "high"]
    return r
  }

  /// Both bodies, compared as bytes (String's == would also accept canonically equivalent text).
  static func expectFreshEncoding(_ r: MessageRequest, _ cache: MessageBodyCache, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let sent = r.encodedBody(stream: true, cache: cache)
    #expect(Array(sent.utf8) == Array(r.body(stream: true).serialized().utf8), "\(what): /v1/messages body", sourceLocation: sourceLocation)
    let counted = r.encodedCountTokensBody(cache: cache)
    #expect(Array(counted.utf8) == Array(r.countTokensBody().serialized().utf8), "\(what): count_tokens body", sourceLocation: sourceLocation)
  }

  @Test func sameBytesTurnAfterTurnAndAfterEveryCompaction() throws {
    let cache = MessageBodyCache()
    var messages: [ChatMessage] = [.user("read the files, \"all\" of them\n\ttwice é")]
    Self.expectFreshEncoding(Self.request(messages), cache, "first turn")
    for i in 0..<40 {
      messages.append(ChatMessage(role: .assistant, content: [
        .thinking(thinking: "next: f\(i)", signature: "sig\(i)"), .text("Reading f\(i).txt\u{1}"),
        .toolUse(id: "t\(i)", name: "Read", input: ["file_path": .string("f\(i).txt"), "limit": .number(Double(i))]),
      ]))
      Self.expectFreshEncoding(Self.request(messages), cache, "turn \(i), after the reply")
      let text = String(repeating: "line \(i) \\ \"quoted\"\r\n", count: 400)
      messages.append(ChatMessage(role: .user, content: [.toolResult(toolUseID: "t\(i)", content: text, isError: i % 7 == 0)]))
      Self.expectFreshEncoding(Self.request(messages), cache, "turn \(i), after the results")
    }

    // Clearing old tool results replaces them in place, at the same positions.
    var ctx = ContextBudgetTests.budget()
    ctx.sync(messages)
    let before = Self.request(messages).encodedBody(stream: true, cache: cache)
    let cleared = Compaction.clearToolResults(&messages, &ctx, target: ctx.budget, minimumFreed: ctx.budget / 5, session: "abcdef123456")
    let first = try #require(cleared.firstChanged)
    #expect(!cleared.ids.isEmpty)
    let after = Self.request(messages).encodedBody(stream: true, cache: cache)
    #expect(after.contains(Compaction.placeholderPrefix) && after.utf8.count < before.utf8.count, "the cleared results must not be sent")
    Self.expectFreshEncoding(Self.request(messages), cache, "after clearing \(cleared.ids.count) results")

    // Dropping thinking blocks after the first change, then a summary that shifts every position.
    Compaction.dropThinking(after: first, &messages, &ctx)
    Self.expectFreshEncoding(Self.request(messages), cache, "after dropping thinking")
    let cut = try #require(Compaction.summaryCut(messages, ctx))
    ctx.collapse(&messages, first: cut, into: Compaction.note(task: "read", summary: "read 30 files", count: cut, session: "abcdef123456"), origin: "abcdef123456")
    Self.expectFreshEncoding(Self.request(messages), cache, "after a summary of \(cut) messages")

    // A one-off request through the same client (the summarizer's) leaves the conversation's intact;
    // so does a request without the last-message breakpoint, or not streamed.
    Self.expectFreshEncoding(Self.request([.user("<transcript>…</transcript>")]), cache, "a one-off request")
    Self.expectFreshEncoding(Self.request(messages, cacheLast: false), cache, "no breakpoint on the last message")
    var r = Self.request(messages)
    r.temperature = 0.25
    r.stopSequences = ["\n\nHuman:"]
    #expect(Array(r.encodedBody(stream: false, cache: cache).utf8) == Array(r.body(stream: false).serialized().utf8))
    messages.append(.assistant("done"))
    Self.expectFreshEncoding(Self.request(messages), cache, "the final turn")
  }
}
