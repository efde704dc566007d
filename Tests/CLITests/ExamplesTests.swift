import Foundation
import TestSupport
import Testing

/// The examples are part of the product: each runs as documented.
@Suite struct ExamplesTests {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../examples").standardized.path

  @Test func offlineReplayDemoFixesTheBug() async throws {
    let script = Self.examples + "/replay-demo/run.sh"
    let result = try await Thread.detachedRun("/bin/bash", [script, CLIRunner.binaryPath])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("== before: make test\nFAIL"))
    #expect(result.output.contains("● Edit calc.sh (+1 −1)"))
    #expect(result.output.contains("== after: make test\nPASS"))
    #expect(result.output.contains("success"))
  }
}

extension ExamplesTests {
  @Test func cronWrapperIsSilentUntilSomethingIsNew() async throws {
    let dir = TempDir("cron")
    let repo = dir.file("app")
    try dir.write("app/main.py", "def main():\n    return 1\n")
    try GitFixture.sh("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
    let binDir = URL(fileURLWithPath: CLIRunner.binaryPath).deletingLastPathComponent().path
    let env = [
      "PATH": binDir + ":/usr/bin:/bin", "HOME": dir.path, "ARRAKIS_DB": dir.file("ledger.db"),
      "ARRAKIS_LOG_DIR": dir.file("logs"),
    ]
    let script = Self.examples + "/cron/arrakis-analyze.sh"
    let first = try await Thread.detachedRun("/bin/bash", [script, repo], env: env)
    #expect(first.status == 0, "\(first.output)")
    #expect(first.output.isEmpty, "cron would mail: \(first.output)")
    try dir.write("app/main.py", "def main():\n    # TODO: handle errors\n    return 1\n")
    try GitFixture.sh("git -c user.name=t -c user.email=t@t commit -qam 'add a marker'", cwd: repo)
    let second = try await Thread.detachedRun("/bin/bash", [script, repo], env: env)
    #expect(second.status == 1)
    #expect(second.output.contains("found something new"))
    #expect(second.output.contains("main.py"))
    let log = try String(contentsOfFile: dir.file("logs/analyze-app.log"), encoding: .utf8)
    #expect(log.contains("== exit 0") && log.contains("== exit 1"))
  }
}

extension Thread {
  /// Runs a program to completion on a thread of its own; output is stdout and stderr together.
  static func detachedRun(_ path: String, _ args: [String], env: [String: String]? = nil) async throws -> (status: Int32, output: String) {
    try await withCheckedThrowingContinuation { cont in
      Thread {
        do {
          let p = Process()
          p.executableURL = URL(fileURLWithPath: path)
          p.arguments = args
          if let env { p.environment = env }
          let pipe = Pipe()
          p.standardOutput = pipe
          p.standardError = pipe
          p.standardInput = FileHandle.nullDevice
          try p.run()
          let data = pipe.fileHandleForReading.readDataToEndOfFile()
          p.waitUntilExit()
          cont.resume(returning: (p.terminationStatus, String(decoding: data, as: UTF8.self)))
        } catch { cont.resume(throwing: error) }
      }.start()
    }
  }
}
