import ArrakisCore
import FoundationEssentials
import Glibc

/// Which paths make up a project's checks — improve's judge: test sources (the analysis rules of
/// `Language.isTest`, plus test scripts like `test.sh`) and the files that decide what the test command runs
/// and how results are reported (build manifests, runner configs, conftest.py, sitecustomize.py). The gate
/// restores exactly these from the baseline before grading, and the agent's Write/Edit may not touch them.
public enum TestFileRules {
  /// Files whose change can switch tests off without touching a test: build manifests, runner configs.
  static let configNames: Set<String> = [
    "Package.swift", "Makefile", "GNUmakefile", "makefile", "package.json", "pytest.ini", ".pytest.ini", "pyproject.toml",
    "setup.cfg", "tox.ini", "noxfile.py", "conftest.py", "sitecustomize.py", "usercustomize.py", "Cargo.toml",
    "jest.config.js", "jest.config.ts", "jest.config.mjs", "jest.config.cjs", "jest.config.json",
    "vitest.config.js", "vitest.config.ts", "vitest.config.mjs", "vitest.config.mts", "vitest.workspace.ts",
    ".mocharc.json", ".mocharc.js", ".mocharc.cjs", ".mocharc.yml", ".mocharc.yaml", ".mocharc.jsonc",
    "karma.conf.js", "phpunit.xml", "CMakeLists.txt", "CTestTestfile.cmake", "CTestCustom.cmake", ".coveragerc",
  ]

  /// Directories whose config files steer a runner (`.cargo/config.toml`).
  static let configPaths = [".cargo/config", ".cargo/config.toml"]

  public static func isTestConfig(path: String) -> Bool {
    let name = String(path.split(separator: "/").last ?? "")
    return configNames.contains(name) || name.hasSuffix(".pth") || configPaths.contains { path == $0 || path.hasSuffix("/" + $0) }
  }

  public static func isTestSource(path: String) -> Bool {
    if Language.isTest(path: path) { return true }
    let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
    let stem = name.split(separator: ".").first.map(String.init) ?? name
    // Script-style suites: test.sh, tests.sh, test_math.sh, check.sh.
    return stem == "test" || stem == "tests" || stem == "check" || stem.hasPrefix("test_") || stem.hasPrefix("test-")
  }

  public static func isCheckFile(path: String) -> Bool { isTestSource(path: path) || isTestConfig(path: path) }

  /// Manifests shared between the build and the tests: only their test sections are the judge, so the agent
  /// may still edit the rest (add a dependency).
  static let sharedConfigNames: Set<String> = [
    "pyproject.toml", "Cargo.toml", "setup.cfg", "tox.ini", "Makefile", "GNUmakefile", "makefile", "package.json", "Package.swift",
  ]

  public static func isSharedConfig(path: String) -> Bool { sharedConfigNames.contains(String(path.split(separator: "/").last ?? "")) }

  /// Files where only some sections are the judge: a change elsewhere in them (a dependency) is no tampering.
  static func judgedPart(path: String, content: String) -> String? {
    let name = String(path.split(separator: "/").last ?? "")
    switch name {
    case "pyproject.toml", "Cargo.toml":
      return sections(content, where: { $0.hasPrefix("tool.pytest") || $0.hasPrefix("tool.coverage") || $0 == "[test" || $0.hasPrefix("profile.test") || $0 == "test" || $0.hasPrefix("tool.hatch.envs") || $0.hasPrefix("tool.tox") })
    case "setup.cfg", "tox.ini":
      return sections(content, where: { $0 == "tool:pytest" || $0 == "pytest" || $0.hasPrefix("tox") || $0.hasPrefix("testenv") || $0.hasPrefix("coverage") })
    case "Makefile", "GNUmakefile", "makefile":
      return makeRecipes(content, targets: ["test", "check", "tests"])
    case "package.json":
      return packageScripts(content)
    case "Package.swift":
      return calls(content, named: ".testTarget(")
    default:
      return nil
    }
  }

  /// The text of every `[section]` whose name passes `keep`, in order.
  static func sections(_ content: String, where keep: (String) -> Bool) -> String {
    var out: [Substring] = []
    var inside = false
    for line in content.split(separator: "\n", omittingEmptySubsequences: false) {
      let t = line.trimmingSpacesAndTabs
      if t.hasPrefix("[") {
        let name = t.trimming(charactersIn: "[] ").trimming(charactersIn: "\"")
        inside = keep(name)
      }
      if inside { out.append(line) }
    }
    return out.joined(separator: "\n")
  }

  /// The text of every call to `name` up to its closing parenthesis (a Package.swift's test targets).
  static func calls(_ content: String, named name: String) -> String {
    var out: [Substring] = []
    var rest = content[...]
    while let start = rest.firstRange(of: name) {
      var depth = 1
      var i = start.upperBound
      while i < rest.endIndex && depth > 0 {
        if rest[i] == "(" { depth += 1 } else if rest[i] == ")" { depth -= 1 }
        i = rest.index(after: i)
      }
      out.append(rest[start.lowerBound..<i])
      rest = rest[i...]
    }
    return out.joined(separator: "\n")
  }

  /// The rules (target line and recipe) of `targets`.
  static func makeRecipes(_ content: String, targets: Set<String>) -> String {
    var out: [Substring] = []
    var inside = false
    for line in content.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("\t") {
        if inside { out.append(line) }
        continue
      }
      guard let colon = line.firstIndex(of: ":"), !line.hasPrefix("#"), !line[line.index(after: colon)...].hasPrefix("=") else {
        if !line.trimmingSpacesAndTabs.isEmpty { inside = false }
        continue
      }
      let names = line[..<colon].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      inside = names.contains(where: targets.contains)
      if inside { out.append(line) }
    }
    return out.joined(separator: "\n")
  }

  /// `scripts` and the runners' own keys (`jest`, `mocha`, `ava`, `vitest`, `c8`, `nyc`) of a package.json.
  static func packageScripts(_ content: String) -> String {
    guard let object = (try? JSONValue.parse(content))?.objectValue else { return content }
    let keys = ["scripts", "jest", "mocha", "ava", "vitest", "c8", "nyc", "tap"].filter { object[$0] != nil }
    return JSONValue.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, object[$0]!) })).serialized()
  }
}
