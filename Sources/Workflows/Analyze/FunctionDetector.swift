/// Finds the longest function in a file without parsing it. The heuristics are deliberately crude and
/// language-agnostic: a header line recognised by keyword (func/fn/fun/function/def) or by C-like shape
/// (`type name(args) {`), then the body by brace matching, by indentation (Python) or by a matching
/// `end` (Ruby). Good enough to point at "this 300-line function" — not a parser, and never a gate.
enum FunctionDetector {
  static func longest(_ index: LineIndex, language: String) -> FunctionSpan? {
    switch language {
    case "python": return longestPython(index)
    case "ruby": return longestRuby(index)
    default:
      guard Language.braces.contains(language) else { return nil }
      return longestBraced(index, language: language)
    }
  }

  private static func better(_ a: FunctionSpan?, _ b: FunctionSpan) -> FunctionSpan {
    guard let a else { return b }
    return b.length > a.length ? b : a
  }

  // MARK: Brace languages

  /// Languages whose calls with trailing blocks (`foo(x) {`) look like C definitions: keywords only.
  static let keywordOnly: Set<String> = ["swift", "go", "rust", "kotlin", "scala"]

  static func longestBraced(_ index: LineIndex, language: String) -> FunctionSpan? {
    // First the headers and their opening braces, then one pass pairs every brace: linear in the file
    // size however deeply functions nest (matching each header separately was quadratic on big files).
    var headers: [(name: String, line: Int, open: Int)] = []
    let genericAllowed = !keywordOnly.contains(language)
    for i in 0..<index.count {
      let t = index.trimmed(i)
      guard !t.isEmpty else { continue }
      let first = index.bytes[t.lowerBound]
      // Comments, preprocessor lines, closing braces and `.chained(calls) {` are never headers.
      if first == UInt8(ascii: "/") || first == UInt8(ascii: "*") || first == UInt8(ascii: "#")
        || first == UInt8(ascii: "}") || first == UInt8(ascii: ".") { continue }
      var name: String?
      if keywordCandidate(index, t, language) {
        name = keywordHeader(index.string(t), language: language)
      }
      if name == nil && genericAllowed && endsWithBrace(index, i) && genericCandidate(index, t) {
        name = genericHeader(index.string(t))
      }
      guard let name, let open = openingBrace(index, from: i) else { continue }
      headers.append((name, i, open))
    }
    guard let firstOpen = headers.first?.open else { return nil }
    let closes = matchBraces(index, from: firstOpen, opens: Set(headers.map(\.open)), language: language)
    var best: FunctionSpan?
    for h in headers {
      guard let endLine = closes[h.open] else { continue }
      best = better(best, FunctionSpan(name: h.name, startLine: h.line + 1, length: endLine - h.line + 1))
    }
    return best
  }

  /// Header keywords per language, checked as whole words on the raw bytes before any String is made:
  /// most lines are not headers, and building Strings for every line dominated the scan time.
  static func keywordCandidate(_ index: LineIndex, _ t: Range<Int>, _ language: String) -> Bool {
    switch language {
    case "swift": return hasWord(index, t, "func") || hasWord(index, t, "init") || hasWord(index, t, "deinit")
      || hasWord(index, t, "subscript")
    case "go": return hasWord(index, t, "func")
    case "rust": return hasWord(index, t, "fn")
    case "kotlin": return hasWord(index, t, "fun")
    case "scala": return hasWord(index, t, "def")
    case "javascript", "typescript":
      return hasWord(index, t, "function") || (index.contains(t, "=>") && index.contains(t, "{"))
    default: return hasWord(index, t, "function")
    }
  }

  /// `word` occurs in the range with no identifier byte on either side.
  static func hasWord(_ index: LineIndex, _ t: Range<Int>, _ word: StaticString) -> Bool {
    guard let base = index.bytes.baseAddress else { return false }
    let n = word.utf8CodeUnitCount
    var from = t.lowerBound
    while from < t.upperBound {
      guard let hit = findBytes(base + from, t.upperBound - from, word.utf8Start, n) else { return false }
      let at = UnsafeRawPointer(base).distance(to: hit)
      let before = at == t.lowerBound || !isIdentByte(index.bytes[at - 1])
      let after = at + n == t.upperBound || !isIdentByte(index.bytes[at + n])
      if before && after { return true }
      from = at + 1
    }
    return false
  }

