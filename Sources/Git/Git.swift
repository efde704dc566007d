import ArrakisCore
import CGit2

/// libgit2 must be initialised once per process before any call; a global `let` is initialised lazily and
/// exactly once (swift_once), which gives the thread safety for free. We never shut it down: the process
/// exits first, and a shutdown racing another thread's call would be worse than the leak.
private let libgit2Ready: Void = { _ = git_libgit2_init() }()

func ensureLibgit2() { _ = libgit2Ready }

/// A libgit2 failure as libgit2 reported it. Internal helpers throw this; public methods turn it into an
/// `ArrakisError(.git, …)` that names the operation (see `gitBoundary`), so callers only ever see ArrakisError.
public struct GitError: Error, CustomStringConvertible, Sendable {
  /// The negative return code (`GIT_ENOTFOUND`, `GIT_ECONFLICT`, …).
  public var code: Int32
  /// `git_error_last()` text, captured immediately because the next libgit2 call on this thread overwrites it.
  public var message: String

  public var description: String { message }

  init(code: Int32) {
    self.code = code
    if let last = git_error_last(), let text = last.pointee.message {
      message = String(cString: text)
    } else {
      message = "libgit2 error \(code)"
    }
  }

  var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }
}

/// Throws a `GitError` for a negative libgit2 return code; returns non-negative codes (some calls return 0/1).
@discardableResult
func check(_ rc: Int32) throws -> Int32 {
  if rc < 0 { throw GitError(code: rc) }
  return rc
}

/// Runs `body` and turns a raw `GitError` into the user-facing ArrakisError naming `operation`.
/// ArrakisErrors thrown on purpose inside (refusals with their own hint) pass through unchanged.
func gitBoundary<T>(_ operation: String, _ body: () throws -> T) throws -> T {
  ensureLibgit2()
  do {
    return try body()
  } catch let error as GitError {
    throw ArrakisError(.git, "\(operation): \(error.message)")
  }
}
