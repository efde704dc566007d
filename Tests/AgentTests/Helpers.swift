import ArrakisCore
import Foundation
import Testing

@testable import Agent

/// A real temporary workspace, removed when the test's value goes away.
final class TempWorkspace {
  let root: String

  init() {
    var template = Array((NSTemporaryDirectory() + "/arrakis-agent-test-XXXXXX").utf8CString)
    let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }!
    root = PathGuard.resolve(String(cString: p), base: "/")
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  @discardableResult
  func write(_ rel: String, _ text: String) -> String {
    let path = root + "/" + rel
    try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try! text.write(toFile: path, atomically: false, encoding: .utf8)
    return path
  }

  func read(_ rel: String) -> String? { try? String(contentsOfFile: root + "/" + rel, encoding: .utf8) }

  func context(sandbox: ((inout SandboxPolicy) -> Void)? = nil, engine: GrepEngine = .builtin) -> ToolContext {
    var sb = SandboxPolicy(workspace: root)
    sandbox?(&sb)
    return ToolContext(root: root, sandbox: sb, grepEngine: engine)
  }

  func setMtime(_ rel: String, _ seconds: Int) {
    var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
    utimensat(AT_FDCWD, root + "/" + rel, &times, 0)
  }
}

let permissive = PermissionPolicy(level: .fullAccess, askAbove: nil)

/// Dispatches through the registry exactly as the loop will.
func call(_ name: String, _ input: JSONValue, _ ctx: ToolContext, policy: PermissionPolicy = permissive) async -> ToolOutcome {
  await ToolRegistry.standard.execute(name: name, input: input, context: ctx, policy: policy)
}

extension ToolOutcome {
  var text: String { output.content }
  var isError: Bool { output.isError }
  var isDenied: Bool { denialReason != nil }
}

func elapsed(_ body: () async throws -> Void) async rethrows -> Double {
  let start = Date()
  try await body()
  return Date().timeIntervalSince(start)
}

/// The bound for "this call did not hang": well under the runtime of the commands it cuts short (≥ 300 s),
/// well over what a loaded 2-core CI machine adds by scheduling the awaiting test late. Tighter figures
/// would measure the test scheduler rather than the tool; speed is measured by bench/.
let hangBound: Double = 120  // 30 s was exceeded (36 s) by calls taking milliseconds alone, the whole suite on 2 cores

/// Whether a process exists and is not a zombie (killed processes stay zombies until init reaps them).
func isRunning(_ pid: pid_t) -> Bool {
  guard kill(pid, 0) == 0 else { return false }
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
    return true
  }
  return stat[stat.index(close, offsetBy: 2)] != "Z"
}

/// Whether the OS-sandbox tests can run: reported as skipped, not passed, where bubblewrap cannot
/// (`make test` installs it, so CI runs them).
let bubblewrapRuns: Bool = { if case .available = Bubblewrap.availability { return true }; return false }()
