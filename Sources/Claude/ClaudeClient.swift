import ArrakisCore
import CCurl
import FoundationEssentials
import Glibc

/// The Messages API over libcurl. Synchronous and single-threaded: `send` returns when the reply is complete,
/// having called `onEvent` for each streamed event as it arrived. Not safe to share between threads.
public final class ClaudeClient {
  public let config: ClientConfig
  /// How retries wait; tests inject a recorder so they neither sleep nor guess.
  public var sleep: (Double) -> Void
  private let session = CurlSession()
  /// Each message's JSON from earlier turns (see MessageBodyCache).
  private let bodies = MessageBodyCache()

  public init(config: ClientConfig, sleep: @escaping (Double) -> Void = RetryPolicy.sleepUnlessInterrupted) {
    self.config = config
    self.sleep = sleep
  }

  /// Sends one request. With `stream`, text is reported through `onEvent` as it arrives.
  /// Throws `ClaudeError` (with `partial` holding anything received) after the retries the SDKs make.
  public func send(_ request: MessageRequest, stream: Bool = true,
                   onEvent: (StreamEvent) -> Void = { _ in }) throws -> MessageResponse {
    let body = request.encodedBody(stream: stream, cache: bodies)
    let (reply, attempts) = try exchange(path: "/v1/messages", body: body, stream: stream, model: request.model, onEvent: onEvent)
    switch reply {
    case .streamed(let response):
      return response
    case .json(let json, let requestID):
      guard let response = MessageResponse(json: json, requestID: requestID) else {
        throw ClaudeError(.malformed("the reply is not a message object"), httpStatus: 200, requestID: requestID,
                          attempts: attempts, model: request.model, endpoint: config.baseURL)
      }
      return response
    }
  }

  /// Input tokens the request's prompt would use (`/v1/messages/count_tokens`).
  public func countTokens(_ request: MessageRequest) throws -> Int {
    let body = request.encodedCountTokensBody(cache: bodies)
    let (reply, attempts) = try exchange(path: "/v1/messages/count_tokens", body: body, stream: false,
                                         model: request.model, onEvent: { _ in })
    guard case .json(let json, _) = reply, let n = json["input_tokens"]?.intValue else {
      throw ClaudeError(.malformed("count_tokens reply has no input_tokens"), httpStatus: 200,
                        attempts: attempts, model: request.model, endpoint: config.baseURL)
    }
    return n
  }

  enum Reply {
    case streamed(MessageResponse)
    case json(JSONValue, requestID: String?)
  }

  /// One logical call: attempts, classification of each outcome, and the retry loop.
  private func exchange(path: String, body: String, stream: Bool, model: String,
                        onEvent: (StreamEvent) -> Void) throws -> (Reply, Int) {
    guard let key = config.apiKey, !key.isEmpty else { throw ClaudeError(.noAPIKey) }
    var attempt = 0
    while true {
      attempt += 1
      do {
        return (try attemptOnce(path: path, body: body, key: key, retry: attempt - 1, stream: stream, onEvent: onEvent), attempt)
      } catch var failure as AttemptFailure {
        failure.error.attempts = attempt
        failure.error.model = model
        failure.error.endpoint = config.baseURL
        guard failure.retryable, attempt <= config.maxRetries, !Interrupt.requested else { throw failure.error }
        sleep(RetryPolicy.delay(retry: attempt - 1, headers: failure.headers, base: config.retryBaseDelay))
      }
    }
  }

  struct AttemptFailure: Error {
    var error: ClaudeError
    var retryable: Bool
    var headers: [String: String] = [:]
  }

  private func attemptOnce(path: String, body: String, key: String, retry: Int, stream: Bool,
                           onEvent: (StreamEvent) -> Void) throws -> Reply {
    var parser = SSEParser()
    var acc = StreamAccumulator()
    var raw = Data()
    var events = 0
    var head = Data()
    // For a non-streaming call the server is silent until the whole answer is ready, so the stall
    // timer must not cut it short: only the SDK's 10-minute overall timeout applies there.
    let stall = stream ? config.stallTimeout : max(config.stallTimeout, 600)
    let result = session.post(url: config.url(path), headers: requestHeaders(key: key, retry: retry, stream: stream),
                              body: body, connectTimeout: config.connectTimeout, stallTimeout: stall) { status, chunk in
      if stream && status == 200 {
        if head.count < 200 { head.append(contentsOf: chunk.prefix(200 - head.count)) }
        try parser.feed(chunk) { events += 1; try acc.handle($0, emit: onEvent) }
      } else {
        raw.append(contentsOf: chunk)
      }
    }
    let requestID = result.headers["request-id"]
    acc.requestID = requestID
    func fail(_ kind: ClaudeError.Kind, retryable: Bool = false) -> AttemptFailure {
      AttemptFailure(error: ClaudeError(kind, httpStatus: result.status == 0 ? nil : result.status, requestID: requestID,
                                        partial: stream ? acc.response : nil),
                     retryable: retryable, headers: result.headers)
    }

    if var error = result.callbackError as? ClaudeError {
      // An `error` event or unparsable event inside a 200 stream: never retried (the SDKs do the same).
      error.requestID = error.requestID ?? requestID
      throw AttemptFailure(error: error, retryable: false)
    }
    switch result.abort {
    case .interrupted: throw fail(.interrupted)
    case .stalled: throw fail(.stalled(stall), retryable: !acc.hasDelivered)
    case nil: break
    }
    if result.code != CURLE_OK {
      if acc.hasDelivered { throw fail(.truncatedStream) }
      let timedOut = result.code == CURLE_OPERATION_TIMEDOUT && result.status == 0
      throw fail(timedOut ? .connectTimeout : .connection(result.detail), retryable: true)
    }
    guard result.status == 200 else {
      let json = try? JSONValue.parse(raw)
      var error = ClaudeError.http(status: result.status, body: json, requestID: requestID)
      if json == nil, result.status != 413, !raw.isEmpty {
        error.apiMessage = String(decoding: raw.prefix(200), as: UTF8.self)
      }
      throw AttemptFailure(error: error, retryable: RetryPolicy.shouldRetry(status: result.status, headers: result.headers),
                           headers: result.headers)
    }
    if stream {
      // A 200 that is not an event stream (a proxy's or captive portal's HTML page): say so, once, instead
      // of "closed mid-answer" after every retry.
      let type = result.headers["content-type"] ?? ""
      if events == 0, !head.isEmpty || !type.isEmpty, !type.lowercased().contains("text/event-stream") {
        let start = String(decoding: head, as: UTF8.self).trimmed
        throw fail(.malformed("the 200 reply is not an event stream (content-type: \(type.isEmpty ? "none" : type)); it begins: \(start.prefix(120))"))
      }
      guard acc.isComplete else { throw fail(.truncatedStream, retryable: !acc.hasDelivered) }
      return .streamed(acc.response)
    }
    guard let json = try? JSONValue.parse(raw) else {
      throw fail(.malformed("the reply body is not JSON (\(raw.count) bytes)"))
    }
    return .json(json, requestID: requestID)
  }

  private func requestHeaders(key: String, retry: Int, stream: Bool) -> [String] {
    var h = [
      "x-api-key: \(key)",
      "anthropic-version: 2023-06-01",
      "content-type: application/json",
      "accept: \(stream ? "text/event-stream" : "application/json")",
      "user-agent: arrakis/\(ArrakisVersion.string)",
      "x-stainless-retry-count: \(retry)",
    ]
    if !config.betaHeaders.isEmpty { h.append("anthropic-beta: \(config.betaHeaders.joined(separator: ","))") }
    return h
  }
}
