import Foundation
import ArrakisCore
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

  /// Credentials in arrakis's environment reach neither Bash's environment nor, through /proc, the
  /// environment of arrakis or of the process between (the guardian); so not the ledger either. What
  /// `--pass-env` and `pass_env` name does reach Bash, and so do PATH and HOME.
  @Test func fakeSecretsReachNeitherBashNorTheLedgerUnderThePolicySandbox() async throws {
    try await fakeSecretsReachNeitherBashNorTheLedger(sandbox: "policy")
  }

  @Test(.enabled(if: bubblewrapRuns, "bubblewrap cannot run here"))
  func fakeSecretsReachNeitherBashNorTheLedgerUnderTheOSSandbox() async throws {
    try await fakeSecretsReachNeitherBashNorTheLedger(sandbox: "os")
  }

  /// As a user other than root (for whom permissions do not hold): arrakis is not dumpable, so its
  /// /proc/PID/environ is unreadable to the commands it runs, though they have its uid. Run with setpriv
  /// as nobody where user namespaces are switched off (so that the guardian can make no PID namespace,
  /// and arrakis is visible); skipped visibly where the tests do not run as root.
  @Test(.enabled(if: AsNobody.canSwitchUserNamespacesOff, "needs root, setpriv, python3 and a user namespace to switch user namespaces off in"))
  func arrakisOwnEnvironIsUnreadableToItsCommands() throws {
    let home = dir.file("nobody")
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
    try GitFixture.sh("git init -q && chmod -R 777 .", cwd: home)
    let probe = #"id -u; g=$(awk '{print $4}' /proc/$PPID/stat); echo parent=$(cat /proc/$g/comm); cat /proc/$g/environ >/dev/null; echo rc=$?"#
    let turn = JSONValue.array([.object(["type": "tool_use", "id": "n1", "name": "Bash", "input": .object(["command": .string(probe)])])])
    try (turn.serialized() + "\n" + #"[{"type":"text","text":"ok"}]"# + "\n").write(toFile: home + "/turns.jsonl", atomically: true, encoding: .utf8)
    let (executable, arguments) = AsNobody.command(
      [CLIRunner.binaryPath, "code", "--sandbox", "policy", "--permission", "full-access", "--output-format", "stream-json",
       "--replay", home + "/turns.jsonl", "x"], userNamespacesOff: true)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.environment = ["PATH": "/usr/bin:/bin", "HOME": home, "ARRAKIS_DB": home + "/ledger.db", "ANTHROPIC_API_KEY": "sk-ant-FAKE0005"]
    p.currentDirectoryURL = URL(fileURLWithPath: home)
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "\(text)")
    #expect(text.contains("65534\\nparent=arrakis\\n"), "\(text.prefix(1500))")
    #expect(text.contains("Permission denied") && text.contains("rc=1"), "\(text.prefix(1500))")
    // No PID namespace without user namespaces: said, naming the sysctl, with what the commands can reach then.
    #expect(text.contains("note: Bash commands share arrakis's PID namespace (clone(CLONE_NEWUSER | CLONE_NEWPID): No space left on device; user namespaces are disabled: user.max_user_namespaces = 0): they see every process, and can read the environment of your user's other processes"), "\(text.prefix(1500))")
    #expect(!text.contains("sk-ant-FAKE0005"))
  }

  func fakeSecretsReachNeitherBashNorTheLedger(sandbox: String) async throws {
    let secrets = [
      "AWS_SECRET_ACCESS_KEY": "aws-FAKE-0001", "GITHUB_TOKEN": "ghp_FAKE0002", "OPENAI_API_KEY": "sk-openai-FAKE0003",
      "ANTHROPIC_API_KEY": "sk-ant-FAKE0004",
    ]
    try dir.write("repo/.arrakis.toml", "pass_env = [\"FROM_CONFIG\"]\n")
    let probe = #"env | sort; echo ---; p=$PPID; for i in 1 2; do echo "[$p]"; tr '\0' '\n' < /proc/$p/environ; p=$(awk '{print $4}' /proc/$p/stat); done"#
    let turn = JSONValue.array([.object(["type": "tool_use", "id": "e1", "name": "Bash", "input": .object(["command": .string(probe)])])])
    try dir.write("secrets.jsonl", turn.serialized() + "\n" + #"[{"type":"text","text":"ok"}]"# + "\n")
    var e = secrets
    e["ARRAKIS_DB"] = dir.file("secrets-\(sandbox).db")
    e["NAMED_BY_FLAG"] = "flag-value-visible"
    e["FROM_CONFIG"] = "config-value-visible"
    e["NOT_NAMED"] = "not-named-value"
    let r = try await CLIRunner.run(
      ["code", "--sandbox", sandbox, "--permission", "full-access", "--pass-env", "NAMED_BY_FLAG", "--output-format", "stream-json",
       "--replay", dir.file("secrets.jsonl"), "x"],
      env: e, cwd: repo)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("PATH=") && r.stdout.contains("HOME="), "the probe did not run: \(r.stdout.prefix(2000))")
    #expect(r.stdout.contains("NAMED_BY_FLAG=flag-value-visible"))
    #expect(r.stdout.contains("FROM_CONFIG=config-value-visible"))
    #expect(!r.stdout.contains("not-named-value"))
    let ledgerBytes = [dir.file("secrets-\(sandbox).db"), dir.file("secrets-\(sandbox).db-wal")].compactMap { FileManager.default.contents(atPath: $0) }
    #expect(!ledgerBytes.isEmpty)
    for (name, value) in secrets {
      #expect(!r.stdout.contains(value), "\(name) reached Bash's output")
      for bytes in ledgerBytes { #expect(bytes.range(of: Data(value.utf8)) == nil, "\(name) reached the ledger file") }
    }
  }
}

/// Whether bubblewrap can make a sandbox here (the same probe arrakis makes).
let bubblewrapRuns: Bool = {
  guard let bwrap = ["/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return false }
  let p = Process()
  p.executableURL = URL(fileURLWithPath: bwrap)
  p.arguments = ["--ro-bind", "/", "/", "--unshare-all", "true"]
  p.standardOutput = FileHandle.nullDevice
  p.standardError = FileHandle.nullDevice
  guard (try? p.run()) != nil else { return false }
  p.waitUntilExit()
  return p.terminationStatus == 0
}()
