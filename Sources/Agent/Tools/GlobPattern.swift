import Glibc

/// A path glob matched component by component with fnmatch(3): `*`, `?`, `[…]` within one component,
/// `**` across any number of them. Shared by Glob, gitignore and permission rules.
public struct GlobPattern: Sendable {
  let components: [String]
  /// gitignore style: a pattern without a slash matches the basename at any depth.
  let basenameOnly: Bool

  public init(_ pattern: String, gitignoreStyle: Bool = false) {
    var p = pattern
    if p.hasPrefix("./") { p.removeFirst(2) }
    let anchored = p.hasPrefix("/")
    let trimmed = p.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    components = trimmed
    basenameOnly = gitignoreStyle && !anchored && trimmed.count == 1
  }

  /// Leading components without glob characters: a walk can start there instead of at the root.
  public var literalPrefix: [String] {
    var out: [String] = []
    for c in components.dropLast() {
      if c.contains(where: { "*?[\\".contains($0) }) { break }
      out.append(c)
    }
    return out
  }

  public func matches(_ relativePath: String) -> Bool {
    let parts = relativePath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    return matches(components: parts)
  }

  public func matches(components parts: [String]) -> Bool {
    if basenameOnly, let last = parts.last, let p = components.first { return fnmatch(p, last, 0) == 0 }
    return GlobPattern.match(components[...], parts[...])
  }

  static func match(_ pat: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
    guard let first = pat.first else { return path.isEmpty }
    if first == "**" {
      let rest = pat.dropFirst()
      if rest.isEmpty { return true }
      var p = path
      while true {
        if match(rest, p) { return true }
        if p.isEmpty { return false }
        p = p.dropFirst()
      }
    }
    guard let head = path.first, fnmatch(first, head, 0) == 0 else { return false }
    return match(pat.dropFirst(), path.dropFirst())
  }
}
