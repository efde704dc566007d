import ArrakisCore
import Foundation
import MCP

/// One tool `arrakis mcp` serves: what the client sees (name, description, input schema) and the code
/// that answers a call.
public struct ServedTool: Sendable {
  public var name: String
  public var description: String
  public var inputSchema: JSONValue
  public var readOnly: Bool
  public var handler: @Sendable (JSONValue) async -> ServedResult

  public init(
    name: String, description: String, inputSchema: JSONValue, readOnly: Bool,
    handler: @escaping @Sendable (JSONValue) async -> ServedResult
  ) {
    self.name = name
    self.description = description
    self.inputSchema = inputSchema
    self.readOnly = readOnly
    self.handler = handler
  }
}

/// A tool call's answer: text for the client's model, optional structured JSON, and whether it is an
/// error (MCP tool errors are results with isError, so the calling model can read them and retry).
public struct ServedResult: Sendable {
  public var text: String
  public var structured: JSONValue?
  public var isError: Bool

  public init(text: String, structured: JSONValue? = nil, isError: Bool = false) {
    self.text = text
    self.structured = structured
    self.isError = isError
  }

  public static func error(_ text: String) -> ServedResult { ServedResult(text: text, isError: true) }
}

/// An MCP server on this process's stdin/stdout (the swift-sdk's Server and StdioTransport). Runs until the
/// client closes stdin, then lets calls in flight finish so that their sessions are recorded to the end.
public enum MCPToolServer {
  public static func serve(name: String, version: String, instructions: String?, tools: [ServedTool]) async throws {
    // A client that goes away mid-answer must not kill us with SIGPIPE before the ledger is written.
    signal(SIGPIPE, SIG_IGN)
    let byName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    let inFlight = InFlight()
    let server = Server(
      name: name, version: version, instructions: instructions, capabilities: .init(tools: .init(listChanged: false)))
    await server.withMethodHandler(ListTools.self) { _ in
      ListTools.Result(tools: try tools.map { tool in
        MCP.Tool(
          name: tool.name, description: tool.description, inputSchema: try tool.inputSchema.decode(Value.self),
          annotations: .init(readOnlyHint: tool.readOnly, openWorldHint: false))
      })
    }
    await server.withMethodHandler(CallTool.self) { params in
      guard let tool = byName[params.name] else {
        return CallTool.Result(
          content: [.text(text: "unknown tool '\(params.name)'; use one of: \(tools.map(\.name).joined(separator: ", "))", annotations: nil, _meta: nil)],
          isError: true)
      }
      let input = try JSONValue(encoding: params.arguments ?? [:])
      inFlight.enter()
      defer { inFlight.leave() }
      let result = await tool.handler(input)
      // Structured content also goes as a JSON text block, as the MCP spec asks, for clients that read text only.
      var content: [MCP.Tool.Content] = [.text(text: result.text, annotations: nil, _meta: nil)]
      if let structured = result.structured { content.append(.text(text: structured.serialized(), annotations: nil, _meta: nil)) }
      return CallTool.Result(
        content: content,
        structuredContent: try result.structured.map { try $0.decode(Value.self) }, isError: result.isError)
    }
    try await server.start(transport: StdioTransport())
    await server.waitUntilCompleted()
    await inFlight.drained()
    await server.stop()
  }

  /// Counts handlers still running after stdin closed.
  final class InFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func enter() { lock.withLock { count += 1 } }
    func leave() { lock.withLock { count -= 1 } }
    func drained() async {
      // A handler whose request arrived just before EOF may not have entered yet: wait a beat first.
      try? await Task.sleep(nanoseconds: 50_000_000)
      while lock.withLock({ count }) > 0 { try? await Task.sleep(nanoseconds: 20_000_000) }
    }
  }
}
