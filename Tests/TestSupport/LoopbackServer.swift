import ArrakisCore
import Foundation

#if canImport(Glibc)
import Glibc
private let streamSocket = Int32(SOCK_STREAM.rawValue)
private let noSigPipe = Int32(MSG_NOSIGNAL)
#else
import Darwin
private let streamSocket = SOCK_STREAM
private let noSigPipe: Int32 = 0
#endif

/// A real HTTP/1.1 server on 127.0.0.1 that plays a script of responses, so tests exercise the client's
/// actual libcurl path (keep-alive, chunked SSE, connection faults) without the network.
public final class LoopbackServer: @unchecked Sendable {
  public let port: UInt16
  public var baseURL: String { "http://127.0.0.1:\(port)" }

  private let listenFD: Int32
  private let lock = NSLock()
  private var script: [ScriptedResponse]
  private let handler: (@Sendable (RecordedRequest) -> ScriptedResponse)?
  private var recorded: [RecordedRequest] = []
  private var clients: Set<Int32> = []
  private var stopped = false
  private var connectionCount = 0
  private var limit: Int?
  private var rejected = 0
  private var keepLast: Int?

  /// A prompt limit like the API's: a Messages request over this many tokens (estimated as the body's
  /// bytes / 4) is answered 400 invalid_request_error "prompt is too long: X tokens > N maximum" and
  /// consumes no scripted response. nil: no limit.
  public var promptLimitTokens: Int? {
    get { lock.withLock { limit } }
    set { lock.withLock { limit = newValue } }
  }

  /// How many requests the prompt limit turned away.
  public var rejectedForLength: Int { lock.withLock { rejected } }

  /// Keep only the newest N requests in `requests` (long sessions send hundreds of large bodies).
  public var keepsOnlyLast: Int? {
    get { lock.withLock { keepLast } }
    set { lock.withLock { keepLast = newValue } }
  }

