import Foundation
import CArrakisSystem

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

    var environment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "HOME": tmp.path, "LANG": "C.UTF-8", "ARRAKIS_RETRY_BASE_MS": "5",
    ]
    environment.merge(env) { _, new in new }
    let status = try spawnAndWait(
      [binaryPath] + args, environment: environment, stdin: stdin, cwd: cwd, stdout: outURL.path, stderr: errURL.path,
      timeout: timeout)
    return CLIResult(
      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
      status: status)
  }

  /// posix_spawn and waitpid on the child's own pid, not Foundation's Process: under load Process's SIGCHLD
  /// bookkeeping was seen to miss a child's exit and leave `waitUntilExit` waiting on a zombie forever, which
  /// hangs the whole suite.
  static func spawnAndWait(
    _ argv: [String], environment: [String: String], stdin: String?, cwd: String?, stdout: String, stderr: String,
    timeout: TimeInterval
  ) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var input: [Int32] = [-1, -1]
    if stdin != nil {
      guard arrakis_pipe_cloexec(&input) == 0 else { throw CLIRunnerError("pipe: \(String(cString: strerror(errno)))") }
      posix_spawn_file_actions_adddup2(&actions, input[0], 0)
      posix_spawn_file_actions_addclose(&actions, input[1])
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_TRUNC, 0)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_TRUNC, 0)
    if let cwd { _ = arrakis_spawn_chdir(&actions, cwd) }
    // The child starts as from a shell: default dispositions, nothing blocked, whatever this thread has.
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    var all = sigset_t(), none = sigset_t()
    sigfillset(&all)
    sigdelset(&all, SIGKILL)
    sigdelset(&all, SIGSTOP)
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setsigmask(&attr, &none)

    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (cArgv + cEnv).forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, &attr, cArgv, cEnv)
    if stdin != nil { close(input[0]) }
    guard rc == 0 else {
      if stdin != nil { close(input[1]) }
      throw CLIRunnerError("cannot start \(argv[0]): \(String(cString: strerror(rc)))")
    }
    if let stdin {
      let bytes = Array(stdin.utf8)
      var offset = 0
      while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(input[1], $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }  // the child closed its stdin
        offset += n
      }
      close(input[1])
    }

    let deadline = Date().addingTimeInterval(timeout)
    var status: Int32 = 0
    var killed = false
    while true {
      let r = waitpid(pid, &status, WNOHANG)
      if r == pid { break }
      if r < 0 && errno != EINTR { throw CLIRunnerError("waitpid: \(String(cString: strerror(errno)))") }
      if !killed && Date() >= deadline {
        kill(pid, SIGTERM)
        killed = true
        // A child that ignores SIGTERM gets SIGKILL after a grace; the wait itself stays bounded.
        let grace = Date().addingTimeInterval(5)
        while waitpid(pid, &status, WNOHANG) == 0 && Date() < grace { usleep(10_000) }
        if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        continue
      }
      usleep(2_000)
    }
    // As Foundation's `terminationStatus` gave it: the exit code, or the signal's number for a killed child.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
  }
}

struct CLIRunnerError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
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
