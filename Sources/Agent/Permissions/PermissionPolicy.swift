import ArrakisCore

public enum PermissionDecision: Sendable, Equatable {
  case allow
  case deny(reason: String)
  /// Needs a human yes/no. The loop prompts on a terminal and treats it as a denial otherwise.
  case ask(reason: String)
}

/// Decides whether a tool call may run, before the sandbox bounds it.
///
/// Order: (1) the level is a ceiling — a tool above it is denied, and an allow rule cannot raise it;
/// (2) any matching deny rule denies; (3) a matching allow rule allows; (4) otherwise Read/Glob/Grep
/// and, within the level, Write/Edit are allowed (choosing the level was the consent), while Bash asks
/// unless `askBeforeBash` is false. So allow rules refine within the level by pre-approving commands
/// that would otherwise need the y/n prompt. A compound command (`a && b; c | d`, `$(…)`, backticks,
/// `bash -c '…'`) is allowed by rules only when every part matches an allow rule, and denied when any
/// part matches a deny rule.
public struct PermissionPolicy: Sendable {
  public var level: PermissionLevel
  public var allow: [PermissionRule]
  public var deny: [PermissionRule]
  public var askBeforeBash: Bool

  public init(level: PermissionLevel, allow: [PermissionRule] = [], deny: [PermissionRule] = [], askBeforeBash: Bool = true) {
    self.level = level
    self.allow = allow
    self.deny = deny
    self.askBeforeBash = askBeforeBash
  }

  public func evaluate(tool: any Tool, input: JSONValue, context: ToolContext) -> PermissionDecision {
    let access = tool.access
    guard level.permits(access) else {
      return .deny(reason: "\(tool.name) needs permission level \(PermissionLevel.minimum(for: access).rawValue) (current: \(level.rawValue))")
    }
    if access != .read, level != .selfModify, context.workspaceIsArrakisSource {
      return .deny(reason: "the workspace is arrakis's own source; modifying it needs --permission self-modify")
    }
    let denyRules = deny.filter { $0.tool == tool.name }
    let allowRules = allow.filter { $0.tool == tool.name }

    if access == .execute {
      let command = input["command"]?.stringValue ?? ""
      let parts = ShellCommandParser.parse(command)
      for rule in denyRules {
        // Unparseable commands are denied by any Bash deny rule: we cannot prove they avoid it.
        if rule.pattern == nil || parts == nil || parts!.contains(where: rule.matches(command:)) {
          return .deny(reason: "command matches --deny \(rule)")
        }
      }
      if let parts, !parts.isEmpty, !allowRules.isEmpty,
        parts.allSatisfy({ p in allowRules.contains { $0.matches(command: p) } })
      {
        return .allow
      }
      if !askBeforeBash { return .allow }
      let unmatched = parts?.first { p in !allowRules.contains { $0.matches(command: p) } }?.text ?? command
      return .ask(reason: "run `\(unmatched)`? (not covered by an --allow Bash rule)")
    }

    let path = rulePath(tool: tool, input: input, context: context)
    for rule in denyRules where rule.matches(path: path) {
      // A call without a path (an MCP tool's, say) is denied by name: "." would say nothing.
      let subject = input["file_path"] == nil && input["path"] == nil ? tool.name : path
      return .deny(reason: "\(subject) matches --deny \(rule)")
    }
    return .allow
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
