/// Is the first word of `arrakis WORD …` a mistyped subcommand rather than a prompt? A typo must not become a
/// paid model call (`arrakis lgo` used to send "lgo" to the model). Real prompts have several words or a
/// question mark; a lone lowercase word close to a subcommand, or one of the words people type at a CLI and
/// never at a model (`status`, `init`, `version`), is taken for a command.
public enum SubcommandGuess {
  /// What to tell the user: the word and, when one is near, the command they probably meant.
  public struct Miss: Sendable, Equatable {
    public var word: String
    public var suggestion: String?
  }

  /// Words that are commands in other CLIs and are not prompts, each with what arrakis offers instead (nil:
  /// only the closest subcommand, if any).
  static let commandWords: [String: String?] = [
    "status": "log", "history": "log", "list": "log list", "show": "log show", "stats": "log stats",
    "insights": "log insights", "backup": "log backup", "prune": "log prune", "version": "--version",
    "init": nil, "install": nil, "uninstall": nil, "setup": nil, "login": nil, "logout": nil, "update": nil,
    "upgrade": nil, "settings": "config", "env": "config", "undo": "rollback", "revert": "rollback",
    "chat": "ask", "run": nil, "serve": nil, "start": nil, "stop": nil,
  ]

  /// `args` are the arguments after `arrakis`; `subcommands` its subcommand names. `parses(sub, rest)` says
  /// whether `arrakis sub rest…` parses, which decides a first word followed by more arguments.
  public static func check(_ args: [String], subcommands: [String], parses: (String, [String]) -> Bool) -> Miss? {
    guard let word = args.first, isCommandShaped(word) else { return nil }
    let rest = Array(args.dropFirst())
    let lone = !rest.contains { !$0.hasPrefix("-") }
    let near = closest(to: word, in: subcommands + ["help"])
    if let hint = commandWords[word], lone { return Miss(word: word, suggestion: hint ?? near) }
    guard let near else { return nil }
    // One word and flags: nobody asks a model "lgo --json". With more words, only when the words fit the
    // subcommand (`rollbak 3f2a`, `lgo show abc`); ask and code take any text, so "core dumps on start" stays
    // a prompt although "core" is one letter from "code".
    if lone { return Miss(word: word, suggestion: near) }
    if near == "ask" || near == "code" || near == "help" { return nil }
    return parses(near, rest) ? Miss(word: word, suggestion: near) : nil
  }

  /// A lowercase word of letters and dashes: the shape of a subcommand, not of a sentence.
  static func isCommandShaped(_ word: String) -> Bool {
    (2...20).contains(word.count) && word.first?.isLetter == true
      && word.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0 == "-" }
  }

  /// The nearest name within a typo's distance: one edit for names of up to four letters, two beyond.
  public static func closest(to word: String, in names: [String]) -> String? {
    let scored = names.filter { $0 != word }.map { ($0, distance(word, $0)) }
      .filter { name, d in d <= (min(name.count, word.count) <= 4 ? 1 : 2) }
    return scored.min { $0.1 < $1.1 }?.0
  }

  /// Edit distance counting a swap of two neighbours as one edit (`lgo` → `log`), as typos are.
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
      }
    }
    return d[a.count][b.count]
  }
}
