import Foundation

/// Parses the time expressions flags accept: `90.days`, `90d`, `2h`, `30m`, `1.week`, or a date `2026-11-01`.
public enum TimeWindow {
  public static func parseInterval(_ text: String) -> TimeInterval? {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    let digits = t.prefix { $0.isNumber }
    guard let n = Double(digits), !digits.isEmpty else { return nil }
    var unit = t.dropFirst(digits.count)
    if unit.hasPrefix(".") { unit = unit.dropFirst() }
    if unit.hasSuffix(" ago") { unit = unit.dropLast(4) }
    let seconds: Double
    switch unit {
    case "s", "sec", "secs", "second", "seconds": seconds = 1
    case "m", "min", "mins", "minute", "minutes": seconds = 60
    case "h", "hour", "hours": seconds = 3600
    case "d", "day", "days", "": seconds = 86_400
    case "w", "week", "weeks": seconds = 7 * 86_400
    case "mo", "month", "months": seconds = 30 * 86_400
    case "y", "year", "years": seconds = 365 * 86_400
    default: return nil
    }
    return n * seconds
  }

  /// An instant: now minus an interval, or a calendar date (UTC midnight).
  public static func parseSince(_ text: String, now: Date = Date()) throws -> Date {
    if let interval = parseInterval(text) { return now.addingTimeInterval(-interval) }
    let parts = text.split(separator: "-").compactMap { Int($0) }
    if parts.count == 3, var comps = Optional(DateComponents()) {
      comps.year = parts[0]; comps.month = parts[1]; comps.day = parts[2]
      var cal = Calendar(identifier: .gregorian)
      cal.timeZone = TimeZone(identifier: "UTC")!
      if let d = cal.date(from: comps) { return d }
    }
    throw ArrakisError(
      .usage, "cannot read the time '\(text)'",
      hint: "use an age like 90.days, 12h, 30m, 2.weeks, or a date like 2026-11-01")
  }
}
