import Foundation
import Ledger
import TestSupport
import Testing

/// Ctrl-C: what was received or done so far is kept, the session is marked interrupted, the exit code is 130.
@Suite struct InterruptTests {
  let dir = TempDir("interrupt")
  var db: String { dir.file("ledger.db") }

  /// Starts arrakis, waits until `ready` holds, sends SIGINT, and returns what the user saw.
  func interrupt(_ args: [String], server: LoopbackServer, cwd: String, ready: @escaping @Sendable () -> Bool) async throws -> CLIResult {
    try await withCheckedThrowingContinuation { cont in
      Thread {
        do {
          let out = dir.file("out-\(UUID().uuidString)"), err = dir.file("err-\(UUID().uuidString)")
          _ = FileManager.default.createFile(atPath: out, contents: nil)
          _ = FileManager.default.createFile(atPath: err, contents: nil)
          let p = Process()
          p.executableURL = URL(fileURLWithPath: CLIRunner.binaryPath)
          p.arguments = args
          p.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": dir.path,
                           "ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL,
                           "ARRAKIS_STALL_TIMEOUT": "120"]
          p.currentDirectoryURL = URL(fileURLWithPath: cwd)
          p.standardInput = FileHandle.nullDevice
          p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
          p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
          try p.run()
          let deadline = Date().addingTimeInterval(30)
          while !ready() && Date() < deadline { usleep(20_000) }
          usleep(300_000)  // let the partial reply reach the client
          p.interrupt()
          p.waitUntilExit()
          cont.resume(returning: CLIResult(
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "", status: p.terminationStatus))
        } catch { cont.resume(throwing: error) }
      }.start()
    }
  }

  @Test func ctrlCDuringAStreamedAnswerKeepsThePartialText() async throws {
    let head = SSEBuilder.text("The first half of the answer").components(separatedBy: "event: content_block_stop").first!
    let server = try LoopbackServer([.stall(afterSSE: head)])
    let r = try await interrupt(["ask", "explain"], server: server, cwd: dir.path) { !server.requests.isEmpty }
    #expect(r.status == 130, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("The first half of the answer"))
    let ledger = try Ledger.open(path: db)
    let s = try #require(try ledger.listSessions().first)
    #expect(s.status == .interrupted)
    #expect(try ledger.messages(sessionID: s.id).last?.text == "The first half of the answer")
  }

  @Test func ctrlCDuringAToolCallStopsItAndRecordsTheSession() async throws {
    let marker = dir.file("started")
    let server = try LoopbackServer([
      .sse(SSEBuilder.toolUse(id: "long", name: "Bash", input: .object(["command": .string("touch \(marker); sleep 300")]))),
      .sse(SSEBuilder.text("never reached")),
    ])
    try "x\n".write(toFile: dir.file("f.txt"), atomically: true, encoding: .utf8)
    let r = try await interrupt(["code", "--permission", "full-access", "wait"], server: server, cwd: dir.path) {
      FileManager.default.fileExists(atPath: marker)
    }
    #expect(r.status == 130, "stderr: \(r.stderr)")
    #expect(server.requests.count == 1)
    let ledger = try Ledger.open(path: db)
    let s = try #require(try ledger.listSessions().first)
    #expect(s.status == .interrupted)
    let op = try #require(try ledger.toolOperations(sessionID: s.id).first)
    #expect(op.toolName == "Bash")
    #expect(op.success == false)
  }
}
