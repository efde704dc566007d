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
    if let prices = config.settings[.prices], let entries = prices.value?.stringsValue {
      Pricing.overrides = try PriceOverrides.parse(entries, origin: prices.sources.first?.origin ?? "prices")
    }
    return config
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
