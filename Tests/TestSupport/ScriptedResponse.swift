import ArrakisCore
import Foundation

/// One thing the loopback server does in answer to one request.
public enum ScriptedResponse: Sendable {
  /// A complete JSON body with Content-Length, on a kept-alive connection.
  case json(status: Int = 200, headers: [String: String] = [:], body: String)
  /// A 200 SSE stream (chunked), written `chunkSize` bytes at a time with `delayMs` between pieces.
  case sse(String, chunkSize: Int? = nil, delayMs: Int? = nil)
  /// A fixture's body, status and headers: the project's own (Tests/Fixtures/anthropic) unless another set is named.
  case fixture(String, from: FixtureSet = .own)
  /// Closes the connection without answering.
  case dropConnection
  /// Sends a 200 SSE head and this text, then goes silent until the client gives up.
  case stall(afterSSE: String)
  /// Sends a 200 SSE head and this text, then closes mid-stream.
  case truncate(String)
}

/// A request as the server received it. Header names are lowercased.
public struct RecordedRequest: Sendable {
  public var method: String
  public var path: String
  public var headers: [String: String]
  public var rawBody: Data
  public var body: JSONValue? { try? JSONValue.parse(rawBody) }
}
