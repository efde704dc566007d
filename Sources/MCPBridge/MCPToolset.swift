import Agent
import ArrakisCore

/// The MCP servers of one `arrakis code` run and the tools they offer. All are started before the first
/// model call, so a server that cannot start fails the run with exit 2 before anything is spent;
/// `stop()` ends them all (the caller defers it).
public final class MCPToolset: @unchecked Sendable {
  public let connections: [MCPConnection]
  public let tools: [any Agent.Tool]

  init(connections: [MCPConnection], tools: [any Agent.Tool]) {
    self.connections = connections
    self.tools = tools
  }

  /// Timeouts in ms, named as Claude Code names them: MCP_TIMEOUT for start-up, MCP_TOOL_TIMEOUT for a
  /// call (default: the Bash tool's default timeout).
  public struct Timeouts: Sendable {
    public var startMs: Int
    public var callMs: Int

    public static func fromEnvironment(_ env: Environment, defaultCallMs: Int) throws -> Timeouts {
      func read(_ name: String, _ fallback: Int) throws -> Int {
        guard let text = env[name] else { return fallback }
        guard let ms = Int(text), ms > 0 else {
          throw ArrakisError(.configuration, "\(name) must be a positive number of milliseconds, got \"\(text)\"", hint: "fix or unset \(name)")
        }
        return ms
      }
      return Timeouts(startMs: try read("MCP_TIMEOUT", 30_000), callMs: try read("MCP_TOOL_TIMEOUT", defaultCallMs))
    }
  }

  /// Starts every server of the config file in `directory`; `allowRules` are the policy's allow rules
  /// (a tool one of them names needs no full-access).
  public static func start(
    configPath: String, directory: String, allowRules: [PermissionRule], timeouts: Timeouts
  ) async throws -> MCPToolset {
    let specs = try MCPServerConfig.load(path: configPath)
    var connections: [MCPConnection] = []
    do {
      for spec in specs {
        connections.append(try await MCPConnection.start(spec, directory: directory, startTimeoutMs: timeouts.startMs))
      }
    } catch {
      connections.forEach { $0.stop() }
      throw error
    }
    var tools: [any Agent.Tool] = []
    var seen: Set<String> = []
    for connection in connections {
      for tool in connection.tools {
        let name = MCPTool.qualifiedName(server: connection.name, tool: tool.name)
        guard seen.insert(name).inserted else { continue }
        let allowed = allowRules.contains { $0.tool == name }
        tools.append(MCPTool(tool, of: connection, allowedByRule: allowed, timeoutMs: timeouts.callMs))
      }
    }
    return MCPToolset(connections: connections, tools: tools)
  }

  public func stop() { connections.forEach { $0.stop() } }
}
