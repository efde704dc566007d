import Foundation
import Testing
@testable import Ledger

/// Runs only with ARRAKIS_BENCH_DB pointing at a ledger filled by bench/gen-ledger.sh: times what
/// `arrakis log -n 20` does in the ledger (open + migration fast path + listing), cold connection each time.
@Suite struct BenchTests {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["ARRAKIS_BENCH_DB"] != nil))
  func openAndListTwenty() throws {
    let path = ProcessInfo.processInfo.environment["ARRAKIS_BENCH_DB"]!
    var best = Double.infinity
    for _ in 0..<5 {
      let t0 = Date()
      let ledger = try Ledger.open(path: path)
      let rows = try ledger.listSessions(SessionFilter(limit: 20))
      best = min(best, Date().timeIntervalSince(t0))
      #expect(rows.count == 20)
    }
    print("open + listSessions(limit: 20): best \(String(format: "%.2f", best * 1000)) ms")
    #expect(best < 0.010)
  }
}
