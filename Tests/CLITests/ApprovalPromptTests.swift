import Foundation
import Ledger
import TestSupport
import Testing

/// The interactive default of `arrakis code`: on a terminal, safe-write, and a y/n question for anything above
/// it. Run under script(1) so that arrakis sees a real terminal; the answer is typed into it.
@Suite struct ApprovalPromptTests {
  let dir = TempDir("approve")
  var repo: String { dir.file("repo") }

  init() throws {
    try dir.write("repo/a.txt", "hi\n")
    try dir.write("turns.jsonl", """
      [{"type":"tool_use","id":"b1","name":"Bash","input":{"command":"echo RAN > ran.txt"}}]
      [{"type":"text","text":"done"}]

      """)
    try GitFixture.sh("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
  }

  /// Runs `arrakis code` on a pseudo-terminal and types `answer` at it.
  func codeOnATerminal(typing answer: String) async throws -> (status: Int32, output: String) {
    let command = "\(CLIRunner.binaryPath) code --replay \(dir.file("turns.jsonl")) 'run it'"
    let env = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "ARRAKIS_DB": dir.file("ledger.db"), "TERM": "xterm", "NO_COLOR": "1"]
    return try await withCheckedThrowingContinuation { cont in
      Thread {
        do {
          let p = Process()
          p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
          p.arguments = ["-qec", command, "/dev/null"]
          p.environment = env
          p.currentDirectoryURL = URL(fileURLWithPath: repo)
          let input = Pipe(), output = Pipe()
          p.standardInput = input
          p.standardOutput = output
          p.standardError = output
          try p.run()
          input.fileHandleForWriting.write(Data(answer.utf8))
          let data = output.fileHandleForReading.readDataToEndOfFile()
          p.waitUntilExit()
          try? input.fileHandleForWriting.close()
          cont.resume(returning: (p.terminationStatus, String(decoding: data, as: UTF8.self)))
        } catch { cont.resume(throwing: error) }
      }.start()
    }
  }

  @Test func answeringNoDeniesTheCallAndRecordsWhy() async throws {
    let r = try await codeOnATerminal(typing: "n\n")
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("allow Bash echo RAN > ran.txt? [y/N]"))
    #expect(r.output.contains("Bash denied"))
    #expect(!FileManager.default.fileExists(atPath: repo + "/ran.txt"))
    let ledger = try Ledger.open(path: dir.file("ledger.db"))
    let session = try #require(try ledger.listSessions().first)
    let op = try #require(try ledger.toolOperations(sessionID: session.id).first)
    #expect(op.deniedReason?.contains("not approved") == true)
  }

  @Test func answeringYesRunsIt() async throws {
    let r = try await codeOnATerminal(typing: "y\n")
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("[y/N]"))
    #expect(FileManager.default.fileExists(atPath: repo + "/ran.txt"))
  }
}
