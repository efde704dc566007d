import Foundation

/// "Does this source file have a test?" by name only: a test file whose name contains the source's base
/// name (TreeScanner.swift ↔ TreeScannerTests.swift, parser.py ↔ test_parser.py, user.go ↔ user_test.go).
enum TestPairing {
  /// Build manifests and package markers that nobody writes tests for.
  static let exempt: Set<String> = ["Package.swift", "__init__.py", "setup.py", "conftest.py", "main.go", "main.swift"]

  static func untested(_ files: [FileSignals]) -> [String] {
    // All test file names, lowercased, in one buffer: one byte search per source instead of a nested loop.
    var haystack: [UInt8] = [0x0A]
    for f in files where f.isTest {
      let name = f.path.split(separator: "/").last.map(String.init) ?? f.path
      haystack.append(contentsOf: name.lowercased().utf8)
      haystack.append(0x0A)
    }
    var result: [String] = []
    for f in files where !f.isTest && Language.isCode(f.language) {
      let fileName = f.path.split(separator: "/").last.map(String.init) ?? f.path
      if exempt.contains(fileName) { continue }
      let needle = Array(Language.baseName(of: f.path).lowercased().utf8)
      guard !needle.isEmpty else { continue }
      let found = haystack.withUnsafeBytes { findBytes($0.baseAddress!, $0.count, needle, needle.count) != nil }
      if !found { result.append(f.path) }
    }
    return result
  }
}
