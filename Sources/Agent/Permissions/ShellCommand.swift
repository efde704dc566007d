/// One simple command out of a shell command line: `a && b; c | d` gives four.
public struct ShellCommand: Sendable, Equatable {
  /// Words as the model wrote them, quotes removed, leading shell keywords (`then`, `do`, `!`…) dropped.
  public var words: [String]
  /// True when this command's stdin is the previous command's stdout (`a | b` → b).
  public var pipedFrom: Bool
  /// Came from `$(…)`, backticks or `bash -c '…'` inside another command.
  public var nested: Bool

  /// Basename of the program after peeling `sudo`, `env`, `command`, `nohup`, `time`, `nice`, `timeout`,
  /// `xargs` and `VAR=value` prefixes: what actually runs.
  public var program: String { peeled.first.map(ShellCommand.basename) ?? "" }
  public var args: [String] { Array(peeled.dropFirst()) }

  public init(words: [String], pipedFrom: Bool = false, nested: Bool = false) {
    self.words = words
    self.pipedFrom = pipedFrom
    self.nested = nested
  }

  /// The command text used for Claude-Code-style prefix rules (`Bash(git log:*)`).
  public var text: String { words.joined(separator: " ") }

  /// Word-boundary prefix: `git log` matches `git log -3` and `git log`, not `git logx`.
  public func hasPrefix(_ prefix: String, peeledWrappers: Bool = false) -> Bool {
    let want = prefix.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    var have = peeledWrappers ? peeled : words
    if peeledWrappers, let first = have.first { have[0] = ShellCommand.basename(first) }
    guard have.count >= want.count else { return false }
    return Array(have.prefix(want.count)) == want
  }

  var peeled: [String] {
    var w = words[...]
    while let first = w.first {
      if first.contains("="), !first.hasPrefix("="), first.first.map({ $0.isLetter || $0 == "_" }) == true {
        w = w.dropFirst(); continue  // VAR=value
      }
      switch ShellCommand.basename(first) {
      case "sudo", "doas":
        w = w.dropFirst()
        while let o = w.first, o.hasPrefix("-") {
          w = w.dropFirst()
          if ["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"].contains(o) { w = w.dropFirst() }
        }
      case "env":
        w = w.dropFirst()
        while let o = w.first, o.hasPrefix("-") || o.contains("=") {
          w = w.dropFirst()
          if ["-u", "-C", "-S"].contains(o) { w = w.dropFirst() }
        }
      case "command", "builtin", "exec", "nohup", "time", "stdbuf", "setsid":
        w = w.dropFirst()
        while let o = w.first, o.hasPrefix("-") { w = w.dropFirst() }
      case "nice", "ionice":
        w = w.dropFirst()
        while let o = w.first, o.hasPrefix("-") { w = w.dropFirst(); if o == "-n" || o == "-c" { w = w.dropFirst() } }
      case "timeout":
        w = w.dropFirst()
        while let o = w.first, o.hasPrefix("-") { w = w.dropFirst(); if o == "-s" || o == "-k" { w = w.dropFirst() } }
        w = w.dropFirst()  // the duration
      case "xargs":
        w = w.dropFirst()
        while let o = w.first, o.hasPrefix("-") { w = w.dropFirst(); if ["-n", "-I", "-P", "-d", "-L", "-s", "-E"].contains(o) { w = w.dropFirst() } }
      default:
        return Array(w)
      }
    }
    return Array(w)
  }

  static func basename(_ s: String) -> String {
    s.split(separator: "/").last.map(String.init) ?? s
  }
}
