import ArrakisCore

/// Where and how the client talks to the API.
public struct ClientConfig: Sendable {
  public var apiKey: String?
  public var baseURL: String
  /// Retries after the first attempt (the official SDKs' default is 2, so up to 3 attempts).
  public var maxRetries: Int
  public var connectTimeout: Double
  /// Seconds without a byte before a stream is abandoned as stalled.
  public var stallTimeout: Double
  public var betaHeaders: [String]
  /// Base of the exponential backoff, 0.5 s per the SDKs; tests shrink it.
  public var retryBaseDelay: Double

  public init(apiKey: String?, baseURL: String = "https://api.anthropic.com", maxRetries: Int = 2,
              connectTimeout: Double = 10, stallTimeout: Double = 120, betaHeaders: [String] = [],
              retryBaseDelay: Double = 0.5) {
    self.apiKey = apiKey
    self.baseURL = baseURL
    self.maxRetries = maxRetries
    self.connectTimeout = connectTimeout
    self.stallTimeout = stallTimeout
    self.betaHeaders = betaHeaders
    self.retryBaseDelay = retryBaseDelay
  }

  /// Reads ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, ARRAKIS_CONNECT_TIMEOUT and ARRAKIS_STALL_TIMEOUT (seconds),
  /// ARRAKIS_RETRY_BASE_MS. A missing key is not an error here: `send` reports it before any request.
  public static func fromEnvironment(_ env: Environment = Environment(), maxRetries: Int = 2,
                                     betaHeaders: [String] = []) -> ClientConfig {
    func seconds(_ key: String) -> Double? { env[key].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } }
    var config = ClientConfig(apiKey: env["ANTHROPIC_API_KEY"], maxRetries: maxRetries, betaHeaders: betaHeaders)
    if let url = env["ANTHROPIC_BASE_URL"] { config.baseURL = url }
    if let s = seconds("ARRAKIS_CONNECT_TIMEOUT") { config.connectTimeout = s }
    if let s = seconds("ARRAKIS_STALL_TIMEOUT") { config.stallTimeout = s }
    if let ms = env["ARRAKIS_RETRY_BASE_MS"].flatMap(Double.init), ms >= 0 { config.retryBaseDelay = ms / 1000 }
    return config
  }

  /// The full URL of an API path, tolerating a trailing slash on the base URL.
  func url(_ path: String) -> String {
    var base = baseURL
    while base.hasSuffix("/") { base.removeLast() }
    return base + path
  }
}
