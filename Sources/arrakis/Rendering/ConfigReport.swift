import ArrakisCore
import Postgres

/// `arrakis config` output: a table for people, JSON for scripts.
enum ConfigReport {
  static func text(_ config: EffectiveConfig, ledger: Result<LedgerLocation, Error>? = nil) -> String {
    let env = Environment()
    let rows = ConfigKey.allCases.map { key -> (String, String, String) in
      let setting = config.settings[key]
      let value = shown(key, setting?.value)?.display ?? "(unset)"
      let sources = (setting?.sources ?? [.builtIn]).map { source -> String in
        switch source {
        case .repository(let p, let l), .user(let p, let l): return "\(source.level) \(ConfigPaths.display(p, environment: env)):\(l)"
        default: return [source.level, source.origin].compactMap { $0 }.joined(separator: " ")
        }
      }
      return (key.rawValue, value, sources.joined(separator: " + "))
    }
    let keyWidth = rows.map(\.0.count).max() ?? 0
    let valueWidth = min(rows.map(\.1.count).max() ?? 0, 40)
    var out = rows.map { key, value, source in
      key.paddedToWidth(keyWidth) + "  "
        + value.paddedToWidth(max(valueWidth, value.count)) + "  " + source
    }.joined(separator: "\n") + "\n"
    out += "\nuser file: \(config.userFile)\nrepo file: \(config.repositoryFile)\n"
    switch ledger {
    case .success(let location)?:
      out += "ledger:    \(location.engine) \(location.display) (\(location.source ?? "default"))\n"
    case .failure(let error)?:
      out += "ledger:    invalid: \((error as? ArrakisError)?.message ?? "\(error)")\n"
    case nil: break
    }
    return out
  }

  static func json(_ config: EffectiveConfig, ledger: Result<LedgerLocation, Error>? = nil) -> String {
    var settings: [String: JSONValue] = [:]
    for key in ConfigKey.allCases {
      let setting = config.settings[key]
      let sources = setting?.sources ?? [.builtIn]
      var obj: [String: JSONValue] = [
        "value": shown(key, setting?.value)?.json ?? .null,
        "source": .string(sources[0].level),
        "origin": sources[0].origin.map(JSONValue.string) ?? .null,
      ]
      if sources.count > 1 { obj["sources"] = .array(sources.map { .string([$0.level, $0.origin].compactMap { $0 }.joined(separator: " ")) }) }
      settings[key.rawValue] = .object(obj)
    }
    return JSONValue.object([
      "settings": .object(settings),
      "files": .object(["user": .string(config.userFile), "repo": .string(config.repositoryFile)]),
      "warnings": .array(config.warnings.map(JSONValue.string)),
      "ledger": ledgerJSON(ledger),
    ]).serialized()
  }

  /// A value as it may be shown: a ledger URL without its password.
  static func shown(_ key: ConfigKey, _ value: ConfigValue?) -> ConfigValue? {
    guard key == .db, case .string(let location)? = value else { return value }
    return .string(PGLocation.redacted(location))
  }

  /// {engine: "SQLite"|"PostgreSQL", location (no password), source: "ARRAKIS_DB"|"default"}, or {error}.
  static func ledgerJSON(_ ledger: Result<LedgerLocation, Error>?) -> JSONValue {
    switch ledger {
    case .success(let location)?:
      return .object([
        "engine": .string(location.engine), "location": .string(location.display),
        "source": .string(location.source ?? "default"),
      ])
    case .failure(let error)?: return .object(["error": .string((error as? ArrakisError)?.message ?? "\(error)")])
    case nil: return .null
    }
  }
}
