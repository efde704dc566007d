import ArrakisCore

public enum Role: String, Codable, Sendable {
  case user, assistant
}

/// One turn of the conversation.
public struct ChatMessage: Equatable, Sendable {
  public var role: Role
  public var content: [ContentBlock]

  public init(role: Role, content: [ContentBlock]) {
    self.role = role
    self.content = content
  }

  public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: [.text(text)]) }
  public static func assistant(_ text: String) -> ChatMessage { ChatMessage(role: .assistant, content: [.text(text)]) }

  /// Request JSON. With `cacheLast`, the last block that may carry one gets a cache breakpoint,
  /// so the whole conversation up to here becomes a cached prefix for the next turn.
  public func json(cacheLast: Bool = false) -> JSONValue {
    var blocks = content.map(\.json)
    if cacheLast, let i = content.lastIndex(where: \.acceptsCacheControl) {
      blocks[i] = blocks[i].withCacheControl()
    }
    return ["role": .string(role.rawValue), "content": .array(blocks)]
  }
}

/// A client tool the model may call.
public struct ToolDefinition: Equatable, Sendable {
  public var name: String
  public var description: String
  public var inputSchema: JSONValue

  public init(name: String, description: String, inputSchema: JSONValue) {
    self.name = name
    self.description = description
    self.inputSchema = inputSchema
  }

  public var json: JSONValue {
    ["name": .string(name), "description": .string(description), "input_schema": inputSchema]
  }
}
