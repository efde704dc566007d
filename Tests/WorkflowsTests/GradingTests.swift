import ArrakisCore
import Foundation
import Git
import Testing

@testable import Workflows

/// The grading rules on their own: targets and guards from a baseline run, a verdict from a gate run.
@Suite struct GradingTests {
  func run(_ results: [(String, TestOutcome)], passed: Bool, namesTests: Bool = true) -> TestRun {
    TestRun(
      command: "t", exitCode: passed ? 0 : 1, passed: passed, durationMs: 1, output: "", outputBytes: 0,
      failingTests: results.filter { $0.1 == .failed }.map(\.0), counts: nil, summary: "",
      results: results.map { TestResult(name: $0.0, outcome: $0.1) }, namesTests: namesTests)
  }

  @Test func targetsAreTheFailingTestsAndGuardsThePassingOnes() throws {
    let base = run([("t.a", .failed), ("t.b", .passed), ("t.c", .failed), ("t.d", .skipped)], passed: false)
    let all = try TestPlan.make(baseline: base, requested: [])
    #expect(all.targets == ["t.a", "t.c"] && all.guards == ["t.b"] && all.otherFailing.isEmpty)
    let one = try TestPlan.make(baseline: base, requested: ["a"])
    #expect(one.targets == ["t.a"] && one.otherFailing == ["t.c"])
    #expect(throws: ArrakisError.self) { try TestPlan.make(baseline: base, requested: ["zzz"]) }
    #expect(throws: ArrakisError.self) { try TestPlan.make(baseline: base, requested: ["b"]) }
  }

  @Test func greenNeedsEveryTargetPassingAndEveryGuardStillPassing() throws {
    let plan = try TestPlan.make(baseline: run([("a", .failed), ("b", .passed), ("c", .failed)], passed: false), requested: ["a"])
    // c may stay red: the run's red exit is explained by it alone.
    #expect(TestVerdict(plan: plan, run: run([("a", .passed), ("b", .passed), ("c", .failed)], passed: false)).green)
    let broken = TestVerdict(plan: plan, run: run([("a", .passed), ("b", .failed), ("c", .failed)], passed: false))
    #expect(!broken.green && broken.guardsBroken == ["b"])
    let still = TestVerdict(plan: plan, run: run([("a", .failed), ("b", .passed), ("c", .failed)], passed: false))
    #expect(!still.green && still.targetsStillRed == ["a"] && still.summary.contains("still failing: a"))
    // A guard that vanished (renamed, deleted) is not a pass, even with exit 0.
    let vanished = TestVerdict(plan: plan, run: run([("a", .passed), ("c", .passed)], passed: true))
    #expect(!vanished.green && vanished.passToPass.first?.after == .missing)
    // A failing new test is a new failure.
    #expect(!TestVerdict(plan: plan, run: run([("a", .passed), ("b", .passed), ("new", .failed), ("c", .failed)], passed: false)).green)
    // A red exit that names no test (a crash, a build error) is red.
    #expect(!TestVerdict(plan: plan, run: run([], passed: false, namesTests: false)).green)
  }

  @Test func runnersThatNameOnlyFailuresAreGradedByTheExitStatus() throws {
    let base = run([("add", .failed)], passed: false, namesTests: false)
    let plan = try TestPlan.make(baseline: base, requested: [])
    #expect(TestVerdict(plan: plan, run: run([], passed: true, namesTests: false)).green)
    #expect(!TestVerdict(plan: plan, run: run([("add", .failed)], passed: false, namesTests: false)).green)
    #expect(TestPlan.ungradable(run([], passed: false, namesTests: false))?.contains("names no failing test") == true)
  }

  @Test func theCleanRoomDropsRunnerOptionsAndPointsPythonAtTheWorktree() throws {
    let t = try TempTree()
    try t.mkdir("src")
    let env = CleanEnvironment.make(base: [
      "PATH": "/usr/bin", "HOME": "/home/u", "PYTEST_ADDOPTS": "-k 'not x'", "PYTHONPATH": "/elsewhere", "PYTHONSTARTUP": "/s.py",
      "NODE_OPTIONS": "--require /evil.js", "RUSTFLAGS": "--cfg x", "GOFLAGS": "-run=TestNone", "LD_PRELOAD": "/evil.so",
      "PYTEST_PLUGINS": "evil", "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER": "true",
    ], worktree: t.root)
    #expect(env["PATH"] == "/usr/bin" && env["HOME"] == "/home/u")
    #expect(env["PYTHONPATH"] == t.root + ":" + t.root + "/src")
    #expect(env["PYTHONNOUSERSITE"] == "1")
    for gone in ["PYTEST_ADDOPTS", "PYTHONSTARTUP", "NODE_OPTIONS", "RUSTFLAGS", "GOFLAGS", "LD_PRELOAD", "PYTEST_PLUGINS",
                 "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER"] {
      #expect(env[gone] == nil, "\(gone)")
    }
  }

