import ArrakisCore
import FoundationEssentials
import Glibc

/// Hard limits that hold whatever the permission level and rules say. The permission policy decides
/// *whether* a tool may be used; the sandbox bounds *what* a permitted call can touch.
///
/// Path rule: every Read/Write/Edit/Glob/Grep path is resolved by PathResolver (symlinks followed first,
/// `..` applied to the resolved path, never lexically across a link) and must lie inside one of
/// `allowedDirectories`. Write/Edit never touch a `.git` directory or a gitdir under another name
/// (GitDirectoryGuard: repository internals change only through git). Reading `.git/HEAD` and
/// friends is allowed: it is harmless and agents legitimately look at refs.
///
/// Bash: in `.policy` mode the command is screened against `forbiddenCommands` and its cwd is kept inside
/// the allowed directories, but the process itself is not confined. `.os` mode additionally runs it
/// under bubblewrap: read-only root, writable allowed directories, private /tmp, no network unless
/// `allowNetwork`. If bubblewrap cannot run, Bash refuses (no silent fallback).
public struct SandboxPolicy: Sendable {
  public enum Mode: String, Sendable, CaseIterable {
    case policy
    case os

    /// The mode of `code` and `improve` when nobody chose one: `os` where bubblewrap can run (the screen of
    /// `policy` mode is a first filter, not a boundary); `policy` elsewhere, said once on stderr.
    public static func preferred(notice: (String) -> Void = { Output.err($0) }) -> Mode {
      switch Bubblewrap.availability {
      case .available: return .os
      case .unavailable(let reason):
        if !noticeGiven.swap(true) {
          notice("note: Bash runs under the policy sandbox (a command screen, not a boundary): \(reason)\n")
        }
        return .policy
      }
    }

    private static let noticeGiven = OnceFlag()
  }

  public var allowedDirectories: [String]
  public var forbiddenCommands: [ForbiddenCommand]
  /// Largest file Read will load and Write/Edit will produce, in bytes.
  public var maxFileSize: Int
  /// Bash: timeout when the call gives none, and the ceiling for the one it gives (milliseconds).
  public var defaultTimeoutMs: Int
  public var maxTimeoutMs: Int
  public var mode: Mode
  public var allowNetwork: Bool
  /// `ulimit -u` for Bash: bounds fork bombs for non-root users (root ignores RLIMIT_NPROC; the
  /// timeout and process-group/PID-namespace kill bound it there).
  public var maxProcesses: Int
  /// `.os` mode: paths inside the writable directories that are bound read-only on top (improve's judge:
  /// the baseline's tests and test settings). Missing ones are skipped.
  public var readOnlyPaths: [String] = []

  public init(
    workspace: String,
    allowedDirectories: [String]? = nil,
    forbiddenCommands: [ForbiddenCommand] = ForbiddenCommand.defaults,
    maxFileSize: Int = 10 * 1024 * 1024,
    defaultTimeoutMs: Int = 120_000,
    maxTimeoutMs: Int = 600_000,
    mode: Mode = .policy,
    allowNetwork: Bool = false,
    maxProcesses: Int = 1024
  ) {
    self.allowedDirectories = allowedDirectories ?? [workspace]
    self.forbiddenCommands = forbiddenCommands
    self.maxFileSize = maxFileSize
    self.defaultTimeoutMs = defaultTimeoutMs
    self.maxTimeoutMs = maxTimeoutMs
    self.mode = mode
    self.allowNetwork = allowNetwork
    self.maxProcesses = maxProcesses
  }

  /// The reason a command is forbidden, or nil.
  public func forbiddenReason(command: String) -> String? {
    let parsed = ShellCommandParser.parse(command)
    for rule in forbiddenCommands where rule.matches(command, parsed ?? []) {
      return "command matches forbidden pattern '\(rule.name)'"
    }
    return nil
  }
}

/// A flag set once across threads (the sandbox notice is given once per run).
final class OnceFlag: @unchecked Sendable {
  private let lock = Lock()
  private var value = false
  /// Sets the flag and returns what it was.
  func swap(_ new: Bool) -> Bool { lock.withLock { let old = value; value = new; return old } }
}
