import ArrakisCore
import CArrakisSystem
import Foundation
@testable import MCPBridge
import Testing

/// MCPBridge's own JSON-RPC (Sources/MCPBridge/JSONRPC, Server) over real pipes: what the Python SDK peers of
/// Tests/CLITests/McpServerTests.swift and McpCodeTests.swift cannot make happen on cue (two calls side by
/// side, a cancellation, a connection closed under a waiting request) and the text a model reads of each
/// content kind.
struct McpProtocolTests {
  @Test func everyContentKindReadsAsTheModelSeesIt() throws {
    let result = try MCPCallResult(json: [
      "content": [
        ["type": "text", "text": "hello"],
        ["type": "image", "data": "QUJD", "mimeType": "image/png"],
        ["type": "audio", "data": "QUJDRA==", "mimeType": "audio/wav"],
        ["type": "resource", "resource": ["uri": "file:///a", "mimeType": "text/plain", "text": "inline text"]],
        ["type": "resource", "resource": ["uri": "file:///b", "mimeType": "image/png", "blob": "QQ=="]],
        ["type": "resource_link", "uri": "file:///c", "name": "c", "description": "see"],
      ],
      "isError": false,
    ])
    #expect(MCPTool.text(of: result) == """
      hello
      [image image/png, 4 base64 characters]
      [audio audio/wav, 8 base64 characters]
      inline text
      [resource file:///b, image/png]
      [link c: file:///c — see]
      """)
    #expect(result.isError == false)
    let structured = try MCPCallResult(json: ["content": [], "structuredContent": ["n": 5]])
    #expect(MCPTool.text(of: structured) == #"{"n":5}"#)
    #expect(MCPTool.text(of: try MCPCallResult(json: ["content": []])) == "(no content)")
    #expect(throws: MCPCallResult.Malformed.self) { try MCPCallResult(json: ["content": [["type": "text"]]]) }
  }

  @Test func messagesAreToldApart() {
    guard case .request(let id, "tools/list", nil)? = JSONRPC.decode(["jsonrpc": "2.0", "id": 7, "method": "tools/list"]) else {
      Issue.record("not a request"); return
    }
    #expect(id == 7)
    guard case .notification("notifications/initialized", _)? = JSONRPC.decode(["jsonrpc": "2.0", "method": "notifications/initialized"]) else {
      Issue.record("not a notification"); return
    }
    guard case .response("a", .failure(let error))? = JSONRPC.decode(["jsonrpc": "2.0", "id": "a", "error": ["code": -32601, "message": "no"]]) else {
      Issue.record("not an error response"); return
    }
    #expect(error.code == JSONRPC.methodNotFound)
    #expect(JSONRPC.decode([1, 2]) == nil)
    #expect(JSONRPC.decode(["jsonrpc": "2.0", "id": ["x": 1], "method": "ping"]) == nil)
    #expect(MCPVersion.negotiate("2025-03-26") == "2025-03-26")
    #expect(MCPVersion.negotiate("2099-01-01") == MCPVersion.latest)
    #expect(Deadline.format(1500) == "1.5 s" && Deadline.format(2000) == "2 s")
  }

  /// A slow call does not hold up a fast one; a cancelled call gets no reply but is still waited for.
  @Test func callsRunSideBySideAndACancelledOneGetsNoReply() async throws {
    let pipe = try PipeEnds.make()
    let (gate, open) = AsyncStream<Void>.makeStream()
    let finished = Flag()
    let slow = ServedTool(name: "slow", description: "waits", inputSchema: ["type": "object"], readOnly: true) { _ in
      for await _ in gate { break }
      finished.set()
      return ServedResult(text: "late")
    }
    let fast = ServedTool(name: "fast", description: "answers", inputSchema: ["type": "object"], readOnly: true) { input in
      ServedResult(text: "got \(input["n"]?.intValue ?? -1)", structured: ["n": input["n"] ?? .null])
    }
    let session = MCPServerSession(
      name: "t", version: "1", instructions: nil, tools: [slow, fast], writer: LineWriter(fd: pipe.write, label: "test"))
    let replies = LineSource(fd: pipe.read)
    session.receive(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow"}}"#.utf8))
    session.receive(Array(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"fast","arguments":{"n":3}}}"#.utf8))
    let first = try #require(await replies.next())
    #expect(first["id"] == 2)
    #expect(first["result"]?["content"] == [["type": "text", "text": "got 3"], ["type": "text", "text": #"{"n":3}"#]])
    #expect(first["result"]?["structuredContent"] == ["n": 3] && first["result"]?["isError"] == false)

    session.receive(Array(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}"#.utf8))
    session.receive(Array(#"{"jsonrpc":"2.0","id":3,"method":"ping"}"#.utf8))
    open.yield()
    await session.inFlight.drained()
    #expect(finished.isSet)  // waited for, though cancelled
    await session.writer.flush()
    close(pipe.write)
    #expect(await replies.next()?["id"] == 3)
    #expect(await replies.next() == nil)  // no reply for the cancelled call
    close(pipe.read)
  }

  /// A reply is matched to its request by id; close() fails the requests still waiting, and later ones.
  @Test func theClientMatchesRepliesAndFailsWaitsWhenClosed() async throws {
    let toClient = try PipeEnds.make(), toServer = try PipeEnds.make()
    let client = JSONRPCClient(readFrom: toClient.read, writeTo: toServer.write)
    client.start(onEnd: {})
    let requests = LineSource(fd: toServer.read)

    let answered = Task { try await client.request("tools/list", params: nil) }
    let request = try #require(await requests.next())
    #expect(request["method"] == "tools/list")
    let reply = JSONRPC.result(id: try #require(request["id"]), ["tools": []]).serialized() + "\n"
    _ = reply.withCString { write(toClient.write, $0, strlen($0)) }
    #expect(try await answered.value == ["tools": []])

    // Two waiting, answered in the other order, after a reply to an id nobody asked for (dropped).
    let one = Task { try await client.request("one", params: nil) }
    let askedOne = try #require(await requests.next())
    let two = Task { try await client.request("two", params: nil) }
    let askedTwo = try #require(await requests.next())
    for (id, n) in [(JSONValue.number(999), 0), (try #require(askedTwo["id"]), 2), (try #require(askedOne["id"]), 1)] {
      let line = JSONRPC.result(id: id, ["n": .number(Double(n))]).serialized() + "\n"
      _ = line.withCString { write(toClient.write, $0, strlen($0)) }
    }
    #expect(try await one.value == ["n": 1])
    #expect(try await two.value == ["n": 2])

    let waiting = Task { try await client.request("tools/call", params: ["name": "x"]) }
    _ = await requests.next()
    client.close("the server exited")
    await #expect(throws: JSONRPCClient.Closed.self) { try await waiting.value }
    await #expect(throws: JSONRPCClient.Closed.self) { try await client.request("ping", params: nil) }
    // toClient.read stays open: the client's reader thread may still be between two reads of it, and a
    // number closed under it could be reused by another test's file.
    [toClient.write, toServer.read, toServer.write].forEach { close($0) }
  }
}

private struct PipeEnds {
  var read: Int32
  var write: Int32

  static func make() throws -> PipeEnds {
    // Close-on-exec: a child another test starts meanwhile (a PostgreSQL server lives for the whole run)
    // must not inherit the write end, or the read end never sees EOF.
    var fds: [Int32] = [-1, -1]
    guard arrakis_pipe_cloexec(&fds) == 0 else { throw POSIXError(.EMFILE) }
    return PipeEnds(read: fds[0], write: fds[1])
  }
}

/// Reads JSON lines from a pipe on a thread of its own (a blocking read must not hold a cooperative thread).
private final class LineSource: @unchecked Sendable {
  private let handle: FileHandle
  private var buffer: [UInt8] = []

  init(fd: Int32) { handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false) }

  /// The next line as JSON; nil at end of file.
  func next() async -> JSONValue? {
    await withCheckedContinuation { (done: CheckedContinuation<JSONValue?, Never>) in
      Thread {
        while !self.buffer.contains(0x0A) {
          let chunk = self.handle.availableData
          if chunk.isEmpty { return done.resume(returning: nil) }
          self.buffer += chunk
        }
        let end = self.buffer.firstIndex(of: 0x0A)!
        let line = String(decoding: self.buffer[..<end], as: UTF8.self)
        self.buffer.removeFirst(end + 1)
        done.resume(returning: try? JSONValue.parse(line))
      }.start()
    }
  }
}

private final class Flag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false
  var isSet: Bool { lock.withLock { value } }
  func set() { lock.withLock { value = true } }
}
