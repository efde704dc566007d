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
  func codeOnATerminal(typing answer: String, turns: String = "turns.jsonl") async throws -> (status: Int32, output: String) {
    let command = "\(CLIRunner.binaryPath) code --replay \(dir.file(turns)) 'run it'"
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
    #expect(r.output.contains("allow Bash echo RAN > ran.txt? [y/N/a = always Bash(echo RAN > ran.txt) this session]"))
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
    #expect(r.output.contains("[y/N/a"))
    #expect(FileManager.default.fileExists(atPath: repo + "/ran.txt"))
  }

  /// A Write or Edit is asked with its diff; `a` stops the questions about that tool for the session, and
  /// only about that tool.
  @Test func editsShowTheirDiffAndAlwaysLastsTheSession() async throws {
    try dir.write("edits.jsonl", """
      [{"type":"tool_use","id":"r1","name":"Read","input":{"file_path":"a.txt"}}]
      [{"type":"tool_use","id":"e1","name":"Edit","input":{"file_path":"a.txt","old_string":"hi","new_string":"hello"}}]
      [{"type":"tool_use","id":"w1","name":"Write","input":{"file_path":"b.txt","content":"new file line\\n"}}]
      [{"type":"tool_use","id":"e2","name":"Edit","input":{"file_path":"a.txt","old_string":"hello","new_string":"hey"}}]
      [{"type":"text","text":"done"}]

      """)
    let r = try await codeOnATerminal(typing: "a\nn\n", turns: "edits.jsonl")
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("@@ line 1"), "\(r.output)")
    #expect(r.output.contains("-hi"))
    #expect(r.output.contains("+hello"))
    #expect(r.output.contains("new file"))
    #expect(r.output.contains("+new file line"))
    #expect(r.output.contains("allow Edit a.txt? [y/N/a = always Edit this session]"))
    // Asked twice: the first Edit (a) and the Write (n); the second Edit ran without a question.
    #expect(r.output.components(separatedBy: "[y/N/a").count - 1 == 2, "\(r.output)")
    #expect(!FileManager.default.fileExists(atPath: repo + "/b.txt"))
    #expect(try String(contentsOfFile: repo + "/a.txt", encoding: .utf8) == "hey\n")
  }
}