  /// The header line ends with `{`, or the next non-blank line starts with one (Allman/K&R C style).
  static func endsWithBrace(_ index: LineIndex, _ i: Int) -> Bool {
    let t = index.trimmed(i)
    if index.bytes[t.upperBound - 1] == UInt8(ascii: "{") { return true }
    guard index.bytes[t.upperBound - 1] == UInt8(ascii: ")") || index.contains(t, ")") else { return false }
    var j = i + 1
    while j < index.count && index.isBlank(j) { j += 1 }
    guard j < index.count else { return false }
    let n = index.trimmed(j)
    return index.bytes[n.lowerBound] == UInt8(ascii: "{")
  }

  static let keywords = ["func", "fn", "fun", "function"]

  /// `func name(`, `func (r *T) name(`, `fn name<`, `function name(`, Swift `init(`/`deinit`,
  /// and JS `const name = (…) => {`. Works on the line's bytes: it runs for every candidate line.
  static func keywordHeader(_ line: String, language: String) -> String? {
    let u = Array(line.utf8)
    var i = 0
    func skipSpaces() { while i < u.count && (u[i] == 0x20 || u[i] == 0x09) { i += 1 } }
    func ident(from j: Int) -> String? {
      var k = j
      while k < u.count && (isIdentByte(u[k]) || u[k] == UInt8(ascii: "$")) { k += 1 }
      return k > j ? String(decoding: u[j..<k], as: UTF8.self) : nil
    }
    while true {
      skipSpaces()
      guard i < u.count else { return nil }
      let start = i
      while i < u.count && u[i] != 0x20 && u[i] != 0x09 { i += 1 }
      let w = String(decoding: u[start..<i], as: UTF8.self)
      if w.hasPrefix("function") && (w == "function" || w == "function*" || w.hasPrefix("function(")) {
        if w.hasPrefix("function(") { return "function" }
        skipSpaces()
        return ident(from: i) ?? "function"
      }
      if keywords.contains(w) {
        skipSpaces()
        if language == "go" && i < u.count && u[i] == UInt8(ascii: "(") {
          // Method receiver: skip "(r *T) ".
          while i < u.count && u[i] != UInt8(ascii: ")") { i += 1 }
          i += 1
          skipSpaces()
        }
        return ident(from: i)
      }
      if language == "swift" && (w.hasPrefix("init(") || w.hasPrefix("init?(") || w.hasPrefix("init!(")
        || w.hasPrefix("init<") || w.hasPrefix("deinit") || w.hasPrefix("subscript(")) {
        return w.hasPrefix("deinit") ? "deinit" : w.hasPrefix("subscript") ? "subscript" : "init"
      }
      if (language == "javascript" || language == "typescript") && (w == "const" || w == "let" || w == "var") {
        skipSpaces()
        return line.contains("=>") ? ident(from: i) : nil
      }
      if !modifiers.contains(w) && !w.hasPrefix("@") { return nil }
    }
  }

  static let modifiers: Set<String> = [
    "public", "private", "fileprivate", "internal", "open", "static", "class", "final", "override", "mutating",
    "nonmutating", "async", "export", "default", "pub", "pub(crate)", "unsafe", "extern", "const", "inline",
    "suspend", "operator", "infix", "convenience", "required", "nonisolated", "@objc", "protected", "abstract",
    "let", "var",
  ]

  static let control: Set<String> = [
    "if", "for", "while", "switch", "catch", "return", "sizeof", "else", "do", "with", "foreach", "elseif", "using",
    "lock", "synchronized", "typeof", "new", "await", "defer", "guard", "when", "match", "loop", "try", "throw",
    "case", "until", "select", "elif", "assert",
  ]

