import Foundation
import Ledger
import TestSupport
import Testing

/// Issue 10: with the built-in Grep engine (no rg), a catastrophic pattern no longer holds the session:
/// SIGTERM and Ctrl-C stop it at once, and the session is recorded as interrupted.
@Suite struct GrepInterruptTests {
  let dir = TempDir("grep-interrupt")
  var db: String { dir.file("ledger.db") }

  init() throws {
    // 40 files of `(a+)+$` bait: at the 5 s per-file budget, about 100 s of work on two cores.
    for k in 0..<40 { try dir.write("repo/evil\(k).txt", String(repeating: "a", count: 40) + "!\n") }
  }

  /// `survivors`: the forked matchers still running 5 s after the signal (then killed, so that the wait for
  /// arrakis's exit, which they would hold through an inherited descriptor, can end).
  func run(signal: Int32) throws -> (status: Int32, seconds: Double, stderr: String, matchers: [pid_t], survivors: [pid_t]) {
    let server = try LoopbackServer([
      .sse(SSEBuilder.toolUse(id: "g", name: "Grep", input: ["pattern": "(a+)+$", "output_mode": "content"])),
      .sse(SSEBuilder.text("never reached")),
    ])
    let err = dir.file("err-\(signal)")
    FileManager.default.createFile(atPath: err, contents: nil)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLIRunner.binaryPath)
    p.arguments = ["code", "--permission", "read-only", "search"]
    p.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": dir.path,
                     "ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL,
                     "ARRAKIS_GREP_BUILTIN": "1", "ARRAKIS_STALL_TIMEOUT": "120"]
    p.currentDirectoryURL = URL(fileURLWithPath: dir.file("repo"))
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = FileHandle.nullDevice
    p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    try p.run()
    let deadline = Date().addingTimeInterval(30)
    while server.requests.isEmpty && Date() < deadline { usleep(20_000) }
    usleep(1_000_000)  // the Grep call is running now
    let matchers = Self.forkedMatchers(of: p.processIdentifier)
    let sent = Date()
    kill(p.processIdentifier, signal)
    let settled = Date().addingTimeInterval(5)
    while matchers.contains(where: { !Self.isGone($0) }) && Date() < settled { usleep(20_000) }
    let survivors = matchers.filter { !Self.isGone($0) }
    survivors.forEach { kill($0, SIGKILL) }
    while p.isRunning && Date().timeIntervalSince(sent) < 60 { usleep(20_000) }
    if p.isRunning { p.interrupt(); kill(p.processIdentifier, SIGKILL) }
    p.waitUntilExit()
    return (p.terminationStatus, Date().timeIntervalSince(sent), (try? String(contentsOfFile: err, encoding: .utf8)) ?? "", matchers, survivors)
  }

  /// The children of `pid` running the arrakis binary itself: the built-in engine's forked matchers
  /// (Sources/Agent/Tools/ForkedWork.swift).
  static func forkedMatchers(of pid: pid_t) -> [pid_t] {
    let binary = URL(fileURLWithPath: CLIRunner.binaryPath).resolvingSymlinksInPath().path
    let all = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return all.compactMap { pid_t($0) }.filter { child in
      guard let status = try? String(contentsOfFile: "/proc/\(child)/status", encoding: .utf8),
        status.contains("\nPPid:\t\(pid)\n")
      else { return false }
      return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(child)/exe")) == binary
    }
  }

  /// Gone, or a zombie waiting for whoever adopted it.
  static func isGone(_ pid: pid_t) -> Bool {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return true }
    return status.contains("State:\tZ")
  }

  /// kill -9 leaves arrakis no moment to stop its matchers: they die with it (PR_SET_PDEATHSIG), not hours
  /// later.
  @Test func killedItsForkedMatchersDieWithIt() throws {
    let r = try run(signal: SIGKILL)
    #expect(!r.matchers.isEmpty, "no forked matcher was running when arrakis was killed")
    #expect(r.survivors == [], "forked matchers outlived arrakis")
  }

  @Test(arguments: [SIGTERM, SIGINT])
  func aSignalStopsACatastrophicBuiltinGrep(signal: Int32) throws {
    let r = try run(signal: signal)
    #expect(r.survivors == [], "forked matchers outlived the session")
    #expect(r.seconds < 15, "the session took \(r.seconds) s to stop after the signal")
    #expect(r.status == 130, "stderr: \(r.stderr)")
    let ledger = try Ledger.open(path: db)
    let s = try #require(try ledger.listSessions().first)
    #expect(s.status == .interrupted)
  }
}
