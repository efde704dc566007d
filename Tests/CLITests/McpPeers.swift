import ArrakisCore
import Foundation
import TestSupport
import Testing

/// The official Python MCP SDK as a real peer: a venv with `mcp` installed, made by `make mcp-venv`
/// (which `make test` and .ci/run call) and named by ARRAKIS_TEST_MCP_VENV; without one, the MCP tests
/// are skipped with a message saying so (never passed silently).
enum McpPeers {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
  static let scripts = repoRoot + "/Tests/MCPPeers"

  static var venv: String {
    ProcessInfo.processInfo.environment["ARRAKIS_TEST_MCP_VENV"] ?? repoRoot + "/.build/mcp-venv"
  }

  static var python: String { venv + "/bin/python" }

  static var available: Bool {
    FileManager.default.isExecutableFile(atPath: python) && FileManager.default.fileExists(atPath: scripts + "/client.py")
  }

  static let skipReason: Comment = "no Python MCP SDK venv (run `make mcp-venv`, or set ARRAKIS_TEST_MCP_VENV)"

  /// Runs the Python client against `arrakis mcp` (the binary under test), making `calls` in order, and
  /// returns what it printed: the server's info, its tools and each call's result.
  static func drive(_ calls: [JSONValue], env: [String: String], cwd: String, timeout: TimeInterval = 240) async throws -> (JSONValue, CLIResult) {
    let r = try await run(
      [python, scripts + "/client.py", JSONValue.array(calls).serialized(), "--", CLIRunner.binaryPath, "mcp"],
      env: env, cwd: cwd, timeout: timeout)
    guard r.status == 0, let json = try? JSONValue.parse(r.stdout) else {
      throw PeerError("client.py failed with status \(r.status)\nstdout: \(r.stdout)\nstderr: \(r.stderr)")
    }
    return (json, r)
  }

  /// A Claude Code style config naming the FastMCP demo server (with `extraArgs`), which appends every
  /// call it answers to `callsFile`.
  static func config(callsFile: String, extraArgs: [String] = [], command: String? = nil) -> String {
    let server: JSONValue = [
      "command": .string(command ?? python),
      "args": .array(([scripts + "/demo_server.py"] + extraArgs).map(JSONValue.string)),
      "env": ["DEMO_CALLS_FILE": .string(callsFile)],
    ]
    return JSONValue.object(["mcpServers": ["demo": server]]).serialized(pretty: true)
  }

  /// Runs a program with a small clean environment plus `env`, off the cooperative pool.
  static func run(_ argv: [String], env: [String: String], cwd: String, timeout: TimeInterval) async throws -> CLIResult {
    try await withCheckedThrowingContinuation { cont in
      Thread {
        cont.resume(with: Result {
          let p = Process()
          p.executableURL = URL(fileURLWithPath: argv[0])
          p.arguments = Array(argv.dropFirst())
          p.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": cwd, "LANG": "C.UTF-8"]
            .merging(env) { $1 }
          p.currentDirectoryURL = URL(fileURLWithPath: cwd)
          let tmp = TempDir("mcp-peer")
          FileManager.default.createFile(atPath: tmp.file("out"), contents: nil)
          FileManager.default.createFile(atPath: tmp.file("err"), contents: nil)
          p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: tmp.file("out")))
          p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: tmp.file("err")))
          p.standardInput = FileHandle.nullDevice
          try p.run()
          let deadline = Date().addingTimeInterval(timeout)
          while p.isRunning && Date() < deadline { usleep(5_000) }
          if p.isRunning { p.terminate() }
          p.waitUntilExit()
          return CLIResult(
            stdout: (try? String(contentsOfFile: tmp.file("out"), encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: tmp.file("err"), encoding: .utf8)) ?? "", status: p.terminationStatus)
        })
      }.start()
    }
  }

  /// Live processes whose command line mentions `marker` (a test's temp path): what must not outlive arrakis.
  static func processes(mentioning marker: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { pid in
      guard Int32(pid) != nil, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
      let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
      if let paren = stat.lastIndex(of: ")"), stat[stat.index(paren, offsetBy: 2)...].hasPrefix("Z") { return nil }
      let line = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
      return line.contains(marker) ? "\(pid): \(line)" : nil
    }
  }

  struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
  }
}
