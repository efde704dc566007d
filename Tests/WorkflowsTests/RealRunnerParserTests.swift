import Foundation
import Testing

@testable import Workflows

/// The parsers fed with what the real runners print, captured during the test: each case writes a tiny
/// project with a passing, a failing and a skipped test, runs the runner through `TestRunner` (as the gate
/// does), and checks every test is named with its outcome and counted. A runner that is not installed is
/// skipped, visibly.
@Suite struct RealRunnerParserTests {
  static func has(_ tool: String) -> Bool { RealRunnerParserTests.which(tool) != nil }
  static func which(_ tool: String) -> String? {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(tool)" }
      .first { FileManager.default.isExecutableFile(atPath: $0) }
  }
  static var hasPytest: Bool {
    guard has("python3") else { return false }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: which("python3")!)
    p.arguments = ["-c", "import pytest"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }

  func outcomes(_ run: TestRun) -> [String: TestOutcome] {
    Dictionary(run.results.map { ($0.name, $0.outcome) }, uniquingKeysWith: { a, _ in a })
  }

  static let pythonSuite = """
    import unittest

    class TestCalc(unittest.TestCase):
        def test_add(self):
            self.assertEqual(1 + 1, 2)

        def test_sub(self):
            \"\"\"Subtracts (a docstring puts the outcome on the next line).\"\"\"
            self.assertEqual(1 - 1, 1)

        @unittest.skip("later")
        def test_mul(self):
            pass

        def test_err(self):
            print("noise from the test")
            raise ValueError("boom")

    """

