/// The settings a configuration file, the environment or a flag can give, with the type each must have.
/// One list, so that the files, `arrakis config` and the messages cannot disagree about names.
public enum ConfigKey: String, CaseIterable, Sendable {
  case model
  case maxTokens = "max_tokens"
  case testCommand = "test_command"
  case permission
  case allow
  case deny
  case sandbox
  case allowNetwork = "allow_network"
  case maxBudgetUSD = "max_budget_usd"
  case maxTurns = "max_turns"
  /// Environment variables passed to Bash and the test command beyond the built-in allow-list.
  case passEnv = "pass_env"
  /// Per-model price overrides, e.g. ["claude-opus-5-5 input=4 output=20"] (see PriceOverrides in Claude).
  case prices
  /// A Claude Code style MCP config file for `code` (a relative path is taken from the file that sets it).
  case mcpConfig = "mcp_config"
  /// The ledger: a SQLite file or a postgresql:// URL (`ARRAKIS_DB`, `--db`). Honoured in the user's own file
  /// only: a repository must not choose where its users' prompts and transcripts are written.
  case db

  public enum Kind: Sendable, Equatable {
    case string
    case choice([String])
    case positiveInteger
    case positiveNumber
    case bool
    case strings
  }

  public var kind: Kind {
    switch self {
    case .model, .testCommand, .mcpConfig, .db: return .string
    case .permission: return .choice(["read-only", "safe-write", "full-access", "self-modify"])
    case .sandbox: return .choice(["policy", "os"])
    case .maxTokens, .maxTurns: return .positiveInteger
    case .maxBudgetUSD: return .positiveNumber
    case .allowNetwork: return .bool
    case .allow, .deny, .passEnv, .prices: return .strings
    }
  }

  /// `ARRAKIS_MAX_TOKENS` and so on. Lists have none: rules contain characters no separator would be safe from.
  public var environmentVariable: String? {
    kind == .strings ? nil : "ARRAKIS_" + rawValue.uppercased()
  }

  public var flag: String { "--" + rawValue.replacing("_", with: "-") }

  /// What a valid value looks like, for error messages.
  var expectation: String {
    switch kind {
    case .string: return "a non-empty string"
    case .choice(let options): return "one of " + options.joined(separator: ", ")
    case .positiveInteger: return "a positive integer"
    case .positiveNumber: return "a positive number"
    case .bool: return "true or false"
    case .strings: return "an array of strings"
    }
  }

  /// Checks a parsed value against this key's type; the message names what was expected.
  func decode(_ value: TOMLSubset.Value) -> ConfigValue? {
    switch (kind, value) {
    case (.string, .string(let s)) where !s.isEmpty: return .string(s)
    case (.choice(let options), .string(let s)) where options.contains(s): return .string(s)
    case (.positiveInteger, .integer(let i)) where i > 0: return .integer(i)
    case (.positiveNumber, .integer(let i)) where i > 0: return .number(Double(i))
    case (.positiveNumber, .float(let d)) where d > 0 && d.isFinite: return .number(d)
    case (.bool, .bool(let b)): return .bool(b)
    case (.strings, .array(let items)):
      var strings: [String] = []
      for item in items {
        guard case .string(let s) = item else { return nil }
        strings.append(s)
      }
      return .strings(strings)
    default: return nil
    }
  }

  /// An environment variable's text read as this key's type, then checked like a file's value.
  func decode(environment text: String) -> ConfigValue? {
    switch kind {
    case .positiveInteger: return Int(text).flatMap { decode(.integer($0)) }
    case .positiveNumber: return Double(text).flatMap { decode(.float($0)) }
    case .bool:
      switch text.lowercased() {
      case "1", "true", "yes": return .bool(true)
      case "0", "false", "no": return .bool(false)
      default: return nil
      }
    default: return decode(.string(text))
    }
  }
}

/// One setting's value, whichever level gave it.
public enum ConfigValue: Equatable, Sendable {
  case string(String)
  case integer(Int)
  case number(Double)
  case bool(Bool)
  case strings([String])

  public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
  public var intValue: Int? { if case .integer(let i) = self { return i }; return nil }
  public var doubleValue: Double? { if case .number(let d) = self { return d }; return nil }
  public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
  public var stringsValue: [String]? { if case .strings(let s) = self { return s }; return nil }

  public var json: JSONValue {
    switch self {
    case .string(let s): return .string(s)
    case .integer(let i): return .number(Double(i))
    case .number(let d): return .number(d)
    case .bool(let b): return .bool(b)
    case .strings(let s): return .array(s.map(JSONValue.string))
    }
  }

  /// As a person would write it in a config file.
  public var display: String {
    switch self {
    case .string(let s): return s
    case .integer(let i): return String(i)
    case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    case .bool(let b): return String(b)
    case .strings(let s): return "[" + s.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }
  }
}