  @Test func theJudgeIsRefusedToWriteAndEditWithTheReason() {
    let judge: Set<String> = ["tests/test_calc.py", "Makefile"]
    #expect(JudgeGuardedTool.refusal(path: "tests/test_calc.py", judge: judge)?.contains("part of the judge") == true)
    #expect(JudgeGuardedTool.refusal(path: "conftest.py", judge: judge)?.contains("configure how tests run") == true)
    #expect(JudgeGuardedTool.refusal(path: "pkg/sub/.pytest.ini", judge: judge) != nil)
    #expect(JudgeGuardedTool.refusal(path: "calc.py", judge: judge) == nil)
    #expect(JudgeGuardedTool.refusal(path: "tests/test_new.py", judge: judge) == nil)  // a new test file is welcome
    // In a shared manifest only the test sections are the judge.
    let pyproject = "[project]\ndependencies = []\n\n[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n"
    let addDependency: JSONValue = ["file_path": "pyproject.toml", "old_string": "dependencies = []", "new_string": "dependencies = [\"attrs\"]"]
    #expect(JudgeGuardedTool.sharedRefusal(path: "pyproject.toml", before: pyproject,
                                           after: JudgeGuardedTool.result(of: addDependency, on: pyproject)) == nil)
    let deselect: JSONValue = ["file_path": "pyproject.toml", "content": .string(pyproject + "addopts = \"-k 'not x'\"\n")]
    #expect(JudgeGuardedTool.sharedRefusal(path: "pyproject.toml", before: pyproject,
                                           after: JudgeGuardedTool.result(of: deselect, on: pyproject))?.contains("part of the judge") == true)
  }

  @Test func metricDecisionNeedsMoreThanOnePercentAndTheSpread() {
    let spec = MetricSpec(command: "m")
    #expect(MetricReport.decide(spec, baseline: [100, 100, 100], candidate: [90, 90, 90]).significant)
    #expect(!MetricReport.decide(spec, baseline: [100, 100, 100], candidate: [99.5, 99.5, 99.5]).significant)  // under 1 %
    #expect(!MetricReport.decide(spec, baseline: [90, 100, 110], candidate: [85, 85, 85]).significant)  // within the spread
    #expect(!MetricReport.decide(spec, baseline: [100, 100, 100], candidate: [110, 110, 110]).significant)  // worse
    var higher = spec
    higher.goal = .higher
    #expect(MetricReport.decide(higher, baseline: [10, 10, 10], candidate: [12, 12, 12]).significant)
    #expect(MetricProbe.lastNumber("took 12 ms\nscore: 3.5e2 points\n") == 350)
    #expect(MetricProbe.lastNumber("none") == nil)
  }
}

/// The tamper check's newer rules: runner configuration and hooks anywhere, test sections only.
@Suite struct JudgeTamperTests {
  func change(_ path: String, _ before: String?, _ after: String?, _ status: FileChangeStatus = .modified) -> FileChange {
    FileChange(path: path, status: status, before: before, after: after)
  }

  @Test(arguments: ["conftest.py", "pkg/conftest.py", ".pytest.ini", "pytest.ini", "sitecustomize.py", "usercustomize.py",
                    "jest.config.js", "vitest.config.ts", ".mocharc.json", "evil.pth"])
  func newRunnerConfigurationIsTampering(_ path: String) {
    #expect(TamperCheck.findings(in: [change(path, nil, "x = 1\n", .added)]).contains { $0.contains("new test configuration") }, "\(path)")
  }

