import FoundationEssentials
import Glibc

/// One configuration file, read and checked: the values it sets, the line of each, and warnings for what
/// arrakis does not use (unknown keys, tables). A value of the wrong type is an error naming file:line and key.
public struct ConfigFile: Sendable {
  public var path: String
  public var values: [ConfigKey: ConfigValue] = [:]
  public var lines: [ConfigKey: Int] = [:]
  public var warnings: [String] = []

  /// nil when there is no file at `path`: having none is the normal case.
  public static func load(path: String, environment: Environment = Environment()) throws -> ConfigFile? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    let shown = ConfigPaths.display(path, environment: environment)
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ArrakisError(.configuration, "\(shown): cannot be read", hint: "check its permissions, or remove it")
    }
    return try parse(String(decoding: data, as: UTF8.self), path: path, shownAs: shown)
  }

  static func parse(_ text: String, path: String, shownAs shown: String) throws -> ConfigFile {
    let document: TOMLSubset
    do {
      document = try TOMLSubset.parse(text)
    } catch let e as TOMLSubset.SyntaxError {
      throw ArrakisError(.configuration, "\(shown):\(e.line): \(e.message)", hint: "fix line \(e.line) of \(shown) (TOML: key = value)")
    }
    var file = ConfigFile(path: path)
    for table in document.tables {
      file.warnings.append("\(shown):\(table.line): [\(table.name)] is not an arrakis setting; it and its keys are ignored")
    }
    for entry in document.entries where entry.table == nil {
      guard let key = ConfigKey(rawValue: entry.key) else {
        file.warnings.append("\(shown):\(entry.line): unknown key '\(entry.key)' is ignored (known: \(ConfigKey.allCases.map(\.rawValue).joined(separator: ", ")))")
        continue
      }
      if let first = file.lines[key] {
        throw ArrakisError(.configuration, "\(shown):\(entry.line): \(key.rawValue) is set twice (first on line \(first))", hint: "keep one of the two lines")
      }
      guard let value = key.decode(entry.value) else {
        throw ArrakisError(.configuration, "\(shown):\(entry.line): \(key.rawValue) must be \(key.expectation), got \(entry.raw)",
          hint: "fix or remove line \(entry.line) of \(shown)")
      }
      file.values[key] = value
      file.lines[key] = entry.line
    }
    return file
  }
}

/// Where the two configuration files live.
public enum ConfigPaths {
  /// `$XDG_CONFIG_HOME/arrakis/config.toml`, else `~/.config/arrakis/config.toml`.
  public static func user(environment: Environment) -> String {
    if let xdg = environment["XDG_CONFIG_HOME"] { return xdg + "/arrakis/config.toml" }
    return home(environment) + "/.config/arrakis/config.toml"
  }

  /// `.arrakis.toml` at the workspace root (the enclosing repository's top level).
  public static func repository(workspaceRoot: String) -> String {
    workspaceRoot == "/" ? "/.arrakis.toml" : workspaceRoot + "/.arrakis.toml"
  }

  /// A path as messages show it: the home directory as `~`.
  public static func display(_ path: String, environment: Environment) -> String {
    let home = home(environment)
    guard home.count > 1, path.hasPrefix(home + "/") else { return path }
    return "~" + path.dropFirst(home.count)
  }

  static func home(_ environment: Environment) -> String { environment["HOME"] ?? userHomeDirectory() }
}
