import ArrakisCore
import FoundationEssentials

/// A command the sandbox never runs, whatever the permission rules say. Matching is done on parsed
/// simple commands (quotes removed, `sudo`/`env`/`command` wrappers peeled, `bash -c '…'` and `$(…)`
/// recursed into), so respellings like `rm -r -f /`, `/bin/rm -fr /*` or `sudo git -C x push` are caught.
/// This is a seat belt against accidents, not a security boundary: the OS sandbox (`.os`) is that.
public struct ForbiddenCommand: Sendable {
  public var name: String
  let matcher: @Sendable (String, [ShellCommand]) -> Bool

  public init(name: String, matcher: @escaping @Sendable (_ raw: String, _ commands: [ShellCommand]) -> Bool) {
    self.name = name
    self.matcher = matcher
  }

  public func matches(_ raw: String, _ commands: [ShellCommand]) -> Bool { matcher(raw, commands) }

  /// Claude-Code-style prefix: `git push` matches `git push origin main`, not `git pushy`.
  public static func prefix(_ prefix: String) -> ForbiddenCommand {
    ForbiddenCommand(name: prefix) { _, cmds in cmds.contains { $0.hasPrefix(prefix) } }
  }

  /// A regular expression searched in the raw command text. Compiled on first use: most sessions never
  /// run Bash, and every `code` start-up would parse the patterns otherwise.
  public static func regex(_ pattern: String) -> ForbiddenCommand {
    let re = LazyRegex(pattern)
    return ForbiddenCommand(name: pattern) { raw, _ in re.matches(raw) }
  }

  final class LazyRegex: @unchecked Sendable {
    private let pattern: String
    private let lock = Lock()
    private var compiled: Regex<AnyRegexOutput>??
    init(_ pattern: String) { self.pattern = pattern }
    var value: Regex<AnyRegexOutput>? {
      lock.lock(); defer { lock.unlock() }
      if let compiled { return compiled }
      let re = try? SwiftRegex.compile(pattern)
      compiled = .some(re)
      return re
    }
    /// Whether the pattern occurs in `text` (false for a pattern that does not compile).
    func matches(_ text: String) -> Bool { value.map { (try? $0.firstMatch(in: text)) != nil } ?? false }
  }

  public static let defaults: [ForbiddenCommand] = [
    ForbiddenCommand(name: "rm -rf /") { _, c in c.contains { isRecursive(rm: $0) && $0.args.contains(where: isRootTarget) } },
    ForbiddenCommand(name: "rm -rf ~") { _, c in c.contains { isRecursive(rm: $0) && $0.args.contains(where: isHomeTarget) } },
    ForbiddenCommand(name: "git push") { _, c in pushesToARemote(c) },
    ForbiddenCommand(name: "curl … | sh") { _, c in pipesDownloadIntoShell(c, downloader: "curl") },
    ForbiddenCommand(name: "wget … | sh") { _, c in pipesDownloadIntoShell(c, downloader: "wget") },
    ForbiddenCommand(name: "mkfs") { _, c in c.contains { $0.program == "mkfs" || $0.program.hasPrefix("mkfs.") || $0.program == "mke2fs" } },
    ForbiddenCommand(name: "dd of=/dev/") { _, c in c.contains { $0.program == "dd" && $0.args.contains { $0.hasPrefix("of=/dev/") } } },
    ForbiddenCommand(name: "shutdown/reboot") { _, c in
      c.contains {
        ["shutdown", "reboot", "halt", "poweroff"].contains($0.program)
          || ($0.program == "systemctl" && $0.args.contains { ["reboot", "poweroff", "halt", "kexec"].contains($0) })
          || ($0.program == "init" && ["0", "6"].contains($0.args.first ?? ""))
      }
    },
    // `name(){ name|name& };name` with any function name, spaces optional.
    .regex(#"([A-Za-z_:][A-Za-z0-9_:]*)\s*\(\s*\)\s*\{[^}]*\1\s*\|\s*&?\s*\1\s*&"#).named(":(){ :|:& };: fork bomb"),
    ForbiddenCommand(name: "chmod -R 777 /") { _, c in
      c.contains {
        $0.program == "chmod" && $0.args.contains { $0 == "-R" || $0 == "--recursive" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("R")) }
          && $0.args.contains(where: isRootTarget)
      }
    },
  ]

  func named(_ n: String) -> ForbiddenCommand { ForbiddenCommand(name: n, matcher: matcher) }

  static func isRecursive(rm c: ShellCommand) -> Bool {
    c.program == "rm" && c.args.contains { a in
      a == "--recursive" || (a.hasPrefix("-") && !a.hasPrefix("--") && (a.contains("r") || a.contains("R")))
    }
  }

  static func isRootTarget(_ a: String) -> Bool {
    let t = a.replacing("//", with: "/")
    return ["/", "/*", "/.", "/..", "/./", "/.*"].contains(t) || (t.hasPrefix("/") && t.allSatisfy { $0 == "/" || $0 == "." || $0 == "*" })
  }

