import ArrakisCore
import FoundationEssentials
import Glibc

/// One `--allow`/`--deny` rule: `Tool` or `Tool(pattern)`.
///
/// - `Bash(git log:*)` — prefix match on each simple command (word boundary); `Bash(make test)` — exact.
/// - `Read/Write/Edit/Glob/Grep(glob)` — gitignore-style glob on the workspace-relative path
///   (`Sources/**`, `*.md` matches at any depth because it has no slash).
public struct PermissionRule: Sendable, Equatable, CustomStringConvertible {
  public var tool: String
  public var pattern: String?

  public init(tool: String, pattern: String? = nil) {
    self.tool = tool
    self.pattern = pattern
  }

  /// Parses `Tool` or `Tool(pattern)`; nil when malformed.
  public init?(parsing text: String) {
    let t = text.trimmingSpacesAndTabs
    guard let open = t.firstIndex(of: "(") else {
      guard !t.isEmpty, t.allSatisfy(Self.isNameCharacter) else { return nil }
      self.init(tool: t)
      return
    }
    guard t.hasSuffix(")") else { return nil }
    let name = String(t[..<open])
    let inner = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
    guard !name.isEmpty, name.allSatisfy(Self.isNameCharacter) else { return nil }
    self.init(tool: name, pattern: inner.isEmpty ? nil : inner)
  }

  /// What a tool name may hold; `-` for MCP tools (`mcp__my-server__tool`), as the Messages API allows.
  static func isNameCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "-" }

  public var description: String { pattern.map { "\(tool)(\($0))" } ?? tool }

  /// Does this rule cover one simple shell command?
  func matches(command: ShellCommand) -> Bool {
    guard let pattern else { return true }
    if pattern.hasSuffix(":*") { return command.hasPrefix(String(pattern.dropLast(2))) }
    if pattern.hasSuffix("*") { return command.text.hasPrefix(String(pattern.dropLast())) }
    return command.text == pattern.split(separator: " ").joined(separator: " ")
  }

  /// Does this rule cover a workspace-relative path?
  func matches(path: String) -> Bool {
    guard let pattern else { return true }
    return GlobPattern(pattern, gitignoreStyle: true).matches(path)
  }
}

