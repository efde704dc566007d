import ArrakisCore
import Foundation
import TestSupport
import Testing
@testable import Ledger

/// A full disk is named as such, not as "disk I/O error" with a hint about --db alone; what was written
/// before stays readable. On a small tmpfs the test mounts; skipped visibly where it cannot mount.
@Suite struct FullDiskTests {
  @Test(.enabled(if: Mount.allowed, "cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)"))
  func aFullDiskIsNamedAsTheCause() throws {
    let mount = try #require(Mount.tmpfs(sizeKB: 512))
    defer { mount.unmount() }
    let path = mount.path + "/ledger.db"
    let ledger = try Ledger.open(path: path)
    let id = try ledger.startSession(NewSession(systemType: .code, prompt: "before the disk filled"))
    let page = String(repeating: "x", count: 16_000)
    var failure: ArrakisError?
    for i in 0..<200 {
      do {
        try ledger.appendMessage(sessionID: id, role: "user", content: .array([]), text: "\(i) " + page)
      } catch let e as ArrakisError {
        failure = e
        break
      }
    }
    let error = try #require(failure, "512 KB took 3 MB of messages")
    #expect(error.status == .ledger)
    #expect(error.message.contains("the disk holding it is full"), "\(error.message)")
    #expect(error.hint?.contains("free space") == true)
    #expect(try ledger.session(idOrPrefix: id).prompt == "before the disk filled")
  }
}
