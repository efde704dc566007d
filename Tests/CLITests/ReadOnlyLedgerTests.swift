import Foundation
import Ledger
import TestSupport
import Testing

/// `arrakis log` reads a ledger in a folder it cannot write (a read-only mount: root ignores permission
/// bits), and leaves it as it was. Skipped visibly where the test cannot mount.
@Suite struct ReadOnlyLedgerTests {
  let dir = TempDir("readonly-ledger")

  @Test(.enabled(if: Mount.allowed, "cannot mount here (not root, or no CAP_SYS_ADMIN)"))
  func logReadsALedgerInAReadOnlyFolder() async throws {
    let source = dir.file("source")
    try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
    do {
      let ledger = try Ledger.open(path: source + "/ledger.db")
      let id = try ledger.startSession(NewSession(systemType: .ask, prompt: "read me from a read-only folder"))
      try ledger.finishSession(id: id, status: .success)
    }
    let mount = try #require(Mount.readOnlyBind(source))
    defer { mount.unmount() }
    let target = mount.path
    let r = try await CLIRunner.run(["log", "--json"], env: ["ARRAKIS_DB": target + "/ledger.db"], cwd: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("read me from a read-only folder"), "\(r.stdout)")
  }
}
