import ArrakisCore
import FoundationEssentials

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
  /// `${VAR}` and `${VAR:-default}` in command, args and env are expanded from `environment`, as Claude
  /// Code does, so that a committed `.mcp.json` can name a token without holding it.
  public static func parse(
    _ json: JSONValue, origin: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> [MCPServerSpec] {
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
      func expand(_ text: String) throws -> String {
        do { return try Self.expand(text, environment) } catch let missing as MissingVariable {
          throw bad("${\(missing.name)} is not set and has no default (write ${\(missing.name):-default})")
        }
      }
      return MCPServerSpec(
        name: name, command: try expand(command), args: try args.map(expand), env: try env.mapValues(expand))
    }
  }

  struct MissingVariable: Error { var name: String }

  /// Replaces `${NAME}` and `${NAME:-default}`; anything else, a lone `$` included, stays as written.
  static func expand(_ text: String, _ environment: [String: String]) throws -> String {
    var out = ""
    var rest = Substring(text)
    while let start = rest.firstRange(of: "${") {
      out += rest[..<start.lowerBound]
      guard let close = rest[start.upperBound...].firstIndex(of: "}") else { break }
      let inner = rest[start.upperBound..<close]
      let (name, fallback): (Substring, Substring?) = inner.firstRange(of: ":-").map { (inner[..<$0.lowerBound], inner[$0.upperBound...]) } ?? (inner, nil)
      if let value = environment[String(name)] {
        out += value
      } else if let fallback {
        out += fallback
      } else {
        throw MissingVariable(name: String(name))
      }
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }
}
