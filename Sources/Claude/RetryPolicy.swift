import ArrakisCore
import FoundationEssentials
import Glibc

/// The official SDKs' retry rules (facts sheet §4), kept in one place so they can be tested directly.
public enum RetryPolicy {
  /// Whether an HTTP error response may be retried. `x-should-retry` overrides the status rule.
  public static func shouldRetry(status: Int, headers: [String: String]) -> Bool {
    switch headers["x-should-retry"]?.lowercased() {
    case "true": return true
    case "false": return false
    default: return status == 408 || status == 409 || status == 429 || status >= 500
    }
  }

  /// Seconds to wait before retry number `retry` (0 for the first retry). A server-requested wait is obeyed
  /// when 0 < wait ≤ 60 s; otherwise exponential backoff with up to 25% jitter taken off.
  public static func delay(retry: Int, headers: [String: String], base: Double = 0.5,
                           now: Date = Date(), random: Double = Double.random(in: 0..<1)) -> Double {
    if let wait = serverWait(headers, now: now), wait > 0, wait <= 60 { return wait }
    return min(base * pow(2, Double(retry)), 16 * base) * (1 - 0.25 * random)
  }

  /// Waits `seconds`, returning early on Ctrl-C (or any stop signal, see Interrupt): a 30 s retry-after
  /// must not hold the user's Ctrl-C for 30 s. The next attempt then stops at once as interrupted.
  public static func sleepUnlessInterrupted(_ seconds: Double) {
    let end = Date().addingTimeInterval(seconds)
    while !Interrupt.requested, case let left = end.timeIntervalSinceNow, left > 0 {
      usleep(UInt32(min(left, 0.05) * 1_000_000))
    }
  }

  static func serverWait(_ headers: [String: String], now: Date) -> Double? {
    if let ms = headers["retry-after-ms"].flatMap(Double.init) { return ms / 1000 }
    guard let value = headers["retry-after"] else { return nil }
    if let seconds = Double(value) { return seconds }
    return HTTPDate.parse(value).map { $0.timeIntervalSince(now) }
  }
}
