import Foundation
import TestSupport
import Testing

/// Terminal habits: the waiting spinner appears on a terminal only (run under script(1) for a real pty),
/// is erased before the answer, and never reaches a pipe.
@Suite struct TerminalTests {
  let dir = TempDir("terminal")

  /// A slow first byte: the stream arrives 10 bytes at a time (over a second before the first text), 30 ms apart.
  func slowServer() throws -> LoopbackServer {
    try LoopbackServer([.sse(SSEBuilder.text("The answer."), chunkSize: 10, delayMs: 30)])
  }

  func env(_ server: LoopbackServer) -> [String: String] {
    [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": dir.path, "TERM": "xterm",
      "LANG": "C.UTF-8", "ARRAKIS_DB": dir.file("ledger.db"), "ANTHROPIC_BASE_URL": server.baseURL,
      "ANTHROPIC_API_KEY": "sk-test-key-0123456789", "ARRAKIS_MODEL": "claude-test",
    ]
  }

  func inTerminal(_ args: String, server: LoopbackServer) async throws -> (status: Int32, output: String) {
    try await Thread.detachedRun("/usr/bin/script", ["-qec", "\(CLIRunner.binaryPath) \(args)", "/dev/null"], env: env(server))
  }

  @Test func spinnerOnATerminalIsErasedBeforeTheAnswer() async throws {
    let r = try await inTerminal("ask hi", server: try slowServer())
    #expect(r.status == 0, "\(r.output)")
    let spinner = try #require(r.output.range(of: "waiting for claude-test"), "\(r.output.debugDescription)")
    let erase = try #require(r.output.range(of: "\r\u{1B}[K", range: spinner.upperBound..<r.output.endIndex))
    let answer = try #require(r.output.range(of: "The answer."))
    #expect(erase.upperBound <= answer.lowerBound)
  }

  @Test func quietHasNoSpinner() async throws {
    let r = try await inTerminal("ask --quiet hi", server: try slowServer())
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("The answer."))
    #expect(!r.output.contains("waiting for"))
  }

  @Test func pipesNeverSeeTheSpinnerOrColour() async throws {
    let server = try slowServer()
    let r = try await CLIRunner.run(["ask", "hi"], env: env(server))
    #expect(r.status == 0)
    #expect(r.stdout == "The answer.\n")
    #expect(r.stderr.isEmpty, "\(r.stderr.debugDescription)")
  }

  @Test func noColorTurnsColourOffOnATerminal() async throws {
    var e = env(try slowServer())
    e["ANTHROPIC_API_KEY"] = nil
    e["NO_COLOR"] = "1"
    let r = try await Thread.detachedRun("/usr/bin/script", ["-qec", "\(CLIRunner.binaryPath) ask hi", "/dev/null"], env: e)
    #expect(r.output.contains("error:"))
    #expect(!r.output.contains("\u{1B}[31m"))
    e["NO_COLOR"] = nil
    let coloured = try await Thread.detachedRun("/usr/bin/script", ["-qec", "\(CLIRunner.binaryPath) ask hi", "/dev/null"], env: e)
    #expect(coloured.output.contains("\u{1B}[31merror:"))
  }
}
