import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// Issue 14 end to end: a large Read or Grep goes through the real loop to the model whole — the tool
/// budgets it at a whole line and names the next offset, and the loop does not cut it a second time.
@Suite struct ToolResultBudgetTests {
  let dir = TempDir("budget")
  var repo: String { dir.file("repo") }

  init() throws {
    try dir.write("repo/big.txt", (1...4306).map { "line \($0) of the big file" }.joined(separator: "\n") + "\n")
    try dir.write("repo/crlf.txt", "alpha\r\nbeta\r\ngamma\r\n")
    try GitFixture.sh("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
  }

  /// The tool_result texts the model received, in order.
  func results(_ server: LoopbackServer) -> [String] {
    server.requests.compactMap { req -> String? in
      guard let last = req.body?["messages"]?.arrayValue?.last, last["role"]?.stringValue == "user" else { return nil }
      return last["content"]?[0]?["content"]?.stringValue
    }
  }

  @Test func readPagesArriveWholeThroughTheLoop() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.toolUse(id: "r1", name: "Read", input: ["file_path": "big.txt"])),
      .sse(SSEBuilder.toolUse(id: "r2", name: "Read", input: ["file_path": "crlf.txt", "offset": 2])),
      .sse(SSEBuilder.toolUse(id: "g1", name: "Grep", input: ["pattern": "line", "output_mode": "content", "path": "big.txt"])),
      .sse(SSEBuilder.text("done")),
    ])
    let r = try await CLIRunner.run(
      ["code", "--permission", "read-only", "read it"],
      env: ["ARRAKIS_DB": dir.file("ledger.db"), "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL], cwd: repo)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let seen = results(server)
    try #require(seen.count == 3)
    // Read: lines 1…N, every one present and whole, then a footer naming N+1; nothing cut by the loop.
    let read = seen[0]
    #expect(!read.contains("characters cut"))
    let rows = read.split(separator: "\n")
    let numbered = rows.filter { !$0.hasPrefix("[") }
    for (k, row) in numbered.enumerated() { #expect(row == "\(ReadToolNumber.pad(k + 1))line \(k + 1) of the big file") }
    let footer = try #require(rows.last.map(String.init))
    #expect(footer.contains("continue with offset \(numbered.count + 1)"), "\(footer)")
    #expect(footer.contains("of 4306"))
    // CRLF: line 2 of 3, not "past the end: 1 lines".
    #expect(seen[1] == "     2\tbeta\n     3\tgamma\n[showing lines 2-3 of 3: end of file]\n")
    // Grep: whole lines, then how many were left out and the offset to continue.
    #expect(!seen[2].contains("characters cut"))
    let grepRows = seen[2].split(separator: "\n")
    #expect(grepRows.dropLast().allSatisfy { $0.hasSuffix("of the big file") })
    #expect(grepRows.last?.contains("more not shown") == true && grepRows.last?.contains("continue with offset \(grepRows.count - 1)") == true)
  }
}

extension ToolResultBudgetTests {
  /// Bash caps its own output (head and tail, with its own marker) and appends its exit status; the
  /// loop's net sits above that, so the model never sees a second cut.
  @Test func theLoopDoesNotCutABashResultAgain() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.toolUse(id: "b", name: "Bash", input: ["command": "seq 1 40000; exit 3"])),
      .sse(SSEBuilder.text("done")),
    ])
    let r = try await CLIRunner.run(
      ["code", "--permission", "full-access", "--sandbox", "policy", "count"],
      env: ["ARRAKIS_DB": dir.file("ledger.db"), "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL], cwd: repo)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let out = try #require(results(server).first)
    #expect(!out.contains("characters cut …]"), "the loop cut Bash's result a second time")
    #expect(out.hasPrefix("1\n2\n3\n") && out.contains("40000"))
  }
}

/// Read's number column: right-aligned in 6, then a tab.
enum ReadToolNumber {
  static func pad(_ n: Int) -> String { String(repeating: " ", count: max(0, 6 - String(n).count)) + String(n) + "\t" }
}
