import Foundation
import Ledger
import TestSupport
import Testing

/// The completions offer values, not only flag names: permission levels, model aliases, and the ids of
/// recent sessions (read from the ledger when TAB is pressed).
@Suite struct CompletionValuesTests {
  let dir = TempDir("completion")

  @Test(arguments: ["bash", "zsh", "fish"])
  func levelsAndModelAliasesAreOffered(shell: String) async throws {
    let script = try await CLIRunner.run(["--generate-completion-script", shell]).stdout
    for value in ["read-only", "safe-write", "full-access", "self-modify", "opus", "sonnet", "haiku", "stream-json"] {
      #expect(script.contains(value), "\(shell): \(value)")
    }
    #expect(script.contains("---completion log show"), "\(shell): no session-id completion for log show")
    #expect(script.contains("explain-route"), "\(shell)")
  }

  /// What the bash script runs for `arrakis log show <TAB>`.
  @Test func sessionIDsComeFromTheLedger() async throws {
    let db = dir.file("ledger.db")
    let ledger = try Ledger.open(path: db)
    let ids = try (0..<3).map { _ in try ledger.startSession(NewSession(systemType: .ask, workspace: dir.path, prompt: "q")) }
    let r = try await CLIRunner.run(
      ["---completion", "log", "show", "--", "positional@0", "3", "0", "arrakis", "log", "show", ""], env: ["ARRAKIS_DB": db], cwd: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(Set(r.stdout.split(separator: "\n").map(String.init)) == Set(ids), "\(r.stdout)")
    // --db on the command line is the ledger read; a missing one offers nothing and creates nothing.
    let other = try await CLIRunner.run(
      ["---completion", "rollback", "--", "positional@0", "4", "0", "arrakis", "rollback", "--db", dir.file("none.db"), ""], env: ["ARRAKIS_DB": db], cwd: dir.path)
    #expect(other.status == 0, "\(other.stderr)")
    #expect(other.stdout.isEmpty, "\(other.stdout)")
    #expect(!FileManager.default.fileExists(atPath: dir.file("none.db")))
  }
}
