import Foundation
import TestSupport
import Testing

/// The API key is not readable by the agent through /proc, in either sandbox: a Bash command that knows
/// arrakis's pid (the test hands it over in a file once arrakis runs) tries its environ and cmdline,
/// `cat /proc/$PPID/environ`, its memory through /proc/PID/mem at the addresses of its maps and through
/// process_vm_readv, every process's environ, cmdline and memory it can see, and `ps aux`. Through the
/// binary against the loopback server, so the key is really in arrakis's memory (it sent it). Nothing
/// finds the key, and the key is in neither the output, nor what went to the model, nor the ledger file.
@Suite(.serialized) struct KeyThroughProcTests {
  let dir = TempDir("key-through-proc")
  let key = "sk-ant-FAKE" + String(format: "%012d", Int.random(in: 1..<1_000_000_000_000))

  /// Looks for "sk-ant-FAKE" (given in hex, so that this text holds no copy of it) where the key could
  /// be read; prints one line per place: FOUND, or what stopped it. Reading its own memory first proves
  /// that the memory reader finds what is there.
  static let probe = #"""
    import ctypes, os, sys
    needle = bytes.fromhex("736b2d616e742d46414b45")
    target = int(open(sys.argv[1]).read())
    me = os.getpid()

    def read_file(path):
        with open(path, "rb") as f:
            return f.read()

    def regions(pid):
        for line in read_file(f"/proc/{pid}/maps").decode().splitlines():
            fields = line.split()
            if fields[1].startswith("r") and not line.endswith("[vvar]"):
                start, end = (int(x, 16) for x in fields[0].split("-"))
                yield start, min(end, start + (64 << 20))

    def in_memory(pid):
        found = False
        with open(f"/proc/{pid}/mem", "rb", 0) as mem:
            for start, end in regions(pid):
                try:
                    mem.seek(start)
                    found = found or needle in mem.read(end - start)
                except OSError:
                    pass
        return found

    def attempt(name, what):
        try:
            print(name + ": " + ("FOUND" if what() else "read, not there"))
        except Exception as e:
            print(name + ": " + type(e).__name__ + " " + str(getattr(e, "strerror", e)))

    attempt("self-check", lambda: in_memory(me))
    attempt("environ", lambda: needle in read_file(f"/proc/{target}/environ"))
    attempt("cmdline", lambda: needle in read_file(f"/proc/{target}/cmdline"))
    attempt("mem", lambda: in_memory(target))

