import ArrakisCore
import Claude

/// The tools offered to the model, and the one place a call is dispatched: permission policy first,
/// then the tool (which enforces the sandbox). Denials come back as `ToolOutcome.denied`.
public struct ToolRegistry: Sendable {
  public let tools: [any Tool]

  public init(_ tools: [any Tool]) { self.tools = tools }

  public static let standard = ToolRegistry([ReadTool(), WriteTool(), EditTool(), BashTool(), GlobTool(), GrepTool()])

  /// The `tools` array for the Messages API request.
  public var definitions: [JSONValue] { tools.map { $0.definition.json } }

  /// Only the tools a level permits (no point describing tools that would always be denied).
  public func permitted(by level: PermissionLevel) -> ToolRegistry {
    ToolRegistry(tools.filter { level.permits($0.access) })
  }

  public func tool(named name: String) -> (any Tool)? { tools.first { $0.name == name } }

  /// Runs one call. `approve` answers `.ask` decisions (the loop's y/n prompt); without it they are denied.
  public func execute(
    name: String, input: JSONValue, context: ToolContext, policy: PermissionPolicy,
    approve: ((String, String) async -> Bool)? = nil
  ) async -> ToolOutcome {
    guard let tool = tool(named: name) else {
      return .completed(.error("Unknown tool '\(name)'. Available: \(tools.map(\.name).joined(separator: ", "))", summary: "\(name) (unknown tool)"))
    }
    switch policy.evaluate(tool: tool, input: input, context: context) {
    case .deny(let reason): return .denied(tool: name, reason: reason)
    case .ask(let reason):
      guard let approve, await approve(name, reason) else {
        let question = reason.split(separator: "\n").first.map(String.init) ?? reason
        return .denied(tool: name, reason: "not approved: \(question) (level \(policy.level.rawValue), asked above \(policy.askAbove?.rawValue ?? "-"))")
      }
    case .allow: break
    }
    do {
      return .completed(try await tool.run(input, in: context))
    } catch let v as SandboxViolation {
      return .denied(tool: name, reason: v.reason)
    } catch let e as ToolInputError {
      return .completed(.error(e.message, summary: "\(name) (bad input)"))
    } catch {
      return .completed(.error("\(name) failed: \(error)", summary: "\(name) (failed)"))
    }
  }
}
