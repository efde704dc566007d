extension ClaudeError {
  /// "prompt is too long: 201234 tokens > 200000 maximum", the API's 400 for a prompt over the window:
  /// the size it counted and the limit, so the caller can shrink the context and retry.
  public var promptTooLong: (tokens: Int, maximum: Int)? {
    guard kind == .invalidRequest, let message = apiMessage, message.lowercased().contains("prompt is too long") else { return nil }
    let numbers = message.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    guard numbers.count >= 2 else { return (0, 0) }
    return (numbers[0], numbers[1])
  }
}
