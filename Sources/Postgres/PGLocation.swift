/// A PostgreSQL URL as the user gave it, for display: the password removed (from the user part and from a
/// `password=` query parameter), everything else as written.
public enum PGLocation {
  /// True for `postgresql://…` and `postgres://…` (any case).
  public static func isURL(_ value: String) -> Bool {
    let lower = value.lowercased()
    return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
  }

  public static func redacted(_ url: String) -> String {
    guard let schemeEnd = url.firstRange(of: "://") else { return url }
    var rest = String(url[schemeEnd.upperBound...])
    let authorityEnd = rest.firstIndex { "/?".contains($0) } ?? rest.endIndex
    let authority = rest[..<authorityEnd]
    if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
      rest = String(rest[..<colon]) + String(rest[at...])
    }
    if let query = rest.firstIndex(of: "?") {
      let kept = rest[rest.index(after: query)...].split(separator: "&").filter { !$0.lowercased().hasPrefix("password=") }
      rest = String(rest[..<query]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }
    return String(url[..<schemeEnd.upperBound]) + rest
  }
}
