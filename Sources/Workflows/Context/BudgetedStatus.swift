import ArrakisCore
import FoundationEssentials
import Glibc
import Dispatch
import Git

/// `git status` for the agent's system prompt, on a thread and a repository handle of its own, waited for
/// at most a budget. Status stats every tracked file and reads every directory, so its cost grows with
/// the tree (tens of milliseconds on git/git); `code` must not wait that long before its first request.
/// A status that misses the budget is reported as unknown, and the thread's late result is dropped.
final class BudgetedStatus: @unchecked Sendable {
  /// Shown instead of the paths when status missed its budget.
  static func unknown(budget: TimeInterval) -> String {
    "(not checked: git status takes over \(Int((budget * 1000).rounded())) ms here; run it to see)"
  }

  private let done = DispatchSemaphore(value: 0)
  private let lock = Lock()
  private var paths: [String]?

  /// Starts reading the status of the repository containing `root`.
  static func start(root: String) -> BudgetedStatus {
    BudgetedStatus { (try? Repository.discover(from: root).changedPaths()) ?? [] }
  }

  /// Runs `read` on a thread of its own at once.
  init(_ read: @escaping @Sendable () -> [String]) {
    DetachedThread.start { [self] in
      let result = read()
      lock.withLock { paths = result }
      done.signal()
    }
  }

  /// The changed paths, or nil when they are not known within `budget` seconds from now.
  func wait(budget: TimeInterval) -> [String]? {
    guard done.wait(timeout: .now() + budget) == .success else { return nil }
    return lock.withLock { paths }
  }
}
