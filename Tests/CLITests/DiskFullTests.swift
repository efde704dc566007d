import Foundation
import Ledger
import TestSupport
import Testing

/// A full disk under the ledger, through the binary: exit 9 and a message naming the full disk (not
/// "disk I/O error"), on a small tmpfs the test mounts and fills; skipped visibly where it cannot mount.
@Suite struct DiskFullTests {
  let dir = TempDir("disk-full")

  @Test(.enabled(if: Mount.allowed, "cannot mount here (not root, or no CAP_SYS_ADMIN)"))
  func aFullDiskIsNamedByTheCommand() async throws {
    let small = try #require(Mount.tmpfs(sizeKB: 2048))
    defer { small.unmount() }
    let mount = small.path
    _ = try Ledger.open(path: mount + "/ledger.db")
    // Fill what is left.
    _ = Mount.run(["dd", "if=/dev/zero", "of=\(mount)/filler", "bs=4k"])
    let server = try LoopbackServer([.sse(SSEBuilder.text("an answer that cannot be recorded " + String(repeating: "x", count: 50_000)))])
    let r = try await CLIRunner.run(
      ["ask", "fill the disk " + String(repeating: "y", count: 50_000)],
      env: ["ARRAKIS_DB": mount + "/ledger.db", "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL],
      cwd: dir.path)
    #expect(r.status == 9, "status \(r.status): \(r.stderr)")
    #expect(r.stderr.contains("the disk holding it is full"), "\(r.stderr)")
    #expect(!r.stderr.contains("disk I/O error"))
  }
}
