import ArrakisCore
import FoundationEssentials
import Glibc
import Postgres

/// Where the ledger lives, read from `--db`, `$ARRAKIS_DB` or the XDG default. A path or a `file:` URL is a
/// SQLite file; a `postgresql://` or `postgres://` URL is a PostgreSQL database, read by libpq; any other
/// URL is refused: a URL is never taken for a file path (`ARRAKIS_DB=postgresql://host/db` used to create a
/// SQLite file under a folder named `postgresql:`).
struct LedgerLocation: Equatable {
  /// The SQLite file's path, or the PostgreSQL URL as given (with its password: pass it to `Ledger.open`
  /// only; show `display`).
  var path: String
  /// True for the XDG default: its folder is made on first use. A folder named by the user must exist, so a
  /// typo in `--db` or `ARRAKIS_DB` is reported instead of silently creating folders (even as root).
  var isDefault: Bool
  /// What named it, for messages: `--db`, `ARRAKIS_DB` or nil for the default.
  var source: String?

  init(flag: String?, environment: Environment) throws {
    let explicit: (value: String, source: String)?
    if let flag, !flag.isEmpty {
      explicit = (flag, "--db")
    } else if let env = environment["ARRAKIS_DB"] {
      explicit = (env, "ARRAKIS_DB")
    } else if let (value, source) = try Self.userConfigured(environment) {
      explicit = (value, source)
    } else {
      explicit = nil
    }
    guard let (value, source) = explicit else {
      self.init(path: environment.ledgerPath(flag: nil), isDefault: true, source: nil)
      return
    }
    self.init(path: try Self.filePath(value, source: source), isDefault: false, source: source)
  }

  /// `db` in the user's config.toml (a repository's `.arrakis.toml` may not set it: see ConfigKey.db), with
  /// file:line as its source; a relative path is taken from the file's folder, as `mcp_config` is.
  static func userConfigured(_ environment: Environment) throws -> (String, String)? {
    let path = ConfigPaths.user(environment: environment)
    guard let file = try ConfigFile.load(path: path, environment: environment),
      case .string(let value)? = file.values[.db], let line = file.lines[.db]
    else { return nil }
    let source = "\(ConfigPaths.display(path, environment: environment)):\(line)"
    guard urlScheme(of: value) == nil, !value.hasPrefix("/") else { return (value, source) }
    return (path.deletingLastPathComponent.appendingPathComponent(value), source)
  }

  /// True for a PostgreSQL URL.
  var isServer: Bool { PGLocation.isURL(path) }

  /// For messages: the path, or the URL without its password.
  var display: String { isServer ? PGLocation.redacted(path) : path }

  /// "SQLite" or "PostgreSQL", for `arrakis config`.
  var engine: String { isServer ? "PostgreSQL" : "SQLite" }

  init(path: String, isDefault: Bool, source: String?) {
    self.path = path
    self.isDefault = isDefault
    self.source = source
  }

  /// A plain path as it is; `file:/p`, `file:///p` and `file:p` as the path p; a `postgresql://` or
  /// `postgres://` URL as it is; any other `scheme:` URL an error.
  static func filePath(_ value: String, source: String) throws -> String {
    guard let scheme = urlScheme(of: value) else { return value }
    switch scheme {
    case "file":
      var rest = String(value.dropFirst("file:".count))
      if rest.hasPrefix("//") {
        rest = String(rest.dropFirst(2))
        // file://localhost/p or file:///p; any other host is not this machine.
        if rest.hasPrefix("localhost/") { rest = String(rest.dropFirst("localhost".count)) }
        guard rest.hasPrefix("/") else {
          throw ArrakisError(.usage, "\(source)=\(value): a file: URL must name a file on this machine", hint: "use file:///path/to/arrakis.db or a plain path")
        }
      }
      if let query = rest.firstIndex(of: "?") { rest = String(rest[..<query]) }
      let path = rest.removingPercentEncoding() ?? rest
      guard !path.isEmpty else { throw ArrakisError(.usage, "\(source)=\(value) names no file", hint: "use file:///path/to/arrakis.db or a plain path") }
      return path
    case "postgresql", "postgres":
      guard PGLocation.isURL(value) else {
        throw ArrakisError(
          .usage, "\(source)=\(PGLocation.redacted(value)): a PostgreSQL ledger is named by a URL, \(scheme)://…",
          hint: "use postgresql://user@host:5432/database (libpq's URL form)")
      }
      return value
    default:
      throw ArrakisError(
        .usage, "\(source)=\(value): unsupported ledger URL scheme '\(scheme):'",
        hint: "use a path to a SQLite file (or file:///path) or a postgresql:// URL; nothing was created")
    }
  }

  /// The scheme of `scheme://…` (RFC 3986 letters), or of `file:`, `postgres:`, `postgresql:` without slashes;
  /// nil for a path (`notes:v2.db` is a file name).
  static func urlScheme(of value: String) -> String? {
    guard let colon = value.firstIndex(of: ":") else { return nil }
    let scheme = value[..<colon].lowercased()
    guard let first = scheme.first, first.isLetter, first.isASCII,
      scheme.allSatisfy({ ($0.isLetter || $0.isNumber || "+.-".contains($0)) && $0.isASCII })
    else { return nil }
    if value[value.index(after: colon)...].hasPrefix("//") { return scheme }
    return ["file", "postgres", "postgresql"].contains(scheme) ? scheme : nil
  }

  /// The default folder is created (0700: the ledger holds prompts, answers and file contents); a folder the
  /// user named must already exist.
  func prepareFolder() throws {
    guard !isServer else { return }
    let folder = path.deletingLastPathComponent
    guard !folder.isEmpty else { return }
    var isDirectory: Bool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
      guard isDirectory else {
        throw ArrakisError(.ledger, "cannot open the ledger at \(path): \(folder) is not a folder", hint: hint)
      }
      return
    }
    guard isDefault else {
      throw ArrakisError(
        .ledger, "cannot open the ledger at \(path): the folder \(folder) does not exist",
        hint: "create it (mkdir -p \(folder)) or correct \(source ?? "--db"); arrakis creates only its default folder")
    }
    do {
      try FileProblem.makeFolders(folder)
    } catch {
      throw ArrakisError(.ledger, "cannot create the ledger's folder \(folder): \(error)", hint: hint)
    }
  }

  private var hint: String {
    isDefault ? "set ARRAKIS_DB or XDG_DATA_HOME to a writable place, or pass --db" : "correct \(source ?? "--db"), or pass --db"
  }
}
