import ArrakisCore
import Foundation

/// One MCP server that `arrakis code` starts, as Claude Code's `.mcp.json` describes it:
/// `{"mcpServers": {"NAME": {"command": "…", "args": ["…"], "env": {"K": "V"}}}}`.
public struct MCPServerSpec: Sendable, Equatable {
  public var name: String
  public var command: String
  public var args: [String]
  public var env: [String: String]

  public init(name: String, command: String, args: [String] = [], env: [String: String] = [:]) {
    self.name = name
    self.command = command
    self.args = args
    self.env = env
  }
}

public enum MCPServerConfig {
  /// Reads and checks a config file. Every problem is a usage error (exit 2) naming the file and the entry.
  public static func load(path: String) throws -> [MCPServerSpec] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ArrakisError(.usage, "cannot read MCP config \(path)", hint: "check --mcp-config / mcp_config")
    }
    let json: JSONValue
    do { json = try JSONValue.parse(data) } catch {
      throw ArrakisError(.usage, "MCP config \(path) is not valid JSON: \(error)", hint: #"expected {"mcpServers": {"NAME": {"command": "…", "args": […]}}}"#)
    }
    return try parse(json, origin: path)
  }

  /// Servers in name order, so the tools reach the model in the same order on every run (prompt caching).
  public static func parse(_ json: JSONValue, origin: String) throws -> [MCPServerSpec] {
    guard let servers = json["mcpServers"]?.objectValue else {
      throw ArrakisError(.usage, "MCP config \(origin) has no \"mcpServers\" object", hint: #"expected {"mcpServers": {"NAME": {"command": "…", "args": […]}}}"#)
    }
    return try servers.keys.sorted().map { name in
      let entry = servers[name]!
      func bad(_ what: String) -> ArrakisError {
        ArrakisError(.usage, "MCP config \(origin): server '\(name)': \(what)", hint: #"each server is {"command": "…", "args": ["…"], "env": {"KEY": "value"}}"#)
      }
      guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
        throw bad("a server name may hold only letters, digits, _ and - (it becomes part of the tool names mcp__NAME__TOOL)")
      }
      if let type = entry["type"]?.stringValue, type != "stdio" {
        throw bad("type '\(type)' is not supported; only stdio servers (a command) are")
      }
      guard let command = entry["command"]?.stringValue, !command.isEmpty else { throw bad("\"command\" must be a non-empty string") }
      var args: [String] = []
      if let raw = entry["args"], !raw.isNull {
        guard let items = raw.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else { throw bad("\"args\" must be an array of strings") }
        args = items.compactMap(\.stringValue)
      }
      var env: [String: String] = [:]
      if let raw = entry["env"], !raw.isNull {
        guard let object = raw.objectValue else { throw bad("\"env\" must be an object of strings") }
        for (key, value) in object {
          guard let s = value.stringValue else { throw bad("env \(key) must be a string") }
          env[key] = s
        }
      }
      return MCPServerSpec(name: name, command: command, args: args, env: env)
    }
  }
}
