import Git
import Testing
@testable import Workflows

/// The static half of the tamper-proof gate: which test-file changes count as weakening the checks.
@Suite struct TamperCheckTests {
  func change(_ path: String, _ before: String?, _ after: String?, _ status: FileChangeStatus = .modified) -> FileChange {
    FileChange(path: path, status: status, before: before, after: after)
  }

  let swiftTests = """
    func testAdd() { XCTAssertEqual(add(2, 3), 5) }
    func testSub() { XCTAssertEqual(sub(5, 3), 2) }
    """

  @Test func addingTestFilesOrChangingSourcesIsFine() {
    #expect(TamperCheck.findings(in: [
      change("Sources/Calc.swift", "a", "b"),
      change("Tests/NewTests.swift", nil, "func testX() {}", .added),
    ]).isEmpty)
    // The baseline's test files are the judge: even an added test inside one is a change to it.
    let f = TamperCheck.findings(in: [
      change("Tests/CalcTests.swift", swiftTests, swiftTests + "\nfunc testMul() { XCTAssertEqual(mul(2, 3), 6) }")
    ])
    #expect(f == ["Tests/CalcTests.swift: a baseline test file changed (the tests are the judge; add new test files instead)"])
  }

  @Test func deletedTestFileAndRemovedFunctionsAreFlagged() {
    let f = TamperCheck.findings(in: [
      change("Tests/CalcTests.swift", swiftTests, "func testAdd() { XCTAssertEqual(add(2, 3), 5) }"),
      change("tests/test_calc.py", "def test_x():\n    assert x()\n", nil, .deleted),
    ])
    #expect(f.contains { $0.contains("CalcTests.swift: test functions removed (2 → 1)") })
    #expect(f.contains { $0.contains("CalcTests.swift: fewer assertions") })
    #expect(f.contains { $0.contains("test_calc.py: baseline check file deleted") })
  }

  @Test(arguments: [
    ("Tests/CalcTests.swift", "func testA() { XCTAssert(a) }", "func testA() throws { throw XCTSkip(\"later\"); XCTAssert(a) }"),
    ("tests/test_a.py", "def test_a():\n    assert a()\n", "@pytest.mark.skip\ndef test_a():\n    assert a()\n"),
    ("calc_test.go", "func TestA(t *testing.T) { if !a() { t.Fail() } }", "func TestA(t *testing.T) { t.Skip(); if !a() { t.Fail() } }"),
    ("src/lib.rs.test.rs", "fn test_a() { assert!(a()) }", "#[ignore]\nfn test_a() { assert!(a()) }"),
    ("web/a.test.js", "it('a', () => { expect(a()).toBe(1) })", "it.skip('a', () => { expect(a()).toBe(1) })"),
  ])
  func skipMarkersAreFlagged(_ path: String, _ before: String, _ after: String) {
    #expect(TamperCheck.findings(in: [change(path, before, after)]).contains { $0.contains("skip marker added") }, "\(path)")
  }

  @Test func editedAssertionsAndTestConfigurationAreFlagged() {
    let f = TamperCheck.findings(in: [
      change("Tests/CalcTests.swift", swiftTests, swiftTests.replacingOccurrences(of: "5)", with: "6)")),
      change("Makefile", "test:\n\tsh test.sh\n", "test:\n\ttrue\n"),
      change("Package.swift", ".testTarget(name: \"A\")", ""),
    ])
    #expect(f.contains { $0.contains("CalcTests.swift: assertions edited") })
    #expect(f.contains { $0 == "Makefile: test configuration changed" })
    #expect(f.contains { $0 == "Package.swift: test configuration changed" })
  }

  @Test func scriptSuitesCountAsTests() {
    #expect(TestFileRules.isTestSource(path: "test.sh") && TestFileRules.isTestSource(path: "scripts/test_io.sh"))
    #expect(!TestFileRules.isTestSource(path: "calc.sh") && !TestFileRules.isCheckFile(path: "Sources/Latest.swift"))
  }
}
