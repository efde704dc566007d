import ArrakisCore

/// Token counts. `inputTokens` is only the uncached part of the prompt; the cache counters add to it.
public struct Usage: Equatable, Sendable {
  public var inputTokens = 0
  public var outputTokens = 0
  /// All cache writes (5-minute and 1-hour).
  public var cacheCreationInputTokens = 0
  public var cacheReadInputTokens = 0
  /// The 1-hour part of `cacheCreationInputTokens`, priced at 2× instead of 1.25×.
  public var cacheCreation1hInputTokens = 0

  public init(inputTokens: Int = 0, outputTokens: Int = 0, cacheCreationInputTokens: Int = 0,
              cacheReadInputTokens: Int = 0, cacheCreation1hInputTokens: Int = 0) {
    self.inputTokens = inputTokens
    self.outputTokens = outputTokens
    self.cacheCreationInputTokens = cacheCreationInputTokens
    self.cacheReadInputTokens = cacheReadInputTokens
    self.cacheCreation1hInputTokens = cacheCreation1hInputTokens
  }

  public init(json: JSONValue?) {
    merge(json)
  }

  /// Overwrites the fields present in `json`. Streamed `message_delta` usage is cumulative and, before 2025,
  /// carried only `output_tokens`, so absent fields must keep what `message_start` reported.
  public mutating func merge(_ json: JSONValue?) {
    guard let json else { return }
    if let v = json["input_tokens"]?.intValue { inputTokens = v }
    if let v = json["output_tokens"]?.intValue { outputTokens = v }
    if let v = json["cache_creation_input_tokens"]?.intValue { cacheCreationInputTokens = v }
    if let v = json["cache_read_input_tokens"]?.intValue { cacheReadInputTokens = v }
    if let v = json["cache_creation"]?["ephemeral_1h_input_tokens"]?.intValue { cacheCreation1hInputTokens = v }
  }

  public static func + (a: Usage, b: Usage) -> Usage {
    Usage(inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens,
          cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
          cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
          cacheCreation1hInputTokens: a.cacheCreation1hInputTokens + b.cacheCreation1hInputTokens)
  }

  public static func += (a: inout Usage, b: Usage) { a = a + b }
}
