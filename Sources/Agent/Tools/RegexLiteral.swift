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