  @Test(.enabled(if: has("python3"), "python3 is not installed"))
  func unittestVerbose() async throws {
    let t = try TempTree()
    try t.write("test_calc.py", Self.pythonSuite)
    let run = try await TestRunner().run("python3 -m unittest -v test_calc", in: t.root)
    #expect(!run.passed)
    #expect(outcomes(run) == [
      "test_calc.TestCalc.test_add": .passed, "test_calc.TestCalc.test_sub": .failed,
      "test_calc.TestCalc.test_mul": .skipped, "test_calc.TestCalc.test_err": .failed,
    ], "\(run.output)")
    #expect(run.counts == TestCounts(passed: 1, failed: 2, skipped: 1))
    #expect(run.namesTests)
  }

  @Test(.enabled(if: hasPytest, "pytest is not installed"))
  func pytestVerboseAndQuiet() async throws {
    let t = try TempTree()
    try t.write("test_calc.py", Self.pythonSuite)
    let verbose = try await TestRunner().run("python3 -m pytest -v -p no:cacheprovider test_calc.py", in: t.root)
    #expect(outcomes(verbose) == [
      "test_calc.py::TestCalc::test_add": .passed, "test_calc.py::TestCalc::test_sub": .failed,
      "test_calc.py::TestCalc::test_mul": .skipped, "test_calc.py::TestCalc::test_err": .failed,
    ], "\(verbose.output)")
    #expect(verbose.counts == TestCounts(passed: 1, failed: 2, skipped: 1))

    // -q names only the failures (in its short summary), but still counts everything.
    let quiet = try await TestRunner().run("python3 -m pytest -q -p no:cacheprovider test_calc.py", in: t.root)
    #expect(Set(quiet.failingTests) == ["test_calc.py::TestCalc::test_sub", "test_calc.py::TestCalc::test_err"], "\(quiet.output)")
    #expect(quiet.counts == TestCounts(passed: 1, failed: 2, skipped: 1))
    #expect(!quiet.namesTests)
  }

  static let goSuite = """
    package calc

    import "testing"

    func TestAdd(t *testing.T) {
    	if 1+1 != 2 {
    		t.Fatal("add")
    	}
    }

    func TestSub(t *testing.T) {
    	if 1-1 != 1 {
    		t.Fatal("sub is wrong")
    	}
    }

    func TestLater(t *testing.T) { t.Skip("later") }

    func TestSplit(t *testing.T) {
    	t.Run("empty", func(t *testing.T) {})
    	t.Run("one", func(t *testing.T) { t.Error("split one") })
    }

    """

  @Test(.enabled(if: has("go"), "go is not installed"))
  func goVerboseAndJSON() async throws {
    let t = try TempTree()
    try t.write("go.mod", "module example.com/calc\n\ngo 1.18\n")
    try t.write("calc_test.go", Self.goSuite)
    let env = TestRunner.defaultEnvironment.merging(["GOFLAGS": "-mod=mod", "GOCACHE": t.root + "/.cache", "GOPATH": t.root + "/.gopath"]) { $1 }
    let expected: [String: TestOutcome] = [
      "TestAdd": .passed, "TestSub": .failed, "TestLater": .skipped, "TestSplit": .failed, "TestSplit/empty": .passed,
      "TestSplit/one": .failed,
    ]
    let verbose = try await TestRunner(environment: env).run("go test -count=1 -v ./...", in: t.root)
    #expect(outcomes(verbose) == expected, "\(verbose.output)")
    #expect(verbose.counts == TestCounts(passed: 2, failed: 3, skipped: 1))
    let json = try await TestRunner(environment: env).run("go test -count=1 -json ./...", in: t.root)
    #expect(outcomes(json) == expected, "\(json.output.prefix(2000))")
    #expect(!json.failingTests.contains("example.com/calc"))
  }

  @Test(.enabled(if: has("cargo"), "cargo is not installed"))
  func cargoTest() async throws {
    let t = try TempTree()
    try t.write("Cargo.toml", "[package]\nname = \"calc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n")
    try t.write("src/lib.rs", """
      pub fn add(a: i32, b: i32) -> i32 { a + b }

      #[cfg(test)]
      mod tests {
          #[test]
          fn adds() { assert_eq!(super::add(1, 1), 2); }
          #[test]
          fn subs() { assert_eq!(1 - 1, 1); }
          #[test]
          #[ignore]
          fn later() {}
      }

      """)
    let env = TestRunner.defaultEnvironment.merging(["CARGO_TARGET_DIR": t.root + "/target", "CARGO_NET_OFFLINE": "true"]) { $1 }
    let run = try await TestRunner(environment: env).run("cargo test --offline 2>&1", in: t.root)
    #expect(outcomes(run) == ["tests::adds": .passed, "tests::subs": .failed, "tests::later": .skipped], "\(run.output)")
    #expect(run.counts == TestCounts(passed: 1, failed: 1, skipped: 1))
  }

  @Test(.enabled(if: has("node"), "node is not installed"))
  func nodeTestRunnerTAP() async throws {
    let t = try TempTree()
    try t.write("calc.test.js", """
      const test = require('node:test');
      const assert = require('node:assert');
      test('adds', () => assert.strictEqual(1 + 1, 2));
      test('subs', () => assert.strictEqual(1 - 1, 1));
      test.skip('muls', () => {});
      test.describe('math', () => {
        test.it('divides', () => assert.strictEqual(4 / 2, 2));
        test.it('mods', () => assert.strictEqual(5 % 2, 0));
      });

      """)
    let run = try await TestRunner().run("node --test --test-reporter=tap calc.test.js", in: t.root)
    // The describe block "math" is a group: it is not a failing test of its own.
    #expect(outcomes(run) == ["adds": .passed, "subs": .failed, "muls": .skipped, "divides": .passed, "mods": .failed], "\(run.output)")
    #expect(run.counts == TestCounts(passed: 2, failed: 2, skipped: 1))
    let spec = try await TestRunner().run("node --test --test-reporter=spec calc.test.js", in: t.root)
    #expect(outcomes(spec) == ["adds": .passed, "subs": .failed, "muls": .skipped, "divides": .passed, "mods": .failed], "\(spec.output)")
  }

  @Test(.enabled(if: has("ctest") && has("cmake"), "cmake/ctest is not installed"))
  func ctestRun() async throws {
    let t = try TempTree()
    try t.write("CMakeLists.txt", """
      cmake_minimum_required(VERSION 3.10)
      project(calc NONE)
      enable_testing()
      add_test(NAME adds COMMAND true)
      add_test(NAME subs COMMAND false)
      add_test(NAME later COMMAND sh -c "exit 77")
      set_tests_properties(later PROPERTIES SKIP_RETURN_CODE 77)

      """)
    let run = try await TestRunner().run("cmake -S . -B build >/dev/null && cd build && ctest", in: t.root)
    #expect(outcomes(run) == ["adds": .passed, "subs": .failed, "later": .skipped], "\(run.output)")
    #expect(run.counts == TestCounts(passed: 1, failed: 1, skipped: 1))
  }

  @Test func plainCountLinesAreCountsNotNames() async throws {
    let t = try TempTree()
    try t.write("suite.sh", "echo 'running…'\necho '3 passed, 1 failed, 2 skipped'\necho 'PASSED: 3 FAILED: 1'\nexit 1\n")
    let run = try await TestRunner().run("bash suite.sh", in: t.root)
    #expect(run.failingTests.isEmpty, "a count is not a test name: \(run.failingTests)")
    #expect(run.counts == TestCounts(passed: 6, failed: 2, skipped: 2))
  }

  /// A real `swift test` builds a package (about a minute on a shared machine), so it runs only when asked.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["ARRAKIS_TEST_SWIFT_RUNNER"] == "1",
                 "set ARRAKIS_TEST_SWIFT_RUNNER=1 to build and run a package with swift test"))
  func realSwiftTest() async throws {
    let t = try TempTree()
    try t.write("Package.swift", """
      // swift-tools-version:6.0
      import PackageDescription
      let package = Package(name: "Calc", targets: [.target(name: "Calc"), .testTarget(name: "CalcTests", dependencies: ["Calc"])])

      """)
    try t.write("Sources/Calc/Calc.swift", "public func add(_ a: Int, _ b: Int) -> Int { a - b }\n")
    try t.write("Tests/CalcTests/CalcTests.swift", """
      import XCTest
      import Testing
      @testable import Calc
      final class CalcTests: XCTestCase {
        func testAdd() { XCTAssertEqual(add(2, 3), 5) }
        func testSub() { XCTAssertEqual(2 - 1, 1) }
        func testLater() throws { throw XCTSkip("later") }
      }
      @Test func adds() { #expect(add(1, 1) == 2) }
      @Test func subs() { #expect(1 - 1 == 0) }
      @Test(.disabled("later")) func later() {}

      """)
    let run = try await TestRunner().run("swift test 2>&1", in: t.root)
    #expect(outcomes(run) == [
      "CalcTests.testAdd": .failed, "CalcTests.testSub": .passed, "CalcTests.testLater": .skipped,
      "adds()": .failed, "subs()": .passed, "later()": .skipped,
    ], "\(run.output)")
    #expect(run.counts == TestCounts(passed: 2, failed: 2, skipped: 2))
  }

  /// Lines as XCTest and Swift Testing print them on Linux (captured from a real `swift test`).
  @Test func swiftTestLines() {
    let p = TestOutputParser.parse("""
      Test Suite 'All tests' started at 2025-01-01 10:00:00.000
      Test Case 'CalcTests.testAdd' started at 2025-01-01 10:00:00.001
      Test Case 'CalcTests.testAdd' passed (0.001 seconds)
      Test Case 'CalcTests.testSub' failed (0.002 seconds)
      Test Case 'CalcTests.testLater' skipped (0.000 seconds)
      \tExecuted 3 tests, with 1 test skipped and 1 failure (0 unexpected) in 0.003 (0.003) seconds
      ◇ Test run started.
      ◇ Suite CalcSuite started.
      ✔ Test adds() passed after 0.001 seconds.
      ✘ Test subs() recorded an issue at CalcTests.swift:9:5: Expectation failed: 0 == 1
      ✘ Test subs() failed after 0.001 seconds with 1 issue.
      ➜ Test later() skipped.
      ✘ Suite CalcSuite failed after 0.003 seconds with 1 issue.
      ✘ Test run with 3 tests in 1 suite failed after 0.004 seconds with 1 issue.
      """)
    #expect(Dictionary(p.results.map { ($0.name, $0.outcome) }, uniquingKeysWith: { a, _ in a }) == [
      "CalcTests.testAdd": .passed, "CalcTests.testSub": .failed, "CalcTests.testLater": .skipped,
      "adds()": .passed, "subs()": .failed, "later()": .skipped,
    ])
    #expect(p.counts == TestCounts(passed: 2, failed: 2, skipped: 2))
    #expect(!p.results.contains { $0.name.contains("CalcSuite") })
  }

  @Test func targetNamesMatchTheLastPart() {
    #expect(TestNames.matches("test_add", "tests/test_calc.py::test_add"))
    #expect(TestNames.matches("test_add", "test_calc.TestCalc.test_add"))
    #expect(TestNames.matches("TestCalc.test_add", "test_calc.TestCalc.test_add"))
    #expect(TestNames.matches("test_neg", "tests/t.py::test_neg[2-3]"))
    #expect(TestNames.matches("empty", "TestSplit/empty"))
    #expect(!TestNames.matches("add", "test_calc.TestCalc.test_add"))
    #expect(!TestNames.matches("test_ad", "tests/test_calc.py::test_add"))
  }
}

@Suite struct ParserThroughputTests {
  /// A large verbose run (20,000 pytest lines plus unittest noise) is parsed while the gate streams it;
  /// it must not take longer than the tests themselves would.
  @Test func aLargeVerboseRunIsParsedInSeconds() {
    var text = ""
    for i in 0..<20_000 { text += "tests/test_m\(i % 50).py::test_case_\(i) \(i % 97 == 0 ? "FAILED" : "PASSED")  [ 50%]\n" }
    let start = Date()
    let p = TestOutputParser.parse(text)
    let seconds = Date().timeIntervalSince(start)
    #expect(p.results.count == 20_000)
    #expect(p.failingTests.count == (0..<20_000).filter { $0 % 97 == 0 }.count)
    #expect(seconds < 10, "took \(seconds) s")
    print("parsed 20000 pytest -v lines in \(String(format: "%.2f", seconds)) s")
  }
}
