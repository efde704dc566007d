/// Where a setting's value came from. Precedence, highest first: flag, environment, the repository's
/// `.arrakis.toml`, the user's `config.toml`, the built-in default.
public enum ConfigSource: Equatable, Sendable {
  case flag(String)
  case environment(String)
  case repository(path: String, line: Int)
  case user(path: String, line: Int)
  case builtIn

  /// flag, env, repo, user or default: what `arrakis config --json` prints as `source`.
  public var level: String {
    switch self {
    case .flag: return "flag"
    case .environment: return "env"
    case .repository: return "repo"
    case .user: return "user"
    case .builtIn: return "default"
    }
  }

  /// The flag, the variable, or file:line; nil for a default.
  public var origin: String? {
    switch self {
    case .flag(let f): return f
    case .environment(let v): return v
    case .repository(let p, let l), .user(let p, let l): return "\(p):\(l)"
    case .builtIn: return nil
    }
  }
}

public struct ConfigSetting: Equatable, Sendable {
  /// nil: no level gave a value and there is no default (e.g. `permission`: it depends on how arrakis runs).
  public var value: ConfigValue?
  /// The winning level first. Only `deny` can have several (see `EffectiveConfig.resolve`).
  public var sources: [ConfigSource]
}

/// Every setting with its value and the level it came from, for one run in one workspace.
public struct EffectiveConfig: Sendable {
  public var settings: [ConfigKey: ConfigSetting]
  public var warnings: [String]
  public var userFile: String
  public var repositoryFile: String

  public subscript(key: ConfigKey) -> ConfigValue? { settings[key]?.value }

  /// The built-ins that do not depend on other modules; callers add what they know (the default model).
  public static let builtInDefaults: [ConfigKey: ConfigValue] = [
    .maxTokens: .integer(4096), .maxTurns: .integer(50), .allowNetwork: .bool(false),
    .allow: .strings([]), .deny: .strings([]), .passEnv: .strings([]),
  ]

  /// Reads both files and the environment. The highest level that sets a key wins, except `deny`, which
  /// adds up across levels: a repository's deny rules hold whoever runs in it and whatever they pass.
  public static func resolve(
    flags: [ConfigKey: ConfigValue], environment: Environment, workspaceRoot: String,
    defaults: [ConfigKey: ConfigValue] = builtInDefaults
  ) throws -> EffectiveConfig {
    let userPath = ConfigPaths.user(environment: environment)
    let repoPath = ConfigPaths.repository(workspaceRoot: workspaceRoot)
    let user = try ConfigFile.load(path: userPath, environment: environment)
    // A repository file that is the user file (a home directory that is a repository) counts once, as the user's.
    var repo = repoPath == userPath ? nil : try ConfigFile.load(path: repoPath, environment: environment)
    // A cloned repository's file could otherwise send every prompt and transcript to a server of its choosing.
    if let line = repo?.lines[.db], let file = repo {
      repo?.values[.db] = nil
      repo?.lines[.db] = nil
      repo?.warnings.append(
        "\(ConfigPaths.display(file.path, environment: environment)):\(line): db is ignored in a repository's file; set it in \(ConfigPaths.display(userPath, environment: environment)), ARRAKIS_DB or --db")
    }
    let env = try environmentValues(environment)

    var settings: [ConfigKey: ConfigSetting] = [:]
    for key in ConfigKey.allCases {
      var levels: [(ConfigValue, ConfigSource)] = []
      if let v = flags[key] { levels.append((v, .flag(key.flag))) }
      if let v = env[key], let name = key.environmentVariable { levels.append((v, .environment(name))) }
      if let r = repo, let v = r.values[key] { levels.append((v, .repository(path: r.path, line: r.lines[key]!))) }
      if let u = user, let v = u.values[key] { levels.append((v, .user(path: u.path, line: u.lines[key]!))) }
      // pass_env adds up too: the names a repository needs and the ones a user adds for a run.
      if (key == .deny || key == .passEnv) && levels.count > 1 {
        var union: [String] = []
        for rule in levels.flatMap({ $0.0.stringsValue ?? [] }) where !union.contains(rule) { union.append(rule) }
        settings[key] = ConfigSetting(value: .strings(union), sources: levels.map(\.1))
      } else if let (value, source) = levels.first {
        settings[key] = ConfigSetting(value: value, sources: [source])
      } else {
        settings[key] = ConfigSetting(value: defaults[key], sources: [.builtIn])
      }
    }
    return EffectiveConfig(
      settings: settings, warnings: (user?.warnings ?? []) + (repo?.warnings ?? []), userFile: userPath, repositoryFile: repoPath)
  }

  static func environmentValues(_ environment: Environment) throws -> [ConfigKey: ConfigValue] {
    var values: [ConfigKey: ConfigValue] = [:]
    for key in ConfigKey.allCases {
      guard let name = key.environmentVariable, let text = environment[name] else { continue }
      guard let value = key.decode(environment: text) else {
        throw ArrakisError(.configuration, "\(name) must be \(key.expectation), got \"\(text)\"", hint: "fix or unset \(name)")
      }
      values[key] = value
    }
    return values
  }
}
