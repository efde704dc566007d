import FoundationEssentials
import Glibc

/// Parses the time expressions flags accept: `90.days`, `90d`, `2h`, `30m`, `1.week`, or a date `2026-11-01`.
public enum TimeWindow {
  public static func parseInterval(_ text: String) -> TimeInterval? {
    let t = text.trimmingSpacesAndTabs.lowercased()
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
    if let date = try parseDate(text) { return date }
    throw ArrakisError(
      .usage, "cannot read the time '\(text)'",
      hint: "use an age like 90.days, 12h, 30m, 2.weeks, or a date like 2026-11-01")
  }

  /// `YYYY-MM-DD` as UTC midnight; nil when the text is not date-shaped, an error naming the value when it
  /// is shaped like one but is no day of the calendar (`2026-13-45`, `2026-02-30`). Calendar.date(from:)
  /// rolls such values over into a later month, so the components are checked against the result.
  static func parseDate(_ text: String) throws -> Date? {
    let fields = text.trimmingSpacesAndTabs.split(separator: "-", omittingEmptySubsequences: false)
    guard fields.count == 3, fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      fields[0].count == 4, (1...2).contains(fields[1].count), (1...2).contains(fields[2].count),
      let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2])
    else { return nil }
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = .gmt  // FoundationEssentials knows no zone by name (no ICU), GMT it has
    guard (1...12).contains(month) else {
      throw ArrakisError(.usage, "'\(text)' is not a date: there is no month \(month)", hint: "write the date as YYYY-MM-DD, e.g. 2026-11-01")
    }
    let comps = DateComponents(year: year, month: month, day: day)
    let back = cal.date(from: comps).map { cal.dateComponents([.year, .month, .day], from: $0) }
    guard let date = cal.date(from: comps), back?.year == year, back?.month == month, back?.day == day else {
      let first = cal.date(from: DateComponents(year: year, month: month, day: 1))
      let days = first.flatMap { cal.range(of: .day, in: .month, for: $0)?.count }
      throw ArrakisError(
        .usage, "'\(text)' is not a date: \(String(cFormat: "%04d-%02d", year, month)) has \(days.map(String.init) ?? "fewer") days",
        hint: "write the date as YYYY-MM-DD, e.g. 2026-11-01")
    }
    return date
  }
}
