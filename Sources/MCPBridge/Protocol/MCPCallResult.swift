import ArrakisCore

/// What tools/call answers: content items, optional structured JSON, and whether the tool failed (a tool
/// error is a result, so that the calling model can read it; a protocol error is a JSON-RPC error instead).
public struct MCPCallResult: Sendable, Equatable {
  public var content: [MCPContent]
  public var structuredContent: JSONValue?
  public var isError: Bool?

  public init(content: [MCPContent], structuredContent: JSONValue? = nil, isError: Bool? = nil) {
    self.content = content
    self.structuredContent = structuredContent
    self.isError = isError
  }

  struct Malformed: Error, CustomStringConvertible {
    var description: String
  }

  init(json: JSONValue) throws {
    guard json.objectValue != nil else { throw Malformed(description: "the tools/call result is not an object") }
    content = try (json["content"]?.arrayValue ?? []).map(MCPContent.init(json:))
    structuredContent = json["structuredContent"].flatMap { $0.isNull ? nil : $0 }
    isError = json["isError"]?.boolValue
  }

  var json: JSONValue {
    var object: [String: JSONValue] = ["content": .array(content.map(\.json))]
    if let structuredContent { object["structuredContent"] = structuredContent }
    if let isError { object["isError"] = .bool(isError) }
    return .object(object)
  }
}

/// One content item of a tool result. Kinds a later MCP revision adds are kept by their type name.
public enum MCPContent: Sendable, Equatable {
  case text(String)
  /// Base64 data.
  case image(data: String, mimeType: String)
  case audio(data: String, mimeType: String)
  /// An embedded resource: its text, or nil for a binary (blob) one.
  case resource(uri: String, mimeType: String?, text: String?)
  case resourceLink(uri: String, name: String, description: String?)
  case other(type: String, json: JSONValue)

  init(json: JSONValue) throws {
    func field(_ key: String, of value: JSONValue = json) throws -> String {
      guard let s = value[key]?.stringValue else {
        throw MCPCallResult.Malformed(description: "a content item lacks \"\(key)\": \(json.serialized())")
      }
      return s
    }
    switch try field("type") {
    case "text": self = .text(try field("text"))
    case "image": self = .image(data: try field("data"), mimeType: try field("mimeType"))
    case "audio": self = .audio(data: try field("data"), mimeType: try field("mimeType"))
    case "resource":
      let resource = json["resource"] ?? .null
      self = .resource(uri: try field("uri", of: resource), mimeType: resource["mimeType"]?.stringValue, text: resource["text"]?.stringValue)
    case "resource_link":
      self = .resourceLink(uri: try field("uri"), name: try field("name"), description: json["description"]?.stringValue)
    case let type: self = .other(type: type, json: json)
    }
  }

  var json: JSONValue {
    switch self {
    case .text(let text): return ["type": "text", "text": .string(text)]
    case .image(let data, let mime): return ["type": "image", "data": .string(data), "mimeType": .string(mime)]
    case .audio(let data, let mime): return ["type": "audio", "data": .string(data), "mimeType": .string(mime)]
    case .resource(let uri, let mime, let text):
      var resource: [String: JSONValue] = ["uri": .string(uri)]
      if let mime { resource["mimeType"] = .string(mime) }
      if let text { resource["text"] = .string(text) }
      return ["type": "resource", "resource": .object(resource)]
    case .resourceLink(let uri, let name, let description):
      var object: [String: JSONValue] = ["type": "resource_link", "uri": .string(uri), "name": .string(name)]
      if let description { object["description"] = .string(description) }
      return .object(object)
    case .other(_, let json): return json
    }
  }
}
