import ArrakisCore
import Foundation
import TestSupport
import Testing

/// `code` without `--sandbox` runs Bash in the OS sandbox where bubblewrap can run: its own PID namespace
/// (pid 1 is bubblewrap; arrakis and the rest of the machine are not visible), a read-only system.
@Suite struct SandboxDefaultTests {
  let dir = TempDir("sandbox-default")

  @Test(.enabled(if: bubblewrapRuns, "bubblewrap cannot run here"))
  func codeDefaultsToTheOSSandbox() async throws {
    try GitFixture.sh("git init -q", cwd: dir.path)
    let probe = "cat /proc/1/comm; ls /proc | grep -cE '^[0-9]+$'; touch /usr/arrakis-probe 2>/dev/null; echo rc=$?"
    let turn = JSONValue.array([.object(["type": "tool_use", "id": "s1", "name": "Bash", "input": .object(["command": .string(probe)])])])
    try dir.write("turns.jsonl", turn.serialized() + "\n" + #"[{"type":"text","text":"ok"}]"# + "\n")
    let r = try await CLIRunner.run(
      ["code", "--permission", "full-access", "--output-format", "stream-json", "--replay", dir.file("turns.jsonl"), "x"],
      env: ["ARRAKIS_DB": dir.file("ledger.db")], cwd: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("bwrap\\n"), "\(r.stdout.prefix(1500))")
    #expect(r.stdout.contains("rc=1"))
    #expect(!FileManager.default.fileExists(atPath: "/usr/arrakis-probe"))
    let count = r.stdout.range(of: #"bwrap\\n(\d+)\\n"#, options: .regularExpression).map { String(r.stdout[$0]) }
    let visible = count.flatMap { Int($0.dropFirst(7).dropLast(2)) } ?? 999
    #expect(visible < 10, "processes visible in the sandbox: \(visible)")
    #expect(!r.stderr.contains("policy sandbox"))
  }
}
