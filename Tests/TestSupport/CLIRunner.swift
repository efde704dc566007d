import Foundation

/// What a user sees from one run of the arrakis binary.
public struct CLIResult: Sendable {
  public var stdout: String
  public var stderr: String
  public var status: Int32

  public init(stdout: String, stderr: String, status: Int32) {
    self.stdout = stdout
    self.stderr = stderr
    self.status = status
  }
}

/// Runs the real `arrakis` executable built next to the test bundle, the way a shell would.
public enum CLIRunner {
  /// The built binary sits beside the test executable in the build products folder.
  public static var binaryPath: String {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    // On some layouts the test binary lives inside an .xctest bundle folder.
    while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("arrakis").path), dir.path != "/" {
      dir = dir.deletingLastPathComponent()
    }
    return dir.appendingPathComponent("arrakis").path
  }

  /// Runs `arrakis args…` with a clean environment (plus `env`), optional stdin text, in `cwd`.
  /// The wait happens on a thread of its own: tests run on Swift's cooperative pool (one thread per core
  /// here), and a test blocking it for seconds would stall every other test, timing-sensitive ones included.
  public static func run(
    _ args: [String], env: [String: String] = [:], stdin: String? = nil, cwd: String? = nil,
    timeout: TimeInterval = 60
  ) async throws -> CLIResult {
    try await withCheckedThrowingContinuation { cont in
      Thread {
        cont.resume(with: Result { try runBlocking(args, env: env, stdin: stdin, cwd: cwd, timeout: timeout) })
      }.start()
    }
  }

  /// The same, blocking the calling thread; stdout/stderr go to files so a large output cannot deadlock.
  public static func runBlocking(
    _ args: [String], env: [String: String] = [:], stdin: String? = nil, cwd: String? = nil,
    timeout: TimeInterval = 60
  ) throws -> CLIResult {
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("arrakis-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: tmp) }
    let outURL = tmp.appendingPathComponent("out"), errURL = tmp.appendingPathComponent("err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: binaryPath)
    process.arguments = args
    var environment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "HOME": tmp.path, "LANG": "C.UTF-8", "ARRAKIS_RETRY_BASE_MS": "5",
    ]
    environment.merge(env) { _, new in new }
    process.environment = environment
    if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    let inPipe = Pipe()
    if stdin != nil { process.standardInput = inPipe } else { process.standardInput = FileHandle.nullDevice }
    try process.run()
    if let stdin {
      inPipe.fileHandleForWriting.write(Data(stdin.utf8))
      try? inPipe.fileHandleForWriting.close()
    }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(2_000) }
    if process.isRunning { process.terminate(); process.waitUntilExit() }
    process.waitUntilExit()
    return CLIResult(
      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
      status: process.terminationStatus)
  }
}

/// A temporary directory removed when the value is released.
public final class TempDir: @unchecked Sendable {
  public let path: String
  public init(_ prefix: String = "arrakis-test") {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }
  public func file(_ name: String) -> String { path + "/" + name }
  public func write(_ name: String, _ text: String) throws {
    let url = URL(fileURLWithPath: file(name))
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }
}
