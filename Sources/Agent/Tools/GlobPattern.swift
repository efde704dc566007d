import Glibc

/// A path glob matched component by component with fnmatch(3): `*`, `?`, `[…]` within one component,
/// `**` across any number of them. Shared by Glob, gitignore and permission rules.
/// Each component is compiled once: most gitignore rules are plain names, `*.ext` or `prefix*`, which are
/// compared as bytes (what fnmatch with no flags does for them); the rest go to fnmatch with the pattern
/// already a C string (a walk asks every rule about every entry: converting per call was most of its cost).
public struct GlobPattern: Sendable {
  let components: [String]
  /// gitignore style: a pattern without a slash matches the basename at any depth.
  let basenameOnly: Bool
  private let pieces: [Piece]

  /// One compiled component. fnmatch without FNM_PERIOD/FNM_PATHNAME lets `*` match anything, a leading
  /// dot included, so `*` + literal is a suffix test and literal + `*` a prefix test.
  enum Piece: Sendable {
    case anyDepth  // `**`
    case anything  // `*`
    case literal([UInt8])
    case suffix([UInt8])
    case prefix([UInt8])
    case fnmatch(ContiguousArray<CChar>)

    init(_ c: String) {
      if c == "**" { self = .anyDepth; return }
      if c == "*" { self = .anything; return }
      let bytes = Array(c.utf8)
      func plain(_ b: ArraySlice<UInt8>) -> Bool { !b.contains { $0 == 42 || $0 == 63 || $0 == 91 || $0 == 92 } }  // * ? [ \
      if plain(bytes[...]) { self = .literal(bytes); return }
      if bytes.first == 42, plain(bytes.dropFirst()) { self = .suffix(Array(bytes.dropFirst())); return }
      if bytes.last == 42, plain(bytes.dropLast()) { self = .prefix(Array(bytes.dropLast())); return }
      self = .fnmatch(c.utf8CString)
    }

    func matches(_ name: String) -> Bool {
      switch self {
      case .anyDepth, .anything: return true
      case .literal(let l): return name.utf8.elementsEqual(l)
      case .suffix(let l):
        let u = name.utf8
        return u.count >= l.count && u.suffix(l.count).elementsEqual(l)
      case .prefix(let l):
        let u = name.utf8
        return u.count >= l.count && u.prefix(l.count).elementsEqual(l)
      case .fnmatch(let p):
        return p.withUnsafeBufferPointer { pat in name.withCString { Glibc.fnmatch(pat.baseAddress, $0, 0) == 0 } }
      }
    }
  }

  public init(_ pattern: String, gitignoreStyle: Bool = false) {
    var p = pattern
    if p.hasPrefix("./") { p.removeFirst(2) }
    let anchored = p.hasPrefix("/")
    let trimmed = p.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    components = trimmed
    basenameOnly = gitignoreStyle && !anchored && trimmed.count == 1
    pieces = trimmed.map(Piece.init)
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

  public func matches(components parts: [String]) -> Bool { matches(parts[...]) }

  func matches(_ parts: ArraySlice<String>) -> Bool {
    if basenameOnly, let last = parts.last, let p = pieces.first { return p.matches(last) }
    return GlobPattern.match(pieces[...], parts)
  }

  static func match(_ pat: ArraySlice<Piece>, _ path: ArraySlice<String>) -> Bool {
    guard let first = pat.first else { return path.isEmpty }
    if case .anyDepth = first {
      let rest = pat.dropFirst()
      if rest.isEmpty { return true }
      var p = path
      while true {
        if match(rest, p) { return true }
        if p.isEmpty { return false }
        p = p.dropFirst()
      }
    }
    guard let head = path.first, first.matches(head) else { return false }
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
