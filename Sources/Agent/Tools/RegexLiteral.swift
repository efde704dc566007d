/// The longest literal every match must contain, for a memmem prefilter before the regex runs.
/// Conservative: any alternation, inline flag or construct it does not understand gives nil.
enum RegexLiteral {
  static func required(in pattern: String) -> String? {
    let s = Array(pattern.unicodeScalars)
    var best = "", run = ""
    var i = 0
    func flush() { if run.unicodeScalars.count > best.unicodeScalars.count { best = run }; run = "" }
    // A quantifier that allows zero repetitions makes the preceding literal optional.
    func optionalNext(_ k: Int) -> Bool { k < s.count && (s[k] == "?" || s[k] == "*" || s[k] == "{") }
    while i < s.count {
      let c = s[i]
      switch c {
      case "|": return nil
      case "(":
        if i + 1 < s.count && s[i + 1] == "?" { return nil }  // inline flags / lookarounds
        // Skip the group entirely; it may be optional or contain alternation.
        var depth = 0
        while i < s.count {
          if s[i] == "\\" { i += 2; continue }
          if s[i] == "(" { depth += 1 } else if s[i] == ")" { depth -= 1; if depth == 0 { break } }
          else if s[i] == "|" && depth == 1 { /* alternation inside a group is fine: we skip it */ }
          i += 1
        }
        flush(); i += 1
      case "[":
        i += 1
        if i < s.count && s[i] == "^" { i += 1 }
        if i < s.count && s[i] == "]" { i += 1 }
        while i < s.count && s[i] != "]" { if s[i] == "\\" { i += 1 }; i += 1 }
        flush(); i += 1
      case "\\":
        guard i + 1 < s.count else { return nil }
        let d = s[i + 1]
        if d.properties.isAlphabetic || d.properties.numericType != nil {
          flush()  // \d \w \s \b \1 \n …: not a literal character we can search bytes for
        } else if optionalNext(i + 2) {
          flush()
        } else {
          run.unicodeScalars.append(d)
          if i + 2 < s.count && s[i + 2] == "+" { flush() }
        }
        i += 2
      case ".", "^", "$", "*", "+", "?", ")", "{", "}":
        flush(); i += 1
        if c == "{" { while i < s.count && s[i] != "}" { i += 1 }; i += 1 }
      default:
        if optionalNext(i + 1) { flush() } else {
          run.unicodeScalars.append(c)
          if i + 1 < s.count && s[i + 1] == "+" { flush() }
        }
        i += 1
      }
    }
    flush()
    return best.isEmpty ? nil : best
  }
}

extension RegexLiteral {
  /// The literals a pattern is made of when it is nothing else: `foo`, `die\(_\(` or `todo|fixme` (a
  /// top-level alternation of such). A line matches such a pattern exactly when it holds one of them,
  /// which memmem decides without the regex. Nil for anything with a regex construct (classes, groups,
  /// quantifiers, anchors, `.`, escapes such as `\w` or `\n`) or an empty alternative.
  static func alternatives(in pattern: String) -> [String]? {
    var out: [String] = []
    var run = ""
    var s = pattern.unicodeScalars[...]
    while let c = s.popFirst() {
      switch c {
      case "|":
        guard !run.isEmpty else { return nil }
        out.append(run)
        run = ""
      case "\\":
        // An escaped ASCII punctuation character is itself; `\w`, `\1`, `\n`, `\x41`... are not literals here.
        guard let d = s.popFirst(), d.isASCII, !d.properties.isAlphabetic, d.properties.numericType == nil,
          d != " ", d.value >= 0x21, d.value < 0x7f
        else { return nil }
        run.unicodeScalars.append(d)
      case ".", "^", "$", "*", "+", "?", "(", ")", "[", "]", "{", "}":
        return nil
      default:
        run.unicodeScalars.append(c)
      }
    }
    guard !run.isEmpty else { return nil }
    out.append(run)
    return out
  }
}
