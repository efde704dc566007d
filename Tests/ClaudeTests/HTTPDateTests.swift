import ArrakisCore
import Foundation
import Testing

@testable import Claude

/// A `retry-after` header in its HTTP-date form is waited for (Sources/Claude/HTTPDate.swift, parsed by hand
/// since DateFormatter is not linked), and the UTC days the price table and stats use read back.
@Suite struct HTTPDateTests {
  @Test func imfFixdateParsesAsFoundationDid() throws {
    let text = "Sun, 06 Nov 1994 08:49:37 GMT"
    #expect(HTTPDate.parse(text)?.timeIntervalSince1970 == 784_111_777)
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "GMT")
    f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    for seconds in [0.0, 1_700_000_000, 1_796_190_717] {
      let date = Date(timeIntervalSince1970: seconds)
      #expect(HTTPDate.parse(f.string(from: date)) == date, "\(f.string(from: date))")
    }
    for bad in ["", "Sun, 06 Nov 1994 08:49:37", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "30"] {
      #expect(HTTPDate.parse(bad) == nil, "\(bad)")
    }
  }

  @Test func aRetryAfterDateIsTheWaitUntilThen() throws {
    let now = Date(timeIntervalSince1970: 1_796_190_700)
    #expect(RetryPolicy.serverWait(["retry-after": "Wed, 02 Dec 2026 05:51:57 GMT"], now: now) == 17)
  }

  @Test func utcDaysRoundTrip() throws {
    #expect(UTCDay.string(Date(timeIntervalSince1970: 0)) == "1970-01-01")
    #expect(UTCDay.string(Date(timeIntervalSince1970: 1_796_190_717)) == "2026-12-02")
    #expect(UTCDay.date("2026-12-02") == Date(timeIntervalSince1970: 1_796_169_600))
    #expect(UTCDay.date("2026-02-30") == nil && UTCDay.date("2026-1-02") == nil && UTCDay.date("x") == nil)
    #expect(UTCDay.start(of: Date(timeIntervalSince1970: 1_796_190_717)) == Date(timeIntervalSince1970: 1_796_169_600))
  }
}
