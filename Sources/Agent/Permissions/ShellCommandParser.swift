/// Splits a shell command line into simple commands for permission rules and the forbidden-command check.
/// It understands quotes, escapes, `&&` `||` `;` `|` `&` newlines, subshells, `$(…)` and backticks
/// (their contents become commands of their own), redirections and comments. It is deliberately
/// conservative: anything it cannot parse (an unterminated quote) yields nil, which never matches an
/// allow rule.
public enum ShellCommandParser {
  static let keywords: Set = ["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac", "in"]
  static let shells: Set = ["sh", "bash", "zsh", "dash", "ksh"]

  public static func parse(_ line: String) -> [ShellCommand]? {
    var p = Parser(Array(line.unicodeScalars))
    guard let cmds = p.parseList(until: nil) else { return nil }
    var out: [ShellCommand] = []
    for c in cmds { out.append(contentsOf: expand(c, depth: 0)) }
    return out
  }

  /// `bash -c '…'` and `eval …` run their argument as a command line: check what is inside too.
  static func expand(_ c: ShellCommand, depth: Int) -> [ShellCommand] {
    var result = [c]
    guard depth < 4 else { return result }
    let program = c.program
    var inner: String?
    if shells.contains(program), let i = c.args.firstIndex(where: { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("c") }),
      i + 1 < c.args.count
    {
      inner = c.args[i + 1]
    } else if program == "eval" {
      inner = c.args.joined(separator: " ")
    }
    if let inner, let nested = parse(inner) {
      result += nested.map { var n = $0; n.nested = true; return n }
    }
    return result
  }

  struct Parser {
    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }
    func at(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    /// Parses commands until `terminator` (")" for `$(…)`/subshell, "`" for backticks) or the end.
    mutating func parseList(until terminator: Unicode.Scalar?) -> [ShellCommand]? {
      var commands: [ShellCommand] = []
      var words: [String] = []
      var word = ""
      var inWord = false
      var piped = false

      func endWord() {
        if inWord { words.append(word) }
        word = ""; inWord = false
      }
      func endCommand(pipe: Bool) {
        endWord()
        while let f = words.first, ShellCommandParser.keywords.contains(f) { words.removeFirst() }
        if !words.isEmpty { commands.append(ShellCommand(words: words, pipedFrom: piped)) }
        words = []
        piped = pipe
      }

      while let c = peek {
        if let t = terminator, c == t { i += 1; endCommand(pipe: false); return commands }
        switch c {
        case " ", "\t":
          endWord(); i += 1
        case "\n", ";":
          endCommand(pipe: false); i += 1
        case "&":
          if at(1) == "&" { endCommand(pipe: false); i += 2 }
          else if at(1) == ">" { endWord(); words.append(at(2) == ">" ? "&>>" : "&>"); i += at(2) == ">" ? 3 : 2 }
          else { endCommand(pipe: false); i += 1 }
        case "|":
          if at(1) == "|" { endCommand(pipe: false); i += 2 }
          else { endCommand(pipe: true); i += at(1) == "&" ? 2 : 1 }
        case "(", ")":
          // Subshells and function bodies: a command boundary. A stray ")" inside `$(…)` is the terminator, handled above.
          endCommand(pipe: false); i += 1
        case ">", "<":
          // Redirection operator (with an fd prefix if the word so far is all digits): its own word.
          var op = ""
          if inWord, word.allSatisfy({ $0.isNumber }) { op = word; word = ""; inWord = false } else { endWord() }
          while let d = peek, d == ">" || d == "<" || (d == "&" && !op.isEmpty) || (d == "|" && op == ">") { op.unicodeScalars.append(d); i += 1 }
          if op.hasSuffix("&"), let d = peek, d == "-" || d.properties.numericType != nil {
            while let d = peek, d == "-" || d.properties.numericType != nil { op.unicodeScalars.append(d); i += 1 }
          }
          words.append(op)
        case "#" where !inWord:
          while let d = peek, d != "\n" { i += 1 }
        case "\\":
          i += 1
          if let d = peek { if d != "\n" { word.unicodeScalars.append(d) }; inWord = true; i += 1 }
        case "'":
          i += 1; inWord = true
          guard let end = s[i...].firstIndex(of: "'") else { return nil }
          word.unicodeScalars.append(contentsOf: s[i..<end]); i = end + 1
        case "\"":
          i += 1; inWord = true
          guard parseDoubleQuoted(into: &word, commands: &commands) else { return nil }
        case "`":
          i += 1; inWord = true
          let start = i
          guard let nested = parseList(until: "`") else { return nil }
          word.unicodeScalars.append(contentsOf: s[(start - 1)..<i])
          commands += nested.map { var n = $0; n.nested = true; return n }
        case "$" where at(1) == "(":
          inWord = true
          let start = i
          if at(2) == "(" {
            // Arithmetic $((…)): not a command; skip to the matching "))".
            var depth = 0
            while let d = peek { i += 1; if d == "(" { depth += 1 } else if d == ")" { depth -= 1; if depth == 0 { break } } }
          } else {
            i += 2
            guard let nested = parseList(until: ")") else { return nil }
            commands += nested.map { var n = $0; n.nested = true; return n }
          }
          word.unicodeScalars.append(contentsOf: s[start..<i])
        default:
          word.unicodeScalars.append(c); inWord = true; i += 1
        }
      }
      if terminator != nil { return nil }  // unterminated $( or `
      endCommand(pipe: false)
      return commands
    }

    mutating func parseDoubleQuoted(into word: inout String, commands: inout [ShellCommand]) -> Bool {
      while let c = peek {
        switch c {
        case "\"": i += 1; return true
        case "\\":
          if let d = at(1), "\"\\$`\n".unicodeScalars.contains(d) { if d != "\n" { word.unicodeScalars.append(d) }; i += 2 }
          else { word.unicodeScalars.append(c); i += 1 }
        case "`":
          let start = i
          i += 1
          guard let nested = parseList(until: "`") else { return false }
          word.unicodeScalars.append(contentsOf: s[start..<i])
          commands += nested.map { var n = $0; n.nested = true; return n }
        case "$" where at(1) == "(" && at(2) != "(":
          let start = i
          i += 2
          guard let nested = parseList(until: ")") else { return false }
          word.unicodeScalars.append(contentsOf: s[start..<i])
          commands += nested.map { var n = $0; n.nested = true; return n }
        default:
          word.unicodeScalars.append(c); i += 1
        }
      }
      return false
    }
  }
}
