import ArrakisCore
import FoundationEssentials
import Glibc

/// The command `arrakis improve` runs as its gate, and why it was chosen.
public struct DetectedTestCommand: Equatable, Sendable {
  public var command: String
  /// Which file (or setting) decided it, e.g. "Package.swift" or "configured".
  public var reason: String

  public init(command: String, reason: String) {
    self.command = command
    self.reason = reason
  }
}

/// Guesses a project's check command from the files at its root. A configured command always wins;
/// the order below prefers the ecosystem whose manifest is most specific (a Swift package with a
/// convenience Makefile is still tested with `swift test`, … but a Makefile `test:` target beats
/// package.json because projects that write one usually mean it to be the entry point).
public enum TestCommandDetector {
  public static func detect(in directory: String, configured: String? = nil) -> DetectedTestCommand? {
    if let configured = configured?.trimmed, !configured.isEmpty {
      return DetectedTestCommand(command: configured, reason: "configured")
    }
    let root = directory.hasSuffix("/") ? directory : directory + "/"
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: root + name) }
    func read(_ name: String) -> String? { try? String(contentsOfFile: root + name, encoding: .utf8) }

    if exists("Package.swift") {
      return DetectedTestCommand(command: "swift build && swift test", reason: "Package.swift")
    }
    for name in ["GNUmakefile", "makefile", "Makefile"] {
      if let text = read(name), makefileHasTestTarget(text) {
        return DetectedTestCommand(command: "make test", reason: "\(name) has a test target")
      }
    }
    if let text = read("package.json"), packageJSONHasTestScript(text) {
      return DetectedTestCommand(command: "npm test", reason: "package.json has scripts.test")
    }
    for name in ["pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini"] where exists(name) {
      return DetectedTestCommand(command: "pytest", reason: name)
    }
    if directoryHasPython(root + "tests") {
      return DetectedTestCommand(command: "pytest", reason: "tests/ contains Python files")
    }
    if exists("Cargo.toml") {
      return DetectedTestCommand(command: "cargo test", reason: "Cargo.toml")
    }
    if exists("go.mod") {
      return DetectedTestCommand(command: "go test ./...", reason: "go.mod")
    }
    return nil
  }

  /// A rule line whose targets include `test` (`test:`, `check test: deps`), not a `test := …` variable.
  /// Reads bytes, not Characters: `code` runs this before its first request, and a large project's
  /// Makefile (git/git's is 130 KB) cost milliseconds as Characters.
  static func makefileHasTestTarget(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      let (tab, space, hash, colon, equals) = (UInt8(9), UInt8(32), UInt8(ascii: "#"), UInt8(ascii: ":"), UInt8(ascii: "="))
      for line in bytes.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
        guard let first = line.first, first != tab, first != hash, let at = line.firstIndex(of: colon) else { continue }
        if line.index(after: at) < line.endIndex && line[line.index(after: at)] == equals { continue }
        let targets = line[..<at].split(whereSeparator: { $0 == space || $0 == tab })
        if targets.contains(where: { $0.elementsEqual("test".utf8) }) { return true }
      }
      return false
    }
  }

  /// `npm init` writes a placeholder test script that always fails; it does not count as having tests.
  static func packageJSONHasTestScript(_ text: String) -> Bool {
    guard let json = try? JSONValue.parse(text), let script = json["scripts"]?["test"]?.stringValue else { return false }
    let trimmed = script.trimmingSpacesAndTabs
    return !trimmed.isEmpty && !trimmed.contains("Error: no test specified")
  }

  static func directoryHasPython(_ path: String) -> Bool {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
    return names.contains { $0.hasSuffix(".py") }
  }
}
