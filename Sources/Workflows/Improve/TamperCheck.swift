import Agent
import FoundationEssentials
import Git

/// Compares the baseline's judge (its test files and test-run configuration) with the agent's tree and
/// names every change that could make the gate pass without the code being right: a changed, deleted or
/// renamed test file, removed test functions, fewer or edited assertions, new skip markers, changed test
/// settings, any new runner configuration (conftest.py, .pytest.ini, sitecustomize.py, jest/mocha/vitest
/// config), and test-runner hooks added anywhere, package code included (a `pytest_runtest_makereport` that
/// `__init__.py` imports rewrites outcomes just as well from there). Findings mean "a person must look",
/// never "merge"; adding a new test file is fine.
public enum TamperCheck {
  static let assertionMarkers = ["XCTAssert", "#expect", "#require", "assert", "expect(", "[ ", "test "]
  static let skipMarkers = [
    "XCTSkip", ".disabled", "@pytest.mark.skip", "pytest.mark.skip", "pytest.skip", "pytest.mark.xfail", "pytest.xfail",
    "unittest.skip", "skipTest(", "@skip", "t.Skip", "t.SkipNow", "#[ignore]", "it.skip", "describe.skip", "test.skip",
    "xit(", "xdescribe(", "xtest(", ".only(", "@Disabled", "@Ignore", "exit 0", "{ skip:", "{ todo:",
  ]
  static let testFunctionPatterns = [
    #"func\s+test\w*"#, #"@Test\b"#, #"def\s+test_?\w*"#, #"fn\s+test_\w*"#, #"#\[test\]"#, #"func\s+Test\w*"#,
    #"\b(it|test)\(\s*['"]"#,
  ]
  /// Code that changes how a runner reports outcomes, wherever it is written.
  static let hookPatterns: [(String, String)] = [
    (#"def\s+pytest_\w+\s*\("#, "a pytest hook function"),
    (#"@pytest\.hookimpl|@hookimpl"#, "a pytest hook"),
    (#"pytest_plugins\s*="#, "a pytest plugin list"),
    (#"(TestResult|TextTestResult|TestCase|TextTestRunner)\.\w+\s*="#, "a patch of unittest's result reporting"),
    (#"\.(addFailure|addError|addSkip|wasSuccessful)\s*="#, "a patch of unittest's result reporting"),
    (#"\b(unittest|pytest|_pytest)\.[\w.]+\s*=[^=]"#, "a patch of the test runner"),
    (#"setattr\(\s*(unittest|pytest|_pytest|TestCase|TestResult)\b"#, "a patch of the test runner"),
    (#"(^|\s)_?os\._exit\(0\)|atexit\.register\([^)]*exit"#, "a forced exit status"),
  ]

  /// One finding per problem, in path order.
  public static func findings(in changes: [FileChange]) -> [String] {
    var out: [String] = []
    for change in changes.sorted(by: { $0.path < $1.path }) {
      out += hookFindings(change)
      let path = change.oldPath ?? change.path
      guard TestFileRules.isCheckFile(path: path) || TestFileRules.isCheckFile(path: change.path) else { continue }
      if change.status == .deleted {
        out.append("\(path): baseline check file deleted")
        continue
      }
      if let old = change.oldPath, old != change.path {
        out.append("\(old): baseline check file renamed to \(change.path)")
      }
      guard let before = change.oldContent else {
        // A new test source only adds checks; new runner configuration decides what runs.
        if TestFileRules.isTestConfig(path: change.path) {
          let judged = change.newContent.flatMap { TestFileRules.judgedPart(path: change.path, content: $0) }
          if judged == nil || judged?.isEmpty == false { out.append("\(change.path): new test configuration") }
        }
        continue
      }
      let after = change.newContent ?? ""
      if TestFileRules.isTestConfig(path: path) {
        if let a = TestFileRules.judgedPart(path: path, content: before), let b = TestFileRules.judgedPart(path: path, content: after) {
          if a != b { out.append("\(path): test configuration changed") }
        } else if before != after {
          out.append("\(path): test configuration changed")
        }
        continue
      }
      let functionsBefore = count(testFunctionPatterns, in: before), functionsAfter = count(testFunctionPatterns, in: after)
      if functionsAfter < functionsBefore {
        out.append("\(path): test functions removed (\(functionsBefore) → \(functionsAfter))")
      }
      let assertsBefore = occurrences(assertionMarkers, in: before), assertsAfter = occurrences(assertionMarkers, in: after)
      if assertsAfter < assertsBefore {
        out.append("\(path): fewer assertions (\(assertsBefore) → \(assertsAfter))")
      }
      for marker in skipMarkers where occurrences([marker], in: after) > occurrences([marker], in: before) {
        out.append("\(path): skip marker added (\(marker))")
      }
      if assertsAfter >= assertsBefore && assertionLines(before).subtracting(assertionLines(after)).count > 0 {
        out.append("\(path): assertions edited")
      }
      if before != after && !out.contains(where: { $0.hasPrefix(path + ":") }) {
        out.append("\(path): a baseline test file changed (the tests are the judge; add new test files instead)")
      }
    }
    return out
  }

  /// Hook code on the lines a change adds (a whole new file counts as added lines).
  static func hookFindings(_ change: FileChange) -> [String] {
    guard change.status != .deleted, let after = change.newContent else { return [] }
    let beforeLines = Set((change.oldContent ?? "").split(separator: "\n").map { $0.trimmingSpacesAndTabs })
    let added = after.split(separator: "\n").map { $0.trimmingSpacesAndTabs }.filter { !beforeLines.contains($0) }
    guard !added.isEmpty else { return [] }
    let text = added.joined(separator: "\n")
    var out: [String] = []
    for (pattern, what) in hookPatterns where count([pattern], in: text, anchorsMatchLines: true) > 0 {
      let line = added.first { count([pattern], in: $0) > 0 } ?? ""
      out.append("\(change.path): adds \(what) (\(line.prefix(80)))")
    }
    return out
  }

  /// A changed assertion line counts as weakening: the gate cannot tell a stricter expectation from a looser
  /// one, and the baseline's own tests still run against the new code to show which it was.
  static func assertionLines(_ text: String) -> Set<String> {
    Set(text.split(separator: "\n").map { $0.trimmingSpacesAndTabs }.filter { line in
      assertionMarkers.contains { line.contains($0) }
    })
  }

  static func occurrences(_ markers: [String], in text: String) -> Int {
    markers.reduce(0) { $0 + text.components(separatedBy: $1).count - 1 }
  }

  /// Matches of all `patterns` in `text` (SwiftRegex: word boundaries as ICU's).
  static func count(_ patterns: [String], in text: String, anchorsMatchLines: Bool = false) -> Int {
    patterns.reduce(0) { total, pattern in
      guard var regex = try? SwiftRegex.compile(pattern) else { return total }
      if anchorsMatchLines { regex = regex.anchorsMatchLineEndings() }
      return total + text.matches(of: regex).count
    }
  }
}
