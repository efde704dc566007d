import Foundation
import TestSupport
import Testing

private let guardExecutable = (CLIRunner.binaryPath as NSString).deletingLastPathComponent + "/arrakis-guard"

/// Whether `arrakis-guard --probe-isolation` succeeds as nobody.
let nobodyIsolates = AsNobody.possible && AsNobody.probeIsolation(guardPath: guardExecutable) == "ok\n"

/// `arrakis-guard --isolate` run by a user without CAP_SYS_ADMIN (nobody, through setpriv): the PID and
/// mount namespaces are made inside a user namespace of their own, and the command still behaves as the
/// user's own: its uid, the owner of the files it writes, its exit status and signal, and every
/// descendant gone when it ends, when the guardian is stopped (arrakis's Bash timeout) or killed.
/// Skipped visibly where the tests do not run as root, or where this kernel gives nobody no user namespace.
@Suite(.serialized, .enabled(if: nobodyIsolates, "needs root and setpriv, and a kernel that gives nobody a user namespace"))
struct GuardAsAnotherUserTests {
  static let guardPath = guardExecutable

  let dir = TempDir("guard-as-nobody")

  init() throws {
    #expect(chmod(dir.path, 0o777) == 0)
  }

  /// Starts `arrakis-guard GRACE OUR_PID --isolate -- /bin/sh sh -c SCRIPT` as nobody, output to a file.
  func start(_ script: String, graceMs: Int = 300) throws -> Process {
    let (executable, arguments) = AsNobody.command(
      [Self.guardPath, String(graceMs), String(getpid()), "--isolate", "--", "/bin/sh", "sh", "-c", script])
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
    _ = FileManager.default.createFile(atPath: dir.file("out"), contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: dir.file("out")))
    p.standardOutput = out
    p.standardError = out
    p.standardInput = FileHandle.nullDevice
    try p.run()
    try out.close()
    return p
  }

  var output: String { (try? String(contentsOfFile: dir.file("out"), encoding: .utf8)) ?? "" }

  /// Waits up to 20 s for `count` live `sleep`s of `marker` (the guardians and sh hold it in their
  /// arguments too).
  func waitForRunning(_ marker: String, count: Int) -> [pid_t] {
    let end = Date().addingTimeInterval(20)
    var seen = sleeps(marker)
    while seen.count < count && Date() < end {
      usleep(20_000)
      seen = sleeps(marker)
    }
    return seen
  }

  func sleeps(_ marker: String) -> [pid_t] {
    HostProcesses.live(matching: marker).filter { (try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8)) == "sleep\n" }
  }

  @Test func theCommandRunsAsTheUserInANamespaceOfItsOwn() throws {
    let p = try start("id -u; id -g; echo pid=$$ ppid=$PPID; ls /proc | grep -c '^[0-9]'; grep CapEff /proc/self/status; echo mine > written; exit 7")
    p.waitUntilExit()
    #expect(p.terminationReason == .exit && p.terminationStatus == 7, "\(output)")
    let lines = output.split(separator: "\n").map(String.init)
    try #require(lines.count == 5, "\(output)")
    #expect(lines[0] == "65534" && lines[1] == "65534", "\(output)")
    #expect(lines[2] == "pid=2 ppid=1", "not in a PID namespace of its own: \(output)")
    // sh, its guardian, and the pipeline's ls and grep: nothing outside.
    #expect(Int(lines[3]).map { $0 <= 4 } == true, "\(output)")
    #expect(lines[4].hasSuffix("0000000000000000"), "the command has capabilities: \(output)")
    let attributes = try FileManager.default.attributesOfItem(atPath: dir.file("written"))
    #expect((attributes[.ownerAccountID] as? NSNumber)?.uint32Value == AsNobody.uid)
    #expect((attributes[.groupOwnerAccountID] as? NSNumber)?.uint32Value == 65534)
  }

  @Test func theCommandsSignalPassesThrough() throws {
    let p = try start("kill -USR1 $$")
    p.waitUntilExit()
    #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGUSR1, "\(p.terminationReason) \(p.terminationStatus): \(output)")
  }

  /// What the command left (a new session, a process that ignores SIGTERM) is killed when it exits.
  @Test func whatTheCommandLeftIsKilledWhenItEnds() throws {
    let marker = HostProcesses.sleepMarker()
    let p = try start("setsid sleep \(marker) & (trap '' TERM; exec sleep \(marker)) & while [ ! -e go ]; do sleep 0.05; done")
    #expect(waitForRunning(marker, count: 2).count == 2, "the command's processes did not start: \(output)")
    try "".write(toFile: dir.file("go"), atomically: true, encoding: .utf8)
    p.waitUntilExit()
    #expect(p.terminationReason == .exit && p.terminationStatus == 0, "\(output)")
    #expect(HostProcesses.survivors(of: marker).isEmpty, "survived the command")
  }

  /// SIGTERM to the guardian (what arrakis sends at a Bash timeout) stops the command and every
  /// descendant; SIGKILL (arrakis's last resort) takes the whole namespace with it.
  @Test(arguments: [SIGTERM, SIGKILL])
  func stoppingTheGuardianStopsEverything(signal: Int32) throws {
    let marker = HostProcesses.sleepMarker()
    let p = try start("setsid sleep \(marker) & sleep \(marker)")
    #expect(waitForRunning(marker, count: 2).count == 2, "the command's processes did not start: \(output)")
    let started = Date()
    kill(p.processIdentifier, signal)
    p.waitUntilExit()
    #expect(Date().timeIntervalSince(started) < 10)
    if signal == SIGTERM {
      let stopped = (p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGTERM)
        || (p.terminationReason == .exit && p.terminationStatus == 128 + SIGTERM)
      #expect(stopped, "\(p.terminationReason) \(p.terminationStatus): \(output)")
    }
    #expect(HostProcesses.survivors(of: marker).isEmpty, "survived the guardian's \(signal == SIGTERM ? "stop" : "death")")
  }
}
