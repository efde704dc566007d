import ArrakisCore
import Foundation
import MCP
import SystemPackage

/// A started MCP server and the swift-sdk client talking to it over the child's stdio pipes.
/// Every wait is bounded: start-up by `startTimeoutMs`, each call by the caller's timeout, and both end at
/// once if the server dies (the message then names the server and quotes the tail of its stderr).
public final class MCPConnection: @unchecked Sendable {
  public let name: String
  public let process: MCPServerProcess
  let client: Client
  public private(set) var tools: [MCP.Tool] = []

  private init(process: MCPServerProcess, client: Client) {
    self.name = process.name
    self.process = process
    self.client = client
  }

  /// Starts the server, runs the initialize handshake and lists its tools.
  public static func start(_ spec: MCPServerSpec, directory: String, startTimeoutMs: Int) async throws -> MCPConnection {
    let process = try MCPServerProcess(spec, directory: directory)
    let client = Client(name: "arrakis", version: ArrakisVersion.string)
    let connection = MCPConnection(process: process, client: client)
    // A dead server's replies never come: the client's pending requests must fail now, not at the timeout.
    process.onExit { Task { await client.disconnect() } }
    do {
      let transport = StdioTransport(
        input: FileDescriptor(rawValue: process.fromServer), output: FileDescriptor(rawValue: process.toServer))
      try await Deadline.run(ms: startTimeoutMs, what: "start-up", setting: "MCP_TIMEOUT") { _ = try await client.connect(transport: transport) }
      var cursor: String?
      repeat {
        let after = cursor
        let page = try await Deadline.run(ms: startTimeoutMs, what: "tools/list", setting: "MCP_TIMEOUT") { try await client.listTools(cursor: after) }
        connection.tools += page.tools
        cursor = page.nextCursor
      } while cursor != nil
    } catch {
      let failure = connection.failure(error, during: "failed to start")
      connection.stop()
      throw ArrakisError(.usage, failure, hint: "run the server's command by hand to see why, or fix its entry in the MCP config")
    }
    return connection
  }

  /// Calls one tool, bounded by `timeoutMs`; a server error, a dead server or the timeout throw a message
  /// fit for the model and the ledger.
  public func call(_ tool: String, arguments: [String: Value], timeoutMs: Int) async throws -> CallTool.Result {
    if process.exitDescription != nil { throw MCPCallError(failure(nil, during: "is not running")) }
    do {
      let context: RequestContext<CallTool.Result> = try await client.send(
        CallTool.request(.init(name: tool, arguments: arguments)))
      return try await Deadline.run(ms: timeoutMs, what: "\(tool)", setting: "MCP_TOOL_TIMEOUT", onTimeout: { [client] in
        try? await client.cancelRequest(context.requestID, reason: "timed out")
      }) { try await context.value }
    } catch {
      throw MCPCallError(failure(error, during: "failed on \(tool)"))
    }
  }

  public func stop() {
    process.stop()
    Task { [client] in await client.disconnect() }
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
    if let e = error as? MCPError { return e.errorDescription ?? "\(e)" }
    return "\(error)"
  }
}

/// A tool call that could not complete (server error, dead server, timeout): its message goes to the model.
public struct MCPCallError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
