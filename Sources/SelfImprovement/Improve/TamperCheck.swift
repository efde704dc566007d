import Foundation
import Git

/// Compares the baseline's check files with the agent's versions and names every change that could make
/// the gate pass without the code being right: a deleted test file, removed test functions, fewer
/// assertions, new skip markers, a changed test configuration. Findings mean "a person must look", never
/// "merge"; adding tests or assertions is fine.
public enum TamperCheck {
  static let assertionMarkers = ["XCTAssert", "#expect", "#require", "assert", "expect(", "[ ", "test "]
  static let skipMarkers = [
    "XCTSkip", ".disabled", "@pytest.mark.skip", "pytest.skip", "t.Skip", "#[ignore]", "it.skip", "describe.skip",
    "test.skip", "xit(", "xdescribe(", "@Disabled", "@Ignore", "exit 0",
  ]
  static let testFunctionPatterns = [
    #"func\s+test\w*"#, #"@Test\b"#, #"def\s+test_\w*"#, #"fn\s+test_\w*"#, #"func\s+Test\w*"#, #"\b(it|test)\(\s*['"]"#,
  ]

  /// One finding per problem, in path order.
  public static func findings(in changes: [FileChange]) -> [String] {
    var out: [String] = []
    for change in changes.sorted(by: { $0.path < $1.path }) {
      let path = change.oldPath ?? change.path
      guard TestFileRules.isCheckFile(path: path) || TestFileRules.isCheckFile(path: change.path) else { continue }
      if change.status == .deleted {
        out.append("\(path): baseline check file deleted")
        continue
      }
      guard let before = change.oldContent else { continue }  // a new test file only adds checks
      let after = change.newContent ?? ""
      if TestFileRules.isTestConfig(path: path) {
        out.append("\(path): test configuration changed")
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
    }
    return out
  }

  /// A changed assertion line counts as weakening: the gate cannot tell a stricter expectation from a looser
  /// one, and the baseline's own tests still run against the new code to show which it was.
  static func assertionLines(_ text: String) -> Set<String> {
    Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { line in
      assertionMarkers.contains { line.contains($0) }
    })
  }

  static func occurrences(_ markers: [String], in text: String) -> Int {
    markers.reduce(0) { $0 + text.components(separatedBy: $1).count - 1 }
  }

  static func count(_ patterns: [String], in text: String) -> Int {
    patterns.reduce(0) { total, pattern in
      guard let regex = try? NSRegularExpression(pattern: pattern) else { return total }
      return total + regex.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
    }
  }
}
