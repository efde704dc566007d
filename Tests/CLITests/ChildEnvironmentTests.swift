import Foundation
import TestSupport
import Testing

/// What arrakis's children inherit: never the API key, never an outer make's jobserver settings.
@Suite struct ChildEnvironmentTests {
  let dir = TempDir("childenv")
  var repo: String { dir.file("repo") }
  let env = [
    "ANTHROPIC_API_KEY": "sk-ant-SECRET", "MAKEFLAGS": "w -j2 --jobserver-auth=3,4", "MAKELEVEL": "1",
  ]

  init() throws {
    try dir.write("repo/Makefile", "test:\n\t@echo \"key=$${ANTHROPIC_API_KEY:-unset} level=$${MAKELEVEL:-0}\" > ../seen.txt\n")
    try GitFixture.sh("git init -q && git add -A && git commit -qm init", cwd: repo)
  }

  @Test func bashToolCommandsDoNotSeeTheKey() async throws {
    try dir.write("turns.jsonl", #"""
      [{"type":"tool_use","id":"e1","name":"Bash","input":{"command":"echo key=${ANTHROPIC_API_KEY:-unset} level=${MAKELEVEL:-0}"}}]
      [{"type":"text","text":"ok"}]

      """#)
    var e = env
    e["ARRAKIS_DB"] = dir.file("ledger.db")
    let r = try await CLIRunner.run(
      ["code", "--permission", "full-access", "--output-format", "stream-json", "--replay", dir.file("turns.jsonl"), "x"],
      env: e, cwd: repo)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("key=unset level=0"))
    #expect(!r.stdout.contains("SECRET"))
  }

  @Test func theProjectsTestsDoNotSeeTheKey() async throws {
    var e = env
    e["ARRAKIS_DB"] = dir.file("ledger.db")
    let r = try await CLIRunner.run(["analyze", "--no-model", "--run-tests", "--quiet", "."], env: e, cwd: repo)
    #expect(r.status == 0, "\(r.stderr)")
    // make sets MAKELEVEL=1 for its own recipes; an inherited MAKELEVEL=1 would have made it 2.
    #expect(try String(contentsOfFile: dir.file("seen.txt"), encoding: .utf8) == "key=unset level=1\n")
  }
}
