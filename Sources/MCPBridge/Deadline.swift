import ArrakisCore
import FoundationEssentials

/// Runs an async operation with a time limit, also ending at Ctrl-C. Not a task group: a group waits for
/// all its children, and a request whose reply never comes cannot be cancelled from our side, so the
/// caller would wait as long as the server hangs. Here the first of result, timeout or interrupt wins and
/// the loser is left to finish (or not) on its own.
enum Deadline {
  struct Expired: Error, CustomStringConvertible {
    var what: String
    var ms: Int
    /// The environment variable that sets this limit, for the message.
    var setting: String
    var interrupted: Bool
    var description: String {
      interrupted ? "\(what) was interrupted" : "\(what) did not answer within \(Deadline.format(ms)) (\(setting) sets the limit in ms)"
    }
  }

  static func run<T: Sendable>(
    ms: Int, what: String, setting: String, onTimeout: (@Sendable () async -> Void)? = nil,
    _ operation: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    let once = Once<T>()
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
      once.set(continuation)
      let work = Task {
        do { once.resume(.success(try await operation())) } catch { once.resume(.failure(error)) }
      }
      Task {
        let end = Date().addingTimeInterval(Double(ms) / 1000)
        while Date() < end && !once.isDone && !Interrupt.requested {
          try? await Task.sleep(nanoseconds: 20_000_000)
        }
        if once.resume(.failure(Expired(what: what, ms: ms, setting: setting, interrupted: Interrupt.requested && Date() < end))) {
          work.cancel()
          await onTimeout?()
        }
      }
    }
  }

  static func format(_ ms: Int) -> String {
    ms % 1000 == 0 ? "\(ms / 1000) s" : String(cFormat: "%.1f s", Double(ms) / 1000)
  }

  /// Resumes the continuation exactly once; `resume` says whether this caller was the one.
  final class Once<T: Sendable>: @unchecked Sendable {
    private let lock = Lock()
    private var continuation: CheckedContinuation<T, Error>?
    private var pending: Result<T, Error>?
    private var done = false

    var isDone: Bool { lock.withLock { done } }

    func set(_ c: CheckedContinuation<T, Error>) {
      let early = lock.withLock { () -> Result<T, Error>? in
        continuation = c
        return pending
      }
      if let early { c.resume(with: early) }
    }

    @discardableResult
    func resume(_ result: Result<T, Error>) -> Bool {
      let c = lock.withLock { () -> CheckedContinuation<T, Error>?? in
        guard !done else { return .none }
        done = true
        if continuation == nil { pending = result }
        return .some(continuation)
      }
      guard case .some(let target) = c else { return false }
      target?.resume(with: result)
      return true
    }
  }
}
