import ArrakisCore
import Foundation
@testable import Ledger

/// A fresh directory per test; the ledger file inside it does not exist yet.
func tempLedgerPath(_ name: String = "ledger.db") -> String {
  let dir = FileManager.default.temporaryDirectory
    .appendingPathComponent("arrakis-ledger-tests-\(UUID().uuidString)")
  return dir.appendingPathComponent("nested/dir/\(name)").path
}

func freshLedger() throws -> Ledger {
  try Ledger.open(path: tempLedgerPath())
}

func usageError(_ body: () throws -> Void) -> ArrakisError? {
  do { try body() } catch let e as ArrakisError { return e } catch { return nil }
  return nil
}
