import ArrakisCore
import Claude

/// What a tool does to the world; permission levels are defined over this, not over tool names,
/// so a new tool only has to say which kind it is.
public enum ToolAccess: String, Sendable, CaseIterable {
  case read, write, edit, execute
}

/// The model-facing definition sent in the request's `tools` array: the client's own type, so a tool's
/// definition goes into a request as it is.
public typealias ToolSpec = ToolDefinition

/// What a tool call produced. `content` goes back to the model; `summary` is the short tail of the
/// one-line stderr display (`● Edit Sources/x.swift (+3 −1)`), so the loop never has to know tool details.
public struct ToolOutput: Sendable, Equatable {
  public var content: String
  public var isError: Bool
  public var summary: String

  public init(content: String, isError: Bool = false, summary: String) {
    self.content = content
    self.isError = isError
    self.summary = summary
  }

  public static func error(_ message: String, summary: String) -> ToolOutput {
    ToolOutput(content: message, isError: true, summary: summary)
  }
}

/// The result of dispatching one call. Denials are kept apart from ordinary tool errors so the loop
/// can count and record them; both reach the model as an error `tool_result`.
public enum ToolOutcome: Sendable, Equatable {
  case completed(ToolOutput)
  case denied(tool: String, reason: String)

  public var output: ToolOutput {
    switch self {
    case .completed(let o): return o
    case .denied(let tool, let reason):
      return .error("Permission denied: \(reason)", summary: "\(tool) denied")
    }
  }

  public var denialReason: String? {
    if case .denied(_, let r) = self { return r }
    return nil
  }
}

/// A call the sandbox refused (path outside the allowed directories, `.git/` write, forbidden command…).
/// Tools throw it; the registry turns it into `ToolOutcome.denied`.
public struct SandboxViolation: Error, Equatable, CustomStringConvertible {
  public var reason: String
  public init(_ reason: String) { self.reason = reason }
  public var description: String { reason }
}

/// Bad arguments from the model: reported back as an error result so it can retry.
public struct ToolInputError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

public protocol Tool: Sendable {
  var name: String { get }
  var definition: ToolSpec { get }
  var access: ToolAccess { get }
  func run(_ input: JSONValue, in context: ToolContext) async throws -> ToolOutput
}

extension Tool {
  public var name: String { definition.name }
}
