/// How much the agent may do. Above its level a tool runs only where an allow rule names the call.
///
/// - readOnly: Read, Glob, Grep
/// - safeWrite: + Write and Edit (files in the workspace change; no shell). Both write a file, so a level
///   that lets Write replace a whole file has no reason to refuse an Edit of a few lines of it.
/// - fullAccess: + Bash
/// - selfModify: fullAccess, and the workspace may be arrakis's own source tree (otherwise
///   write/edit/execute there are denied so an agent cannot rewrite the tool running it by accident).
public enum PermissionLevel: String, Sendable, CaseIterable, Comparable {
  case readOnly = "read-only"
  case safeWrite = "safe-write"
  case fullAccess = "full-access"
  case selfModify = "self-modify"

  /// Parses `read-only|safe-write|full-access|self-modify` (underscores and case tolerated).
  public init?(parsing text: String) {
    let t = text.lowercased().replacing("_", with: "-")
    guard let v = PermissionLevel(rawValue: t) else { return nil }
    self = v
  }

  public func permits(_ access: ToolAccess) -> Bool {
    switch access {
    case .read: return true
    case .write, .edit: return self >= .safeWrite
    case .execute: return self >= .fullAccess
    }
  }

  /// The lowest level that permits `access`, for error messages.
  public static func minimum(for access: ToolAccess) -> PermissionLevel {
    allCases.first { $0.permits(access) } ?? .fullAccess
  }

  private var rank: Int { PermissionLevel.allCases.firstIndex(of: self)! }
  public static func < (a: PermissionLevel, b: PermissionLevel) -> Bool { a.rank < b.rank }
}
