import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc

@main
struct Arrakis: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "arrakis",
    abstract: "Put Claude to work on a git repository from the shell, hooks, Makefiles and cron.",
    discussion: """
      Every run of every subcommand is recorded in a SQLite ledger (see `arrakis log`).

      Without a subcommand, `arrakis "prompt"` runs ask or code, chosen from the request and the workspace \
      (ask when unsure); `--explain-route` prints the choice and its reason on stderr and runs nothing.

      EXIT STATUS
      \(ExitStatusHelp.text)
      """,
    version: ArrakisVersion.string,
    subcommands: [Ask.self, Code.self, Analyze.self, Improve.self, Rollback.self, Log.self, Config.self, Doctor.self, Models.self, Mcp.self]
  )

  /// Read by the front door before parsing (see FrontDoor); declared here so that help, the man page and the
  /// completions list it.
  @Flag(name: .long, help: "With a request and no subcommand: print whether it would go to ask or code, and why; run nothing.")
  var explainRoute = false

  /// A first argument that is neither a subcommand nor a root flag is a prompt: the front door routes it
  /// to ask or code (see FrontDoor). Bad flags exit with 2 like every other bad input (argument-parser's
  /// own default is 64), so that scripts have one code to test for.
  static func main() async {
    // `arrakis --version` alone is answered before argument-parser: building its command tree (reflection
    // over every option of the root command) and this configuration would be most of the run's cost, for
    // a line that hooks and scripts ask for often. The same output as argument-parser's --version.
    if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "--version" {
      Output.out(ArrakisVersion.string + "\n")
      return
    }
    do {
      let outcome = try FrontDoor.rewrite(
        Array(CommandLine.arguments.dropFirst()),
        subcommands: configuration.subcommands.compactMap { $0.configuration.commandName ?? $0._commandName })
      guard case .run(let args) = outcome else { return }
      var command = try DirectSubcommand.parse(args) ?? parseAsRoot(args)
      if var command = command as? AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
    } catch let error as ArrakisError {
      report(error, json: false)
      Glibc.exit(error.status.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        Output.err(fullMessage(for: error) + "\n")
        Glibc.exit(ExitStatus.usage.rawValue)
      }
      exit(withError: error)
    }
  }
}
