import ArrakisCore

/// Typed access to a tool's JSON input with messages the model can act on.
struct ToolInput {
  let json: JSONValue
  let tool: String

  init(_ json: JSONValue, tool: String) {
    self.json = json
    self.tool = tool
  }

  func string(_ key: String) throws -> String {
    guard let v = json[key] else { throw ToolInputError("\(tool): missing required parameter '\(key)'") }
    guard let s = v.stringValue else { throw ToolInputError("\(tool): parameter '\(key)' must be a string") }
    return s
  }

  func optionalString(_ key: String) throws -> String? {
    guard let v = json[key], !v.isNull else { return nil }
    guard let s = v.stringValue else { throw ToolInputError("\(tool): parameter '\(key)' must be a string") }
    return s
  }

  func optionalInt(_ key: String) throws -> Int? {
    guard let v = json[key], !v.isNull else { return nil }
    if let i = v.intValue { return i }
    // Models sometimes quote numbers; accept "20".
    if let s = v.stringValue, let i = Int(s) { return i }
    throw ToolInputError("\(tool): parameter '\(key)' must be an integer")
  }

  func bool(_ key: String) throws -> Bool {
    guard let v = json[key], !v.isNull else { return false }
    if let b = v.boolValue { return b }
    if let s = v.stringValue, s == "true" || s == "false" { return s == "true" }
    throw ToolInputError("\(tool): parameter '\(key)' must be a boolean")
  }
}
