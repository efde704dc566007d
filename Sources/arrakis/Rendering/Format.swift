import ArrakisCore
import FoundationEssentials
import Glibc

/// Small, allocation-light formatters shared by the renderers.
enum Format {
  /// `$0.0123`, `$1.27`; unknown cost is shown as `?`, never as 0.
  static func cost(_ usd: Double?) -> String {
    guard let usd else { return "?" }
    if usd == 0 { return "$0" }
    if usd < 0.01 { return "$" + fixed(usd, digits: 4) }
    return "$" + fixed(usd, digits: 2)
  }

  /// `value` with `digits` decimals, the text `String(cFormat: "%.Nf")` prints, by hand: String(format:)
  /// costs about 35,000 instructions a call, and `log` shows two a row. printf rounds the exact binary
  /// value, ties to even; so does this: `product + error` is `value × 10^digits` exactly (fma), and the
  /// side of the half it falls on decides. Non-finite values and values past 2^51 go through String(format:).
  static func fixed(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let product = value.magnitude * scale
    guard value.isFinite, digits <= 15, product < 2_251_799_813_685_248 else { return String(cFormat: "%.\(digits)f", value) }
    let error = (-product).addingProduct(value.magnitude, scale)
    let floor = product.rounded(.down)
    // Exact: `product - floor` and 0.5 are both multiples of product's ulp.
    let aboveHalf = (product - floor) - 0.5
    let up = aboveHalf > 0 || (aboveHalf == 0 && (error > 0 || (error == 0 && floor.truncatingRemainder(dividingBy: 2) == 1)))
    let units = UInt64(floor) + (up ? 1 : 0), divisor = UInt64(scale)
    let fraction = String(units % divisor)
    let sign = value.sign == .minus ? "-" : ""
    let whole = sign + String(units / divisor)
    guard digits > 0 else { return whole }
    return whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
  }

  /// 512 B, 4.0 KB, 181.3 MB, 1.2 GB (powers of 1,000, as `ls -h --si` and disk vendors count).
  static func bytes(_ n: Int64) -> String {
    if n < 1000 { return "\(n) B" }
    let units = ["KB", "MB", "GB", "TB"]
    var value = Double(n) / 1000, unit = 0
    while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
    return String(cFormat: "%.1f", value) + " " + units[unit]
  }

  /// 950, 12.3k, 1.2M
  static func tokens(_ n: Int) -> String {
    if n < 1000 { return String(n) }
    if n < 1_000_000 { return fixed(Double(n) / 1000, digits: 1) + "k" }
    return fixed(Double(n) / 1_000_000, digits: 1) + "M"
  }

  static func duration(ms: Int?) -> String {
    guard let ms else { return "-" }
    if ms < 1000 { return "\(ms)ms" }
    if ms < 60_000 { return String(cFormat: "%.1fs", Double(ms) / 1000) }
    return "\(ms / 60_000)m\((ms / 1000) % 60)s"
  }

  /// Local time, minute precision: `2026-11-26 11:02`.
  static func localTime(_ date: Date) -> String {
    var t = time_t(date.timeIntervalSince1970)
    var tm = tm()
    localtime_r(&t, &tm)
    // Zero-padded by hand: String(format:) costs 100,000 instructions a call, and `log` shows one a row.
    func padded(_ n: Int32, _ width: Int) -> String {
      let digits = String(n)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return padded(tm.tm_year + 1900, 4) + "-" + padded(tm.tm_mon + 1, 2) + "-" + padded(tm.tm_mday, 2) + " "
      + padded(tm.tm_hour, 2) + ":" + padded(tm.tm_min, 2)
  }

  /// Read once, and alone: `Environment()` would copy the whole environment for one variable, and `log`
  /// shortens a path on every row. Empty counts as unset, as with `Environment`'s subscript.
  private static let home: String? = getenv("HOME").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }

  /// `~/src/app` instead of `/home/me/src/app`, cut from the left to `width`.
  static func path(_ path: String?, width: Int) -> String {
    guard var p = path else { return "-" }
    if let home, p.hasPrefix(home + "/") { p = "~" + p.dropFirst(home.count) }
    return p.count <= width ? p : "…" + p.suffix(width - 1)
  }

  static func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? String(s.prefix(width)) : s + String(repeating: " ", count: width - s.count)
  }

  static func padLeft(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
  }

  /// One line of a possibly long text.
  static func oneLine(_ s: String?, width: Int) -> String {
    guard let s else { return "" }
    let flat = s.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    return flat.count <= width ? flat : String(flat.prefix(width - 1)) + "…"
  }
}
