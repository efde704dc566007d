import FoundationEssentials
import Glibc

/// An HTTP date as a `retry-after` header may carry it: "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110's
/// IMF-fixdate, the one form servers send). Parsed by hand: DateFormatter is in the full Foundation,
/// which arrakis does not link (docs/ARCHITECTURE.md, "Foundation").
enum HTTPDate {
  static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  static func parse(_ text: String) -> Date? {
    let parts = text.split(separator: " ")
    guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT" || parts[5] == "UTC",
      let day = Int32(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])), let year = Int32(parts[3])
    else { return nil }
    let clock = parts[4].split(separator: ":").compactMap { Int32($0) }
    guard clock.count == 3, (1...31).contains(day), (0...23).contains(clock[0]), (0...59).contains(clock[1]),
      (0...60).contains(clock[2])
    else { return nil }
    var fields = tm()
    fields.tm_year = year - 1900
    fields.tm_mon = Int32(monthIndex)
    fields.tm_mday = day
    fields.tm_hour = clock[0]
    fields.tm_min = clock[1]
    fields.tm_sec = clock[2]
    return Date(timeIntervalSince1970: Double(timegm(&fields)))
  }
}
