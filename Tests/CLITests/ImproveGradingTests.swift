import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// A Python project in a temp folder for improve's grading tests: `calc.py` whose `add` is wrong (so
/// `test_add` fails), a unittest suite run verbosely by `make test`, a user's own uncommitted work, and
/// scripted model turns against the loopback server.
struct PythonImproveRepo {
  let dir = TempDir("improve-py")
  var db: String { dir.file("ledger.db") }
  var repo: String { dir.file("repo") }
  var state: String { dir.file("state") }
  /// Prepended to PATH for arrakis (a virtualenv's bin, say).
  var pathPrefix: String?

  static let calc = "def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n"
  static let tests = """
    import unittest

    from calc import add, mul, sub


    class TestCalc(unittest.TestCase):
        def test_add(self):
            self.assertEqual(add(2, 3), 5)

        def test_sub(self):
            self.assertEqual(sub(5, 3), 2)

        def test_mul(self):
            self.assertEqual(mul(2, 3), 6)

    """
  static let fixAdd = ImproveCommandTests.bash("t1", "sed -i '2s/a - b/a + b/' calc.py")

  init(makefile: String = "test:\n\tpython3 -m unittest -v\n", extra: [String: String] = [:], calc: String = PythonImproveRepo.calc) throws {
    try dir.write("repo/calc.py", calc)
    try dir.write("repo/test_calc.py", Self.tests)
    try dir.write("repo/Makefile", makefile)
    try dir.write("repo/notes.txt", "notes\n")
    for (path, text) in extra { try dir.write("repo/" + path, text) }
    try GitFixture.sh("git init -q -b main && git add -A && git commit -qm init", cwd: repo)
    try GitFixture.sh("echo stashed >> notes.txt && git stash -q && echo mine >> notes.txt && echo draft > draft.txt", cwd: repo)
  }

  func arrakis(_ args: [String], server: LoopbackServer? = nil, env extra: [String: String] = [:]) async throws -> CLIResult {
    var env = ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "XDG_STATE_HOME": state]
    if let server { env["ANTHROPIC_BASE_URL"] = server.baseURL }
    if let pathPrefix { env["PATH"] = pathPrefix + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") }
    env.merge(extra) { $1 }
    return try await CLIRunner.run(args, env: env, cwd: repo, timeout: 240)
  }

  @discardableResult
  func git(_ command: String) throws -> String { try GitFixture.sh(command, cwd: repo).trimmingCharacters(in: .whitespacesAndNewlines) }
  func ledger() throws -> Ledger { try Ledger.open(path: db) }
  func improveBranches() throws -> String { try git("git branch --list 'arrakis/*'") }
  func leftovers() -> [String] {
    (FileManager.default.enumerator(atPath: state + "/arrakis/worktrees")?.allObjects as? [String] ?? []).filter { $0.split(separator: "/").count == 2 }
  }
  func json(_ r: CLIResult) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "stdout: \(r.stdout)\nstderr: \(r.stderr)")
  }
}