  /// `genericHeader`'s byte-level rejections, before a String is made for the line: a `(`, no `;` or
  /// quote anywhere, no `=` or `,` before the `(` (most brace-ended lines of C are `if (…) {` or
  /// initialisers, and building Strings for them dominated the tree scan).
  static func genericCandidate(_ index: LineIndex, _ t: Range<Int>) -> Bool {
    var sawParen = false
    for o in t {
      switch index.bytes[o] {
      case UInt8(ascii: ";"), UInt8(ascii: "\""), UInt8(ascii: "'"): return false
      case UInt8(ascii: "("): sawParen = true
      case UInt8(ascii: "="), UInt8(ascii: ","): if !sawParen { return false }
      default: break
      }
    }
    return sawParen
  }

  /// C-like `type name(args) qualifiers {`: an identifier right before the first `(`, no assignment or
  /// string literal (calls with string arguments are not definitions), no `;`.
  static func genericHeader(_ line: String) -> String? {
    guard let paren = line.firstIndex(of: "("), !line.contains(";" as Character), !line.contains("\"" as Character),
      !line.contains("'" as Character)
    else { return nil }
    let head = line[..<paren]
    if head.contains("=" as Character) || head.contains("(" as Character) || head.contains("," as Character) { return nil }
    let words = head.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "*" || $0 == "&" })
    guard let last = words.last, let firstWord = words.first else { return nil }
    let name = String(last)
    if control.contains(String(firstWord)) || control.contains(name) { return nil }
    guard let c = name.first, c.isLetter || c == "_" || c == "~",
      name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" || $0 == "~" })
    else { return nil }
    return name
  }

  static func identifier(prefixOf s: String) -> String? {
    let name = s.utf8.prefix(while: { isIdentByte($0) || $0 == UInt8(ascii: "$") })
    return name.isEmpty ? nil : String(decoding: name, as: UTF8.self)
  }

  /// The `{` opening the body: on the header line or within a few lines after (wrapped signatures).
  /// A `;`, a blank line, a `}` or another header keyword first means a declaration without a body
  /// (protocol requirements, prototypes).
  static func openingBrace(_ index: LineIndex, from line: Int) -> Int? {
    for j in line..<min(index.count, line + 12) {
      let r = index.range(j)
      if j > line {
        let t = index.trimmed(j)
        // A blank line or the enclosing scope's `}` before any `{`: a bodiless declaration.
        if t.isEmpty || index.bytes[t.lowerBound] == UInt8(ascii: "}") { return nil }
        if index.contains(t, "func ") || index.contains(t, "fn ") || index.contains(t, "fun ")
          || index.contains(t, "function ") || index.contains(t, "def ") { return nil }
      }
      for o in r {
        let b = index.bytes[o]
        if b == UInt8(ascii: "{") { return o }
        if b == UInt8(ascii: ";") { return nil }
      }
    }
    return nil
  }

  /// For each brace offset in `opens`, the line (0-based) of the brace that closes it, found in one pass
  /// from `start` that skips strings and comments. Unclosed braces are absent from the result.
  static func matchBraces(_ index: LineIndex, from start: Int, opens: Set<Int>, language: String) -> [Int: Int] {
    let b = index.bytes
    let hashComments = language == "shell" || language == "php"
    let singleQuotes = language != "rust" && language != "swift"
    var stack: [Int] = []
    var closes: [Int: Int] = [:]
    var line = index.line(containing: start)
    var o = start
    var quote: UInt8 = 0  // the open string's quote, 0 outside strings
    var triple = false
    var lineComment = false
    var blockComment = false
    // Bytes that can change the state; everything else is skipped in a tight loop.
    var special = [Bool](repeating: false, count: 256)
    for c in "\n\"'`/*#{}\\".utf8 { special[Int(c)] = true }
    while o < b.count {
      if !special[Int(b[o])] && quote == 0 && !lineComment && !blockComment {
        o += 1
        while o < b.count && !special[Int(b[o])] { o += 1 }
        continue
      }
      let c = b[o]
      if c == 0x0A {
        line += 1
        lineComment = false
        if !triple { quote = 0 }  // an unterminated string ends at the line: limits the damage of a bad guess
      } else if lineComment {
      } else if blockComment {
        if c == UInt8(ascii: "*") && o + 1 < b.count && b[o + 1] == UInt8(ascii: "/") { blockComment = false; o += 1 }
      } else if quote != 0 {
        if c == UInt8(ascii: "\\") { o += 1 }
        else if c == quote {
          if !triple { quote = 0 }
          else if o + 2 < b.count && b[o + 1] == c && b[o + 2] == c { quote = 0; triple = false; o += 2 }
        }
      } else if c == UInt8(ascii: "\"") || (singleQuotes && c == UInt8(ascii: "'")) || c == UInt8(ascii: "`") {
        quote = c
        if o + 2 < b.count && b[o + 1] == c && b[o + 2] == c { triple = true; o += 2 }
      } else if c == UInt8(ascii: "/") && o + 1 < b.count && b[o + 1] == UInt8(ascii: "/") {
        lineComment = true
      } else if c == UInt8(ascii: "/") && o + 1 < b.count && b[o + 1] == UInt8(ascii: "*") {
        blockComment = true; o += 1
      } else if hashComments && c == UInt8(ascii: "#") && (o == 0 || isSpace(b[o - 1])) {
        lineComment = true
      } else if c == UInt8(ascii: "{") {
        stack.append(o)
      } else if c == UInt8(ascii: "}") {
        if let open = stack.popLast(), opens.contains(open) { closes[open] = line }
      }
      o += 1
    }
    return closes
  }

  // MARK: Indentation languages

  /// Python: a `def` owns every following line that is blank or indented deeper; the last such non-blank
  /// line ends it. A signature wrapped over several lines is consumed first by balancing parentheses.
  static func longestPython(_ index: LineIndex) -> FunctionSpan? {
    var best: FunctionSpan?
    for i in 0..<index.count {
      let t = index.trimmed(i)
      guard index.hasPrefix(t, "def ") || index.hasPrefix(t, "async def ") else { continue }
      let text = index.string(t)
      let afterDef = text.firstRange(of: "def ")!.upperBound
      guard let name = identifier(prefixOf: String(text[afterDef...])) else { continue }
      let indent = index.indent(i)
      var j = i
      var parens = 0
      repeat {
        for o in index.range(j) {
          let c = index.bytes[o]
          if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") { parens += 1 }
          if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") { parens -= 1 }
        }
        j += 1
      } while parens > 0 && j < index.count
      var last = j - 1
      while j < index.count {
        if !index.isBlank(j) {
          if index.indent(j) <= indent { break }
          last = j
        }
        j += 1
      }
      best = better(best, FunctionSpan(name: name, startLine: i + 1, length: last - i + 1))
    }
    return best
  }

  /// Ruby: `def name` up to the next `end` at the same indentation.
  static func longestRuby(_ index: LineIndex) -> FunctionSpan? {
    var best: FunctionSpan?
    for i in 0..<index.count {
      let t = index.trimmed(i)
      guard index.hasPrefix(t, "def ") else { continue }
      let text = index.string(t).dropFirst(4)
      let name = String(text.prefix(while: { !$0.isWhitespace && $0 != "(" && $0 != ";" }))
      guard !name.isEmpty, !text.contains("; end"), !text.contains(" = ") else { continue }
      let indent = index.indent(i)
      for j in (i + 1)..<index.count {
        let u = index.trimmed(j)
        guard !u.isEmpty, index.indent(j) == indent else { continue }
        if index.hasPrefix(u, "rescue") || index.hasPrefix(u, "ensure") || index.hasPrefix(u, "else") { continue }
        if index.hasPrefix(u, "end") && (u.count == 3 || !isIdentByte(index.bytes[u.lowerBound + 3])) {
          best = better(best, FunctionSpan(name: name, startLine: i + 1, length: j - i + 1))
        }
        break
      }
    }
    return best
  }
}
