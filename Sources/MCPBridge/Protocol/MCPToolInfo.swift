import ArrakisCore

/// A tool as tools/list describes it. The input schema stays JSON: arrakis passes it on to the model as is.
public struct MCPToolInfo: Sendable, Equatable {
  public var name: String
  public var title: String?
  public var description: String?
  public var inputSchema: JSONValue
  public var annotations: Annotations?

  /// Hints about what a tool does; MCP says a client must not trust them from an untrusted server.
  public struct Annotations: Sendable, Equatable {
    public var title: String?
    public var readOnlyHint: Bool?
    public var destructiveHint: Bool?
    public var idempotentHint: Bool?
    public var openWorldHint: Bool?

    public init(
      title: String? = nil, readOnlyHint: Bool? = nil, destructiveHint: Bool? = nil, idempotentHint: Bool? = nil,
      openWorldHint: Bool? = nil
    ) {
      self.title = title
      self.readOnlyHint = readOnlyHint
      self.destructiveHint = destructiveHint
      self.idempotentHint = idempotentHint
      self.openWorldHint = openWorldHint
    }
  }

  public init(
    name: String, title: String? = nil, description: String? = nil, inputSchema: JSONValue,
    annotations: Annotations? = nil
  ) {
    self.name = name
    self.title = title
    self.description = description
    self.inputSchema = inputSchema
    self.annotations = annotations
  }

  /// nil without a name; a missing schema is left to the caller (MCPTool.schema supplies an empty object).
  init?(json: JSONValue) {
    guard let name = json["name"]?.stringValue else { return nil }
    self.name = name
    title = json["title"]?.stringValue
    description = json["description"]?.stringValue
    inputSchema = json["inputSchema"] ?? .null
    annotations = json["annotations"]?.objectValue.map { a in
      Annotations(
        title: a["title"]?.stringValue, readOnlyHint: a["readOnlyHint"]?.boolValue,
        destructiveHint: a["destructiveHint"]?.boolValue, idempotentHint: a["idempotentHint"]?.boolValue,
        openWorldHint: a["openWorldHint"]?.boolValue)
    }
  }

  var json: JSONValue {
    var object: [String: JSONValue] = ["name": .string(name), "inputSchema": inputSchema]
    if let title { object["title"] = .string(title) }
    if let description { object["description"] = .string(description) }
    if let a = annotations {
      var hints: [String: JSONValue] = [:]
      if let v = a.title { hints["title"] = .string(v) }
      if let v = a.readOnlyHint { hints["readOnlyHint"] = .bool(v) }
      if let v = a.destructiveHint { hints["destructiveHint"] = .bool(v) }
      if let v = a.idempotentHint { hints["idempotentHint"] = .bool(v) }
      if let v = a.openWorldHint { hints["openWorldHint"] = .bool(v) }
      object["annotations"] = .object(hints)
    }
    return .object(object)
  }
}
