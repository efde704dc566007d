import Foundation
import Ledger
import TestSupport
import Testing

/// `arrakis log` reads a ledger in a folder it cannot write (a read-only mount: root ignores permission
/// bits), and leaves it as it was. Skipped visibly where the test cannot mount.
@Suite struct ReadOnlyLedgerTests {
  let dir = TempDir("readonly-ledger")

  static let canMount: Bool = {
    guard getuid() == 0 else { return false }
    let probe = TempDir("mount-probe")
    guard sh(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path]) else { return false }
    _ = sh(["umount", "-l", probe.path])
    return true
  }()

  @Test(.enabled(if: canMount, "cannot mount here (not root, or no CAP_SYS_ADMIN)"))
  func logReadsALedgerInAReadOnlyFolder() async throws {
    let source = dir.file("source")
    try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
    do {
      let ledger = try Ledger.open(path: source + "/ledger.db")
      let id = try ledger.startSession(NewSession(systemType: .ask, prompt: "read me from a read-only folder"))
      try ledger.finishSession(id: id, status: .success)
    }
    let target = dir.file("ro")
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
    try #require(Self.sh(["mount", "--bind", "-o", "ro", source, target]))
    defer { _ = Self.sh(["umount", "-l", target]) }
    let r = try await CLIRunner.run(["log", "--json"], env: ["ARRAKIS_DB": target + "/ledger.db"], cwd: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("read me from a read-only folder"), "\(r.stdout)")
  }

  static func sh(_ argv: [String]) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = argv
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }
}
