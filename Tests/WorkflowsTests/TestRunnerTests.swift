import Foundation
import Testing

@testable import Workflows

@Suite struct TestRunnerTests {
  /// Alive and not a zombie: a killed orphan stays a zombie until whatever adopted it reaps it, and in a
  /// container PID 1 may never do so.
  func processAlive(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return true }
    return stat[stat.index(close, offsetBy: 2)] != "Z"
  }

  @Test func passingCommand() async throws {
    let t = try TempTree()
    try t.write("marker.txt", "here\n")
    let run = try await TestRunner().run("cat marker.txt; pwd; echo oops >&2", in: t.root)
    #expect(run.passed)
    #expect(run.exitCode == 0)
    #expect(run.output.contains("here"))
    #expect(run.output.contains("oops"))  // stderr is captured too
    #expect(run.output.contains(URL(fileURLWithPath: t.root).lastPathComponent))
    #expect(run.failingTests.isEmpty)
    #expect(run.summary.hasPrefix("passed"))
  }

  @Test func failingXCTestRun() async throws {
    let t = try TempTree()
    try t.write("fake.sh", """
      echo "Test Suite 'All tests' started at 2025-01-01"
      echo "Test Case 'ParserTests.testEmpty' started at 2025-01-01"
      echo "Test Case 'ParserTests.testEmpty' passed (0.001 seconds)"
      echo "/src/Tests/ParserTests.swift:12: error: ParserTests.testNested : XCTAssertEqual failed"
      echo "Test Case 'ParserTests.testNested' failed (0.002 seconds)"
      echo "Test Case '-[AppTests.LexerTests testUnicode]' failed (0.003 seconds)."
      echo "Test Suite 'All tests' failed at 2025-01-01"
      echo "	 Executed 3 tests, with 2 failures (0 unexpected) in 0.006 (0.006) seconds"
      echo "✘ Test \\"Parses numbers\\" failed after 0.002 seconds with 1 issue."
      echo "✘ Test tokenize() recorded an issue at LexerTests.swift:9:5: Expectation failed: 1 == 2"
      echo "✘ Test tokenize() failed after 0.001 seconds with 1 issue."
      echo "✘ Suite LexerSuite failed after 0.003 seconds with 2 issues."
      echo "✘ Test run with 5 tests in 1 suite failed after 0.004 seconds with 2 issues."
      exit 1
      """)
    let run = try await TestRunner().run("bash fake.sh", in: t.root)
    #expect(!run.passed)
    #expect(run.exitCode == 1)
    #expect(run.failingTests == ["ParserTests.testNested", "AppTests.LexerTests.testUnicode", "Parses numbers", "tokenize()"])
    #expect(run.counts == TestCounts(passed: 1 + 3, failed: 2 + 2))
    #expect(run.summary.hasPrefix("failed (exit 1) in "))
    #expect(run.summary.contains("4 of 8 tests failed"))
    #expect(run.summary.contains("ParserTests.testNested"))
  }

  @Test func failingPytestAndGoRuns() async throws {
    let t = try TempTree()
    try t.write("pytest.sh", """
      echo "============================= test session starts =============================="
      echo "tests/test_calc.py .F.                                                   [100%]"
      echo "=================================== FAILURES ==================================="
      echo "___________________________________ test_div ___________________________________"
      echo "FAILED tests/test_calc.py::test_div - ZeroDivisionError: division by zero"
      echo "FAILED tests/test_calc.py::TestMore::test_neg[2-3] - assert -1 == 1"
      echo "========================= 2 failed, 5 passed in 0.12s =========================="
      exit 1
      """)
    let py = try await TestRunner().run("bash pytest.sh", in: t.root)
    #expect(py.failingTests == ["tests/test_calc.py::test_div", "tests/test_calc.py::TestMore::test_neg[2-3]"])
    #expect(py.counts == TestCounts(passed: 5, failed: 2))

    try t.write("go.sh", """
      echo "=== RUN   TestAdd"
      echo "--- PASS: TestAdd (0.00s)"
      echo "=== RUN   TestSplit"
      echo "    split_test.go:14: got 2, want 3"
      echo "--- FAIL: TestSplit (0.00s)"
      echo "    --- FAIL: TestSplit/empty (0.00s)"
      echo "FAIL"
      echo "FAIL	example.com/strs	0.004s"
      exit 1
      """)
    let go = try await TestRunner().run("bash go.sh", in: t.root)
    #expect(go.failingTests == ["TestSplit", "TestSplit/empty"])
    #expect(go.counts == TestCounts(passed: 1, failed: 2))
  }

  @Test func timeoutKillsGrandchildrenQuickly() async throws {
    let t = try TempTree()
    let start = Date()
    let run = try await TestRunner(timeout: 1, killGrace: 1).run(
      "sleep 1000 & echo $! > bg.pid; echo started; sleep 1000", in: t.root)
    let elapsed = Date().timeIntervalSince(start)
    #expect(run.timedOut)
    #expect(!run.passed)
    #expect(run.output.contains("started"))
    #expect(run.summary.hasPrefix("timed out"))
    // Far under the sleep it cuts short; a loaded 2-core machine was seen to take 8 s to deliver the kill.
    #expect(run.durationMs < 60_000, "took \(run.durationMs) ms (\(elapsed) s including scheduling)")
    let pid = pid_t(try String(contentsOfFile: t.root + "/bg.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
    try await Task.sleep(for: .milliseconds(100))
    #expect(!processAlive(pid), "background sleep \(pid) survived")
  }

  @Test func backgroundChildDoesNotKeepAFinishedRunAlive() async throws {
    let t = try TempTree()
    let start = Date()
    let run = try await TestRunner(timeout: 60).run("sleep 1000 & echo $! > bg.pid; echo done", in: t.root)
    #expect(run.passed)
    #expect(run.output.contains("done"))
    #expect(run.durationMs < 3000, "took \(run.durationMs) ms (\(Date().timeIntervalSince(start)) s including scheduling)")
    let pid = pid_t(try String(contentsOfFile: t.root + "/bg.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
    try await Task.sleep(for: .milliseconds(100))
    #expect(!processAlive(pid))
  }

  @Test func cancellationStopsTheRun() async throws {
    let t = try TempTree()
    let start = Date()
    let task = Task { try await TestRunner().run("echo begun; touch started; sleep 1000", in: t.root) }
    // Cancel once the command is surely running (a loaded machine may take a while to start bash).
    for _ in 0..<300 where !FileManager.default.fileExists(atPath: t.root + "/started") {
      try await Task.sleep(for: .milliseconds(50))
    }
    task.cancel()
    let run = try await task.value
    #expect(run.interrupted)
    #expect(!run.passed)
    #expect(run.output.contains("begun"))
    // Far under the sleep it cuts short; a loaded 2-core machine was seen to take 8 s to deliver the kill.
    #expect(run.durationMs < 60_000, "took \(run.durationMs) ms (\(Date().timeIntervalSince(start)) s including scheduling)")
  }

  @Test func outputCapKeepsHeadAndTail() async throws {
    let t = try TempTree()
    let run = try await TestRunner(outputLimit: 10_000).run(
      "echo HEAD-MARKER; for i in $(seq 1 20000); do echo filler line $i; done; echo 'FAIL: test_last (m.T)'; echo TAIL-MARKER; exit 3",
      in: t.root)
    #expect(run.exitCode == 3)
    #expect(run.output.hasPrefix("HEAD-MARKER"))
    #expect(run.output.hasSuffix("TAIL-MARKER\n"))
    #expect(run.output.contains("bytes truncated"))
    #expect(run.output.utf8.count < 10_200)
    #expect(run.outputBytes > 200_000)
    #expect(run.failingTests == ["m.T.test_last"])  // unittest's FAIL: block, named module.Class.method
  }

  @Test func exitBySignalAndMissingDirectory() async throws {
    let t = try TempTree()
    let run = try await TestRunner().run("kill -9 $$", in: t.root)
    #expect(run.exitCode == 137)
    #expect(!run.passed)
    await #expect(throws: (any Error).self) { try await TestRunner().run("true", in: t.root + "/missing") }
    let notFound = try await TestRunner().run("definitely-not-a-command-xyz", in: t.root)
    #expect(notFound.exitCode == 127)
    #expect(notFound.summary.contains("not found"))
  }
}

@Suite struct TestOutputParserTests {
  @Test func cargoAndJest() {
    let cargo = TestOutputParser.parse("""
      running 3 tests
      test tests::adds ... ok
      test tests::splits ... FAILED
      test tests::joins ... FAILED
      test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out
      test result: ok. 4 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out
      """)
    #expect(cargo.failingTests == ["tests::splits", "tests::joins"])
    #expect(cargo.counts == TestCounts(passed: 5, failed: 2))

    let jest = TestOutputParser.parse("""
       FAIL  src/sum.test.js
        sum
          ✓ adds (2 ms)
          ✕ subtracts (4 ms)
        ● sum › subtracts
      Tests:       1 failed, 1 passed, 2 total
      """)
    #expect(jest.failingTests == ["subtracts"])
    #expect(jest.counts == TestCounts(passed: 1, failed: 1))
  }

  @Test func swiftTestingPassAndColours() {
    let p = TestOutputParser.parse("\u{1B}[92m✔\u{1B}[0m Test run with 11 tests in 1 suite passed after 0.5 seconds.\n")
    #expect(p.counts == TestCounts(passed: 11, failed: 0))
    #expect(p.failingTests.isEmpty)
  }

  @Test func tapAndNothing() {
    #expect(TestOutputParser.parse("ok 1 - a\nnot ok 2 - b works\n").failingTests == ["b works"])
    let none = TestOutputParser.parse("compiling…\nerror: cannot find 'x' in scope\n")
    #expect(none.failingTests.isEmpty)
    #expect(none.counts == nil)
  }

  @Test func summaryLines() {
    #expect(TestRunner.summary(passed: true, exitCode: 0, timedOut: false, interrupted: false, durationMs: 3100,
                               failing: [], counts: TestCounts(passed: 42, failed: 0), lastLine: nil) == "passed: 42 tests in 3.1 s")
    #expect(TestRunner.summary(passed: false, exitCode: 2, timedOut: false, interrupted: false, durationMs: 125_000,
                               failing: [], counts: nil, lastLine: "error: build failed") == "failed (exit 2) in 2 min 5 s: error: build failed")
    let many = (1...7).map { "t\($0)" }
    #expect(TestRunner.summary(passed: false, exitCode: 1, timedOut: false, interrupted: false, durationMs: 1000,
                               failing: many, counts: nil, lastLine: nil) == "failed (exit 1) in 1.0 s: t1, t2, t3, t4, t5, +2 more")
  }
}
