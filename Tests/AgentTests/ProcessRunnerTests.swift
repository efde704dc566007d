import Foundation
import Testing

@testable import Agent
@testable import ArrakisCore

@Suite struct ProcessRunnerTests {
  @Test func streamsEveryByteWhileCappingTheOutput() {
    var streamed = 0
    let r = ProcessRunner.runSync(
      ["bash", "-c", "echo FIRST; seq 1 100000; echo LAST"], timeoutMs: 60_000, outputCap: 1000,
      onOutput: { streamed += $0.count })
    #expect(r.exitCode == 0 && r.signal == nil && !r.timedOut)
    #expect(r.totalBytes == streamed && streamed > 500_000)
    #expect(r.output.hasPrefix("FIRST") && r.output.hasSuffix("LAST\n"))
    #expect(r.output.utf8.count < 1100)
  }

  /// A leftover job that ignores SIGTERM and does not hold the pipe still dies: SIGKILL after the grace.
  @Test func killsStubbornLeftoverAfterGrace() async {
    let ws = TempWorkspace()
    let pidFile = ws.root + "/bg.pid"
    var r: ProcessRunner.Result?
    let t = await elapsed {
      r = await ProcessRunner.run(
        ["bash", "-c", "(trap '' TERM; exec sleep 1000) >/dev/null 2>&1 & echo $! > \(pidFile); echo ok"],
        timeoutMs: 20_000, killGraceMs: 200)
    }
    #expect(t < hangBound)
    #expect(r?.exitCode == 0 && r?.output == "ok\n")
    let pid = pid_t(ws.read("bg.pid")!.trimmingCharacters(in: .whitespacesAndNewlines))!
    try? await Task.sleep(for: .milliseconds(100))
    // Killed orphans may stay zombies (PID 1 in a container need not reap them): dead is enough.
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    let state = stat.lastIndex(of: ")").map { stat[stat.index($0, offsetBy: 2)] }
    #expect(kill(pid, 0) != 0 || state == "Z", "stubborn background sleep \(pid) survived")
  }

  /// The guardian program is built beside the binaries (a missing one would make every command fork a
  /// copy of the whole process, about 10 ms more per call).
  @Test func theGuardianProgramIsFound() throws {
    let path = try #require(ProcessRunner.guardianExecutable)
    #expect(path.hasSuffix("/arrakis-guard"))
    let r = ProcessRunner.runSync(["bash", "-c", "cat /proc/$PPID/comm"], timeoutMs: 20_000)
    #expect(r.output.hasPrefix("arrakis-guard"), "\(r.output)")
  }

  @Test func exitBySignalAndSpawnFailure() {
    let killed = ProcessRunner.runSync(["bash", "-c", "kill -TERM $$"], timeoutMs: 20_000)
    #expect(killed.signal == SIGTERM && killed.exitCode == 128 + SIGTERM)
    let missing = ProcessRunner.runSync(["definitely-not-a-command-xyz"], timeoutMs: 20_000)
    #expect(missing.spawnError != nil && missing.exitCode == 127)
  }

  /// The escapes the group kill alone missed (a new session, `timeout`'s own group, job control): each
  /// leaves a `sleep` behind, both when the call times out and when the shell exits first. The guardian is
  /// a child subreaper, so every recorded pid is dead when the call returns.
  @Test(arguments: [
    "setsid sleep 1000 & echo $! >> PIDS",
    "timeout 5000 sleep 1000 & echo $! >> PIDS",
    "set -m; sleep 1000 & echo $! >> PIDS",
    "setsid -f sh -c 'echo $$ >> PIDS; exec sleep 1000'",
    "(setsid sh -c 'echo $$ >> PIDS; sleep 1000 & echo $! >> PIDS; wait' &)",
  ])
  func noDescendantOutlivesTheCall(escape: String) async throws {
    for waits in [false, true] {
      let ws = TempWorkspace()
      let pids = ws.root + "/pids"
      let script = escape.replacingOccurrences(of: "PIDS", with: "'\(pids)'")
        + "; echo $$ >> '\(pids)'; while [ $(wc -l < '\(pids)') -lt 2 ]; do sleep 0.05; done" + (waits ? "; sleep 1000" : "")
      var r: ProcessRunner.Result?
      let t = await elapsed {
        r = await ProcessRunner.run(["bash", "-c", script], timeoutMs: waits ? 1_500 : 20_000, killGraceMs: 200)
      }
      #expect(t < hangBound)
      #expect(r?.timedOut == waits, "\(escape): \(r?.output ?? "")")
      let recorded = (ws.read("pids") ?? "").split(separator: "\n").compactMap { pid_t($0) }
      #expect(recorded.count >= 2, "\(escape): pids \(recorded)")
      for pid in recorded { #expect(!isRunning(pid), "\(escape) (waits: \(waits)): \(pid) survived") }
    }
  }
}
