import ArrakisCore
import FoundationEssentials
import Glibc
import Workflows

/// `arrakis "prompt"` without a subcommand: chooses `ask` or `code` (see `Router`) and rewrites the
/// arguments so that the chosen subcommand parses them, flags of either included. Anything that starts
/// with a subcommand name or a root flag (`--help`, `--version`, …) is left as it is; a first word that
/// looks like a mistyped subcommand (see `SubcommandGuess`) is a usage error, never a model call.
enum FrontDoor {
  static let explainFlag = "--explain-route"
  static let rootFlags: Set<String> = [
    "-h", "--help", "--version", "--generate-completion-script", "--experimental-dump-help", "---completion",
  ]

  enum Outcome: Equatable {
    /// Parse these arguments and run.
    case run([String])
    /// `--explain-route`: the choice was printed; nothing runs.
    case explained
  }

  static func rewrite(_ args: [String], subcommands: [String]) throws -> Outcome {
    guard let first = args.first else { return .run(args) }
    if first == "help" {
      try checkHelpTopic(Array(args.dropFirst()), subcommands: subcommands)
      return .run(args)
    }
    guard !subcommands.contains(first), !rootFlags.contains(where: { first == $0 || first.hasPrefix($0 + "=") })
    else { return .run(args) }
    let explain = args.contains(explainFlag)
    let rest = args.filter { $0 != explainFlag }
    if let miss = SubcommandGuess.check(rest, subcommands: subcommands, parses: { sub, more in
      (try? Arrakis.parseAsRoot([sub] + more)) != nil
    }) {
      throw unknownCommand(miss, subcommands: subcommands)
    }
    if explain && rest.isEmpty {
      throw ArrakisError(.usage, "--explain-route needs a request to explain", hint: "arrakis --explain-route \"fix the failing test\"")
    }
    let decision = choose(rest)
    if explain {
      Output.err("route: \(decision.route.rawValue) — \(decision.reason)\n")
      return .explained
    }
    return .run([decision.route.rawValue, "--route", decision.recorded] + rest)
  }

  /// `arrakis help bogus` is an error (it used to print the top help and exit 0).
  static func checkHelpTopic(_ topic: [String], subcommands: [String]) throws {
    guard let name = topic.first, !name.hasPrefix("-"), !subcommands.contains(name) else { return }
    let near = SubcommandGuess.closest(to: name, in: subcommands)
    throw ArrakisError(
      .usage, "no help for '\(name)': it is not an arrakis subcommand" + (near.map { "; did you mean `\($0)`?" } ?? ""),
      hint: "the subcommands: \(subcommands.joined(separator: ", ")); `arrakis help` lists them")
  }

  static func unknownCommand(_ miss: SubcommandGuess.Miss, subcommands: [String]) -> ArrakisError {
    let message = "`\(miss.word)` is not an arrakis subcommand" + (miss.suggestion.map { "; did you mean `\($0)`?" } ?? "")
    return ArrakisError(
      .usage, message,
      hint: "the subcommands: \(subcommands.joined(separator: ", ")); to send it to the model: arrakis ask \"\(miss.word)\"")
  }

  /// Flags that only one subcommand knows decide alone; otherwise the router reads the prompt.
  static func choose(_ args: [String]) -> RouteDecision {
    let asAsk = try? Ask.parse(args), asCode = try? Code.parse(args)
    switch (asAsk, asCode) {
    case (nil, nil):
      return RouteDecision(route: .ask, reason: "the arguments parse for neither subcommand; ask reports why")
    case (nil, _?):
      return RouteDecision(route: .code, reason: "flags that only code takes")
    case (_?, nil):
      return RouteDecision(route: .ask, reason: "flags that only ask takes")
    case (let ask?, let code?):
      let prompt = ask.prompt.joined(separator: " ")
      let cwd = FileManager.default.currentDirectoryPath
      let workspace = Workspace.detect(from: code.workspace ?? cwd)
      return Router.decide(prompt: prompt, facts: WorkspaceFacts.gather(prompt: prompt, workspace: workspace, cwd: cwd))
    }
  }
}
