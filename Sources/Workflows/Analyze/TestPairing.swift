import FoundationEssentials
import Glibc

/// "Does this source file have a test?" by name only: a test file whose name contains the source's base
/// name (TreeScanner.swift ↔ TreeScannerTests.swift, parser.py ↔ test_parser.py, user.go ↔ user_test.go).
enum TestPairing {
  /// Build manifests and package markers that nobody writes tests for.
  static let exempt: Set<String> = ["Package.swift", "__init__.py", "setup.py", "conftest.py", "main.go", "main.swift"]

  static func untested(_ files: [FileSignals]) -> [String] {
    var sources: [(path: String, base: String)] = []
    for f in files where !f.isTest && Language.isCode(f.language) {
      let fileName = f.path.split(separator: "/").last.map(String.init) ?? f.path
      if exempt.contains(fileName) { continue }
      let base = Language.baseName(of: f.path).lowercased()
      if !base.isEmpty { sources.append((f.path, base)) }
    }
    let wanted = Set(sources.map(\.base))
    let lengths = Set(wanted.map(\.utf8.count))
    // Every substring of every test file name whose length some source base name has, looked up in a set:
    // linear in the number of test files instead of sources × tests substring searches.
    var covered: Set<String> = []
    for f in files where f.isTest {
      let name = Array((f.path.split(separator: "/").last.map(String.init) ?? f.path).lowercased().utf8)
      for length in lengths where length <= name.count {
        for start in 0...(name.count - length) {
          let candidate = String(decoding: name[start..<(start + length)], as: UTF8.self)
          if wanted.contains(candidate) { covered.insert(candidate) }
        }
      }
    }
    return sources.filter { !covered.contains($0.base) }.map(\.path)
  }
}
