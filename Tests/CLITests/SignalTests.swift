import Foundation
import Ledger
import TestSupport
import Testing

/// Signals at any moment of a run, through the binary against the loopback server: nothing is left
/// `running` after the next start, what was recorded stays, and no process the run started survives it
/// (found by a marker in their arguments: under root policy-sandbox Bash runs in a PID namespace of its
/// own, so the pids the commands record are that namespace's). Under `--sandbox policy`: there nothing but
/// arrakis's guardian stops them.
@Suite(.serialized) struct SignalTests {
  let dir = TempDir("signals")
  var db: String { dir.file("ledger.db") }

  func start(_ args: [String], server: LoopbackServer, stdout: Any? = nil) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLIRunner.binaryPath)
    p.arguments = args
    p.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": dir.path,
                     "ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL,
                     "ARRAKIS_STALL_TIMEOUT": "120"]
    p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = stdout ?? FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
  }

  /// A Bash call that leaves a tree behind: a job in the group, one in its own session, one under
  /// `timeout` (its own group), each a `sleep` of duration `marker`; each pid is appended to `pids` (so the
  /// test knows the tree is up), then it waits.
  func leavesATree(_ pids: String, _ marker: String) -> String {
    """
    echo $$ >> \(pids); setsid sleep \(marker) & echo $! >> \(pids); timeout 5000 sleep \(marker) & echo $! >> \(pids); \
    sleep \(marker) & echo $! >> \(pids); wait
    """
  }

  func recordedPids(_ file: String) -> [pid_t] {
    ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { pid_t($0) }
  }

  func waitUntil(_ seconds: Double, _ condition: () -> Bool) {
    let end = Date().addingTimeInterval(seconds)
    while !condition() && Date() < end { usleep(20_000) }
  }

  /// What is still alive, of the processes of every marker, after up to 10 s.
  func survivors(_ markers: [String]) -> [pid_t] {
    waitUntil(10) { markers.allSatisfy { HostProcesses.live(matching: $0).isEmpty } }
    return markers.flatMap(HostProcesses.live(matching:))
  }

  @Test(arguments: [SIGKILL, SIGHUP])
  func aSignalAtRandomMomentsLeavesNoRunningSessionAndNoSurvivor(signal: Int32) throws {
    var allPids: [pid_t] = []
    var markers: [String] = []
    for round in 0..<6 {
      let pids = dir.file("pids-\(signal)-\(round)")
      let marker = HostProcesses.sleepMarker()
      markers.append(marker)
      let server = try LoopbackServer([
        .sse(SSEBuilder.toolUse(id: "t\(round)", name: "Bash", input: .object(["command": .string(leavesATree(pids, marker))]))),
        .sse(SSEBuilder.text("never reached")),
      ])
      let p = try start(["code", "--sandbox", "policy", "--permission", "full-access", "round \(round)"], server: server)
      // Half the rounds at a random moment of the start, half once the tree is up.
      if round % 2 == 0 {
        usleep(UInt32.random(in: 50_000...900_000))
      } else {
        waitUntil(20) { recordedPids(pids).count >= 4 }
        // The shell, the three sleeps, `timeout`, and the guardians: what the check below must not find.
        #expect(HostProcesses.live(matching: marker).count >= 5, "round \(round): the tree was not found running")
      }
      kill(p.processIdentifier, signal)
      p.waitUntilExit()
      allPids += recordedPids(pids)
    }
    #expect(allPids.count >= 12, "the tree never started: \(allPids)")
    #expect(survivors(markers).isEmpty, "survivors of signal \(signal): \(survivors(markers))")

    let server = try LoopbackServer([.sse(SSEBuilder.text("after the crash"))])
    let next = try start(["ask", "hello again"], server: server)
    next.waitUntilExit()
    #expect(next.terminationStatus == 0)
    let ledger = try Ledger.open(path: db)
    let sessions = try ledger.listSessions()
    #expect(sessions.filter { $0.status == .running }.isEmpty, "\(sessions.map { ($0.prompt, $0.status) })")
    let killed = sessions.filter { $0.prompt?.hasPrefix("round") == true }
    #expect(killed.count >= 3)
    for s in killed {
      #expect(s.status == .interrupted)
      // SIGKILL: swept by the next start; SIGHUP: finished by the run itself (or swept, if it came first).
      if signal == SIGKILL { #expect(s.exitReason?.contains("ended without finishing") == true) }
      // Killed once the tool ran: what it recorded stays (the request, the reply asking for the tool).
      guard let n = Int(s.prompt?.split(separator: " ").last ?? ""), n % 2 == 1 else { continue }
      let messages = try ledger.messages(sessionID: s.id)
      #expect(messages.contains { $0.role == "user" && $0.text.contains("round \(n)") }, "\(messages.map(\.text))")
      #expect(messages.contains { $0.role == "assistant" && $0.toolCalls != nil }, "\(messages.map(\.role))")
    }
  }

  @Test(arguments: [SIGHUP, SIGQUIT, SIGTERM])
  func aStopSignalDuringAToolCallFinishesTheSession(signal: Int32) throws {
    let pids = dir.file("pids-signal-\(signal)")
    let marker = HostProcesses.sleepMarker()
    let server = try LoopbackServer([
      .sse(SSEBuilder.toolUse(id: "t", name: "Bash", input: .object(["command": .string(leavesATree(pids, marker))]))),
      .sse(SSEBuilder.text("never reached")),
    ])
    let p = try start(["code", "--sandbox", "policy", "--permission", "full-access", "signal \(signal)"], server: server)
    waitUntil(20) { recordedPids(pids).count >= 4 }
    #expect(HostProcesses.live(matching: marker).count >= 5, "the tree was not found running")
    kill(p.processIdentifier, signal)
    p.waitUntilExit()
    #expect(p.terminationReason == .exit && p.terminationStatus == 130, "status \(p.terminationStatus)")
    #expect(survivors([marker]).isEmpty)
    let ledger = try Ledger.open(path: db)
    let s = try #require(try ledger.listSessions().first { $0.prompt == "signal \(signal)" })
    #expect(s.status == .interrupted)
    #expect(try ledger.toolOperations(sessionID: s.id).first?.toolName == "Bash")
  }

  /// `arrakis ask … | head -1`: the reader leaves, the next write gets SIGPIPE; the answer so far is kept
  /// and the session is finished as interrupted instead of the process dying with 141.
  @Test func aReaderThatLeavesKeepsThePartialAnswer() throws {
    let lines = (1...40).map { "line \($0) of a long answer" }.joined(separator: "\n")
    let server = try LoopbackServer([.sse(SSEBuilder.text(lines), chunkSize: 60, delayMs: 50)])
    let pipe = Pipe()
    let p = try start(["ask", "a long answer"], server: server, stdout: pipe)
    var first = Data()
    while !first.contains(UInt8(ascii: "\n")) {
      let chunk = pipe.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      first.append(chunk)
    }
    try pipe.fileHandleForReading.close()
    p.waitUntilExit()
    #expect(String(decoding: first, as: UTF8.self).hasPrefix("line 1 "))
    #expect(p.terminationReason == .exit && p.terminationStatus == 130, "status \(p.terminationStatus), \(p.terminationReason)")
    let ledger = try Ledger.open(path: db)
    let s = try #require(try ledger.listSessions().first { $0.prompt == "a long answer" })
    #expect(s.status == .interrupted)
    let kept = try ledger.messages(sessionID: s.id).last?.text ?? ""
    #expect(kept.hasPrefix("line 1 of a long answer"), "kept: \(kept)")
  }

  /// Ctrl-C during a 30 s retry-after wait stops the run at once, not after the wait.
  @Test func ctrlCDuringARetryWaitStopsAtOnce() throws {
    let overloaded = ScriptedResponse.json(
      status: 529, headers: ["retry-after": "30"], body: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
    let server = try LoopbackServer([overloaded, overloaded, overloaded])
    let p = try start(["ask", "wait for it"], server: server)
    waitUntil(20) { !server.requests.isEmpty }
    usleep(300_000)
    let sent = Date()
    p.interrupt()
    p.waitUntilExit()
    let took = Date().timeIntervalSince(sent)
    #expect(p.terminationStatus == 130, "status \(p.terminationStatus)")
    #expect(took < 10, "exited \(took) s after Ctrl-C")
    #expect(server.requests.count == 1)
  }

  /// A background job (`run_in_background`) and what it started end with the run that started it.
  @Test func aBackgroundJobEndsWithTheRun() throws {
    let pids = dir.file("pids-background")
    let marker = HostProcesses.sleepMarker()
    let server = try LoopbackServer([
      .sse(SSEBuilder.toolUse(id: "bg", name: "Bash", input: .object([
        "command": .string("echo $$ >> \(pids); setsid sleep \(marker) & echo $! >> \(pids); sleep \(marker)"), "run_in_background": true,
      ]))),
      .sse(SSEBuilder.toolUse(id: "w", name: "Bash", input: .object(["command": .string("while [ $(wc -l < \(pids)) -lt 2 ]; do sleep 0.05; done")]))),
      .sse(SSEBuilder.text("done")),
    ])
    let p = try start(["code", "--sandbox", "policy", "--permission", "full-access", "serve"], server: server)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    let recorded = recordedPids(pids)
    #expect(recorded.count == 2, "\(recorded)")
    #expect(survivors([marker]).isEmpty, "the background job outlived the run: \(survivors([marker]))")
  }
}
