import Foundation

/// Which paths make up a project's checks: test sources (the analysis rules of `Language.isTest`, plus
/// test scripts like `test.sh`) and the files that decide what the test command runs. The tamper check
/// restores exactly these from the baseline.
public enum TestFileRules {
  /// Files whose change can switch tests off without touching a test: build manifests, runner configs.
  static let configNames: Set<String> = [
    "Package.swift", "Makefile", "GNUmakefile", "makefile", "package.json", "pytest.ini", "pyproject.toml",
    "setup.cfg", "tox.ini", "conftest.py", "Cargo.toml", "go.mod", "jest.config.js", "jest.config.ts",
    "vitest.config.js", "vitest.config.ts", ".mocharc.json", "phpunit.xml", "CMakeLists.txt",
  ]

  public static func isTestConfig(path: String) -> Bool {
    configNames.contains(String(path.split(separator: "/").last ?? ""))
  }

  public static func isTestSource(path: String) -> Bool {
    if Language.isTest(path: path) { return true }
    let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
    let stem = name.split(separator: ".").first.map(String.init) ?? name
    // Script-style suites: test.sh, tests.sh, test_math.sh, check.sh.
    return stem == "test" || stem == "tests" || stem == "check" || stem.hasPrefix("test_") || stem.hasPrefix("test-")
  }

  public static func isCheckFile(path: String) -> Bool { isTestSource(path: path) || isTestConfig(path: path) }
}
