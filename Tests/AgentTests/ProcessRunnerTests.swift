import Foundation
import TestSupport
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

  /// A command that closes its output and keeps running is waited for, not given up on at EOF, and
  /// without the runner spinning: its exit wakes the same poll its output did. Its status is its own.
  @Test func waitsWithoutSpinningForACommandThatClosedItsOutput() throws {
    let cpuBefore = try #require(threadCPUTicks())
    let start = Date()
    let r = ProcessRunner.runSync(["bash", "-c", "echo start; exec >&- 2>&-; sleep 1; exit 3"], timeoutMs: 20_000)
    let wall = Date().timeIntervalSince(start)
    let cpuTicks = try #require(threadCPUTicks()) - cpuBefore
    #expect(r.exitCode == 3 && r.signal == nil && !r.timedOut && r.output == "start\n", "\(r)")
    #expect(wall >= 0.9, "returned after \(wall) s, before the command's 1 s sleep ended")
    // 100 ticks a second: a spinning wait used 20 on 2 busy cores, the wait on the pidfd fewer than 5.
    #expect(cpuTicks < 5, "the runner thread used \(cpuTicks) ticks of CPU in \(wall) s")
  }

  /// User plus system CPU time of the calling thread, in clock ticks (/proc/thread-self/stat).
  private func threadCPUTicks() -> Int? {
    guard let stat = try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8),
      let paren = stat.lastIndex(of: ")")
    else { return nil }
    // After "pid (comm)": state is field 3, utime 14 and stime 15.
    let fields = stat[stat.index(after: paren)...].split(separator: " ")
    guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
    return user + system
  }

  @Test func exitBySignalAndSpawnFailure() {
    let killed = ProcessRunner.runSync(["bash", "-c", "kill -TERM $$"], timeoutMs: 20_000)
    #expect(killed.signal == SIGTERM && killed.exitCode == 128 + SIGTERM)
    let missing = ProcessRunner.runSync(["definitely-not-a-command-xyz"], timeoutMs: 20_000)
    #expect(missing.spawnError != nil && missing.exitCode == 127)
  }

  /// The escapes the group kill alone missed (a new session, `timeout`'s own group, job control): each
  /// leaves a `sleep` behind, both when the call times out and when the shell exits first. The guardian is
  /// a child subreaper, so nothing the command started is alive when the call returns; the same for an
  /// isolated command (in a PID namespace of its own where the kernel allows). Found by the marker in
  /// their arguments: an isolated command's pids are its namespace's.
  @Test(arguments: [
    "setsid sleep MARK & echo $! >> PIDS",
    "timeout 5000 sleep MARK & echo $! >> PIDS",
    "set -m; sleep MARK & echo $! >> PIDS",
    "setsid -f sh -c 'echo $$ >> PIDS; exec sleep MARK'",
    "(setsid sh -c 'echo $$ >> PIDS; sleep MARK & echo $! >> PIDS; wait' &)",
  ], [false, true])
  func noDescendantOutlivesTheCall(escape: String, isolated: Bool) async throws {
    for waits in [false, true] {
      let ws = TempWorkspace()
      let pids = ws.root + "/pids"
      let marker = HostProcesses.sleepMarker()
      let script = escape.replacingOccurrences(of: "PIDS", with: "'\(pids)'").replacingOccurrences(of: "MARK", with: marker)
        + "; echo $$ >> '\(pids)'; while [ $(wc -l < '\(pids)') -lt 2 ]; do sleep 0.05; done" + (waits ? "; sleep \(marker)" : "")
      // When the shell waits, the tree is looked at while it runs: the marker must find it then.
      let watch = waits ? ProcessWatch(marker: marker) { (ws.read("pids") ?? "").split(separator: "\n").count >= 2 } : nil
      var r: ProcessRunner.Result?
      let t = await elapsed {
        r = await ProcessRunner.run(["bash", "-c", script], timeoutMs: waits ? 2_000 : 20_000, killGraceMs: 200, isolated: isolated)
      }
      #expect(t < hangBound)
      #expect(r?.timedOut == waits, "\(escape): \(r?.output ?? "")")
      let recorded = (ws.read("pids") ?? "").split(separator: "\n").compactMap { pid_t($0) }
      #expect(recorded.count >= 2, "\(escape): pids \(recorded)")
      if let running = watch?.seenRunning { #expect(running.count >= 2, "\(escape): the tree was not found running: \(running)") }
      #expect(HostProcesses.live(matching: marker).isEmpty, "\(escape) (waits: \(waits), isolated: \(isolated)) survived")
    }
  }

  /// An isolated command under root: its own PID namespace (it is pid 2, its guardian inside is 1, and
  /// /proc shows nothing else), none of the capabilities that reach other processes' memory, its exit
  /// status and signal as without isolation. Skipped visibly where the namespace cannot be made.
  @Test(.enabled(if: CommandIsolation.availability == .available, "no PID namespace here (the kernel refuses it and a user namespace)"))
  func anIsolatedCommandSeesOnlyItsNamespace() throws {
    let r = ProcessRunner.runSync(
      ["bash", "-c", "echo pid=$$ ppid=$PPID; ls /proc | grep -c '^[0-9]'; grep CapBnd /proc/self/status; exit 3"],
      timeoutMs: 20_000, isolated: true)
    #expect(r.exitCode == 3 && r.signal == nil, "\(r.output)")
    let lines = r.output.split(separator: "\n").map(String.init)
    try #require(lines.count == 3, "\(r.output)")
    #expect(lines[0] == "pid=2 ppid=1")
    // bash, its guardian, and the pipeline's ls and grep.
    #expect(Int(lines[1]).map { $0 <= 4 } == true, "\(r.output)")
    let bounding = try #require(UInt64(lines[2].split(separator: "\t").last ?? "", radix: 16))
    // CAP_SYS_PTRACE, CAP_SYS_RAWIO, CAP_SYS_MODULE, CAP_SYS_ADMIN (linux/capability.h).
    for (name, cap) in [("SYS_PTRACE", 19), ("SYS_RAWIO", 17), ("SYS_MODULE", 16), ("SYS_ADMIN", 21)] {
      #expect(bounding & (1 << UInt64(cap)) == 0, "CAP_\(name) is still in the bounding set")
    }
    #expect(bounding & 1 != 0, "root's ordinary capabilities (CAP_CHOWN) went too")
    let killed = ProcessRunner.runSync(["bash", "-c", "kill -TERM $$"], timeoutMs: 20_000, isolated: true)
    #expect(killed.signal == SIGTERM && killed.exitCode == 128 + SIGTERM)
  }
}
