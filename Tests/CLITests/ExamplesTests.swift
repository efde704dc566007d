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