  static func isHomeTarget(_ a: String) -> Bool {
    ["~", "~/", "~/*", "$HOME", "$HOME/", "$HOME/*", "${HOME}", "${HOME}/", "${HOME}/*"].contains(a)
  }

  static func gitSubcommand(_ args: [String]) -> String? {
    var i = 0
    while i < args.count {
      let a = args[i]
      if ["-C", "-c", "--git-dir", "--work-tree", "--namespace"].contains(a) { i += 2; continue }
      if a.hasPrefix("-") { i += 1; continue }
      return a
    }
    return nil
  }

  /// Git subcommands that send commits to a remote.
  static let pushSubcommands: Set = ["push", "send-pack"]

  /// `git push` and the respellings a first filter can still see: `git send-pack`, the `git-push` binary
  /// itself (`/usr/lib/git-core/git-push`), an alias defined on the spot (`git -c alias.p=push p`), a
  /// subcommand only xargs knows (`… | xargs git`), a program named through a variable or a substitution
  /// (`x=git; $x push`, `$(echo git) push`), and git run from an interpreter's inline code
  /// (`python3 -c "os.system('git push')"`). What it cannot see (a script file, base64) is the OS sandbox's
  /// to contain: this is a screen, not a boundary.
  static func pushesToARemote(_ cmds: [ShellCommand]) -> Bool {
    let variables = assignedVariables(cmds)
    for c in cmds {
      let words = substitute(c.peeled, variables)
      guard let first = words.first else { continue }
      let program = ShellCommand.basename(first)
      let args = Array(words.dropFirst())
      if program == "git-push" || program == "git-send-pack" { return true }
      if program == "git" {
        let sub = gitSubcommand(args)
        if let sub, pushSubcommands.contains(sub) { return true }
        if gitAliases(args).contains(where: { $0.contains("push") || $0.contains("send-pack") }) { return true }
        // Under xargs the subcommand comes from stdin (or a placeholder): it may well be push.
        if c.words.contains(where: { ShellCommand.basename($0) == "xargs" }) && (sub == nil || sub!.contains("{}")) { return true }
      }
      // A program we cannot name before the shell expands it, given push-like arguments.
      if first.contains("$") || first.contains("`"), args.contains(where: pushSubcommands.contains) { return true }
      if interpreters.contains(program), let code = inlineCode(program, args), mentionsGitPush(code) { return true }
    }
    return false
  }

  static let interpreters: Set = ["python", "python2", "python3", "perl", "ruby", "node", "php", "lua", "tclsh"]

  /// The `-c` (python) or `-e` (perl, ruby, node) argument: code run without a file.
  static func inlineCode(_ program: String, _ args: [String]) -> String? {
    let flags: Set = program.hasPrefix("python") ? ["-c"] : ["-e", "-E", "-r"]
    guard let i = args.firstIndex(where: flags.contains), i + 1 < args.count else { return nil }
    return args[i + 1]
  }

  static let gitPushInCode = LazyRegex(#"\bgit\b[^\n]{0,80}?\b(push|send-pack)\b|\bgit-(push|send-pack)\b"#)

  static func mentionsGitPush(_ code: String) -> Bool {
    gitPushInCode.matches(code)
  }

  /// Values of `-c alias.NAME=VALUE` options.
  static func gitAliases(_ args: [String]) -> [String] {
    var out: [String] = []
    for (i, a) in args.enumerated() where a == "-c" && i + 1 < args.count && args[i + 1].lowercased().hasPrefix("alias.") {
      out.append(args[i + 1])
    }
    return out
  }

  /// `NAME=value` assignments made as commands of their own on this line (`x=git; $x push`).
  static func assignedVariables(_ cmds: [ShellCommand]) -> [String: String] {
    var vars: [String: String] = [:]
    for c in cmds where c.words.allSatisfy(isAssignment) {
      for w in c.words {
        let parts = w.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        vars[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
      }
    }
    return vars
  }

  static func isAssignment(_ w: String) -> Bool {
    guard let eq = w.firstIndex(of: "="), eq != w.startIndex else { return false }
    return w[..<eq].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !(w.first!.isNumber)
  }

  /// `$x` and `${x}` replaced by known values, in the words a command runs.
  static func substitute(_ words: [String], _ vars: [String: String]) -> [String] {
    guard !vars.isEmpty else { return words }
    return words.map { w in
      var out = w
      for (k, v) in vars { out = out.replacing("${\(k)}", with: v).replacing("$\(k)", with: v) }
      return out
    }
  }

  static func pipesDownloadIntoShell(_ cmds: [ShellCommand], downloader: String) -> Bool {
    let shells: Set = ["sh", "bash", "zsh", "dash", "ksh", "fish", "python", "python3", "perl"]
    for (i, c) in cmds.enumerated() where shells.contains(c.program) && c.pipedFrom {
      // Walk back through the pipeline feeding this shell.
      var j = i - 1
      while j >= 0 {
        if cmds[j].program == downloader { return true }
        if !cmds[j].pipedFrom { break }
        j -= 1
      }
    }
    return false
  }
}
