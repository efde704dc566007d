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

extension GlobPattern {
  /// `*.{ts,tsx}` → [`*.ts`, `*.tsx`]; nested braces expand too. fnmatch has no braces, models use them.
  public static func expandBraces(_ pattern: String) -> [String] {
    let chars = Array(pattern)
    guard let open = chars.firstIndex(of: "{") else { return [pattern] }
    var depth = 0
    var parts: [String] = []
    var current = ""
    var close: Int?
    for k in (open + 1)..<chars.count {
      let c = chars[k]
      if c == "{" { depth += 1; current.append(c) }
      else if c == "}" {
        if depth == 0 { close = k; parts.append(current); break }
        depth -= 1; current.append(c)
      } else if c == "," && depth == 0 { parts.append(current); current = "" }
      else { current.append(c) }
    }
    // One alternative is still an alternation (`{*.py}` is `*.py`), as in ripgrep's globs.
    guard let close, !parts.isEmpty else { return [pattern] }
    let prefix = String(chars[..<open]), suffix = String(chars[(close + 1)...])
    return parts.flatMap { expandBraces(prefix + $0 + suffix) }
  }
}

/// Several globs (brace alternatives), matching when any does.
public struct GlobSet: Sendable {
  let patterns: [GlobPattern]
  public init(_ pattern: String, gitignoreStyle: Bool = false) {
    patterns = GlobPattern.expandBraces(pattern).map { GlobPattern($0, gitignoreStyle: gitignoreStyle) }
  }
  public func matches(components: [String]) -> Bool { patterns.contains { $0.matches(components: components) } }
  /// The literal leading directories shared by every alternative.
  public var literalPrefix: [String] {
    guard let first = patterns.first?.literalPrefix else { return [] }
    return patterns.allSatisfy { $0.literalPrefix == first } ? first : []
  }
}
