/// A small .gitignore matcher: enough of gitignore(5) for analysis to skip what the project itself ignores
/// (comments, `!` negation, trailing `/` for directories, anchoring by a leading or inner `/`, `*`, `?`,
/// `[...]`, `**`). It is not git: no global excludes, no `info/exclude`, no case folding.
public struct Gitignore: Sendable {
  struct Rule: Sendable {
    var pattern: [UInt8]
    var negated: Bool
    var directoryOnly: Bool
    /// Anchored rules match the path relative to the .gitignore's directory; others match the base name only.
    var anchored: Bool
  }

  var rules: [Rule]

  public init(_ text: String) {
    rules = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).compactMap(Gitignore.parse)
  }

  public var isEmpty: Bool { rules.isEmpty }

  static func parse(_ line: Substring) -> Rule? {
    var s = Array(line.utf8)
    // Trailing spaces are ignored unless escaped with a backslash.
    while let last = s.last, last == UInt8(ascii: " "), !(s.count >= 2 && s[s.count - 2] == UInt8(ascii: "\\")) {
      s.removeLast()
    }
    guard let first = s.first, first != UInt8(ascii: "#") else { return nil }
    var negated = false
    if first == UInt8(ascii: "!") { negated = true; s.removeFirst() }
    else if first == UInt8(ascii: "\\"), s.count > 1, s[1] == UInt8(ascii: "#") || s[1] == UInt8(ascii: "!") { s.removeFirst() }
    var directoryOnly = false
    if s.last == UInt8(ascii: "/") { directoryOnly = true; s.removeLast() }
    var anchored = s.contains(UInt8(ascii: "/"))
    if s.first == UInt8(ascii: "/") { s.removeFirst(); anchored = true }
    guard !s.isEmpty else { return nil }
    return Rule(pattern: s, negated: negated, directoryOnly: directoryOnly, anchored: anchored)
  }

  /// `true`/`false` if a rule decides (the last matching rule wins), `nil` if none matches.
  /// `path` is relative to this file's directory, `/`-separated.
  public func decision(for path: String, isDirectory: Bool) -> Bool? {
    let full = Array(path.utf8)
    let base: ArraySlice<UInt8>
    if let slash = full.lastIndex(of: UInt8(ascii: "/")) { base = full[(slash + 1)...] } else { base = full[...] }
    for rule in rules.reversed() {
      if rule.directoryOnly && !isDirectory { continue }
      let subject = rule.anchored ? full[...] : base
      if Gitignore.glob(rule.pattern[...], subject) { return !rule.negated }
    }
    return nil
  }

  /// Glob match where `*` and `?` stay within a path component and `**` crosses components.
  static func glob(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
    let slash = UInt8(ascii: "/")
    guard let c = p.first else { return s.isEmpty }
    switch c {
    case UInt8(ascii: "*"):
      if p.count >= 2 && p[p.startIndex + 1] == UInt8(ascii: "*") {
        var rest = p.dropFirst(2)
        if rest.first == slash {
          // "**/" matches zero or more whole directories.
          rest = rest.dropFirst()
          if glob(rest, s) { return true }
          var i = s.startIndex
          while i < s.endIndex {
            if s[i] == slash && glob(rest, s[(i + 1)...]) { return true }
            i += 1
          }
          return false
        }
        if rest.isEmpty { return true }
        var i = s.startIndex
        while i <= s.endIndex {
          if glob(rest, s[i...]) { return true }
          i += 1
        }
        return false
      }
      let rest = p.dropFirst()
      var i = s.startIndex
      while true {
        if glob(rest, s[i...]) { return true }
        if i == s.endIndex || s[i] == slash { return false }
        i += 1
      }
    case UInt8(ascii: "?"):
      guard let f = s.first, f != slash else { return false }
      return glob(p.dropFirst(), s.dropFirst())
    case UInt8(ascii: "["):
      guard let f = s.first, f != slash, let (matched, rest) = matchClass(p, f) else {
        // An unterminated class is a literal "[".
        if let f = s.first, f == c, !p.dropFirst().contains(UInt8(ascii: "]")) { return glob(p.dropFirst(), s.dropFirst()) }
        return false
      }
      return matched && glob(rest, s.dropFirst())
    case UInt8(ascii: "\\") where p.count >= 2:
      let lit = p[p.startIndex + 1]
      guard s.first == lit else { return false }
      return glob(p.dropFirst(2), s.dropFirst())
    default:
      guard s.first == c else { return false }
      return glob(p.dropFirst(), s.dropFirst())
    }
  }

  /// Matches one byte against a `[...]` class at the start of `p`; returns the rest of the pattern.
  static func matchClass(_ p: ArraySlice<UInt8>, _ ch: UInt8) -> (Bool, ArraySlice<UInt8>)? {
    var i = p.startIndex + 1
    var negate = false
    if i < p.endIndex && (p[i] == UInt8(ascii: "!") || p[i] == UInt8(ascii: "^")) { negate = true; i += 1 }
    var matched = false
    var first = true
    while i < p.endIndex {
      let c = p[i]
      if c == UInt8(ascii: "]") && !first { return (matched != negate, p[(i + 1)...]) }
      first = false
      if i + 2 < p.endIndex && p[i + 1] == UInt8(ascii: "-") && p[i + 2] != UInt8(ascii: "]") {
        if ch >= c && ch <= p[i + 2] { matched = true }
        i += 3
      } else {
        if ch == c { matched = true }
        i += 1
      }
    }
    return nil
  }
}
