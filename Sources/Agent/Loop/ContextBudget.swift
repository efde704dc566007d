import ArrakisCore
import Claude

/// What the loop knows about the size of the prompt it is about to send, so the conversation always fits
/// the model's window (see docs/MODELS.md). The estimate starts from what the API reported for the previous
/// request (its input + cache tokens) and adds a conservative figure for the bytes added since; with nothing
/// reported yet, every byte is estimated conservatively. Each message is measured once, when it first
/// appears or when compaction changes it, so a turn costs the same at turn 300 as at turn 10.
struct ContextBudget {
  /// Tokens per byte assumed for text not yet measured by the API: 1 per 3 bytes, more than code and
  /// English take, so the estimate errs on the side of compacting early.
  static let newBytesPerToken = 3.0
  /// Removing bytes is assumed to free at most 1 token per 4 bytes, for the same reason.
  static let removedBytesPerToken = 4.0
  /// A report of fewer tokens than 1 per 8 bytes is not believed (a proxy or a test server miscounting).
  static let implausibleBytesPerToken = 8.0

  private(set) var window: Int
  let fraction: Double
  let maxTokens: Int
  /// The system prompt and the tool definitions, sent with every request.
  let fixedBytes: Int
  /// Encoded size of each message of the context, in order.
  private(set) var sizes: [Int] = []
  private var messageBytes = 0
  /// The session that recorded each message, for placeholders that say where the whole text is;
  /// messages past its end belong to the running session.
  var origins: [String]
  private var calibration: (tokens: Int, bytes: Int)?
  /// The size of the request last sent, to pair with the tokens its reply reports.
  private var sentBytes = 0

  init(window: Int, fraction: Double, maxTokens: Int, system: String, tools: [ToolDefinition], origins: [String]) {
    self.window = window
    self.fraction = fraction
    self.maxTokens = maxTokens
    self.fixedBytes = system.utf8.count + tools.reduce(0) { $0 + $1.json.serialized().utf8.count }
    self.origins = origins
  }

  /// The most the prompt may take: a share of the window, leaving room for the reply.
  var budget: Int { max(1, min(Int(Double(window) * fraction), window - maxTokens)) }

  var bytes: Int { fixedBytes + messageBytes }
  var estimate: Int { estimate(bytes: bytes) }

  func estimate(bytes: Int) -> Int {
    guard let c = calibration else { return Int((Double(bytes) / Self.newBytesPerToken).rounded(.up)) }
    let delta = bytes - c.bytes
    if delta >= 0 { return c.tokens + Int((Double(delta) / Self.newBytesPerToken).rounded(.up)) }
    let perByte = min(Double(c.tokens) / Double(max(c.bytes, 1)), 1 / Self.removedBytesPerToken)
    return max(0, c.tokens + Int((Double(delta) * perByte).rounded(.up)))
  }

  /// Measures messages appended since the last call (a message replaced outside `replace` is remeasured).
  mutating func sync(_ messages: [ChatMessage]) {
    if sizes.count > messages.count { sizes = []; messageBytes = 0 }
    for m in messages[sizes.count...] {
      let n = Self.size(of: m)
      sizes.append(n)
      messageBytes += n
    }
  }

  mutating func replace(_ index: Int, in messages: inout [ChatMessage], with message: ChatMessage) {
    messages[index] = message
    let n = Self.size(of: message)
    messageBytes += n - sizes[index]
    sizes[index] = n
  }

  /// Replaces `messages[..<count]` with `head` (a compaction note).
  mutating func collapse(_ messages: inout [ChatMessage], first count: Int, into head: ChatMessage, origin: String) {
    messages.replaceSubrange(0..<count, with: [head])
    let n = Self.size(of: head)
    messageBytes += n - sizes[0..<count].reduce(0, +)
    sizes.replaceSubrange(0..<count, with: [n])
    origins = [origin] + (origins.count > count ? Array(origins[count...]) : [])
  }

  mutating func willSend() { sentBytes = bytes }

  /// The API's count for the request just sent: input + cache reads + cache writes.
  mutating func calibrate(promptTokens: Int) {
    guard promptTokens > 0, Double(promptTokens) * Self.implausibleBytesPerToken >= Double(sentBytes) else { return }
    calibration = (promptTokens, sentBytes)
  }

  /// The API said the prompt had `tokens` and the model takes at most `maximum`: believe it from now on.
  mutating func learn(tokens: Int, maximum: Int) {
    if tokens > 0 { calibration = (tokens, sentBytes) }
    if maximum > 0 { window = min(window, maximum) }
  }

  func origin(of index: Int, current: String) -> String { index < origins.count ? origins[index] : current }

  static func size(of m: ChatMessage) -> Int { m.json().serialized().utf8.count }
}
