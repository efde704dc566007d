import ArrakisCore
import Foundation
import Testing
import TestSupport
@testable import Claude

/// Runs a fixture's SSE body through the parser and accumulator in 13-byte pieces, so lines split across chunks.
func accumulate(_ name: String, from set: FixtureSet = .own, chunk: Int = 13) throws -> (MessageResponse, [StreamEvent]) {
  let body = try set.body(name)
  var parser = SSEParser()
  var acc = StreamAccumulator()
  var events: [StreamEvent] = []
  var offset = 0
  while offset < body.count {
    let piece = body[offset..<min(offset + chunk, body.count)]
    try parser.feed(Data(piece)) { try acc.handle($0) { events.append($0) } }
    offset += chunk
  }
  #expect(acc.isComplete, "\(name) should end with message_stop")
  return (acc.response, events)
}

/// Records retry waits instead of sleeping.
final class SleepRecorder: @unchecked Sendable {
  var delays: [Double] = []
}

func client(_ server: LoopbackServer, key: String? = "sk-test", retries: Int = 2, stall: Double = 120)
  -> (ClaudeClient, SleepRecorder)
{
  let recorder = SleepRecorder()
  let config = ClientConfig(apiKey: key, baseURL: server.baseURL, maxRetries: retries, connectTimeout: 2,
                            stallTimeout: stall, retryBaseDelay: 0.001)
  return (ClaudeClient(config: config, sleep: { recorder.delays.append($0) }), recorder)
}

let hello = MessageRequest(model: "claude-sonnet-4-6", maxTokens: 64, messages: [.user("Say hello")])

/// Runs `body` expecting a ClaudeError and returns it.
func expectClaudeError(_ body: () throws -> Void) -> ClaudeError? {
  do { try body() } catch let e as ClaudeError { return e } catch { return nil }
  return nil
}
