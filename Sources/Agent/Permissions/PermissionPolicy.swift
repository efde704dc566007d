import ArrakisCore

public enum PermissionDecision: Sendable, Equatable {
  case allow
  case deny(reason: String)
  /// Needs a human yes/no. The loop prompts on a terminal and treats it as a denial otherwise.
  case ask(reason: String)
}

/// Decides whether a tool call may run, before the sandbox bounds it.
///
/// Order: (1) on arrakis's own source, anything but reading needs self-modify; (2) any matching deny rule
/// denies, at every level; (3) a matching allow rule allows exactly what it names, also above the level
/// (`--permission safe-write --allow 'Bash(make test)'` runs `make test` and nothing else in Bash);
/// (4) otherwise the level decides: a tool above it is denied; within it Read/Glob/Grep/Write/Edit are
/// allowed (choosing the level was the consent); (5) above `askAbove`, a person is asked (the question names
/// the call, with a Write's or Edit's diff). This is the one place a call is allowed, denied or asked about:
/// the loop only carries the question to whoever can answer it. A compound
/// command (`a && b; c | d`, `$(…)`, backticks, `bash -c '…'`) is allowed by rules only when every part
/// matches an allow rule, and denied when any part matches a deny rule.
public struct PermissionPolicy: Sendable {
  public var level: PermissionLevel
  public var allow: [PermissionRule]
  public var deny: [PermissionRule]
  /// Calls that this level does not permit are asked about (nil: nobody is asked). A terminal session without
  /// `--permission` asks above read-only; an explicit level is the user's consent and asks nothing. The
  /// default asks before Bash (safe-write permits everything but it).
  public var askAbove: PermissionLevel?

  public init(level: PermissionLevel, allow: [PermissionRule] = [], deny: [PermissionRule] = [], askAbove: PermissionLevel? = .safeWrite) {
    self.level = level
    self.allow = allow
    self.deny = deny
    self.askAbove = askAbove
  }

  /// Whether the model is told about `tool` at all: the level permits it, or an allow rule names it.
  public func offers(_ tool: any Tool) -> Bool {
    level.permits(tool.access) || allow.contains { $0.tool == tool.name }
  }

  public func evaluate(tool: any Tool, input: JSONValue, context: ToolContext) -> PermissionDecision {
    let access = tool.access
    if access != .read, level != .selfModify, context.workspaceIsArrakisSource {
      return .deny(reason: "the workspace is arrakis's own source; modifying it needs --permission self-modify")
    }
    if let reason = denial(tool: tool, input: input, context: context) { return .deny(reason: reason) }
    if isAllowedByRule(tool: tool, input: input, context: context) { return .allow }
    guard level.permits(access) else {
      return .deny(reason: "\(tool.name) needs permission level \(PermissionLevel.minimum(for: access).rawValue) (current: \(level.rawValue)), or an --allow rule naming it")
    }
    guard let askAbove, !askAbove.permits(access) else { return .allow }
    let preview = ApprovalPreview.diff(tool: tool.name, input: input, root: context.root).map { "\n" + $0 } ?? ""
    return .ask(reason: "allow \(tool.name) \(Self.describe(input))?" + preview)
  }

  /// A call's input in one short line, for questions and notes: the command, else the file, else the JSON.
  public static func describe(_ input: JSONValue) -> String {
    let s = input["command"]?.stringValue ?? input["file_path"]?.stringValue ?? input.serialized()
    return s.count > 120 ? String(s.prefix(119)) + "…" : s
  }

  /// Does an allow rule cover this very call (every part of a compound command)? Then nobody is asked,
  /// whatever the level. `evaluate` has applied the deny rules first.
  private func isAllowedByRule(tool: any Tool, input: JSONValue, context: ToolContext) -> Bool {
    let allowRules = allow.filter { $0.tool == tool.name }
    guard !allowRules.isEmpty else { return false }
    if tool.access == .execute {
      guard let parts = ShellCommandParser.parse(input["command"]?.stringValue ?? ""), !parts.isEmpty else { return false }
      return parts.allSatisfy { p in allowRules.contains { $0.matches(command: p) } }
    }
    let path = rulePath(tool: tool, input: input, context: context)
    return allowRules.contains { $0.matches(path: path) }
  }

  /// Why a deny rule refuses this call, or nil.
  func denial(tool: any Tool, input: JSONValue, context: ToolContext) -> String? {
    let denyRules = deny.filter { $0.tool == tool.name }
    guard !denyRules.isEmpty else { return nil }
    if tool.access == .execute {
      let command = input["command"]?.stringValue ?? ""
      let parts = ShellCommandParser.parse(command)
      for rule in denyRules {
        // Unparseable commands are denied by any Bash deny rule: we cannot prove they avoid it.
        if rule.pattern == nil || parts == nil || parts!.contains(where: rule.matches(command:)) {
          return "command matches --deny \(rule)"
        }
      }
      return nil
    }
    let path = rulePath(tool: tool, input: input, context: context)
    guard let rule = denyRules.first(where: { $0.matches(path: path) }) else { return nil }
    // A call without a path (an MCP tool's, say) is denied by name: "." would say nothing.
    let subject = input["file_path"] == nil && input["path"] == nil ? tool.name : path
    return "\(subject) matches --deny \(rule)"
  }

  /// The workspace-relative path a file rule is matched against.
  func rulePath(tool: any Tool, input: JSONValue, context: ToolContext) -> String {
    let raw = input["file_path"]?.stringValue ?? input["path"]?.stringValue ?? "."
    return PathGuard.relative(PathGuard.resolve(raw, base: context.root), to: context.root)
  }

  /// Parses `--allow`/`--deny` values; throws a usage error naming the bad one.
  public static func parseRules(_ texts: [String]) throws -> [PermissionRule] {
    try texts.map { t in
      guard let r = PermissionRule(parsing: t) else {
        throw ArrakisError(.usage, "malformed permission rule '\(t)'", hint: "use Tool or Tool(pattern), e.g. Bash(git log:*) or Edit(Sources/**)")
      }
      return r
    }
  }
}
