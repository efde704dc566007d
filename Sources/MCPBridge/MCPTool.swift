import Agent
import ArrakisCore
import Claude
import Foundation
import MCP

/// One tool of an MCP server, offered to the model as `mcp__SERVER__TOOL` with the server's own
/// description and input schema; a call goes to the server and its content comes back as text.
///
/// Permission: arrakis cannot know what a foreign tool does, so it counts as `.execute` (full-access, like Bash) unless
/// an `--allow` rule names it, which makes it `.read` (any level). Either way the policy's deny rules
/// apply first (`--deny mcp__demo__add`), and the loop records every call as a tool operation.
public struct MCPTool: Agent.Tool {
  public let definition: ToolSpec
  public let access: ToolAccess
  let remoteName: String
  let connection: MCPConnection
  let timeoutMs: Int

  public init(_ tool: MCP.Tool, of connection: MCPConnection, allowedByRule: Bool, timeoutMs: Int) {
    remoteName = tool.name
    self.connection = connection
    self.timeoutMs = timeoutMs
    access = allowedByRule ? .read : .execute
    definition = ToolSpec(
      name: Self.qualifiedName(server: connection.name, tool: tool.name),
      description: tool.description ?? tool.title ?? "Tool \(tool.name) of the MCP server \(connection.name).",
      inputSchema: Self.schema(tool.inputSchema))
  }

  /// `mcp__SERVER__TOOL`, Claude Code's naming; characters the Messages API refuses in a tool name become `_`.
  public static func qualifiedName(server: String, tool: String) -> String {
    let safe = String(tool.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "_" })
    return "mcp__\(server)__\(safe)"
  }

  /// The server's schema as JSON; the API requires an object schema, which MCP also mandates but not every
  /// server sends.
  static func schema(_ value: Value) -> JSONValue {
    guard var object = (try? JSONValue(encoding: value))?.objectValue else { return ["type": "object", "properties": [:]] }
    if object["type"] == nil { object["type"] = "object" }
    return .object(object)
  }

  public func run(_ input: JSONValue, in context: ToolContext) async throws -> ToolOutput {
    let arguments: [String: Value]
    if input.isNull {
      arguments = [:]
    } else if input.objectValue != nil, let decoded = try? input.decode([String: Value].self) {
      arguments = decoded
    } else {
      throw ToolInputError("\(name): the input must be a JSON object")
    }
    let result: CallTool.Result
    do {
      result = try await connection.call(remoteName, arguments: arguments, timeoutMs: timeoutMs)
    } catch let error as MCPCallError {
      return .error(error.description, summary: "\(name) (failed)")
    }
    let text = Self.text(of: result)
    let isError = result.isError ?? false
    return ToolOutput(content: text, isError: isError, summary: "\(name)\(isError ? " (error)" : "")")
  }

  /// What the model reads: the text items in order, other kinds described in a line; structured content
  /// when there is nothing else.
  static func text(of result: CallTool.Result) -> String {
    var parts: [String] = []
    for item in result.content {
      switch item {
      case .text(let text, _, _): parts.append(text)
      case .image(let data, let mime, _, _): parts.append("[image \(mime), \(data.count) base64 characters]")
      case .audio(let data, let mime, _, _): parts.append("[audio \(mime), \(data.count) base64 characters]")
      case .resource(let resource, _, _):
        parts.append(resource.text ?? "[resource \(resource.uri)\(resource.mimeType.map { ", \($0)" } ?? "")]")
      case .resourceLink(let uri, let name, _, let description, _, _):
        parts.append("[link \(name): \(uri)\(description.map { " — \($0)" } ?? "")]")
      }
    }
    if parts.isEmpty, let structured = result.structuredContent, let json = try? JSONValue(encoding: structured) {
      parts.append(json.serialized())
    }
    return parts.isEmpty ? "(no content)" : parts.joined(separator: "\n")
  }
}
