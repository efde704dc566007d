import ArgumentParser
import ArrakisCore
import Foundation

@main
struct Arrakis: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "arrakis",
    abstract: "Put Claude to work on a git repository from the shell, hooks, Makefiles and cron.",
    discussion: """
      Every run of every subcommand is recorded in a SQLite ledger (see `arrakis log`).

      EXIT STATUS
      \(ExitStatus.table)
      """,
    version: ArrakisVersion.string,
    subcommands: [Ask.self, Code.self, Analyze.self, Improve.self, Rollback.self, Log.self, Config.self]
  )

  /// Bad flags exit with 2 like every other bad input (argument-parser's own default is 64), so that
  /// scripts have one code to test for.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var command = command as? AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        Output.err(fullMessage(for: error) + "\n")
        Foundation.exit(ExitStatus.usage.rawValue)
      }
      exit(withError: error)
    }
  }
}
