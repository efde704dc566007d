import ArrakisCore
import Foundation
import Testing

@testable import Agent

@Suite struct BashToolTests {
  @Test func exitCodeAndOutput() async {
    let ws = TempWorkspace()
    let ctx = ws.context()
    let ok = await call("Bash", ["command": "echo hi; echo err >&2"], ctx)
    #expect(!ok.isError)
    #expect(ok.text.contains("hi") && ok.text.contains("err"))
    #expect(ok.output.summary == "Bash echo hi; echo err >&2 (exit 0)")
    let bad = await call("Bash", ["command": "exit 3"], ctx)
    #expect(bad.isError && bad.text.contains("exit code 3"))
    #expect(bad.output.summary.hasSuffix("(exit 3)"))
  }

  @Test func cwdPersistsEnvDoesNot() async {
    let ws = TempWorkspace()
    ws.write("sub/inner/f.txt", "x")
    let ctx = ws.context()
    _ = await call("Bash", ["command": "cd sub && export ARRAKIS_T=1"], ctx)
    let pwd = await call("Bash", ["command": "pwd; echo \"v=${ARRAKIS_T:-unset}\""], ctx)
    #expect(pwd.text.contains(ws.root + "/sub"))
    #expect(pwd.text.contains("v=unset"))
    _ = await call("Bash", ["command": "cd inner; exit 4"], ctx)
    #expect(ctx.bashCwd == ws.root + "/sub/inner")
  }

  @Test func cwdOutsideSandboxIsReset() async {
    let ws = TempWorkspace()
    let ctx = ws.context()
    let o = await call("Bash", ["command": "cd /"], ctx)
    #expect(o.text.contains("outside the allowed directories"))
    #expect(ctx.bashCwd == ws.root)
  }

  @Test func stdinIsDevNull() async {
    let ws = TempWorkspace()
    let t = await elapsed { _ = await call("Bash", ["command": "cat; read x; echo done"], ws.context()) }
    #expect(t < hangBound)
  }

  @Test func timeoutKillsProcessGroupIncludingGrandchild() async {
    let ws = TempWorkspace()
    let ctx = ws.context()
    let pidFile = ws.root + "/bg.pid"
    var o: ToolOutcome?
    let t = await elapsed {
      o = await call("Bash", ["command": .string("sleep 1000 & echo $! > \(pidFile); wait"), "timeout": 500], ctx)
    }
    #expect(t < hangBound, "returned after \(t)s")
    #expect(o?.text.contains("timed out") == true)
    #expect(o?.output.summary.contains("timed out") == true)
    let pid = Int32(ws.read("bg.pid")!.trimmingCharacters(in: .whitespacesAndNewlines))!
    // Killed processes linger as zombies until init reaps them: a zombie is dead.
    for _ in 0..<50 where isRunning(pid) { try? await Task.sleep(for: .milliseconds(100)) }
    #expect(!isRunning(pid), "backgrounded grandchild survived")
  }

  @Test func backgroundJobDoesNotKeepCallAlive() async {
    let ws = TempWorkspace()
    let t = await elapsed { _ = await call("Bash", ["command": "sleep 1000 & echo started", "timeout": 20_000], ws.context()) }
    #expect(t < hangBound)
  }

  @Test func outputFloodKeepsHeadAndTail() async {
    let ws = TempWorkspace()
    let o = await call("Bash", ["command": "echo FIRST; seq 1 200000; echo LAST"], ws.context())
    #expect(o.text.hasPrefix("FIRST"))
    #expect(o.text.contains("LAST"))
    #expect(o.text.contains("bytes truncated"))
    #expect(o.text.count < 31_000)
  }

  @Test func cancellationKillsCommand() async {
    let ws = TempWorkspace()
    let ctx = ws.context()
    let task = Task { await call("Bash", ["command": "sleep 300"], ctx) }
    try? await Task.sleep(for: .milliseconds(200))
    let t = await elapsed { task.cancel(); _ = await task.value }
    #expect(t < hangBound)
  }

  @Test(.enabled(if: bubblewrapRuns, "bubblewrap cannot run here"))
  func osSandboxConfinesWrites() async {
    let ws = TempWorkspace()
    let ctx = ws.context { $0.mode = .os }
    let o = await call("Bash", ["command": "echo ok > inside.txt && touch /etc/arrakis-escape; echo rc=$?"], ctx)
    #expect(ws.read("inside.txt") == "ok\n")
    #expect(o.text.contains("rc=1"))
    #expect(!FileManager.default.fileExists(atPath: "/etc/arrakis-escape"))
    _ = await call("Bash", ["command": "mkdir -p d && cd d"], ctx)
    let pwd = await call("Bash", ["command": "pwd"], ctx)
    #expect(pwd.text.contains(ws.root + "/d"))
  }

  @Test(.enabled(if: bubblewrapRuns, "bubblewrap cannot run here"))
  func osSandboxHasNoNetworkByDefault() async {
    let ws = TempWorkspace()
    // /proc is mounted inside the new network namespace: only the loopback interface exists.
    let o = await call("Bash", ["command": "grep -c : /proc/net/dev; grep -o 'lo:' /proc/net/dev"], ws.context { $0.mode = .os })
    #expect(o.text.hasPrefix("1\nlo:"))
  }
}
