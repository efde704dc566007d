import ArgumentParser

/// `arrakis log -n 20` parsed with `Log` as the root command, not `Arrakis`: argument-parser's root parse
/// first tries the whole line as `--generate-completion-script` twice over (two throwaway parsers, each
/// reflecting its options), a third of the instructions of `log -n 20` (callgrind), a command hooks and
/// prompts run often. Each subcommand names "arrakis" as its super-command, and only a line that parses
/// this way is taken: anything else (--help, --version, a bad option, a typo) goes through the root parse,
/// so every message and exit status is the one the root gives (Tests/CLITests/DirectSubcommandTests.swift).
enum DirectSubcommand {
  /// The parsed subcommand, or nil when the root must parse the line.
  static func parse(_ arguments: [String]) -> ParsableCommand? {
    guard let first = arguments.first, !first.hasPrefix("-"),
      !arguments.contains(where: { $0.hasPrefix("--generate-completion-script") || $0 == "---completion" || $0 == "--help" || $0 == "-h" }),
      let command = Arrakis.configuration.subcommands.first(where: {
        $0.configuration.commandName == first && $0.configuration._superCommandName == "arrakis"
      })
    else { return nil }
    return try? command.parseAsRoot(Array(arguments.dropFirst()))
  }
}
