import ArrakisCore

/// Everything needed for one Messages API call.
public struct MessageRequest: Equatable, Sendable {
  public var model: String
  public var maxTokens: Int
  public var messages: [ChatMessage]
  public var system: String?
  public var tools: [ToolDefinition]
  public var toolChoice: JSONValue?
  public var temperature: Double?
  public var stopSequences: [String]
  public var thinking: JSONValue?
  /// `{"effort": "high"}` and the like (see ThinkingSettings).
  public var outputConfig: JSONValue?
  /// Breakpoints on the last tool and on the system block: both rarely change between turns.
  public var cacheSystemAndTools: Bool
  /// A breakpoint on the last block of the last message, so the next turn reads the conversation from cache.
  public var cacheLastMessage: Bool

  public init(
    model: String = ModelCatalog.defaultModel, maxTokens: Int = 4096, messages: [ChatMessage],
    system: String? = nil, tools: [ToolDefinition] = [], toolChoice: JSONValue? = nil,
    temperature: Double? = nil, stopSequences: [String] = [], thinking: JSONValue? = nil,
    cacheSystemAndTools: Bool = false, cacheLastMessage: Bool = false
  ) {
    self.model = model
    self.maxTokens = maxTokens
    self.messages = messages
    self.system = system
    self.tools = tools
    self.toolChoice = toolChoice
    self.temperature = temperature
    self.stopSequences = stopSequences
    self.thinking = thinking
    self.cacheSystemAndTools = cacheSystemAndTools
    self.cacheLastMessage = cacheLastMessage
  }

  /// Sets `thinking` and `output_config` together.
  public mutating func apply(_ settings: ThinkingSettings) {
    thinking = settings.thinking
    outputConfig = settings.outputConfig
  }

  /// The /v1/messages body. Uses at most 3 of the API's 4 cache breakpoints (last tool, system, last message).
  public func body(stream: Bool) -> JSONValue {
    var o = sendFields(stream: stream)
    o["messages"] = messagesJSON()
    return .object(o)
  }

  /// The /v1/messages/count_tokens body: the same prompt, without max_tokens, stream or sampling fields.
  public func countTokensBody() -> JSONValue {
    var o = promptFields()
    o["messages"] = messagesJSON()
    return .object(o)
  }

  /// `body(stream:).serialized()`, byte for byte, with each message's JSON taken from `cache` when it
  /// was encoded for an earlier turn: the conversation is not re-encoded every turn.
  public func encodedBody(stream: Bool, cache: MessageBodyCache) -> String {
    cache.body(fields: sendFields(stream: stream), messages: messages, cacheLast: cacheLastMessage)
  }

  /// `countTokensBody().serialized()`, likewise.
  public func encodedCountTokensBody(cache: MessageBodyCache) -> String {
    cache.body(fields: promptFields(), messages: messages, cacheLast: cacheLastMessage)
  }

  private func messagesJSON() -> JSONValue {
    let last = messages.count - 1
    return .array(messages.enumerated().map { $0.element.json(cacheLast: cacheLastMessage && $0.offset == last) })
  }

  /// Every member of the /v1/messages body but "messages".
  private func sendFields(stream: Bool) -> [String: JSONValue] {
    var o = promptFields()
    o["max_tokens"] = .number(Double(maxTokens))
    if stream { o["stream"] = true }
    if let temperature { o["temperature"] = .number(temperature) }
    if !stopSequences.isEmpty { o["stop_sequences"] = .array(stopSequences.map { .string($0) }) }
    return o
  }

  /// Every member of the count_tokens body but "messages".
  private func promptFields() -> [String: JSONValue] {
    var o: [String: JSONValue] = ["model": .string(model)]
    if let system {
      // A plain string cannot carry cache_control; a one-element block list can.
      o["system"] = cacheSystemAndTools ? [JSONValue.string(system).textBlock.withCacheControl()] : .string(system)
    }
    if !tools.isEmpty {
      var t = tools.map(\.json)
      if cacheSystemAndTools { t[t.count - 1] = t[t.count - 1].withCacheControl() }
      o["tools"] = .array(t)
    }
    if let toolChoice { o["tool_choice"] = toolChoice }
    if let thinking { o["thinking"] = thinking }
    if let outputConfig { o["output_config"] = outputConfig }
    return o
  }
}

extension JSONValue {
  fileprivate var textBlock: JSONValue { ["type": "text", "text": self] }
}
