import ArrakisCore

/// A failed API call: what went wrong, what the server said, and whatever of the answer had arrived.
public struct ClaudeError: Error, CustomStringConvertible {
  public enum Kind: Equatable, Sendable {
    case noAPIKey
    case authentication, permission
    case invalidRequest, notFound, tooLarge
    case rateLimited, overloaded
    case server(Int)
    case connection(String)
    case connectTimeout
    case stalled(Double)
    case truncatedStream
    case malformed(String)
    case streamError(type: String, message: String)
    case interrupted
  }

  public var kind: Kind
  public var httpStatus: Int?
  public var requestID: String?
  /// `error.message` from the API's error body, when there was one.
  public var apiMessage: String?
  /// How many HTTP attempts were made (1 + retries).
  public var attempts: Int
  /// What was received before the failure (streamed text, completed blocks, usage).
  public var partial: MessageResponse?
  /// The model the request named, so a 404 can say which one is unknown.
  public var model: String?
  /// Where the request went, so connection errors can name it.
  public var endpoint: String?

  public init(_ kind: Kind, httpStatus: Int? = nil, requestID: String? = nil, apiMessage: String? = nil,
              attempts: Int = 1, partial: MessageResponse? = nil, model: String? = nil, endpoint: String? = nil) {
    self.kind = kind
    self.httpStatus = httpStatus
    self.requestID = requestID
    self.apiMessage = apiMessage
    self.attempts = attempts
    self.partial = partial
    self.model = model
    self.endpoint = endpoint
  }

  /// Builds the error for a non-2xx response from its status and (possibly absent or non-JSON) body.
  public static func http(status: Int, body: JSONValue?, requestID: String?) -> ClaudeError {
    let type = body?["error"]?["type"]?.stringValue
    let message = body?["error"]?["message"]?.stringValue
    let kind: Kind
    switch (status, type) {
    case (_, "overloaded_error"), (529, _): kind = .overloaded
    case (401, _): kind = .authentication
    case (403, _): kind = .permission
    case (404, _): kind = .notFound
    case (413, _): kind = .tooLarge
    case (429, _): kind = .rateLimited
    case (500..., _), (408, _): kind = .server(status)
    default: kind = .invalidRequest
    }
    return ClaudeError(kind, httpStatus: status, requestID: requestID ?? body?["request_id"]?.stringValue, apiMessage: message)
  }

  public var description: String { arrakisError.description }
}
