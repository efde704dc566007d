import Foundation

/// Limits on what a tool returns to the model (each result is paid for in tokens on every later turn).
public struct OutputLimits: Sendable {
  public var readLines = 2000
  public var lineChars = 2000
  public var bashChars = 30_000
  public var globResults = 100
  public var grepChars = 30_000
  public init() {}
}

/// Which search implementation Grep uses. `.auto` takes `rg` when installed unless ARRAKIS_GREP_BUILTIN=1.
public enum GrepEngine: Sendable, Equatable {
  case auto
  case ripgrep(path: String)
  case builtin

  func resolved(environment: [String: String]) -> GrepEngine {
    guard case .auto = self else { return self }
    if environment["ARRAKIS_GREP_BUILTIN"] == "1" { return .builtin }
    if let rg = ProcessRunner.which("rg") { return .ripgrep(path: rg) }
    return .builtin
  }
}

/// State shared by all tool calls of one session. A class because Read records what it has seen
/// (Write/Edit require it) and Bash's working directory persists between calls.
public final class ToolContext: @unchecked Sendable {
  /// Workspace root, absolute and symlink-free.
  public let root: String
  public let sandbox: SandboxPolicy
  public var limits: OutputLimits
  public var grepEngine: GrepEngine
  /// Whether the workspace is arrakis's own source (only `self-modify` may change it).
  public var workspaceIsArrakisSource: Bool
  /// Private scratch directory (Bash's cwd marker file lives here).
  public let stateDirectory: String

  private let lock = NSLock()
  private var _readFiles: Set<String> = []
  private var _bashCwd: String

  public init(
    root: String, sandbox: SandboxPolicy? = nil, limits: OutputLimits = OutputLimits(), grepEngine: GrepEngine = .auto
  ) {
    let real = PathGuard.resolve(root, base: FileManager.default.currentDirectoryPath)
    self.root = real
    var sb = sandbox ?? SandboxPolicy(workspace: real)
    sb.allowedDirectories = sb.allowedDirectories.map { PathGuard.resolve($0, base: real) }
    self.sandbox = sb
    self.limits = limits
    self.grepEngine = grepEngine.resolved(environment: ProcessInfo.processInfo.environment)
    self.workspaceIsArrakisSource = SelfSource.isArrakisSource(real)
    self._bashCwd = real
    var template = Array((NSTemporaryDirectory() + "/arrakis-session-XXXXXX").utf8CString)
    let dir = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    self.stateDirectory = dir.map { String(cString: $0) } ?? NSTemporaryDirectory()
  }

  deinit {
    // The session is over: its background jobs end with it.
    BackgroundJobs.shared.stopAll(session: stateDirectory)
    try? FileManager.default.removeItem(atPath: stateDirectory)
  }

  public var readFiles: Set<String> { lock.lock(); defer { lock.unlock() }; return _readFiles }
  public func markRead(_ path: String) { lock.lock(); _readFiles.insert(path); lock.unlock() }
  public func hasRead(_ path: String) -> Bool { lock.lock(); defer { lock.unlock() }; return _readFiles.contains(path) }

  public var bashCwd: String {
    get { lock.lock(); defer { lock.unlock() }; return _bashCwd }
    set { lock.lock(); _bashCwd = newValue; lock.unlock() }
  }

  /// Resolves a model-supplied path and enforces the sandbox for `purpose`.
  public func resolve(_ raw: String, for purpose: PathGuard.Purpose) throws -> String {
    let path = PathGuard.resolve(raw, base: root)
    // Read may also open the logs of Bash's background jobs, which live in the state folder.
    let jobs = purpose == .read ? [PathGuard.resolve(BackgroundJobs.folder(stateDirectory), base: "/")] : []
    try PathGuard.check(path, purpose, allowed: sandbox.allowedDirectories + jobs, display: raw)
    return path
  }

  /// Short form for display: workspace-relative when inside it.
  public func display(_ path: String) -> String { PathGuard.relative(path, to: root) }
}