/// Starting red, SWE-bench style: the baseline names every test, the failing ones are the targets, the
/// passing ones the guards, and the result says which went from failing to passing.
@Suite struct ImproveGradingTests {
  @Test func fixingTheFailingTestIsKeptWithFailToPassAndPassToPass() async throws {
    let r0 = try PythonImproveRepo()
    let before = try GitFixture.fingerprint(r0.repo)
    let server = try LoopbackServer([PythonImproveRepo.fixAdd, ImproveCommandTests.say("Fix add()\n\nIt subtracted.")])
    let r = try await r0.arrakis(["improve", "--json", "fix the failing test test_add"], server: server,
                                 env: ["GIT_AUTHOR_NAME": "Grace Hopper", "GIT_AUTHOR_EMAIL": "grace@example.com"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let obj = try r0.json(r)
    #expect(obj["result"] as? String == "kept")
    let f2p = try #require(obj["fail_to_pass"] as? [[String: Any]])
    #expect(f2p.count == 1)
    #expect((f2p.first?["name"] as? String)?.hasSuffix("test_add") == true)
    #expect(f2p.first?["before"] as? String == "failed" && f2p.first?["after"] as? String == "passed")
    let p2p = try #require(obj["pass_to_pass"] as? [[String: Any]])
    #expect(Set(p2p.compactMap { ($0["name"] as? String)?.split(separator: ".").last.map(String.init) }) == ["test_sub", "test_mul"])
    #expect(p2p.allSatisfy { $0["before"] as? String == "passed" && $0["after"] as? String == "passed" })
    // The agent was told which tests to fix.
    let system = server.requests.first?.body?["system"]?.arrayValue?.compactMap { $0["text"]?.stringValue }.joined() ?? ""
    #expect(system.contains("test_calc.TestCalc.test_add"))

    #expect(try GitFixture.fingerprint(r0.repo) == before)
    let branch = try #require(obj["branch"] as? String)
    #expect(try r0.git("git show \(branch):calc.py").contains("return a + b"))
    #expect(try r0.git("git diff --name-only main \(branch)") == "calc.py")
    #expect(try r0.git("git log -1 --format='%an <%ae>' \(branch)") == "Grace Hopper <grace@example.com>")

    let session = try #require(try r0.ledger().listSessions(SessionFilter(systemType: .improve)).first)
    let m = try #require(try r0.ledger().selfModifications(sessionID: session.id).first)
    #expect(m.testResults?["fail_to_pass"]?.arrayValue?.first?["after"]?.stringValue == "passed")
    #expect(m.testResults?["pass_to_pass"]?.arrayValue?.count == 2)

    let shown = try await r0.arrakis(["log", "show", String(session.id.prefix(8))])
    #expect(shown.status == 0, "stderr: \(shown.stderr)")
    #expect(shown.stdout.contains("fail_to_pass (1):") && shown.stdout.contains("test_add: failed → passed"), "\(shown.stdout)")
    #expect(shown.stdout.contains("pass_to_pass (2, 0 broken):"))
    #expect(shown.stdout.contains("── diff ──") && shown.stdout.contains("-    return a - b") && shown.stdout.contains("+    return a + b"))
  }

  @Test func newTestsRunTooAndMustPass() async throws {
    let addTest = "printf 'import unittest\\nfrom calc import add\\n\\n\\nclass TestMore(unittest.TestCase):\\n    def test_zero(self):\\n        self.assertEqual(add(0, 0), %s)\\n' > test_more.py"
    for (expected, status) in [("0", Int32(0)), ("1", Int32(1))] {
      let r0 = try PythonImproveRepo()
      let server = try LoopbackServer([
        ImproveCommandTests.bash("t1", "sed -i '2s/a - b/a + b/' calc.py && " + addTest.replacingOccurrences(of: "%s", with: expected)),
        ImproveCommandTests.say("Fix add() and test zero"),
      ])
      let r = try await r0.arrakis(["improve", "--json", "--max-fix-attempts", "0", "fix the failing test"], server: server)
      #expect(r.status == status, "expected \(expected): \(r.stderr)")
      let obj = try r0.json(r)
      let withNew = try #require((obj["tests"] as? [String: Any])?["gate_with_new_tests"] as? [String: Any])
      #expect((withNew["results"] as? [[String: Any]])?.contains { ($0["name"] as? String)?.hasSuffix("test_zero") == true } == true)
      if status == 0 { #expect(Set(obj["files"] as? [String] ?? []) == ["calc.py", "test_more.py"]) }
      else { #expect((obj["message"] as? String)?.contains("test_more.TestMore.test_zero") == true, "\(obj["message"] ?? "")") }
    }
  }

  @Test func aManifestOutsideItsTestSectionsMayChange() async throws {
    let r0 = try PythonImproveRepo()
    let server = try LoopbackServer([
      ImproveCommandTests.bash("t1", "sed -i '2s/a - b/a + b/' calc.py && printf '\\nlint:\\n\\tpython3 -m pyflakes .\\n' >> Makefile"),
      ImproveCommandTests.say("Fix add() and add a lint target"),
    ])
    let r = try await r0.arrakis(["improve", "--json", "--sandbox", "policy", "fix the failing test"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let obj = try r0.json(r)
    #expect(obj["result"] as? String == "kept" && Set(obj["files"] as? [String] ?? []) == ["Makefile", "calc.py"], "\(obj)")
  }

  @Test func unknownTargetIsExit2BeforeAnythingIsLeft() async throws {
    let r0 = try PythonImproveRepo()
    let before = try GitFixture.fingerprint(r0.repo)
    let server = try LoopbackServer([])
    let r = try await r0.arrakis(["improve", "--target", "test_nope", "fix it"], server: server)
    #expect(r.status == 2, "stderr: \(r.stderr)")
    #expect(r.stderr.contains("--target test_nope") && r.stderr.contains("test_add"), "\(r.stderr)")
    #expect(server.requests.isEmpty)
    #expect(try r0.improveBranches().isEmpty && r0.leftovers().isEmpty)
    #expect(try GitFixture.fingerprint(r0.repo) == before)
    // A passing test is no target either.
    let passing = try await r0.arrakis(["improve", "--target", "test_sub", "fix it"], server: server)
    #expect(passing.status == 2 && passing.stderr.contains("passes at the baseline"), "\(passing.stderr)")
  }

  @Test func targetNarrowsAndTheOtherFailureMayStayRed() async throws {
    // Two tests fail; only test_add is the target, so test_mul may stay red.
    let r0 = try PythonImproveRepo(calc: PythonImproveRepo.calc.replacingOccurrences(of: "a * b", with: "a ** b"))
    let server = try LoopbackServer([PythonImproveRepo.fixAdd, ImproveCommandTests.say("Fix add()")])
    let r = try await r0.arrakis(["improve", "--json", "--target", "test_add", "fix add"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let obj = try r0.json(r)
    #expect((obj["targets"] as? [String])?.count == 1)
    #expect((obj["pass_to_pass"] as? [[String: Any]])?.count == 1)
  }

  @Test func targetStillRedAfterTheFixLoopIsDiscardedNamingIt() async throws {
    let r0 = try PythonImproveRepo()
    let server = try LoopbackServer([
      ImproveCommandTests.bash("t1", "echo '# looked at it' >> calc.py"), ImproveCommandTests.say("Done."),
    ])
    let r = try await r0.arrakis(["improve", "--max-fix-attempts", "0", "fix the failing test"], server: server)
    #expect(r.status == 1, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("still failing: test_calc.TestCalc.test_add") && r.stdout.contains("discarded"), "\(r.stdout)")
    #expect(r.stdout.contains("fail_to_pass test_calc.TestCalc.test_add: failed → failed"), "\(r.stdout)")
    #expect(r.stdout.contains("pass_to_pass: 2 of 2 still pass"), "\(r.stdout)")
    #expect(try r0.improveBranches().isEmpty && r0.leftovers().isEmpty)
  }

  @Test func redBaselineWithoutTestNamesIsRefusedSayingHowToNameTargets() async throws {
    let r0 = try PythonImproveRepo(makefile: "test:\n\t@python3 -m unittest 2>/dev/null || { echo 'something broke'; exit 1; }\n")
    let server = try LoopbackServer([])
    let r = try await r0.arrakis(["improve", "fix it"], server: server)
    #expect(r.status == 1, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("names no failing test") && r.stdout.contains("--target") && r.stdout.contains("-v"), "\(r.stdout)")
    #expect(try server.requests.isEmpty && r0.improveBranches().isEmpty)
  }

  @Test func writeAndEditOnTheJudgeAreDeniedWithTheReason() async throws {
    let r0 = try PythonImproveRepo()
    let write = ScriptedResponse.sse(SSEBuilder.turn(blocks: [
      .toolUse(id: "w1", name: "Write", input: ["file_path": .string("test_calc.py"), "content": .string("# gone\n")]),
      .toolUse(id: "w2", name: "Write", input: ["file_path": .string("conftest.py"), "content": .string("x = 1\n")]),
    ], stopReason: "tool_use"))
    let server = try LoopbackServer([write, ImproveCommandTests.say("Done.")])
    let r = try await r0.arrakis(["improve", "fix the failing test"], server: server)
    #expect(r.status == 1, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("changed nothing"))
    let results = server.requests.last?.body?["messages"]?.arrayValue?.last?["content"]?.arrayValue ?? []
    let texts = results.map { $0.serialized() }.joined()
    #expect(texts.contains("part of the judge") && texts.contains("configure how tests run"), "\(texts)")
  }

  @Test func filesTheTestRunCreatesAreNeverCommitted() async throws {
    let r0 = try PythonImproveRepo(makefile: "test:\n\tpython3 -m unittest -v\n\tmkdir -p build && echo binary > build/calc.o && echo log > test-output.log\n")
    // The agent runs the tests itself too, so their artifacts are in the tree it leaves.
    let server = try LoopbackServer([
      ImproveCommandTests.bash("t1", "sed -i '2s/a - b/a + b/' calc.py && make test && ls build/calc.o test-output.log"),
      ImproveCommandTests.say("Fix add()"),
    ])
    let r = try await r0.arrakis(["improve", "--json", "fix the failing test"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let results = server.requests.last?.body?["messages"]?.arrayValue?.last?["content"]?.arrayValue?.map { $0.serialized() }.joined() ?? ""
    #expect(results.contains("build/calc.o"), "the agent's own test run made the artifacts: \(results)")
    let obj = try r0.json(r)
    #expect(obj["files"] as? [String] == ["calc.py"])
    let branch = try #require(obj["branch"] as? String)
    #expect(try r0.git("git ls-tree -r --name-only \(branch)").split(separator: "\n").sorted() == ["Makefile", "calc.py", "notes.txt", "test_calc.py"])
  }

  @Test func theGateIgnoresInheritedRunnerSettingsAndStartupHooks() async throws {
    let r0 = try PythonImproveRepo()
    // A sitecustomize.py on an inherited PYTHONPATH that makes every assertEqual pass: without the clean
    // room the baseline would be green and test_add no target.
    try r0.dir.write("evil/sitecustomize.py", "import unittest\nunittest.TestCase.assertEqual = lambda *a, **k: None\n")
    let server = try LoopbackServer([PythonImproveRepo.fixAdd, ImproveCommandTests.say("Fix add()")])
    let r = try await r0.arrakis(["improve", "--json", "fix the failing test"], server: server,
                                 env: ["PYTHONPATH": r0.dir.file("evil"), "PYTHONSTARTUP": r0.dir.file("evil/sitecustomize.py")])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let f2p = try #require(try r0.json(r)["fail_to_pass"] as? [[String: Any]])
    #expect(f2p.count == 1 && (f2p.first?["name"] as? String)?.hasSuffix("test_add") == true)
  }

  @Test func importsThatResolveOutsideTheWorktreeAreRefused() async throws {
    // The package lives in lib/, which only a .pth file (an editable install of the user's checkout) puts on
    // the path: the gate would import the user's files, not the change.
    let r0 = try PythonImproveRepo(
      makefile: "test:\n\tpython3 -m unittest discover -s tests -v\n",
      extra: ["lib/calc/__init__.py": PythonImproveRepo.calc, "tests/test_calc.py": PythonImproveRepo.tests, "calc.py": ""])
    try r0.git("git rm -q calc.py test_calc.py && git commit -qm 'lib layout'")
    var r1 = r0
    let venv = r0.dir.file("venv")
    try GitFixture.sh("python3 -m venv --without-pip '\(venv)'", cwd: r0.dir.path)
    let site = try GitFixture.sh("'\(venv)/bin/python3' -c 'import site; print(site.getsitepackages()[0])'", cwd: r0.dir.path)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try (r0.repo + "/lib\n").write(toFile: site + "/__editable__.calc.pth", atomically: true, encoding: .utf8)
    r1.pathPrefix = venv + "/bin"
    let server = try LoopbackServer([])
    let r = try await r1.arrakis(["improve", "fix the failing test"], server: server)
    #expect(r.status == 3, "stderr: \(r.stderr)")
    #expect(r.stderr.contains("import `calc`") && r.stderr.contains("outside the worktree"), "\(r.stderr)")
    #expect(try server.requests.isEmpty && r0.improveBranches().isEmpty)
  }

  /// The same grading for other runners the machine has: go test -v and node --test name their tests too.
  @Test(.enabled(if: RealRunnerProbe.has("go"), "go is not installed"))
  func goFixIsGradedByTestName() async throws {
    let r0 = try PythonImproveRepo(extra: [
      "go.mod": "module example.com/calc\n\ngo 1.18\n",
      "calc.go": "package calc\n\nfunc Add(a, b int) int { return a - b }\n\nfunc Sub(a, b int) int { return a - b }\n",
      "calc_test.go": "package calc\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(2, 3) != 5 {\n\t\tt.Fatal(\"add\")\n\t}\n}\n\nfunc TestSub(t *testing.T) {\n\tif Sub(5, 3) != 2 {\n\t\tt.Fatal(\"sub\")\n\t}\n}\n",
    ])
    let server = try LoopbackServer([
      ImproveCommandTests.bash("t1", "sed -i 's/func Add(a, b int) int { return a - b }/func Add(a, b int) int { return a + b }/' calc.go"),
      ImproveCommandTests.say("Fix Add"),
    ])
    let r = try await r0.arrakis(["improve", "--json", "--test-cmd", "go test -count=1 -v ./...", "fix the failing test TestAdd"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let obj = try r0.json(r)
    #expect((obj["fail_to_pass"] as? [[String: Any]])?.map { $0["name"] as? String } == ["TestAdd"])
    #expect((obj["pass_to_pass"] as? [[String: Any]])?.map { $0["name"] as? String } == ["TestSub"])
  }

  @Test(.enabled(if: RealRunnerProbe.has("node"), "node is not installed"))
  func nodeFixIsGradedByTestName() async throws {
    let r0 = try PythonImproveRepo(extra: [
      "calc.js": "exports.add = (a, b) => a - b;\nexports.sub = (a, b) => a - b;\n",
      "calc.test.js": "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add, sub } = require('./calc');\ntest.describe('calc', () => {\n  test.it('adds', () => assert.strictEqual(add(2, 3), 5));\n  test.it('subs', () => assert.strictEqual(sub(5, 3), 2));\n});\n",
    ])
    let server = try LoopbackServer([
      ImproveCommandTests.bash("t1", "sed -i '1s/a - b/a + b/' calc.js"), ImproveCommandTests.say("Fix add"),
    ])
    let r = try await r0.arrakis(["improve", "--json", "--test-cmd", "node --test --test-reporter=tap calc.test.js", "fix adds"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let obj = try r0.json(r)
    // The describe block is a group, never a target of its own.
    #expect((obj["fail_to_pass"] as? [[String: Any]])?.map { $0["name"] as? String } == ["adds"])
    #expect((obj["pass_to_pass"] as? [[String: Any]])?.map { $0["name"] as? String } == ["subs"])
  }
}
