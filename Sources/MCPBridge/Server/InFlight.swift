import ArrakisCore

/// The tool calls `arrakis mcp` is answering, each a task of its own (calls run side by side), by request
/// id so that notifications/cancelled can reach one, and counted so that the server can wait for the
/// last after stdin closed (a call in flight then still records its session to the end).
final class InFlight: @unchecked Sendable {
  private let lock = Lock()
  private var tasks: [String: Task<Void, Never>] = [:]
  private var count = 0
  private var waiters: [CheckedContinuation<Void, Never>] = []

  /// Counted before this returns, so a call read just before EOF is waited for.
  func run(_ id: JSONValue, _ body: @escaping @Sendable () async -> Void) {
    let key = id.serialized()
    lock.withLock {
      count += 1
      // The task's own finish() takes this lock too, so it cannot end before it is filed.
      tasks[key] = Task { await body(); self.finish(key) }
    }
  }

  /// Cancels the call's task; MCP asks that a cancelled request get no reply, which the body sees as
  /// Task.isCancelled. The work it started may still run to its end.
  func cancel(_ id: JSONValue) {
    lock.withLock { tasks[id.serialized()] }?.cancel()
  }

  func drained() async {
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
      let now = lock.withLock { () -> Bool in
        if count == 0 { return true }
        waiters.append(done)
        return false
      }
      if now { done.resume() }
    }
  }

  private func finish(_ key: String) {
    let ready = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
      count -= 1
      tasks[key] = nil
      guard count == 0 else { return [] }
      defer { waiters = [] }
      return waiters
    }
    ready.forEach { $0.resume() }
  }
}
