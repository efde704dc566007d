import Foundation

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
    return (self["HOME"] ?? NSHomeDirectory()) + "/.local/share/arrakis/arrakis.db"
  }

  /// Colour only on a terminal and never with NO_COLOR (https://no-color.org).
  public func useColor(fileDescriptor: Int32) -> Bool {
    values["NO_COLOR"] == nil && isatty(fileDescriptor) == 1 && self["TERM"] != "dumb"
  }
}