  /// Plays `script` in order; with `handler`, computes each response from the request instead.
  public init(_ script: [ScriptedResponse] = [], handler: (@Sendable (RecordedRequest) -> ScriptedResponse)? = nil) throws {
    self.script = script
    self.handler = handler
    let fd = socket(AF_INET, streamSocket | Int32(SOCK_CLOEXEC.rawValue), 0)
    listenFD = fd
    guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) { p in
      p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
        bind(fd, sa, len) == 0 && listen(fd, 16) == 0 && getsockname(fd, sa, &len) == 0
      }
    }
    guard ok else { close(fd); throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    port = UInt16(bigEndian: addr.sin_port)
    // The threads hold the server weakly so that dropping it runs deinit, which stops them.
    // The accept thread owns the listening descriptor and closes it when it ends: were stop() to close
    // it, the number could be reused by another test's socket while this thread still accepts on it,
    // stealing (and dropping) that test's connections.
    Thread { [weak self] in
      defer { close(fd) }
      while true {
        let client = accept(fd, nil, nil)
        if client < 0 { if errno == EINTR { continue }; return }
        // Child processes spawned by other tests must not inherit (and hold open) our connections.
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        // Zero latency means no Nagle: small SSE writes would otherwise wait ~40 ms for a delayed ACK.
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        guard let self, self.register(client) else { close(client); return }
        Thread { [weak self] in
          Self.serve(HTTPConnection(fd: client)) { [weak self] in self }
          self?.lock.withLock { _ = self?.clients.remove(client) }
          close(client)
        }.start()
      }
    }.start()
  }

  deinit { stop() }

  /// Every request received so far, in order.
  public var requests: [RecordedRequest] { lock.withLock { recorded } }

  /// How many TCP connections the client opened (1 for several requests means keep-alive worked).
  public var connections: Int { lock.withLock { connectionCount } }

  public func enqueue(_ responses: ScriptedResponse...) { lock.withLock { script.append(contentsOf: responses) } }

  public func stop() {
    let fds: Set<Int32> = lock.withLock {
      if stopped { return [] }
      stopped = true
      return clients
    }
    shutdown(listenFD, Int32(SHUT_RDWR))  // wakes accept(); its thread closes the descriptor
    for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
  }

  private var isStopped: Bool { lock.withLock { stopped } }

  private func register(_ fd: Int32) -> Bool {
    lock.withLock {
      if stopped { return false }
      clients.insert(fd)
      connectionCount += 1
      return true
    }
  }

  /// Answers requests on one connection until a response closes it, the client goes away, or the server is gone.
  private static func serve(_ conn: HTTPConnection, server: @escaping () -> LoopbackServer?) {
    while let request = conn.readRequest() {
      guard let s = server() else { return }
      let response: ScriptedResponse = s.lock.withLock {
        s.recorded.append(request)
        if let keep = s.keepLast, s.recorded.count > keep { s.recorded.removeFirst(s.recorded.count - keep) }
        if let limit = s.limit, request.path.hasPrefix("/v1/messages"), !request.path.contains("count_tokens"),
           request.rawBody.count / 4 > limit {
          s.rejected += 1
          return tooLong(tokens: request.rawBody.count / 4, limit: limit)
        }
        if let handler = s.handler { return handler(request) }
        return s.script.isEmpty ? exhausted(request) : s.script.removeFirst()
      }
      guard conn.write(response, stopped: { server()?.isStopped ?? true }) else { return }
    }
  }

  private static func tooLong(tokens: Int, limit: Int) -> ScriptedResponse {
    .json(status: 400, headers: ["request-id": "req_loopback_too_long", "x-should-retry": "false"],
          body: #"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: \#(tokens) tokens > \#(limit) maximum"},"request_id":"req_loopback_too_long"}"#)
  }

  private static func exhausted(_ r: RecordedRequest) -> ScriptedResponse {
    .json(status: 500, headers: ["x-should-retry": "false"],
          body: #"{"type":"error","error":{"type":"api_error","message":"LoopbackServer: no scripted response left for \#(r.method) \#(r.path)"}}"#)
  }
}

/// Blocking reads and writes of HTTP/1.1 on one accepted socket.
final class HTTPConnection {
  let fd: Int32
  private var buffer = Data()

  init(fd: Int32) { self.fd = fd }

  func readRequest() -> RecordedRequest? {
    let separator = Data("\r\n\r\n".utf8)
    var headEnd = buffer.range(of: separator)
    while headEnd == nil {
      guard fill() else { return nil }
      headEnd = buffer.range(of: separator)
    }
    let head = String(decoding: buffer[buffer.startIndex..<headEnd!.lowerBound], as: UTF8.self)
    buffer = Data(buffer[headEnd!.upperBound...])
    var lines = head.components(separatedBy: "\r\n")
    let requestLine = lines.removeFirst().split(separator: " ")
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    while buffer.count < length { guard fill() else { return nil } }
    let body = Data(buffer.prefix(length))
    buffer = Data(buffer.dropFirst(length))
    return RecordedRequest(method: requestLine.first.map(String.init) ?? "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
                           headers: headers, rawBody: body)
  }

  /// Writes one scripted response; false when the connection must close afterwards.
  func write(_ response: ScriptedResponse, stopped: () -> Bool) -> Bool {
    switch response {
    case .json(let status, let headers, let body):
      let bytes = Data(body.utf8)
      var h = headers
      h["content-type"] = h["content-type"] ?? "application/json"
      h["content-length"] = String(bytes.count)
      return send(head(status, h)) && send(bytes)
    case .sse(let text, let chunkSize, let delayMs):
      guard send(sseHead()) else { return false }
      let bytes = Data(text.utf8)
      let size = max(chunkSize ?? bytes.count, 1)
      var offset = 0
      while offset < bytes.count {
        if let delayMs, offset > 0 { usleep(useconds_t(delayMs * 1000)) }
        let piece = bytes[offset..<min(offset + size, bytes.count)]
        guard sendChunk(Data(piece)) else { return false }
        offset += size
      }
      return send(Data("0\r\n\r\n".utf8))
    case .fixture(let name, let set):
      guard let body = try? set.body(name), let status = try? set.status(name), let headers = try? set.headers(name) else {
        return write(.json(status: 500, headers: ["x-should-retry": "false"],
                           body: #"{"type":"error","error":{"type":"api_error","message":"LoopbackServer: missing fixture \#(name) in \#(set.directory.path)"}}"#),
                     stopped: stopped)
      }
      if set.isSSE(name) {
        var h = headers
        h["content-type"] = "text/event-stream; charset=utf-8"
        h["transfer-encoding"] = "chunked"
        return send(head(status, h)) && sendChunk(body) && send(Data("0\r\n\r\n".utf8))
      }
      return write(.json(status: status, headers: headers, body: String(decoding: body, as: UTF8.self)), stopped: stopped)
    case .dropConnection:
      return false
    case .truncate(let text):
      _ = send(sseHead()) && sendChunk(Data(text.utf8))
      return false
    case .stall(let text):
      guard send(sseHead()) && sendChunk(Data(text.utf8)) else { return false }
      // Hang until the client gives up (its read returns 0) or the server stops.
      var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      while !stopped() {
        if poll(&pfd, 1, 50) > 0 {
          var byte: UInt8 = 0
          if recv(fd, &byte, 1, 0) <= 0 { break }
        }
      }
      return false
    }
  }

  private func sseHead() -> Data {
    head(200, ["content-type": "text/event-stream; charset=utf-8", "transfer-encoding": "chunked",
               "cache-control": "no-cache", "request-id": "req_loopback_stream"])
  }

  private func head(_ status: Int, _ headers: [String: String]) -> Data {
    var text = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
    for (k, v) in headers.sorted(by: { $0.key < $1.key }) { text += "\(k): \(v)\r\n" }
    return Data((text + "\r\n").utf8)
  }

  private func sendChunk(_ data: Data) -> Bool {
    data.isEmpty || (send(Data((String(data.count, radix: 16) + "\r\n").utf8)) && send(data) && send(Data("\r\n".utf8)))
  }

  private func send(_ data: Data) -> Bool {
    data.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, noSigPipe)
        if n <= 0 { if errno == EINTR { continue }; return false }
        offset += n
      }
      return true
    }
  }

  private func fill() -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = recv(fd, &chunk, chunk.count, 0)
      if n < 0, errno == EINTR { continue }
      if n <= 0 { return false }
      buffer.append(contentsOf: chunk[0..<n])
      return true
    }
  }

  private static func reason(_ status: Int) -> String {
    switch status {
    case 200: return "OK"
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 404: return "Not Found"
    case 413: return "Payload Too Large"
    case 429: return "Too Many Requests"
    case 500: return "Internal Server Error"
    case 529: return "Overloaded"
    default: return "Status"
    }
  }
}
