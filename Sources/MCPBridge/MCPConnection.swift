import ArrakisCore
import Glibc

/// A started MCP server and the JSON-RPC client talking to it over the child's stdio pipes.
/// Every wait is bounded: start-up by `startTimeoutMs`, each call by the caller's timeout, and both end at
/// once if the server dies (the message then names the server and quotes the tail of its stderr).
public final class MCPConnection: @unchecked Sendable {
  public let name: String
  public let process: MCPServerProcess
  let client: JSONRPCClient
  public private(set) var tools: [MCPToolInfo] = []

  private init(process: MCPServerProcess) {
    self.name = process.name
    self.process = process
    self.client = JSONRPCClient(readFrom: process.fromServer, writeTo: process.toServer)
  }

  /// Starts the server, runs the initialize handshake and lists its tools.
  public static func start(_ spec: MCPServerSpec, directory: String, startTimeoutMs: Int) async throws -> MCPConnection {
    let process = try MCPServerProcess(spec, directory: directory)
    let connection = MCPConnection(process: process)
    let client = connection.client
    // A dead server's replies never come: the pending requests must fail now, not at the timeout.
    process.onExit { client.close("the server exited") }
    client.start(onEnd: {
      // Its stdout closed: it is most likely exiting, and its exit status says more than the closed pipe,
      // so give the exit watcher a moment to see it (this runs on the reader's own thread).
      var waitedMs = 0
      while process.exitDescription == nil && waitedMs < 1000 {
        usleep(10_000)
        waitedMs += 10
      }
      client.close("the server closed its stdout")
    })
    do {
      try await Deadline.run(ms: startTimeoutMs, what: "start-up", setting: "MCP_TIMEOUT") { try await initialize(client) }
      var cursor: String?
      repeat {
        let params: JSONValue? = cursor.map { ["cursor": .string($0)] }
        let page = try await Deadline.run(ms: startTimeoutMs, what: "tools/list", setting: "MCP_TIMEOUT") {
          try await client.request("tools/list", params: params)
        }
        guard let listed = page["tools"]?.arrayValue else { throw Malformed("its tools/list result holds no \"tools\" array") }
        connection.tools += listed.compactMap(MCPToolInfo.init(json:))
        cursor = page["nextCursor"]?.stringValue
      } while cursor != nil
    } catch {
      let failure = connection.failure(error, during: "failed to start")
      connection.stop()
      throw ArrakisError(.usage, failure, hint: "run the server's command by hand to see why, or fix its entry in the MCP config")
    }
    return connection
  }

  /// initialize, then notifications/initialized, as the MCP lifecycle has it.
  static func initialize(_ client: JSONRPCClient) async throws {
    let result = try await client.request("initialize", params: [
      "protocolVersion": .string(MCPVersion.latest),
      "capabilities": [:],
      "clientInfo": ["name": "arrakis", "version": .string(ArrakisVersion.string)],
    ])
    guard let version = result["protocolVersion"]?.stringValue else { throw Malformed("its initialize result names no protocolVersion") }
    guard MCPVersion.supported.contains(version) else {
      throw Malformed("it speaks MCP \(version); arrakis speaks \(MCPVersion.supported.joined(separator: ", "))")
    }
    client.notify("notifications/initialized", params: nil)
  }

  /// Calls one tool, bounded by `timeoutMs`; a server error, a dead server or the timeout throw a message
  /// fit for the model and the ledger. At the timeout the server is told with notifications/cancelled.
  public func call(_ tool: String, arguments: [String: JSONValue], timeoutMs: Int) async throws -> MCPCallResult {
    if process.exitDescription != nil { throw MCPCallError(failure(nil, during: "is not running")) }
    do {
      let id = client.makeID()
      let params: JSONValue = ["name": .string(tool), "arguments": .object(arguments)]
      let result = try await Deadline.run(ms: timeoutMs, what: "\(tool)", setting: "MCP_TOOL_TIMEOUT", onTimeout: { [client] in
        client.notify("notifications/cancelled", params: ["requestId": .number(Double(id)), "reason": "timed out"])
      }) { [client] in try await client.request("tools/call", params: params, id: id) }
      return try MCPCallResult(json: result)
    } catch {
      throw MCPCallError(failure(error, during: "failed on \(tool)"))
    }
  }

  public func stop() {
    process.stop()
    client.close("arrakis stopped the server")
  }

  /// "MCP server 'demo' failed to start: exited with status 1; stderr: …": the process's fate wins over
  /// the protocol error it caused (a closed pipe says less than the server's own last words).
  func failure(_ error: Error?, during: String) -> String {
    var text = "MCP server '\(name)' \(during)"
    if let exit = process.exitDescription {
      text += ": \(exit)"
    } else if let error {
      text += ": \(Self.describe(error))"
    }
    let tail = process.stderrText
    if !tail.isEmpty {
      let lines = tail.split(separator: "\n", omittingEmptySubsequences: false).suffix(10).joined(separator: "\n")
      text += "; stderr:\n\(lines.count > 2000 ? String(lines.suffix(2000)) : lines)"
    }
    return text
  }

  static func describe(_ error: Error) -> String {
    if let e = error as? Deadline.Expired { return e.description }
    if let e = error as? JSONRPC.RemoteError { return "the server answered with \(e)" }
    return "\(error)"
  }

  /// A reply that is valid JSON-RPC but not what MCP says it must hold.
  struct Malformed: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }
}

/// A tool call that could not complete (server error, dead server, timeout): its message goes to the model.
public struct MCPCallError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
