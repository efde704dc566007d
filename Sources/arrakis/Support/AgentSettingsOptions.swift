import Agent
import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc

/// The flags of `arrakis code` that a configuration file can also set. Every one is optional: absent, the
/// environment, `.arrakis.toml` or the user's `config.toml` decide (see `arrakis config`).
struct AgentSettingsOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("read-only, safe-write, full-access or self-modify.", valueName: "level"), completion: Completions.permission)
  var permission: String?

  @Option(name: .long, help: ArgumentHelp("Pre-approve a tool or tool pattern (repeatable).", valueName: "rule"))
  var allow: [String] = []

  @Option(name: .long, help: ArgumentHelp("Deny a tool or tool pattern (repeatable); deny wins, and adds to the config files' deny.", valueName: "rule"))
  var deny: [String] = []

  @Option(name: .long, help: ArgumentHelp("os (Bash under bubblewrap) or policy (screened commands, confined paths). Default: os where bubblewrap can run, else policy with a notice.", valueName: "mode"), completion: .list(["os", "policy"]))
  var sandbox: String?

  @Flag(inversion: .prefixedNo, help: "With --sandbox os: let Bash reach the network (default: no).")
  var allowNetwork: Bool?

  @Option(name: .long, help: "Stop after this many model turns (default: 50).")
  var maxTurns: Int?

  @Option(name: .long, help: ArgumentHelp("Stop once the session has cost this much (USD).", valueName: "usd"))
  var maxBudgetUsd: Double?

  @Option(name: .long, help: ArgumentHelp("The project's test command, when detection guesses wrong.", valueName: "command"))
  var testCommand: String?

  @Option(name: .customLong("pass-env"), help: ArgumentHelp("Pass this environment variable to Bash and the test command (repeatable); adds to pass_env. Default: only PATH, HOME, USER, LANG, LC_*, TERM, TMPDIR, SHELL.", valueName: "name"))
  var passEnv: [String] = []

  @Option(name: .long, help: ArgumentHelp("MCP servers whose tools the model may use, in Claude Code's format: {\"mcpServers\": {\"NAME\": {\"command\": …, \"args\": […], \"env\": {…}}}}.", valueName: "file"))
  var mcpConfig: String?

  func validate() throws {
    if let p = permission, PermissionLevel(parsing: p) == nil {
      throw ValidationError("unknown --permission '\(p)'; use read-only, safe-write, full-access or self-modify")
    }
    if let s = sandbox, SandboxPolicy.Mode(rawValue: s) == nil { throw ValidationError("unknown --sandbox '\(s)'; use policy or os") }
    if let t = maxTurns, t <= 0 { throw ValidationError("--max-turns must be positive") }
    if let b = maxBudgetUsd, b <= 0 { throw ValidationError("--max-budget-usd must be positive") }
  }

  var configFlags: [ConfigKey: ConfigValue] {
    var flags: [ConfigKey: ConfigValue] = [:]
    if let permission { flags[.permission] = .string(permission) }
    if !allow.isEmpty { flags[.allow] = .strings(allow) }
    if !deny.isEmpty { flags[.deny] = .strings(deny) }
    if let sandbox { flags[.sandbox] = .string(sandbox) }
    if let allowNetwork { flags[.allowNetwork] = .bool(allowNetwork) }
    if let maxTurns { flags[.maxTurns] = .integer(maxTurns) }
    if let maxBudgetUsd { flags[.maxBudgetUSD] = .number(maxBudgetUsd) }
    if let testCommand { flags[.testCommand] = .string(testCommand) }
    if !passEnv.isEmpty { flags[.passEnv] = .strings(passEnv) }
    if let mcpConfig { flags[.mcpConfig] = .string(mcpConfig) }
    return flags
  }
}

extension EffectiveConfig {
  /// `mcp_config` as an absolute path: relative to the current directory for a flag or the environment,
  /// to the file's directory for a config file (a repository's `.arrakis.toml` names its own `.mcp.json`).
  func mcpConfigPath() -> String? {
    guard let setting = settings[.mcpConfig], let path = setting.value?.stringValue else { return nil }
    if path.hasPrefix("/") { return path }
    let base: String
    switch setting.sources.first {
    case .repository(let file, _)?, .user(let file, _)?: base = file.deletingLastPathComponent
    default: base = FileManager.default.currentDirectoryPath
    }
    return base.appendingPathComponent(path)
  }
}
