import Claude

/// A session's token counts, as `--json` prints them (ask, code and improve alike).
public struct UsageSummary: Encodable, Sendable, Equatable {
  public var inputTokens: Int
  public var outputTokens: Int
  public var cacheCreationInputTokens: Int
  public var cacheReadInputTokens: Int

  public init(_ u: Usage) {
    inputTokens = u.inputTokens
    outputTokens = u.outputTokens
    cacheCreationInputTokens = u.cacheCreationInputTokens
    cacheReadInputTokens = u.cacheReadInputTokens
  }
}
