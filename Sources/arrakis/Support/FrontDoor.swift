import ArrakisCore
import Foundation
import SelfImprovement

/// `arrakis "prompt"` without a subcommand: chooses `ask` or `code` (see `Router`) and rewrites the
/// arguments so that the chosen subcommand parses them, flags of either included. Anything that starts
/// with a subcommand name or a root flag (`--help`, `--version`, …) is left as it is.
enum FrontDoor {
  static let explainFlag = "--explain-route"
  static let rootFlags: Set<String> = [
    "-h", "--help", "--version", "--generate-completion-script", "--experimental-dump-help",
  ]

  static func rewrite(_ args: [String], subcommands: [String]) -> [String] {
    guard let first = args.first, first != "help", !subcommands.contains(first),
      !rootFlags.contains(where: { first == $0 || first.hasPrefix($0 + "=") })
    else { return args }
    let explain = args.contains(explainFlag)
    let rest = args.filter { $0 != explainFlag }
    let decision = choose(rest)
    if explain { Output.err("route: \(decision.route.rawValue) — \(decision.reason)\n") }
    return [decision.route.rawValue, "--route", decision.recorded] + rest
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
