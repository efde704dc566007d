import Foundation
import TestSupport
import Testing

/// `code --replay` stops on what the model could act on (a command's exit status, what a file tool
/// returned), not on noise such as timing lines, and says where recorded and got differ.
@Suite struct ReplayDivergenceTests {
  let dir = TempDir("replaydiv")
  var repo: String { dir.file("repo") }

  init() throws {
    let long = String(repeating: "a", count: 120)
    try dir.write("repo/data.txt", "first\n\(long)CHANGED\(long)\n")
    try GitFixture.sh("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
  }

  func replay(_ lines: [String]) async throws -> CLIResult {
    try dir.write("turns.jsonl", (lines + [#"{"content":[{"type":"text","text":"finished"}]}"#]).joined(separator: "\n") + "\n")
    return try await CLIRunner.run(
      ["code", "--permission", "full-access", "--replay", dir.file("turns.jsonl"), "go"], env: ["ARRAKIS_DB": dir.file("ledger.db")], cwd: repo)
  }

  @Test func aTimingLineThatDiffersIsNotADivergence() async throws {
    let r = try await replay([
      #"{"content":[{"type":"tool_use","id":"b1","name":"Bash","input":{"command":"echo \"Test Suite passed after $(date +%N) seconds\""}}],"tool_results":{"b1":{"content":"Test Suite passed after 0.123 seconds"}}}"#
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("finished"))
  }

  @Test func anExitStatusThatDiffersIsOne() async throws {
    let r = try await replay([
      #"{"content":[{"type":"tool_use","id":"b1","name":"Bash","input":{"command":"exit 3"}}],"tool_results":{"b1":{"content":"(no output)"}}}"#
    ])
    #expect(r.status == 11, "\(r.stderr)")
    #expect(r.stderr.contains("Bash (b1): recorded exit 0, got exit 3"), "\(r.stderr)")
  }

  @Test func theMessageShowsWhereTheyDiffer() async throws {
    let long = String(repeating: "a", count: 120)
    let recorded = "     1\\tfirst\\n     2\\t\(long)ORIGINAL\(long)"
    let r = try await replay([
      #"{"content":[{"type":"tool_use","id":"r1","name":"Read","input":{"file_path":"data.txt"}}],"tool_results":{"r1":{"content":""# + recorded + #""}}}"#
    ])
    #expect(r.status == 11, "\(r.stderr)")
    #expect(r.stderr.contains("line 2 differs at column"), "\(r.stderr)")
    #expect(r.stderr.contains("ORIGINAL"), "\(r.stderr)")
    #expect(r.stderr.contains("CHANGED"), "\(r.stderr)")
  }
}
