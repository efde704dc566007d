import ArrakisCore

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

  /// The tools/list entry.
  var info: MCPToolInfo {
    MCPToolInfo(
      name: name, description: description, inputSchema: inputSchema,
      annotations: .init(readOnlyHint: readOnly, openWorldHint: false))
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

  /// Structured content also goes as a JSON text block, as the MCP spec asks, for clients that read text only.
  var callResult: MCPCallResult {
    var content: [MCPContent] = [.text(text)]
    if let structured { content.append(.text(structured.serialized())) }
    return MCPCallResult(content: content, structuredContent: structured, isError: isError)
  }
}
