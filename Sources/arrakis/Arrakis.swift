import ArgumentParser
import ArrakisCore

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
    subcommands: [Ask.self, Log.self]
  )
}
