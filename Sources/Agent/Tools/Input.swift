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
    return try checked(key, s)
  }

  func optionalString(_ key: String) throws -> String? {
    guard let v = json[key], !v.isNull else { return nil }
    guard let s = v.stringValue else { throw ToolInputError("\(tool): parameter '\(key)' must be a string") }
    return try checked(key, s)
  }

  /// Parameters that name files. A NUL ends a path for the system calls, so `a.txt\0.sh` would write
  /// `a.txt` while the ledger records the whole name: refused instead.
  static let pathKeys: Set = ["file_path", "path", "notebook_path"]

  private func checked(_ key: String, _ value: String) throws -> String {
    let isPath = ToolInput.pathKeys.contains(key) || (tool == "Glob" && key == "pattern")
    if isPath, value.utf8.contains(0) {
      throw ToolInputError("\(tool): parameter '\(key)' contains a NUL byte, which no path can hold; send the path without it")
    }
    return value
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
