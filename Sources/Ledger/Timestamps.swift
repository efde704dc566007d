import FoundationEssentials
import Glibc

/// Timestamps are stored as fixed-width ISO-8601 UTC text with milliseconds, `2025-01-31T12:34:56.789Z`.
/// Why text: it reads as-is in `sqlite3`, it is exactly what SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ')`
/// produces (so SQL defaults, triggers and bench/gen-ledger.sh agree with Swift), and fixed width makes
/// lexical order equal chronological order, so `ORDER BY started_at` and range filters use the index.
/// Formatting by hand avoids ISO8601DateFormatter, which is slow to create on Linux and would show up
/// in the ≤ 20 ms budget of `arrakis log`.
enum Timestamp {
  static let sqlNow = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

  static func string(_ date: Date) -> String {
    let totalMs = (date.timeIntervalSince1970 * 1000).rounded(.down)
    var secs = time_t(floor(totalMs / 1000))
    let ms = Int(totalMs - Double(secs) * 1000)
    var tm = tm()
    gmtime_r(&secs, &tm)
    func pad(_ v: Int32, _ w: Int) -> String {
      let s = String(v)
      return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
    }
    return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T"
      + "\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(pad(Int32(ms), 3))Z"
  }

  /// Parses the stored form (milliseconds optional). Returns nil for anything else.
  static func date(_ text: String) -> Date? {
    let u = Array(text.utf8)
    guard u.count >= 20 else { return nil }
    func num(_ from: Int, _ len: Int) -> Int32? {
      var v: Int32 = 0
      for i in from..<(from + len) {
        let c = u[i]
        guard c >= 48, c <= 57 else { return nil }
        v = v * 10 + Int32(c - 48)
      }
      return v
    }
    guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2),
      let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2)
    else { return nil }
    var ms: Double = 0
    if u.count >= 24, u[19] == UInt8(ascii: "."), let f = num(20, 3) { ms = Double(f) }
    var t = tm()
    t.tm_year = y - 1900; t.tm_mon = mo - 1; t.tm_mday = d
    t.tm_hour = h; t.tm_min = mi; t.tm_sec = s
    let secs = timegm(&t)
    return Date(timeIntervalSince1970: Double(secs) + ms / 1000)
  }
}