  @Test func hooksInPackageCodeAreTampering() {
    let f = TamperCheck.findings(in: [change("calc/__init__.py", "def add(a, b):\n    return a + b\n",
      "def add(a, b):\n    return a + b\n\ndef pytest_runtest_makereport(item, call):\n    pass\n")])
    #expect(f.contains { $0.hasPrefix("calc/__init__.py: adds a pytest hook function") }, "\(f)")
    let patch = TamperCheck.findings(in: [change("calc.py", "", "import unittest\nunittest.TestResult.addFailure = lambda *a: None\n")])
    #expect(patch.contains { $0.contains("unittest's result reporting") }, "\(patch)")
    for code in ["setattr(unittest.TestCase, 'assertEqual', lambda *a: None)", "unittest.TestCase.assertEqual = lambda *a: None",
                 "pytest.fail = lambda *a, **k: None"] {
      #expect(TamperCheck.findings(in: [change("calc.py", "", "import unittest, pytest\n" + code + "\n")]).contains { $0.contains("patch") }, "\(code)")
    }
    #expect(TamperCheck.findings(in: [change("calc.py", "", "if unittest.mock is None == x:\n    pass\n")]).isEmpty)
  }

  @Test func onlyTestSectionsOfSharedConfigCount() {
    let before = "[project]\nname = \"calc\"\ndependencies = []\n\n[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n"
    #expect(TamperCheck.findings(in: [change("pyproject.toml", before, before.replacingOccurrences(of: "dependencies = []", with: "dependencies = [\"attrs\"]"))]).isEmpty)
    let deselect = before + "addopts = \"-k 'not test_add'\"\n"
    #expect(TamperCheck.findings(in: [change("pyproject.toml", before, deselect)]) == ["pyproject.toml: test configuration changed"])
    let make = "build:\n\tcc -o calc calc.c\n\ntest: build\n\t./run-tests\n"
    #expect(TamperCheck.findings(in: [change("Makefile", make, make.replacingOccurrences(of: "cc -o", with: "cc -O2 -o"))]).isEmpty)
    #expect(!TamperCheck.findings(in: [change("Makefile", make, make.replacingOccurrences(of: "./run-tests", with: "echo ok"))]).isEmpty)
    let manifest = "let p = Package(name: \"C\", targets: [.target(name: \"C\"), .testTarget(name: \"CTests\", dependencies: [\"C\"])])"
    #expect(TamperCheck.findings(in: [change("Package.swift", manifest, manifest.replacingOccurrences(of: ".target(name: \"C\")", with: ".target(name: \"C\", dependencies: [])"))]).isEmpty)
    #expect(!TamperCheck.findings(in: [change("Package.swift", manifest, manifest.replacingOccurrences(of: ", .testTarget(name: \"CTests\", dependencies: [\"C\"])", with: ""))]).isEmpty)
    let pkg = #"{"name": "calc", "version": "1.0.0", "scripts": {"test": "node --test"}}"#
    #expect(TamperCheck.findings(in: [change("package.json", pkg, pkg.replacingOccurrences(of: "1.0.0", with: "1.0.1"))]).isEmpty)
    #expect(!TamperCheck.findings(in: [change("package.json", pkg, pkg.replacingOccurrences(of: "node --test", with: "true"))]).isEmpty)
  }

  @Test(arguments: [
    ("tests/test_a.py", "def test_a():\n    assert a()\n", "import pytest\n@pytest.mark.xfail\ndef test_a():\n    assert a()\n"),
    ("tests/test_a.py", "class T(unittest.TestCase):\n    def test_a(self):\n        self.assertTrue(a())\n",
     "class T(unittest.TestCase):\n    @unittest.skip('x')\n    def test_a(self):\n        self.assertTrue(a())\n"),
    ("web/a.test.js", "test('a', () => { expect(a()).toBe(1) })\ntest('b', () => { expect(b()).toBe(1) })",
     "test.only('a', () => { expect(a()).toBe(1) })\ntest('b', () => { expect(b()).toBe(1) })"),
  ])
  func moreSkipMarkers(_ path: String, _ before: String, _ after: String) {
    #expect(TamperCheck.findings(in: [change(path, before, after)]).contains { $0.contains("skip marker added") }, "\(path)")
  }

  @Test func renamedTestFilesAreTampering() {
    let c = FileChange(path: "tests/test_b.py", status: .renamed, before: "def test_a():\n    assert a()\n",
                       after: "def test_a():\n    assert a()\n", oldPath: "tests/test_a.py")
    #expect(TamperCheck.findings(in: [c]).contains { $0.contains("renamed to tests/test_b.py") })
  }
}