    class iovec(ctypes.Structure):
        _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
    libc = ctypes.CDLL(None, use_errno=True)
    def vm_readv():
        try:
            spans = list(regions(target))
        except OSError:
            spans = [(0x400000, 0x401000)]
        found = False
        for start, end in spans:
            buf = ctypes.create_string_buffer(end - start)
            local, remote = iovec(ctypes.addressof(buf), end - start), iovec(start, end - start)
            n = libc.process_vm_readv(target, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
            if n < 0 and len(spans) == 1:
                raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
            found = found or (n > 0 and needle in buf.raw[:n])
        return found
    attempt("process_vm_readv", vm_readv)

    seen = hits = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        seen += 1
        for part in ("environ", "cmdline"):
            try:
                if needle in read_file(f"/proc/{entry}/{part}"):
                    hits += 1
                    print(f"walk: FOUND in {part} of {entry}")
            except OSError:
                pass
        try:
            if in_memory(int(entry)):
                hits += 1
                print(f"walk: FOUND in the memory of {entry}")
        except OSError:
            pass
    print(f"walk: {seen} processes, {hits} found")
    print("probe done")
    """#

  /// arrakis runs `code --sandbox SANDBOX` with the key (as nobody with `asNobody`, through setpriv, in a
  /// user namespace that can make no other with `userNamespacesOff`); its one Bash call waits for
  /// arrakis's pid, then probes. `holder`: the environment of another process of arrakis's user (a
  /// `sleep`, as the shell that started arrakis), whose pid the command gets too and whose environ it
  /// tries (it prints how many HOLDER_MARK lines it read). Returns what arrakis printed (stdout and
  /// stderr), what it sent to the model and the ledger's files.
  func probeRun(
    sandbox: String, asNobody: Bool = false, userNamespacesOff: Bool = false, holder: [String: String]? = nil
  ) throws -> (output: String, sentToModel: String, ledger: [Data]) {
    let name = sandbox + (asNobody ? "-nobody" : "") + (userNamespacesOff ? "-nouserns" : "")
    let repo = dir.file("repo-\(name)")
    try dir.write("repo-\(name)/probe.py", Self.probe)
    try GitFixture.sh("git init -q && git add -A && git commit -qm init" + (asNobody ? " && chmod -R 777 ." : ""), cwd: repo)
    let pidFile = repo + "/arrakis.pid"
    let command = """
      while [ ! -s arrakis.pid ]; do sleep 0.05; done; a=$(cat arrakis.pid)
      echo "[parent environ]"; cat /proc/$PPID/environ | tr '\\0' '\\n'
      echo "[arrakis environ]"; tr '\\0' '\\n' < /proc/$a/environ
      echo "[ps]"; ps aux
      echo "[arrakis in ps: $(ps -o args= -p $a | cut -c1-200)]"
      if [ -s holder.pid ]; then echo "[holder environ: $(tr '\\0' '\\n' < /proc/$(cat holder.pid)/environ 2>&1 | grep -c HOLDER_MARK=)]"; fi
      /usr/bin/python3 probe.py arrakis.pid
      """
    let server = try LoopbackServer([
      .sse(SSEBuilder.toolUse(id: "p", name: "Bash", input: .object(["command": .string(command)]))),
      .sse(SSEBuilder.text("done")),
    ])
    let db = repo + "/.ledger.db"
    let out = dir.file("out-\(name)")
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    var holding: Process?
    defer {
      if let holding { kill(holding.processIdentifier, SIGKILL); holding.waitUntilExit() }
      // The holder the wrapper below started (not our child).
      if userNamespacesOff, let pid = (try? String(contentsOfFile: repo + "/holder.pid", encoding: .utf8)).flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
        kill(pid, SIGKILL)
      }
    }
    if let holder, !userNamespacesOff {
      let (executable, arguments) = AsNobody.command(["/bin/sleep", "300"])
      let h = Process()
      h.executableURL = URL(fileURLWithPath: executable)
      h.arguments = arguments
      h.environment = ["PATH": "/usr/bin:/bin"].merging(holder) { $1 }
      h.standardOutput = FileHandle.nullDevice
      h.standardError = FileHandle.nullDevice
      try h.run()
      holding = h
      // What the command would find there: the holder's environment as the test (root) reads it.
      let end = Date().addingTimeInterval(10)
      var environ = Data()
      while Date() < end {
        environ = FileManager.default.contents(atPath: "/proc/\(h.processIdentifier)/environ") ?? Data()
        if environ.range(of: Data("HOLDER_MARK=".utf8)) != nil { break }
        usleep(10_000)
      }
      #expect(environ.range(of: Data("HOLDER_MARK=".utf8)) != nil, "the holder did not start")
      if let held = holder["ANTHROPIC_API_KEY"] { #expect(environ.range(of: Data(held.utf8)) != nil, "the holder does not hold the key") }
      try "\(h.processIdentifier)\n".write(toFile: repo + "/holder.pid", atomically: true, encoding: .utf8)
    }
    let p = Process()
    let arguments = ["code", "--sandbox", sandbox, "--permission", "full-access", "--output-format", "stream-json", "probe"]
    if asNobody {
      var argv = [CLIRunner.binaryPath] + arguments
      if userNamespacesOff, let holder {
        // The holder in the same user namespace as arrakis (a process in another one could not read its
        // environ whatever the PID namespace: cap_ptrace_access_check), started by the shell that then
        // becomes arrakis, without the key.
        let assignments = holder.filter { $0.key != "ANTHROPIC_API_KEY" }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        argv = ["/bin/sh", "-c", #"env -u ANTHROPIC_API_KEY \#(assignments) /bin/sleep 300 & echo $! > holder.pid; exec "$0" "$@""#] + argv
      }
      let (executable, nobodyArguments) = AsNobody.command(argv, userNamespacesOff: userNamespacesOff)
      p.executableURL = URL(fileURLWithPath: executable)
      p.arguments = nobodyArguments
    } else {
      p.executableURL = URL(fileURLWithPath: CLIRunner.binaryPath)
      p.arguments = arguments
    }
    p.environment = ["PATH": "/usr/bin:/bin", "HOME": repo, "ARRAKIS_DB": db, "ANTHROPIC_API_KEY": key,
                     "ANTHROPIC_BASE_URL": server.baseURL]
    p.currentDirectoryURL = URL(fileURLWithPath: repo)
    p.standardInput = FileHandle.nullDevice
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    p.standardOutput = handle
    p.standardError = handle
    try p.run()
    try "\(p.processIdentifier)\n".write(toFile: pidFile + ".tmp", atomically: false, encoding: .utf8)
    #expect(rename(pidFile + ".tmp", pidFile) == 0)
    p.waitUntilExit()
    try handle.close()
    let output = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    #expect(p.terminationStatus == 0, "\(output.prefix(3000))")
    let sent = server.requests.map { String(decoding: $0.rawBody, as: UTF8.self) }.joined(separator: "\n")
    let ledger = [db, db + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
    return (output, sent, ledger)
  }

  func expectKeyUnreached(_ run: (output: String, sentToModel: String, ledger: [Data]), sandbox: String) {
    let text = run.output
    #expect(text.contains("probe done"), "the probe did not run (\(sandbox)): \(text.prefix(3000))")
    #expect(text.contains("self-check: FOUND"), "the memory reader does not work (\(sandbox)): \(text.prefix(3000))")
    #expect(text.contains("[ps]") && text.contains("PID"), "ps did not run (\(sandbox))")
    for place in ["environ: FOUND", "cmdline: FOUND", "mem: FOUND", "process_vm_readv: FOUND", "walk: FOUND"] {
      #expect(!text.contains(place), "\(sandbox): \(place)")
    }
    #expect(text.contains(" found") && text.contains("walk: "), "\(text.suffix(1500))")
    #expect(!text.contains(key), "the key reached the output (\(sandbox))")
    #expect(run.sentToModel.contains("probe done"), "the tool result did not go to the model")
    #expect(!run.sentToModel.contains(key), "the key went to the model (\(sandbox))")
    #expect(!run.ledger.isEmpty)
    for bytes in run.ledger { #expect(bytes.range(of: Data(key.utf8)) == nil, "the key reached the ledger file (\(sandbox))") }
  }

  /// As root: the policy sandbox's command runs in a PID namespace of its own, without CAP_SYS_PTRACE;
  /// arrakis is not even in its `ps`. Skipped visibly where the tests do not run as root (the test below
  /// covers another user).
  @Test(.enabled(if: getuid() == 0, "needs root: the case where /proc permissions do not hold"))
  func underThePolicySandboxAsRootNothingReadsTheKey() throws {
    let run = try probeRun(sandbox: "policy")
    expectKeyUnreached(run, sandbox: "policy")
    if case .available = isolation {
      #expect(run.output.contains("[arrakis in ps: ]"), "arrakis is visible to the command: \(run.output.suffix(3000))")
      #expect(!run.output.contains(CLIRunner.binaryPath + " code"), "arrakis is visible to the command: \(run.output.prefix(3000))")
      #expect(run.output.contains("environ: FileNotFoundError"), "\(run.output.prefix(3000))")
    }
  }

  @Test(.enabled(if: getuid() == 0 && bubblewrapRuns, "needs root and bubblewrap"))
  func underTheOSSandboxAsRootNothingReadsTheKey() throws {
    let run = try probeRun(sandbox: "os")
    expectKeyUnreached(run, sandbox: "os")
    #expect(run.output.contains("[arrakis in ps: ]"), "arrakis is visible to the command: \(run.output.suffix(3000))")
    #expect(!run.output.contains(CLIRunner.binaryPath + " code"), "arrakis is visible to the command: \(run.output.prefix(3000))")
  }

  /// As another user than root (nobody), for whom the guardian makes the PID namespace inside a user
  /// namespace: the command sees neither arrakis nor another process of the same user that holds the key
  /// in its environment (as the shell that started arrakis does), and the run gives no notice. Skipped
  /// visibly where the kernel gives nobody no user namespace (the test below covers that case).
  @Test(.enabled(if: nobodyIsolates, "needs root and setpriv, and a kernel that gives nobody a user namespace"))
  func underThePolicySandboxAsAnotherUserNothingReadsTheKey() throws {
    let run = try probeRun(sandbox: "policy", asNobody: true, holder: ["ANTHROPIC_API_KEY": key, "HOLDER_MARK": "1"])
    expectKeyUnreached(run, sandbox: "policy, as nobody")
    #expect(run.output.contains("[arrakis in ps: ]"), "arrakis is visible to the command: \(run.output.suffix(3000))")
    #expect(!run.output.contains(CLIRunner.binaryPath + " code"), "arrakis is visible to the command: \(run.output.prefix(3000))")
    #expect(run.output.contains("environ: FileNotFoundError"), "\(run.output.prefix(4000))")
    #expect(run.output.contains("[holder environ: 0]"), "the command read the environ of the user's other process: \(run.output.prefix(4000))")
    #expect(!run.output.contains("note: Bash commands share arrakis's PID namespace"), "\(run.output.prefix(1500))")
  }

  /// As nobody where user namespaces are switched off (user.max_user_namespaces = 0, in a user
  /// namespace of the test's own): no namespace, so the command sees arrakis (it is in its `ps`) and
  /// reads the environment of the user's other processes, as the notice says, naming the sysctl; but
  /// arrakis is not dumpable, so its environ and memory stay unreadable though they share the uid.
  @Test(.enabled(if: AsNobody.canSwitchUserNamespacesOff, "needs root, setpriv, python3 and a user namespace to switch user namespaces off in"))
  func underThePolicySandboxAsAnotherUserWithoutUserNamespacesArrakisStaysUnreadable() throws {
    let run = try probeRun(sandbox: "policy", asNobody: true, userNamespacesOff: true, holder: ["HOLDER_MARK": "1"])
    expectKeyUnreached(run, sandbox: "policy, as nobody, without user namespaces")
    #expect(run.output.contains("[arrakis in ps: \(CLIRunner.binaryPath) code --sandbox policy"), "arrakis is not in the command's ps: \(run.output.suffix(3000))")
    for place in ["environ", "mem"] {
      #expect(run.output.contains("\(place): PermissionError"), "\(place): \(run.output.prefix(4000))")
    }
    #expect(run.output.contains("[holder environ: 1]"), "\(run.output.prefix(4000))")
    #expect(run.output.contains("note: Bash commands share arrakis's PID namespace (clone(CLONE_NEWUSER | CLONE_NEWPID): No space left on device; user namespaces are disabled: user.max_user_namespaces = 0)"), "\(run.output.prefix(1500))")
  }

  /// What `arrakis-guard --probe-isolation` says here (the check arrakis makes).
  var isolation: Availability {
    let guardPath = (CLIRunner.binaryPath as NSString).deletingLastPathComponent + "/arrakis-guard"
    let p = Process()
    p.executableURL = URL(fileURLWithPath: guardPath)
    p.arguments = ["--probe-isolation"]
    let pipe = Pipe()
    p.standardOutput = pipe
    guard (try? p.run()) != nil else { return .unavailable("arrakis-guard did not start") }
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return p.terminationStatus == 0 ? .available : .unavailable(text)
  }

  enum Availability { case available, unavailable(String) }
}
