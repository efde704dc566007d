import ArrakisCore
import Foundation
import TestSupport
import Testing

/// Where bubblewrap cannot run, `code` says so in one line and runs Bash under the policy sandbox; asking
/// for `--sandbox os` there is refused (exit 3) instead of falling back. arrakis finds bwrap on PATH and
/// probes it, so the test takes it away for real: a PATH whose folder holds every program of /usr/bin but
/// bwrap (not installed), or one whose bwrap fails as a blocked one does (cannot create a sandbox).
@Suite struct NoBubblewrapTests {
  let dir = TempDir("no-bwrap")
  var repo: String { dir.file("repo") }

  enum Case: String, CaseIterable, CustomTestStringConvertible {
    case notInstalled, blocked
    var testDescription: String { rawValue }
  }

  init() throws {
    try dir.write("repo/README", "x\n")
    try GitFixture.sh("git init -q && git add -A && git commit -qm init", cwd: repo)
  }

  /// A folder to use as PATH: /usr/bin's programs by symlink, bwrap left out or replaced by one that fails.
  func path(for c: Case) throws -> String {
    let bin = dir.file("bin-\(c.rawValue)")
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: "/usr/bin") where name != "bwrap" {
      try FileManager.default.createSymbolicLink(atPath: bin + "/" + name, withDestinationPath: "/usr/bin/" + name)
    }
    if c == .blocked {
      // What Ubuntu's AppArmor restriction on user namespaces makes bwrap print.
      try "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n".write(
        toFile: bin + "/bwrap", atomically: true, encoding: .utf8)
      chmod(bin + "/bwrap", 0o755)
    }
    return bin
  }

  func reason(_ c: Case) -> String {
    switch c {
    case .notInstalled: "bubblewrap (bwrap) is not installed; install it (apt-get install bubblewrap) or use --sandbox policy"
    case .blocked:
      "bubblewrap cannot create a sandbox here (bwrap: setting up uid map: Permission denied); user namespaces may be disabled or blocked by AppArmor"
    }
  }

  /// The Bash call writes beside the repository: outside the workspace, which only the policy sandbox lets
  /// through (the OS sandbox binds everything but the workspace read-only).
  func turns(writing outside: String) throws -> String {
    let file = dir.file("turns-\(UUID().uuidString).jsonl")
    let turn = JSONValue.array([.object([
      "type": "tool_use", "id": "b1", "name": "Bash",
      "input": .object(["command": .string("echo unconfined > \(BashQuote.quote(outside)) && echo wrote")]),
    ])])
    try (turn.serialized() + "\n" + #"[{"type":"text","text":"ok"}]"# + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    return file
  }

  @Test(arguments: Case.allCases)
  func theDefaultIsThePolicySandboxWithANotice(_ c: Case) async throws {
    let outside = dir.file("outside-\(c.rawValue).txt")
    let r = try await CLIRunner.run(
      ["code", "--permission", "full-access", "--output-format", "stream-json", "--replay", try turns(writing: outside), "x"],
      env: ["PATH": try path(for: c), "ARRAKIS_DB": dir.file("ledger-\(c.rawValue).db")], cwd: repo)
    #expect(r.status == 0, "\(r.stderr)")
    let notices = r.stderr.split(separator: "\n").filter { $0.hasPrefix("note: Bash runs under the policy sandbox") }
    #expect(notices == ["note: Bash runs under the policy sandbox (a command screen, not a boundary): \(reason(c))"], "\(r.stderr)")
    #expect(r.stdout.contains("wrote"), "\(r.stdout.prefix(2000))")
    #expect(FileManager.default.contents(atPath: outside) == Data("unconfined\n".utf8), "the command did not run unconfined")
  }

  @Test(arguments: Case.allCases)
  func askingForTheOSSandboxIsRefused(_ c: Case) async throws {
    let outside = dir.file("refused-\(c.rawValue).txt")
    let r = try await CLIRunner.run(
      ["code", "--sandbox", "os", "--permission", "full-access", "--replay", try turns(writing: outside), "x"],
      env: ["PATH": try path(for: c), "ARRAKIS_DB": dir.file("ledger-os-\(c.rawValue).db")], cwd: repo)
    #expect(r.status == 3, "status \(r.status): \(r.stderr)")
    #expect(r.stderr.contains("--sandbox os cannot run here: \(reason(c))"), "\(r.stderr)")
    #expect(r.stderr.contains("install bubblewrap, or choose --sandbox policy knowingly"), "\(r.stderr)")
    #expect(!r.stderr.contains("note: Bash runs under the policy sandbox"))
    #expect(!FileManager.default.fileExists(atPath: outside), "a command ran")
  }
}

enum BashQuote {
  static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
