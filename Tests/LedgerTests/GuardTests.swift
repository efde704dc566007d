import Foundation
import Testing

/// The API key must never reach the ledger. The CLI tests scan the database file for a fake key; at this
/// layer the guard is structural: no Ledger source reads the process environment.
@Suite struct GuardTests {
  @Test func ledgerSourcesDoNotReadTheEnvironment() throws {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Sources/Ledger").standardized
    let files = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
    #expect(!files.isEmpty)
    for file in files {
      let code = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
        .split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
        .joined(separator: "\n")
      for banned in ["ProcessInfo", "getenv", "environ", "Environment(", "ANTHROPIC"] {
        #expect(!code.contains(banned), "\(file) uses \(banned)")
      }
    }
  }
}
