import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc

/// `arrakis config`: what a run here would use, and why. The same flags as `code` can be given to see
/// how they would combine with the environment and the files.
struct Config: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config",
    _superCommandName: "arrakis",  // parsed as the root for speed: Support/DirectSubcommand.swift
    abstract: "Show the effective configuration and where each value comes from.",
    discussion: """
      Precedence, highest first: flags; the environment (ARRAKIS_MODEL, ARRAKIS_MAX_TOKENS, ...); the file \
      .arrakis.toml at the workspace root (the repository's top level); the user's file \
      $XDG_CONFIG_HOME/arrakis/config.toml (~/.config/arrakis/config.toml); built-in defaults. \
      The deny rules of all levels add up.
      Keys: model, max_tokens, test_command, permission, allow, deny, sandbox, allow_network, \
      max_budget_usd, max_turns, pass_env, mcp_config, prices (the user's file only). Example .arrakis.toml:
        model = "opus"
        max_tokens = 8192
        deny = ["Bash(git push:*)"]
      """,
    subcommands: [ConfigShow.self, ConfigPath.self],
    defaultSubcommand: ConfigShow.self)
}

struct ConfigShow: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Print each setting, its value and its source (the default subcommand).")

  @OptionGroup var model: ModelOptions
  @OptionGroup var settings: AgentSettingsOptions

  @Option(name: [.customShort("C"), .long], help: ArgumentHelp("Show the configuration for this directory.", valueName: "dir"))
  var workspace: String?

  @Flag(name: .long, help: "Print one JSON object: {key: {value, source, origin}} plus the two file paths.")
  var json = false

  func run() async throws {
    try await reportingErrors(json: json) {
      let root = Workspace.detect(from: workspace ?? FileManager.default.currentDirectoryPath).root
      let config = try RunConfiguration.load(flags: model.configFlags.merging(settings.configFlags) { a, _ in a }, workspaceRoot: root)
      // The ledger as `--db`-less runs here would use it: ARRAKIS_DB or the default file.
      let ledger = Result { try LedgerLocation(flag: nil, environment: Environment()) }
      Output.out(json ? ConfigReport.json(config, ledger: ledger) + "\n" : ConfigReport.text(config, ledger: ledger))
    }
  }
}

struct ConfigPath: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "path", abstract: "Print the user's and this repository's configuration file paths.")

  @Option(name: [.customShort("C"), .long], help: ArgumentHelp("The repository file for this directory.", valueName: "dir"))
  var workspace: String?

  func run() async throws {
    let root = Workspace.detect(from: workspace ?? FileManager.default.currentDirectoryPath).root
    let env = Environment()
    Output.out("user: \(ConfigPaths.user(environment: env))\nrepo: \(ConfigPaths.repository(workspaceRoot: root))\n")
  }
}
