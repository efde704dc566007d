import ArrakisCore
import FoundationEssentials
import Glibc

/// Limits on what a tool returns to the model (each result is paid for in tokens on every later turn).
public struct OutputLimits: Sendable {
  public var readLines = 2000
  /// The budget of one tool result in characters (UTF-8 bytes, so never more characters): the tool that
  /// knows the content stops at a whole line within it; the loop's own cap is only a safety net.
  public var resultChars = 30_000
  /// Where the agent loop's last-resort cap sits: above every budget a tool applies (plus room for the
  /// short notes a tool appends after budgeting, such as Bash's exit status), so it only ever cuts a
  /// result no tool budgeted.
  public var safetyNetChars: Int {
    let budget = max(resultChars, bashChars, grepChars)
    return budget > Int.max - 2_000 ? Int.max : budget + 2_000
  }
  public var lineChars = 2000
  public var bashChars = 30_000
  public var globResults = 100
  public var grepChars = 30_000
  /// Seconds of regex work the built-in Grep engine may spend on one file (see RegexBudget).
  public var grepFileSeconds: Double = 5
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
  /// False when mkdtemp failed and `stateDirectory` is the shared temporary directory: then it is
  /// neither readable through the file tools nor removed at the end.
  private let ownsStateDirectory: Bool

  private let lock = Lock()
  /// What each file looked like when this session last Read or wrote it (see FileStamp).
  private var _readFiles: [String: FileStamp?] = [:]
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
    var template = Array((temporaryDirectory() + "/arrakis-session-XXXXXX").utf8CString)
    let dir = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    self.ownsStateDirectory = dir != nil
    self.stateDirectory = PathGuard.resolve(dir.map { String(cString: $0) } ?? temporaryDirectory(), base: "/")
  }

  deinit {
    // The session is over: its background jobs end with it.
    BackgroundJobs.shared.stopAll(session: stateDirectory)
    if ownsStateDirectory { try? FileManager.default.removeItem(atPath: stateDirectory) }
  }

  public func markRead(_ path: String) {
    let stamp = FileStamp(ofResolved: path)
    lock.lock(); _readFiles[path] = stamp; lock.unlock()
  }
  public func hasRead(_ path: String) -> Bool { lock.lock(); defer { lock.unlock() }; return _readFiles[path] != nil }
  /// Whether the file was Read (or written) in this session and has changed on disk since.
  public func changedSinceRead(_ path: String) -> Bool {
    lock.lock()
    let seen = _readFiles[path]
    lock.unlock()
    guard let seen else { return false }
    return FileStamp(ofResolved: path) != seen
  }

  /// Where the next Bash call starts. Re-resolved on every read with the file tools' resolution: a
  /// directory since replaced by a symlink, or one now outside the allowed directories, gives the root.
  public var bashCwd: String {
    get {
      lock.lock()
      let cwd = _bashCwd
      lock.unlock()
      let r = PathResolver.resolve(cwd, base: root)
      guard r.failure == nil, r.path == cwd, sandbox.allowedDirectories.contains(where: { PathGuard.isInside(cwd, $0) }) else {
        return root
      }
      return cwd
    }
    set { lock.lock(); _bashCwd = newValue; lock.unlock() }
  }

  /// Resolves a model-supplied path and enforces the sandbox for `purpose`.
  /// The session's state directory is readable too (Bash keeps its files there, such as the logs of
  /// background runs it tells the model to Read), never writable through the file tools.
  public func resolve(_ raw: String, for purpose: PathGuard.Purpose) throws -> String {
    // Read may also open the logs of Bash's background jobs, which live in the state folder.
    let readable = ownsStateDirectory ? [stateDirectory] : [PathGuard.resolve(BackgroundJobs.folder(stateDirectory), base: "/")]
    let allowed = purpose == .read ? sandbox.allowedDirectories + readable : sandbox.allowedDirectories
    return try PathGuard.resolveChecked(raw, base: root, purpose, allowed: allowed)
  }

  /// Short form for display: workspace-relative when inside it.
  public func display(_ path: String) -> String { PathGuard.relative(path, to: root) }
}
