import ArrakisCore
import Foundation
import TestSupport
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

  /// The shell and its grandchild (the `bash -c … sleep` pair once found alive after a test run), found
  /// here by the marker in their arguments (in their PID namespace their pids are not ours).
  @Test func timeoutKillsProcessGroupIncludingGrandchild() async {
    let ws = TempWorkspace()
    let ctx = ws.context()
    let pidFile = ws.root + "/bg.pid"
    let marker = HostProcesses.sleepMarker()
    let watch = ProcessWatch(marker: marker) { (ws.read("bg.pid") ?? "").split(separator: "\n").count >= 2 }
    var o: ToolOutcome?
    let t = await elapsed {
      o = await call("Bash", ["command": .string("echo $$ > \(pidFile); sleep \(marker) & echo $! >> \(pidFile); wait"), "timeout": 2_000], ctx)
    }
    #expect(t < hangBound, "returned after \(t)s")
    #expect(o?.text.contains("timed out") == true)
    #expect(o?.output.summary.contains("timed out") == true)
    #expect((ws.read("bg.pid") ?? "").split(separator: "\n").count == 2)
    let running = watch.seenRunning
    #expect(running.count >= 2, "the shell and its sleep were not found running: \(running)")
    // The guardian reaps what it kills, so they are gone by the time the call returns.
    #expect(HostProcesses.live(matching: marker).isEmpty, "survived the timeout")
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
    let pidFile = ws.root + "/pids"
    let marker = HostProcesses.sleepMarker()
    let task = Task { await call("Bash", ["command": .string("echo $$ > \(pidFile); sleep \(marker) & echo $! >> \(pidFile); wait")], ctx) }
    for _ in 0..<200 where (ws.read("pids") ?? "").split(separator: "\n").count < 2 { try? await Task.sleep(for: .milliseconds(20)) }
    let running = HostProcesses.live(matching: marker)
    let t = await elapsed { task.cancel(); _ = await task.value }
    #expect(t < hangBound)
    #expect(running.count >= 2, "the shell and its sleep were not found running: \(running)")
    #expect(HostProcesses.live(matching: marker).isEmpty, "survived the cancellation")
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

  /// `seq 1 40000`: the head and the tail are whole lines, and the marker states the real cut: kept lines
  /// plus cut lines are 40,000, kept bytes plus cut bytes are the output's size.
  @Test func theMarkerStatesTheRealBytesAndLinesCut() async throws {
    let ws = TempWorkspace()
    let o = await call("Bash", ["command": "seq 1 40000"], ws.context())
    let total = (1...40000).reduce(0) { $0 + String($1).utf8.count + 1 }
    let marker = try #require(o.text.range(of: #"\[(\d+) lines, (\d+) bytes truncated from the middle of (\d+) bytes of output\]"#, options: .regularExpression))
    let numbers = o.text[marker].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    try #require(numbers.count == 3)
    let (cutLines, cutBytes, all) = (numbers[0], numbers[1], numbers[2])
    #expect(all == total)
    let keptLines = o.text.split(separator: "\n").filter { $0.allSatisfy(\.isNumber) }
    #expect(keptLines.first == "1" && keptLines.last == "40000")
    #expect(keptLines.count + cutLines == 40000, "kept \(keptLines.count) + cut \(cutLines)")
    #expect(keptLines.reduce(0) { $0 + $1.utf8.count + 1 } + cutBytes == total)
    #expect(cutBytes > 150_000)
    // Within the loop's own limit: nothing cuts this result (and its marker) a second time.
    #expect(o.text.count <= OutputLimits().bashChars)
  }

  /// `run_in_background`: returns at once with an id and a log inside the session's state folder that Read
  /// opens; ending the session stops the job's whole tree (found by the marker in its arguments).
  @Test func runInBackgroundReturnsAtOnceAndEndsWithTheSession() async throws {
    let ws = TempWorkspace()
    let pids = ws.root + "/bg.pids"
    let marker = HostProcesses.sleepMarker()
    var ctx: ToolContext? = ws.context()
    let stateDirectory = try #require(ctx?.stateDirectory)
    var o: ToolOutcome?
    let t = await elapsed {
      o = await call("Bash", [
        "command": .string("echo $$ >> \(pids); setsid sleep \(marker) & echo $! >> \(pids); echo serving; sleep \(marker)"),
        "run_in_background": true,
      ], ctx!)
    }
    #expect(t < 5, "run_in_background waited \(t) s")
    let text = try #require(o?.text)
    #expect(o?.isError == false, "\(text)")
    #expect(text.contains("bg-"))
    let log = try #require(text.range(of: #"/\S+\.log"#, options: .regularExpression).map { String(text[$0]) })
    #expect(log.hasPrefix(BackgroundJobs.folder(stateDirectory)))
    for _ in 0..<100 where !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("serving") {
      try await Task.sleep(for: .milliseconds(50))
    }
    let read = await call("Read", ["file_path": .string(log)], ctx!)
    #expect(!read.isError && read.text.contains("serving"), "\(read.text)")
    for _ in 0..<100 where (ws.read("bg.pids") ?? "").split(separator: "\n").count < 2 { try await Task.sleep(for: .milliseconds(50)) }
    let recorded = (ws.read("bg.pids") ?? "").split(separator: "\n").compactMap { pid_t($0) }
    try #require(recorded.count == 2)
    // The shell (or the last sleep it became), the setsid sleep, and their guardians.
    #expect(HostProcesses.live(matching: marker).count >= 3, "the job did not keep running")
    #expect(BackgroundJobs.shared.running(session: stateDirectory).count == 1)
    ctx = nil  // the session ends
    #expect(HostProcesses.survivors(of: marker, within: 5).isEmpty, "the job outlived its session")
    #expect(BackgroundJobs.shared.running(session: stateDirectory).isEmpty)
  }

  /// Under the OS sandbox the command runs in its own PID namespace: this process is not visible to it;
  /// under the policy sandbox too where the kernel lets the guardian make one (root), else it is.
  @Test(.enabled(if: bubblewrapRuns, "bubblewrap cannot run here"))
  func osSandboxCannotSeeOurProcess() async {
    let ws = TempWorkspace()
    let me = getpid()
    let os = await call("Bash", ["command": .string("test -e /proc/\(me)/environ && echo visible || echo hidden")], ws.context { $0.mode = .os })
    #expect(os.text.hasPrefix("hidden") || me < 10, "\(os.text)")
    let policy = await call("Bash", ["command": .string("test -e /proc/\(me)/environ && echo visible || echo hidden")], ws.context())
    let isolated = CommandIsolation.availability == .available
    #expect(policy.text.hasPrefix(isolated ? "hidden" : "visible") || (isolated && me < 10), "\(policy.text)")
  }
}
