import Foundation
import TestSupport
import Testing

/// Flags that mean the same are spelled the same on every subcommand; the old spellings keep working,
/// hidden from help.
@Suite struct FlagSpellingTests {
  let dir = TempDir("spelling")
  var repo: String { dir.file("repo") }

  init() throws {
    try dir.write("repo/a.txt", "a\n")
    try GitFixture.sh("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
  }

  func arrakis(_ args: [String]) async throws -> CLIResult {
    try await CLIRunner.run(args, env: ["ARRAKIS_DB": dir.file("ledger.db")], cwd: dir.path)
  }

  @Test(arguments: [["--test-command", "make check"], ["--test-cmd", "make check"]])
  func improveTakesTheTestCommandBothWays(flag: [String]) async throws {
    let r = try await arrakis(["improve", "--dry-run", "-C", repo] + flag + ["add a file"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("test:       make check"), "\(r.stdout)")
  }

  @Test(arguments: ["--workspace", "--repo", "-C"])
  func improveAndRollbackTakeTheDirectoryBothWays(flag: String) async throws {
    let improve = try await arrakis(["improve", "--dry-run", flag, repo, "add a file"])
    #expect(improve.status == 0, "\(improve.stderr)")
    #expect(improve.stdout.contains("repository: \(repo)"), "\(improve.stdout)")
    let rollback = try await arrakis(["rollback", "--last", flag, repo])
    // Nothing recorded to roll back in this repository: a usage error about that, not about the flag.
    #expect(rollback.status != 64 && !rollback.stderr.contains("Unknown option"), "\(rollback.stderr)")
  }

  @Test func helpShowsOnlyTheOneSpelling() async throws {
    for sub in ["improve", "rollback"] {
      let help = try await arrakis([sub, "--help"]).stdout
      #expect(help.contains("--workspace"), "\(sub)")
      #expect(!help.contains("--repo"), "\(sub)")
      #expect(!help.contains("--test-cmd"), "\(sub)")
    }
    #expect(try await arrakis(["improve", "--help"]).stdout.contains("--test-command"))
  }
}
