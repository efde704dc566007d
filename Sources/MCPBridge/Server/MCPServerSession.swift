import ArrakisCore
import FoundationEssentials

/// Answers the messages an MCP client sends `arrakis mcp`: initialize (with version negotiation), ping,
/// tools/list, tools/call (each call a task of its own, see InFlight), notifications/cancelled. Other
/// requests get -32601, unreadable JSON -32700, a request without what it needs -32602.
final class MCPServerSession: @unchecked Sendable {
  let writer: LineWriter
  let inFlight = InFlight()
  private let name: String
  private let version: String
  private let instructions: String?
  private let tools: [ServedTool]
  private let byName: [String: ServedTool]

  init(name: String, version: String, instructions: String?, tools: [ServedTool], writer: LineWriter) {
    self.name = name
    self.version = version
    self.instructions = instructions
    self.tools = tools
    self.writer = writer
    byName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
  }

  /// Called on the stdin reader's thread, one line at a time; nothing here blocks but the queued writes.
  func receive(_ line: [UInt8]) {
    let value: JSONValue
    do { value = try JSONValue.parse(Data(line)) } catch {
      return writer.send(JSONRPC.error(id: .null, code: JSONRPC.parseError, message: "Parse error: \(error)"))
    }
    guard let message = JSONRPC.decode(value) else {
      let id = value["id"].flatMap { JSONRPC.isValidID($0) ? $0 : nil } ?? .null
      return writer.send(JSONRPC.error(id: id, code: JSONRPC.invalidRequest, message: "Invalid request: not a JSON-RPC 2.0 message"))
    }
    switch message {
    case .request(let id, let method, let params):
      answer(id, method, params)
    case .notification(let method, let params):
      // notifications/initialized needs nothing: arrakis sends no requests of its own to wait for it.
      if method == "notifications/cancelled", let id = params?["requestId"] { inFlight.cancel(id) }
    case .response:
      break  // arrakis sends the client no requests, so no reply is awaited
    }
  }

  private func answer(_ id: JSONValue, _ method: String, _ params: JSONValue?) {
    switch method {
    case "initialize":
      guard let requested = params?["protocolVersion"]?.stringValue else {
        return fail(id, JSONRPC.invalidParams, "Invalid params: initialize needs a protocolVersion string")
      }
      var result: [String: JSONValue] = [
        "protocolVersion": .string(MCPVersion.negotiate(requested)),
        "capabilities": ["tools": ["listChanged": false]],
        "serverInfo": ["name": .string(name), "version": .string(version)],
      ]
      if let instructions { result["instructions"] = .string(instructions) }
      writer.send(JSONRPC.result(id: id, .object(result)))
    case "ping":
      writer.send(JSONRPC.result(id: id, [:]))
    case "tools/list":
      // One page holds them all: no nextCursor.
      writer.send(JSONRPC.result(id: id, ["tools": .array(tools.map(\.info.json))]))
    case "tools/call":
      call(id, params)
    default:
      fail(id, JSONRPC.methodNotFound, "Method not found: \(method)")
    }
  }

  private func call(_ id: JSONValue, _ params: JSONValue?) {
    guard let toolName = params?["name"]?.stringValue else {
      return fail(id, JSONRPC.invalidParams, "Invalid params: tools/call needs a tool name")
    }
    let arguments = params?["arguments"] ?? .null
    guard arguments.isNull || arguments.objectValue != nil else {
      return fail(id, JSONRPC.invalidParams, "Invalid params: the arguments of tools/call must be an object")
    }
    guard let tool = byName[toolName] else {
      let known = tools.map(\.name).joined(separator: ", ")
      let result = ServedResult.error("unknown tool '\(toolName)'; use one of: \(known)")
      return writer.send(JSONRPC.result(id: id, result.callResult.json))
    }
    let input: JSONValue = arguments.isNull ? [:] : arguments
    inFlight.run(id) { [writer] in
      let result = await tool.handler(input)
      guard !Task.isCancelled else { return }
      writer.send(JSONRPC.result(id: id, result.callResult.json))
    }
  }

  private func fail(_ id: JSONValue, _ code: Int, _ message: String) {
    writer.send(JSONRPC.error(id: id, code: code, message: message))
  }
}
