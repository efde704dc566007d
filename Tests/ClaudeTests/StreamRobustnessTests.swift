import ArrakisCore
import Foundation
import Testing
import TestSupport
@testable import Claude

/// Streams that are long, malformed or not streams at all: linear time, a clear error, never a crash.
@Suite struct StreamRobustnessTests {
  /// One 10 MB `data:` line in curl-sized chunks: the parser used to rescan everything pending on every
  /// chunk (5.1 s for 10 MB, 21.6 s for 20 MB). The bound is generous; linear takes well under it.
  @Test func aTenMegabyteDataLineIsParsedInLinearTime() throws {
    let payload = Data(repeating: UInt8(ascii: "a"), count: 10 << 20)
    let body = Data("event: big\ndata: ".utf8) + payload + Data("\n\n".utf8)
    var parser = SSEParser()
    var messages: [SSEParser.Message] = []
    let start = Date()
    var offset = 0
    while offset < body.count {
      let end = min(offset + 16_384, body.count)
      parser.feed(body[offset..<end]) { messages.append($0) }
      offset = end
    }
    let seconds = Date().timeIntervalSince(start)
    #expect(seconds < 2, "10 MB took \(seconds) s")
    try #require(messages.count == 1)
    #expect(messages[0].event == "big" && messages[0].data.count == payload.count)
  }

  /// A text delta before its block's start is a protocol violation (exit 8), not text to drop silently.
  @Test func aDeltaBeforeItsBlockStartIsMalformed() throws {
    let stream = SSEBuilder.event("message_start", ["type": "message_start", "message": [
      "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-6", "content": [],
      "usage": ["input_tokens": 1, "output_tokens": 1],
    ]]) + SSEBuilder.event("content_block_delta", ["type": "content_block_delta", "index": 0,
                                                   "delta": ["type": "text_delta", "text": "orphan"]])
    var parser = SSEParser()
    var acc = StreamAccumulator()
    let error = expectClaudeError { try parser.feed(Data(stream.utf8)) { try acc.handle($0, emit: { _ in }) } }
    guard case .malformed(let why)? = error?.kind else {
      Issue.record("expected a malformed-stream error, got \(String(describing: error))")
      return
    }
    #expect(why.contains("before its content_block_start"))
    #expect(error?.arrakisError.status == .protocolError)
  }

  /// A 200 with an HTML page (a proxy, a captive portal) is named for what it is, at the first attempt.
  @Test func aTwoHundredWithHTMLIsNotAnEventStream() throws {
    let page = ScriptedResponse.json(status: 200, headers: ["content-type": "text/html; charset=utf-8"],
                                     body: "<html><body>Please log in to the hotel Wi-Fi</body></html>")
    let server = try LoopbackServer([page, page, page])
    let (c, _) = client(server)
    let e = expectClaudeError { _ = try c.send(hello) }
    guard case .malformed(let why)? = e?.kind else {
      Issue.record("expected not-an-event-stream, got \(String(describing: e))")
      return
    }
    #expect(why.contains("not an event stream") && why.contains("text/html") && why.contains("hotel Wi-Fi"))
    #expect(server.requests.count == 1)
    #expect(e?.arrakisError.status == .protocolError)
    #expect(e?.arrakisError.message.contains("mid-answer") == false)
  }

  /// The fuzz harness kept as a test: mutated copies of real-shaped streams (bytes flipped, dropped,
  /// duplicated, cut short), fed in random chunks. Each ends as a response or a ClaudeError; none crashes.
  @Test func mutatedStreamsEndCleanly() throws {
    var rng = SplitMix(seed: 0x5EED)
    let seeds = [
      SSEBuilder.text("Hello, world. A few words to split."),
      SSEBuilder.toolUse(id: "t1", name: "Bash", input: ["command": "ls -la"], text: "Let me look."),
      SSEBuilder.turn(blocks: [.thinking("hmm", signature: "sig"), .text("done")]),
      SSEBuilder.text("partial") + SSEBuilder.errorEvent(),
    ].map { Array($0.utf8) }
    var completed = 0, failed = 0
    for _ in 0..<400 {
      var bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
      for _ in 0..<(1 + Int(rng.next() % 6)) {
        guard !bytes.isEmpty else { break }
        let at = Int(rng.next() % UInt64(bytes.count))
        switch rng.next() % 4 {
        case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
        case 1: bytes.remove(at: at)
        case 2: bytes.insert(contentsOf: bytes[at..<min(at + 20, bytes.count)], at: at)
        default: bytes.removeLast(bytes.count - at)
        }
      }
      var parser = SSEParser()
      var acc = StreamAccumulator()
      do {
        var offset = 0
        while offset < bytes.count {
          let end = min(bytes.count, offset + 1 + Int(rng.next() % 64))
          try parser.feed(Data(bytes[offset..<end])) { try acc.handle($0, emit: { _ in }) }
          offset = end
        }
        if acc.isComplete { completed += 1 } else { failed += 1 }
      } catch is ClaudeError {
        failed += 1
      }
    }
    #expect(completed + failed == 400)
    #expect(completed > 0 && failed > 0, "the mutations did nothing or broke everything: \(completed)/\(failed)")
  }
}

/// A small deterministic generator, so a failing mutation can be replayed.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
