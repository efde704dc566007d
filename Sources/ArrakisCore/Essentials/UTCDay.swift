import FoundationEssentials
import Glibc

/// UTC calendar days as `2025-01-31`, the form the ledger, the price table and `log stats` use for days.
/// One place instead of a DateFormatter per caller (DateFormatter is in the full Foundation, which arrakis
/// does not link: docs/ARCHITECTURE.md, "Foundation").
public enum UTCDay {
  public static func string(_ date: Date) -> String {
    var t = time_t(floor(date.timeIntervalSince1970))
    var fields = tm()
    gmtime_r(&t, &fields)
    return String(cFormat: "%04d-%02d-%02d", fields.tm_year + 1900, fields.tm_mon + 1, fields.tm_mday)
  }

  /// Midnight UTC of `2025-01-31`; nil for anything else.
  public static func date(_ text: String) -> Date? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let year = Int32(parts[0]), let month = Int32(parts[1]), let day = Int32(parts[2]),
      (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    var fields = tm()
    fields.tm_year = year - 1900
    fields.tm_mon = month - 1
    fields.tm_mday = day
    let date = Date(timeIntervalSince1970: Double(timegm(&fields)))
    return string(date) == text ? date : nil  // 2025-02-30 is no day
  }

  /// Midnight UTC of the day `date` falls on.
  public static func start(of date: Date) -> Date {
    Date(timeIntervalSince1970: floor(date.timeIntervalSince1970 / 86_400) * 86_400)
  }
}
