import Foundation
import TestSupport
import Testing

/// `arrakis analyze` on a terminal shows a spinner while it works (the model's ranking can take a while),
/// erased before the report; pipes never see it.
@Suite struct AnalyzeTerminalTests {
  let dir = TempDir("analyze-tty")

  @Test func aSpinnerRunsWhileTheModelRanks() async throws {
    let repo = try ScriptedRepository.standard()
    // The ranking arrives slowly: 100 bytes every 20 ms (about two seconds in all).
    let server = try LoopbackServer([.sse(
      SSEBuilder.toolUse(id: "toolu_1", name: "record_improvements", input: AnalyzeCommandTests.proposals), chunkSize: 100, delayMs: 20)])
    let env = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": dir.path, "TERM": "xterm", "LANG": "C.UTF-8",
      "ARRAKIS_DB": dir.file("ledger.db"), "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-test-key-0123456789",
      "ARRAKIS_MODEL": "claude-test", "NO_COLOR": "1",
    ]
    let r = try await Thread.detachedRun("/usr/bin/script", ["-qec", "cd \(repo.path) && \(CLIRunner.binaryPath) analyze", "/dev/null"], env: env)
    #expect(r.status == 0, "\(r.output)")
    let spinner = try #require(r.output.range(of: "analyzing .; then claude-test ranks the improvements"), "\(r.output.debugDescription)")
    let erase = try #require(r.output.range(of: "\r\u{1B}[K", range: spinner.upperBound..<r.output.endIndex))
    let report = try #require(r.output.range(of: "Split process() in big.py"))
    #expect(erase.upperBound <= report.lowerBound)

    let piped = try await CLIRunner.run(["analyze", "--no-model"], env: ["ARRAKIS_DB": dir.file("ledger.db")], cwd: repo.path)
    #expect(piped.status == 0)
    #expect(!piped.stderr.contains("analyzing"), "\(piped.stderr)")
  }
}
