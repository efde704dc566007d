import Foundation
import TestSupport
import Testing

/// `arrakis SUBCOMMAND …` is parsed with the subcommand as the root when the line parses so
/// (Sources/arrakis/Support/DirectSubcommand.swift); everything else goes through the root parse. What a
/// user sees must not tell the two apart: usage, help and error lines name `arrakis SUBCOMMAND`, --version
/// works after a subcommand, and exit statuses are the root's.
@Suite struct DirectSubcommandTests {
  @Test func aLineThatParsesRunsTheSubcommandWithItsOptions() async throws {
    let dir = try TempDir()
    let db = dir.file("ledger.db")
    let first = try await CLIRunner.run(["log", "-n", "1", "--json"], env: ["ARRAKIS_DB": db])
    // No ledger yet: an empty JSON list, which only the subcommand's run() prints.
    #expect(first.status == 0 && first.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "\(first.stdout) \(first.stderr)")
    let models = try await CLIRunner.run(["models", "--json"])
    #expect(models.status == 0, "\(models.stderr)")
    #expect(models.stdout.contains("claude-"), "\(models.stdout.prefix(200))")
  }

  @Test(arguments: [["log", "--bogus"], ["log", "-n", "x"], ["analyze", "--since", "yesterdayish"], ["rollback", "--bogus"]])
  func errorsNameTheWholeCommand(args: [String]) async throws {
    let r = try await CLIRunner.run(args)
    #expect(r.status == 2, "\(args): \(r.stderr)")
    #expect(r.stderr.contains("See 'arrakis \(args[0])"), "\(args): \(r.stderr)")
  }

  @Test func helpAndVersionAfterASubcommandAreTheRoots() async throws {
    let help = try await CLIRunner.run(["log", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("USAGE: arrakis log"), "\(help.stdout.prefix(300))")
    #expect(help.stdout.contains("--version"), "the root's --version is listed under every subcommand")
    #expect(help.stdout.contains("See 'arrakis help log <subcommand>'"), "\(help.stdout)")
    let version = try await CLIRunner.run(["log", "--version"])
    #expect(version.status == 0 && version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).first?.isNumber == true,
      "\(version.stdout) \(version.stderr)")
  }
}
