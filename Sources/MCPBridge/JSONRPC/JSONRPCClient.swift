import ArrakisCore
import FoundationEssentials

/// The requesting side of a JSON-RPC connection over two pipes (`arrakis code` to an MCP server):
/// numbered requests, replies matched to them by id, and every wait failed at once by `close` (the
/// server died, or we stopped it), so that nothing waits for a reply that cannot come.
final class JSONRPCClient: @unchecked Sendable {
  /// Why the connection ended, for the requests it failed.
  struct Closed: Error, CustomStringConvertible {
    var reason: String
    var description: String { "the connection ended (\(reason))" }
  }

  private let lock = Lock()
  private var lastID = 0
  private var pending: [Int: CheckedContinuation<JSONValue, Error>] = [:]
  private var closed: Closed?
  private let writer: LineWriter
  private let input: Int32

  init(readFrom input: Int32, writeTo output: Int32) {
    self.input = input
    writer = LineWriter(fd: output, label: "arrakis.mcp.client")
  }

  /// Starts reading replies; `onEnd` runs on the reader thread when the peer closes its end.
  func start(onEnd: @escaping @Sendable () -> Void) {
    LineReader.start(fd: input, onLine: { [weak self] line in self?.receive(line) }, onEnd: onEnd)
  }

  func makeID() -> Int { lock.withLock { lastID += 1; return lastID } }

  /// Sends a request and waits for its result; a cancelled task stops waiting at once (the reply, if it
  /// comes, is dropped), and an error reply throws `JSONRPC.RemoteError`.
  func request(_ method: String, params: JSONValue?, id: Int? = nil) async throws -> JSONValue {
    let id = id ?? makeID()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (reply: CheckedContinuation<JSONValue, Error>) in
        // Checked under the lock the cancellation handler takes: either it finds the entry or we see the flag.
        let refusal: Error? = lock.withLock {
          if let closed { return closed }
          if Task.isCancelled { return CancellationError() }
          pending[id] = reply
          return nil
        }
        if let refusal { return reply.resume(throwing: refusal) }
        writer.send(JSONRPC.request(id: .number(Double(id)), method: method, params: params))
      }
    } onCancel: {
      lock.withLock { pending.removeValue(forKey: id) }?.resume(throwing: CancellationError())
    }
  }

  func notify(_ method: String, params: JSONValue?) {
    guard lock.withLock({ closed == nil }) else { return }
    writer.send(JSONRPC.notification(method: method, params: params))
  }

  /// Fails every waiting request and all later ones. Idempotent: the first reason stays.
  func close(_ reason: String) {
    let (error, waiting) = lock.withLock { () -> (Closed, [CheckedContinuation<JSONValue, Error>]) in
      let error = closed ?? Closed(reason: reason)
      closed = error
      defer { pending = [:] }
      return (error, Array(pending.values))
    }
    waiting.forEach { $0.resume(throwing: error) }
  }

  /// A line the server wrote that is not JSON-RPC (a stray print) is skipped, as other clients do.
  private func receive(_ line: [UInt8]) {
    guard let value = try? JSONValue.parse(Data(line)), let message = JSONRPC.decode(value) else { return }
    switch message {
    case .response(let id, let result):
      guard let number = id.intValue, let reply = lock.withLock({ pending.removeValue(forKey: number) }) else { return }
      reply.resume(with: result.mapError { $0 })
    case .request(let id, let method, _):
      // A server may ping its client; arrakis offers no client features (roots, sampling, elicitation).
      if method == "ping" {
        writer.send(JSONRPC.result(id: id, [:]))
      } else {
        writer.send(JSONRPC.error(id: id, code: JSONRPC.methodNotFound, message: "Method not found: \(method)"))
      }
    case .notification:
      break  // logging, progress, list_changed: nothing arrakis shows
    }
  }
}
