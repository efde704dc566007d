import Agent
import ArrakisCore
import Claude

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

  public init(_ tool: MCPToolInfo, of connection: MCPConnection, allowedByRule: Bool, timeoutMs: Int) {
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
  static func schema(_ value: JSONValue) -> JSONValue {
    guard var object = value.objectValue else { return ["type": "object", "properties": [:]] }
    if object["type"] == nil { object["type"] = "object" }
    return .object(object)
  }

  public func run(_ input: JSONValue, in context: ToolContext) async throws -> ToolOutput {
    let arguments: [String: JSONValue]
    if input.isNull {
      arguments = [:]
    } else if let object = input.objectValue {
      arguments = object
    } else {
      throw ToolInputError("\(name): the input must be a JSON object")
    }
    let result: MCPCallResult
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
  static func text(of result: MCPCallResult) -> String {
    var parts: [String] = []
    for item in result.content {
      switch item {
      case .text(let text): parts.append(text)
      case .image(let data, let mime): parts.append("[image \(mime), \(data.count) base64 characters]")
      case .audio(let data, let mime): parts.append("[audio \(mime), \(data.count) base64 characters]")
      case .resource(let uri, let mimeType, let text):
        parts.append(text ?? "[resource \(uri)\(mimeType.map { ", \($0)" } ?? "")]")
      case .resourceLink(let uri, let name, let description):
        parts.append("[link \(name): \(uri)\(description.map { " — \($0)" } ?? "")]")
      case .other(let type, _): parts.append("[\(type) content]")
      }
    }
    if parts.isEmpty, let structured = result.structuredContent {
      parts.append(structured.serialized())
    }
    return parts.isEmpty ? "(no content)" : parts.joined(separator: "\n")
  }
}
