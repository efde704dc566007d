import Foundation
import Ledger
import TestSupport
import Testing

/// `--max-input-bytes` refuses an oversized request before anything is sent or stored; large and
/// non-UTF-8 stdin is sent with a notice on stderr, never silently.
@Suite struct InputSizeTests {
  let dir = TempDir("input")
  var db: String { dir.file("ledger.db") }

  func env(_ server: LoopbackServer) -> [String: String] {
    ["ARRAKIS_DB": db, "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-test-key-0123456789"]
  }

  /// stdin from a file, as `arrakis … < file` in a shell (bytes as they are, valid UTF-8 or not).
  func run(_ args: [String], stdinFile: String, server: LoopbackServer) throws -> CLIResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLIRunner.binaryPath)
    p.arguments = args
    p.environment = env(server).merging(["PATH": "/usr/bin:/bin", "HOME": dir.path]) { a, _ in a }
    p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
    p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdinFile))
    let out = dir.file("out-\(UUID().uuidString)"), err = dir.file("err-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: out, contents: nil)
    FileManager.default.createFile(atPath: err, contents: nil)
    p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    try p.run()
    p.waitUntilExit()
    return CLIResult(
      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "",
      status: p.terminationStatus)
  }

  @Test(arguments: ["ask", "code"])
  func anOversizedInputIsRefusedBeforeAnythingIsSentOrStored(subcommand: String) async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("paid"))])
    try Data(repeating: 0x61, count: 2_000_000).write(to: URL(fileURLWithPath: dir.file("big.txt")))
    let r = try run([subcommand, "--max-input-bytes", "1000000", "summarize this"], stdinFile: dir.file("big.txt"), server: server)
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stderr.contains("more than --max-input-bytes 1.0 MB; nothing was sent"), "\(r.stderr)")
    #expect(server.requests.isEmpty)
    #expect(try Ledger.openIfExists(path: db)?.listSessions().isEmpty ?? true)
  }

  /// A request under the limit that the API refuses as too large: the ledger keeps a bounded prompt (its head
  /// and a note of what was left out), not the whole input, so retries do not grow the file by the input.
  @Test func aPromptTheAPIRefusesIsStoredBounded() async throws {
    let refused = #"{"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."}}"#
    let server = try LoopbackServer([.json(status: 413, headers: ["x-should-retry": "false"], body: refused)])
    try Data(repeating: 0x61, count: 3_000_000).write(to: URL(fileURLWithPath: dir.file("big.txt")))
    let r = try run(["ask", "summarize this"], stdinFile: dir.file("big.txt"), server: server)
    #expect(r.status == 5, "\(r.stderr)")
    #expect(server.requests.count == 1)
    let ledger = try #require(try Ledger.openIfExists(path: db))
    let session = try #require(try ledger.listSessions().first)
    let sent = try #require(try ledger.messages(sessionID: session.id).first)
    #expect(sent.text.utf8.count < 70_000, "\(sent.text.utf8.count) bytes kept")
    #expect(sent.text.contains("more bytes not kept: the API refused this request (413)"))
    #expect(session.status == .failed)
  }

  @Test func theDefaultLimitIsTenMegabytes() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("paid"))])
    try Data(repeating: 0x61, count: 10_000_001).write(to: URL(fileURLWithPath: dir.file("big.txt")))
    let r = try run(["ask", "summarize this"], stdinFile: dir.file("big.txt"), server: server)
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stderr.contains("--max-input-bytes 10.0 MB"), "\(r.stderr)")
    #expect(server.requests.isEmpty)
    #expect(try await CLIRunner.run(["ask", "--help"]).stdout.contains("--max-input-bytes"))
  }

  @Test func largeStdinIsAnnounced() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("ok"))])
    try Data(repeating: 0x61, count: 400_000).write(to: URL(fileURLWithPath: dir.file("mid.txt")))
    let r = try run(["ask", "summarize this"], stdinFile: dir.file("mid.txt"), server: server)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("note: sending 400.0 KB of stdin (about 100.0k tokens)"), "\(r.stderr)")
    #expect(server.requests.count == 1)
  }

  @Test func invalidUTF8IsAnnounced() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("ok"))])
    try Data([0x68, 0x69, 0xFF, 0xFE, 0x20, 0x6F, 0x6B, 0xC3]).write(to: URL(fileURLWithPath: dir.file("bin.dat")))
    let r = try run(["ask", "what is this"], stdinFile: dir.file("bin.dat"), server: server)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("warning: stdin is not valid UTF-8"), "\(r.stderr)")
    #expect(server.requests.count == 1)
    let small = try LoopbackServer([.sse(SSEBuilder.text("ok"))])
    try Data("plain text\n".utf8).write(to: URL(fileURLWithPath: dir.file("ok.txt")))
    let quiet = try run(["ask", "what is this"], stdinFile: dir.file("ok.txt"), server: small)
    #expect(!quiet.stderr.contains("warning") && !quiet.stderr.contains("note:"), "\(quiet.stderr)")
  }
}
