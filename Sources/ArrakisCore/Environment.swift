import CArrakisSystem
import FoundationEssentials
import Glibc

/// Read access to the process environment, injectable so tests and library callers can supply their own.
public struct Environment: Sendable {
  public var values: [String: String]

  public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
    self.values = values
  }

  public subscript(key: String) -> String? {
    guard let v = values[key], !v.isEmpty else { return nil }
    return v
  }

  /// The ledger path: `--db`, else `$ARRAKIS_DB`, else `$XDG_DATA_HOME/arrakis/arrakis.db`,
  /// else `~/.local/share/arrakis/arrakis.db`.
  public func ledgerPath(flag: String?) -> String {
    if let flag, !flag.isEmpty { return flag }
    if let env = self["ARRAKIS_DB"] { return env }
    if let xdg = self["XDG_DATA_HOME"] { return xdg + "/arrakis/arrakis.db" }
    return (self["HOME"] ?? userHomeDirectory()) + "/.local/share/arrakis/arrakis.db"
  }

  /// Colour only on a terminal and never with NO_COLOR (https://no-color.org).
  public func useColor(fileDescriptor: Int32) -> Bool {
    values["NO_COLOR"] == nil && isatty(fileDescriptor) == 1 && self["TERM"] != "dumb"
  }
}

/// What a child process (Bash, the project's tests, ripgrep) gets from our environment: an allow-list,
/// not our whole environment less a few names. Credentials of any kind (cloud keys, tokens, the API key)
/// live in environments under names no list of "secrets" can foresee; the model's commands and their
/// output reach the ledger and the model, so only what a shell and a build need is passed, plus what the
/// user names with `pass_env` (config files) or `--pass-env`.
public enum ChildEnvironment {
  /// Passed by default: what a shell, a compiler and a test runner need to find tools, files and locale.
  public static let allowed: Set<String> = ["PATH", "HOME", "USER", "LANG", "TERM", "TMPDIR", "SHELL"]

  /// Never passed, even if named: the key arrakis itself uses.
  public static let neverPassed: Set<String> = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"]

  nonisolated(unsafe) private static var extra: Set<String> = []
  private static let lock = Lock()

  /// The names `pass_env` / `--pass-env` add for this run.
  public static var passed: Set<String> {
    get { lock.withLock { extra } }
    set { lock.withLock { extra = newValue } }
  }

  public static func isAllowed(_ name: String) -> Bool {
    guard !neverPassed.contains(name) else { return false }
    return isBuiltIn(name) || passed.contains(name)
  }

  /// `environment` filtered to the allowed names.
  public static func filter(_ environment: [String: String]) -> [String: String] {
    environment.filter { isAllowed($0.key) }
  }
}

extension ChildEnvironment {
  /// Keeps our own secrets out of reach of the commands we run, which run as our uid: not dumpable (so
  /// /proc/PID/environ, mem, … of arrakis are unreadable to other processes of the uid), and the initial
  /// environment area, which /proc/PID/environ shows to root all the same, wiped of every variable not
  /// on the allow-list (the values move to the heap, where getenv still finds them). Idempotent.
  public static func protectOwnEnvironment() {
    guard !protected else { return }
    protected = true
    _ = arrakis_scrub_environment { name, length in
      guard let name else { return 1 }
      let text = String(decoding: UnsafeRawBufferPointer(start: name, count: length), as: UTF8.self)
      return ChildEnvironment.isBuiltIn(text) ? 1 : 0
    }
    _ = arrakis_set_dumpable(0)
  }

  nonisolated(unsafe) private static var protected = false

  /// On the built-in allow-list (what `pass_env` adds is not: arrakis's own copy of those is wiped too).
  static func isBuiltIn(_ name: String) -> Bool { allowed.contains(name) || name.hasPrefix("LC_") }
}
