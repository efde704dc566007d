import ArrakisCore
import Agent
import Claude

/// The configuration a subcommand runs with: flags over environment over `.arrakis.toml` over the user's
/// `config.toml` over defaults. Warnings about the files (unknown keys, tables) go to stderr here, once.
enum RunConfiguration {
  static func load(flags: [ConfigKey: ConfigValue], workspaceRoot: String, warn: Bool = true) throws -> EffectiveConfig {
    var defaults = EffectiveConfig.builtInDefaults
    defaults[.model] = .string(ModelCatalog.defaultModel)
    let config = try EffectiveConfig.resolve(flags: flags, environment: Environment(), workspaceRoot: workspaceRoot, defaults: defaults)
    if warn { for w in config.warnings { Output.err("warning: \(w)\n") } }
    ChildEnvironment.passed = Set(config[.passEnv]?.stringsValue ?? [])
    try applyPrices(config, warn: warn)
    return config
  }

  /// Prices come from the user's own config.toml only: a repository's file could otherwise make its runs
  /// look free and defeat --max-budget-usd.
  private static func applyPrices(_ config: EffectiveConfig, warn: Bool) throws {
    if warn, let source = config.settings[.prices]?.sources.first, case .repository(let path, let line) = source {
      Output.err("warning: \(path):\(line): prices can only be set in your own \(config.userFile); ignored here\n")
    }
    guard let user = try ConfigFile.load(path: config.userFile), let entries = user.values[.prices]?.stringsValue else { return }
    Pricing.overrides = try PriceOverrides.parse(entries, origin: "\(config.userFile):\(user.lines[.prices] ?? 0)")
  }
}

extension EffectiveConfig {
  /// `permission` as a level. Files and the environment are checked against the same names as the flag,
  /// so this fails only if the two lists drift apart; the message still names where the value came from.
  func permissionLevel() throws -> PermissionLevel? {
    guard let setting = settings[.permission], let text = setting.value?.stringValue else { return nil }
    guard let level = PermissionLevel(parsing: text) else {
      let origin = setting.sources.first?.origin ?? "permission"
      throw ArrakisError(.configuration, "\(origin): unknown permission '\(text)'", hint: "use read-only, safe-write, full-access or self-modify")
    }
    return level
  }
}
