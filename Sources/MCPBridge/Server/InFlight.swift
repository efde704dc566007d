import ArrakisCore

/// The tool calls `arrakis mcp` is answering, each a task of its own (calls run side by side), by request
/// id so that notifications/cancelled can reach one, and counted so that the server can wait for the
/// last after stdin closed (a call in flight then still records its session to the end).
final class InFlight: @unchecked Sendable {
  private let lock = Lock()
  private var tasks: [String: Task<Void, Never>] = [:]
  /// Which run filed the task under its id: a client reusing the id of a call still running must not
  /// have the first call's end unfile the second.
  private var runs: [String: Int] = [:]
  private var nextRun = 0
  private var count = 0
  private var waiters: [CheckedContinuation<Void, Never>] = []

  /// Counted before this returns, so a call read just before EOF is waited for.
  func run(_ id: JSONValue, _ body: @escaping @Sendable () async -> Void) {
    let key = id.serialized()
    lock.withLock {
      count += 1
      nextRun += 1
      let run = nextRun
      runs[key] = run
      // The task's own finish() takes this lock too, so it cannot end before it is filed.
      tasks[key] = Task { await body(); self.finish(key, run) }
    }
  }

  /// Cancels the call's task; MCP asks that a cancelled request get no reply, which the body sees as
  /// Task.isCancelled. The cancellation also reaches what the handler awaits: a command it runs through
  /// ProcessRunner is killed, a request to the model stops.
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

  private func finish(_ key: String, _ run: Int) {
    let ready = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
      count -= 1
      if runs[key] == run {
        tasks[key] = nil
        runs[key] = nil
      }
      guard count == 0 else { return [] }
      defer { waiters = [] }
      return waiters
    }
    ready.forEach { $0.resume() }
  }
}
