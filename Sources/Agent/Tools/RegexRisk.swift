/// Whether a pattern can make a backtracking engine run for exponential time: a group repeated without
/// bound (`*`, `+`, `{n,}`) that itself holds a quantifier or an alternation (`(a+)+`, `(\w+\s?)*`,
/// `(a|aa)*`), or a backreference (`(x+)\1`). A bounded repeat (`(\d+\.){3}`, `(a|b)?`) costs a power of
/// the line's length at worst, as `a.*b.*c` does: not counted. BuiltinGrep runs those patterns' matching in a child process it can kill (ForkedWork),
/// because Swift's Regex cannot be stopped from outside; other patterns run in-process, where the budget
/// is checked between lines. Conservative: what it does not understand it calls risky.
enum RegexRisk {
  static func unbounded(_ pattern: String) -> Bool {
    let s = Array(pattern.unicodeScalars)
    // One entry per open group: whether it holds a quantifier or an alternation so far.
    var groups: [Bool] = [false]
    func isQuantifier(_ k: Int) -> Bool { k < s.count && (s[k] == "*" || s[k] == "+" || s[k] == "?" || s[k] == "{") }
    /// `*`, `+` or `{n,}` at k: a repeat without an upper bound.
    func isUnbounded(_ k: Int) -> Bool {
      guard k < s.count else { return false }
      if s[k] == "*" || s[k] == "+" { return true }
      guard s[k] == "{" else { return false }
      var j = k + 1
      while j < s.count && s[j].properties.numericType != nil { j += 1 }
      return j + 1 < s.count && s[j] == "," && s[j + 1] == "}"
    }
    var i = 0
    while i < s.count {
      let c = s[i]
      switch c {
      case "\\":
        guard i + 1 < s.count else { return true }
        let d = s[i + 1]
        if ("1"..."9").contains(d) || d == "k" || d == "g" { return true }  // backreferences
        if d == "Q" { return true }  // a quoted run: not worth parsing here
        i += 2
        continue
      case "[":
        // A class (nested ones too, as in [a-z&&[^x]] or [[:alpha:]]): one atom. A "]" first is a literal.
        i += 1
        if i < s.count && s[i] == "^" { i += 1 }
        if i < s.count && s[i] == "]" { i += 1 }
        var depth = 1
        while i < s.count && depth > 0 {
          if s[i] == "\\" { i += 2; continue }
          if s[i] == "[" { depth += 1 } else if s[i] == "]" { depth -= 1 }
          if depth > 0 { i += 1 }
        }
        if depth > 0 { return true }
      case "(":
        if i + 1 < s.count && s[i + 1] == "?" {
          // (?:  (?=  (?!  (?>  (?<name>  (?<=  (?i)  (?i-s:  : the "?" is no quantifier.
          var k = i + 2
          if k < s.count && s[k] == "<" {
            while k < s.count && s[k] != ">" && s[k] != "=" && s[k] != "!" { k += 1 }
          } else {
            while k < s.count && (s[k].properties.isAlphabetic || s[k] == "-") { k += 1 }
          }
          if k < s.count && s[k] == ")" { i = k + 1; continue }  // flags for the rest of the group
          i = k
        }
        groups.append(false)
      case ")":
        guard groups.count > 1 else { return true }
        let inner = groups.removeLast()
        if isUnbounded(i + 1) && inner { return true }
        if inner || isQuantifier(i + 1) { groups[groups.count - 1] = true }
      case "|":
        groups[groups.count - 1] = true
      case "*", "+", "?", "{":
        groups[groups.count - 1] = true
      default:
        break
      }
      i += 1
    }
    return false
  }
}
