import ArrakisCore
import Foundation
import Testing
import TestSupport
@testable import Claude

/// Through the real libcurl path against a loopback HTTP server.
@Suite(.serialized) struct TransportTests {
  @Test func streamingTextArrivesAsDeltasAndConnectionIsReused() throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.text("Hello there, world"), chunkSize: 9, delayMs: 1),
      .fixture("stream-text"),
    ])
    let (c, _) = client(server)
    var deltas: [String] = []
    let first = try c.send(hello) { if case .textDelta(let t) = $0 { deltas.append(t) } }
    #expect(first.text == "Hello there, world")
    #expect(deltas == ["Hello ", "there, ", "world"])
    #expect(first.requestID == "req_loopback_stream")
    let second = try c.send(hello)
    #expect(second.text == "- Ahab\n- Queequeg\n- Starbuck")
    #expect(second.requestID == "req_011FixtureStreamText0001")
    #expect(server.requests.count == 2)
    #expect(server.connections == 1)
  }

  @Test func requestHeadersAndBodyShape() throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("ok"))])
    let (c, _) = client(server)
    let tools = (1...6).map { ToolDefinition(name: "t\($0)", description: "tool \($0)", inputSchema: ["type": "object"]) }
    var req = MessageRequest(model: "claude-sonnet-4-6", maxTokens: 100,
                             messages: [.user("a"), .assistant("b"), ChatMessage(role: .user, content: [.text("c"), .text("d")])],
                             system: "be brief", tools: tools, cacheSystemAndTools: true, cacheLastMessage: true)
    req.stopSequences = ["```"]
    _ = try c.send(req)
    let r = try #require(server.requests.first)
    #expect(r.method == "POST" && r.path == "/v1/messages")
    #expect(r.headers["x-api-key"] == "sk-test")
    #expect(r.headers["anthropic-version"] == "2023-06-01")
    #expect(r.headers["content-type"] == "application/json")
    #expect(r.headers["user-agent"] == "arrakis/\(ArrakisVersion.string)")
    #expect(r.headers["accept-encoding"]?.contains("gzip") == true)
    let body = try #require(r.body)
    #expect(body["stream"] == true && body["max_tokens"] == 100 && body["stop_sequences"] == ["```"])
    #expect(body["system"]?[0]?["cache_control"] == ["type": "ephemeral"])
    #expect(body["tools"]?[5]?["cache_control"] == ["type": "ephemeral"])
    #expect(body["messages"]?[2]?["content"]?[1]?["cache_control"] == ["type": "ephemeral"])
    let markers = body.serialized().components(separatedBy: "\"cache_control\"").count - 1
    #expect(markers == 3)
  }

  @Test func missingKeySendsNothing() throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("never"))])
    let (c, _) = client(server, key: nil)
    let e = expectClaudeError { _ = try c.send(hello) }
    #expect(e?.kind == .noAPIKey)
    #expect(e?.arrakisError.status == .configuration)
    #expect(server.requests.isEmpty)
  }

  @Test func rateLimitHonoursRetryAfterMsThenSucceeds() throws {
    let server = try LoopbackServer([
      .json(status: 429, headers: ["retry-after-ms": "25", "request-id": "req_rl1"],
            body: #"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#),
      .sse(SSEBuilder.text("after the wait")),
    ])
    let (c, sleeps) = client(server)
    let r = try c.send(hello)
    #expect(r.text == "after the wait")
    let requests = server.requests
    try #require(requests.count == 2)
    #expect(sleeps.delays == [0.025])
    #expect(requests[1].headers["x-stainless-retry-count"] == "1")
  }

  @Test func overloadedThreeTimesGivesUpWithRequestID() throws {
    let overloaded = ScriptedResponse.json(status: 529, headers: ["request-id": "req_over9"],
                                           body: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
    let server = try LoopbackServer([overloaded, overloaded, overloaded, .sse(SSEBuilder.text("too late"))])
    let (c, sleeps) = client(server)
    let e = expectClaudeError { _ = try c.send(hello) }
    #expect(e?.kind == .overloaded)
    #expect(e?.attempts == 3)
    #expect(server.requests.count == 3)
    #expect(sleeps.delays.count == 2)
    let shown = e?.arrakisError
    #expect(shown?.status == .rateLimited)
    #expect(shown?.message == "the API is overloaded (529) after 3 attempts, retry later (request-id req_over9)")
  }

  @Test func shouldRetryFalseIsObeyed() throws {
    let server = try LoopbackServer([.fixture("error-400-invalid-request"), .sse(SSEBuilder.text("no"))])
    let (c, _) = client(server)
    let e = expectClaudeError { _ = try c.send(hello) }
    #expect(e?.kind == .invalidRequest && e?.httpStatus == 400)
    #expect(server.requests.count == 1)
    #expect(e?.arrakisError.message.contains("Input should be a valid list") == true)
  }

  @Test func unauthorizedIsNotRetried() throws {
    let server = try LoopbackServer([.fixture("error-401-authentication")])
    let (c, _) = client(server)
    let e = expectClaudeError { _ = try c.send(hello) }
    #expect(e?.arrakisError.status == .authentication)
    #expect(e?.requestID == "req_011FixtureBadKey00001")
    #expect(server.requests.count == 1)
  }

  @Test func unknownModelNamesItAndTheAliases() throws {
    let server = try LoopbackServer([.fixture("error-404-not-found")])
    let (c, _) = client(server)
    var req = hello
    req.model = "claude-no-such-model"
    let e = expectClaudeError { _ = try c.countTokens(req) }
    #expect(server.requests.first?.path == "/v1/messages/count_tokens")
    #expect(e?.arrakisError.message.hasPrefix("unknown model 'claude-no-such-model'") == true)
    #expect(e?.arrakisError.hint?.contains("opus (claude-opus-5-5)") == true)
  }

  @Test func tooLargeSaysToShortenInput() throws {
    let server = try LoopbackServer([.json(status: 413, body: "<html>413 Request Entity Too Large</html>")])
    let (c, _) = client(server)
    let e = expectClaudeError { _ = try c.send(hello) }
    #expect(e?.kind == .tooLarge)
    #expect(e?.arrakisError.status == .invalidRequest)
    #expect(e?.arrakisError.message.contains("prompt is too large") == true)
    #expect(e?.arrakisError.hint?.contains("shorten stdin") == true)
    #expect(server.requests.count == 1)
  }

  @Test func droppedConnectionsAreRetriedThenReported() throws {
    let server = try LoopbackServer([.dropConnection, .dropConnection, .dropConnection])
    let (c, _) = client(server)
    let e = expectClaudeError { _ = try c.send(hello) }
    guard case .connection = e?.kind else { Issue.record("expected connection error, got \(String(describing: e))"); return }
    #expect(server.requests.count == 3)
    #expect(e?.arrakisError.status == .network)
    #expect(e?.arrakisError.message.contains("could not reach \(server.baseURL) after 3 attempts") == true)
  }

  @Test func droppedConnectionThenSuccess() throws {
    let server = try LoopbackServer([.dropConnection, .sse(SSEBuilder.text("recovered"))])
    let (c, _) = client(server)
    #expect(try c.send(hello).text == "recovered")
    #expect(server.requests.count == 2)
  }

  @Test func stalledStreamKeepsPartialAndNamesTheCause() throws {
    let partial = SSEBuilder.turn(blocks: [.text("Partial answer")]).components(separatedBy: "event: content_block_stop")[0]
    let server = try LoopbackServer([.stall(afterSSE: partial)])
    let (c, _) = client(server, stall: 0.5)
    var printed = ""
    let start = Date()
    let e = expectClaudeError { _ = try c.send(hello) { if case .textDelta(let t) = $0 { printed += t } } }
    #expect(Date().timeIntervalSince(start) < 30)  // detected, not hung: the server never sends again
    #expect(e?.kind == .stalled(0.5))
    #expect(printed == "Partial answer")
    #expect(e?.partial?.text == "Partial answer")
    #expect(e?.arrakisError.message.contains("stream stalled: no data for 0.5 s") == true)
    #expect(e?.arrakisError.hint?.contains("ARRAKIS_STALL_TIMEOUT") == true)
    #expect(server.requests.count == 1)
  }

  @Test func truncatedStreamKeepsPartial() throws {
    let partial = SSEBuilder.turn(blocks: [.text("Cut off mid")]).components(separatedBy: "event: content_block_stop")[0]
    let server = try LoopbackServer([.truncate(partial), .sse(SSEBuilder.text("should not be fetched"))])
    let (c, _) = client(server)
    let e = expectClaudeError { _ = try c.send(hello) }
    #expect(e?.kind == .truncatedStream)
    #expect(e?.partial?.text == "Cut off mid")
    #expect(e?.arrakisError.status == .protocolError)
    #expect(server.requests.count == 1)
  }

  @Test func malformedBodyIsAProtocolError() throws {
    let server = try LoopbackServer([.json(status: 200, body: #"{"id": "msg_1", "content": [trunc"#)])
    let (c, _) = client(server)
    let e = expectClaudeError { _ = try c.send(hello, stream: false) }
    guard case .malformed = e?.kind else { Issue.record("expected malformed, got \(String(describing: e))"); return }
    #expect(e?.arrakisError.status == .protocolError)
  }

  @Test func errorEventMidStreamIsNotRetried() throws {
    let head = SSEBuilder.turn(blocks: [.text("Starting")]).components(separatedBy: "event: message_delta")[0]
    let server = try LoopbackServer([.sse(head + SSEBuilder.errorEvent()), .sse(SSEBuilder.text("retry"))])
    let (c, _) = client(server)
    let e = expectClaudeError { _ = try c.send(hello) }
    #expect(e?.kind == .streamError(type: "overloaded_error", message: "Overloaded"))
    #expect(e?.partial?.text == "Starting")
    #expect(e?.arrakisError.status == .protocolError)
    #expect(server.requests.count == 1)
  }

  @Test func nonStreamingFixtureAndCountTokens() throws {
    let server = try LoopbackServer([.fixture("message-cache-write"), .fixture("count-tokens")])
    let (c, _) = client(server)
    let r = try c.send(hello, stream: false)
    #expect(r.usage.cacheCreation1hInputTokens == 3104)
    #expect(r.requestID == "req_011FixtureCacheWrite01")
    #expect(try c.countTokens(hello) == 14)
    let requests = server.requests
    try #require(requests.count == 2)
    #expect(requests[0].body?["stream"] == nil)
    #expect(requests[1].path == "/v1/messages/count_tokens")
    #expect(requests[1].body?["max_tokens"] == nil)
  }

  @Test func exhaustedScriptAnswersAClear500() throws {
    let server = try LoopbackServer([])
    let (c, _) = client(server)
    let e = expectClaudeError { _ = try c.send(hello) }
    #expect(e?.kind == .server(500))
    #expect(e?.apiMessage?.contains("no scripted response left for POST /v1/messages") == true)
  }
}
