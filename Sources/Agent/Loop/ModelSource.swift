import ArrakisCore
import Claude

/// Where the model's turns come from: the API, or a recording (replay).
public protocol ModelSource: AnyObject {
  /// The next assistant turn for `request`. Streams through `onEvent` when it can.
  func nextTurn(_ request: MessageRequest, onEvent: (StreamEvent) -> Void) throws -> MessageResponse
  /// What a tool is expected to return, when replaying (nil: no expectation).
  func expectedResult(toolUseID: String) -> ExpectedToolResult?
  /// The name recorded as the session's model.
  var modelName: String { get }
}

public struct ExpectedToolResult: Sendable, Equatable {
  public var content: String
  public var isError: Bool
}

/// The live API.
public final class LiveModel: ModelSource {
  let client: ClaudeClient
  public let modelName: String

  public init(client: ClaudeClient, model: String) {
    self.client = client
    self.modelName = model
  }

  public func nextTurn(_ request: MessageRequest, onEvent: (StreamEvent) -> Void) throws -> MessageResponse {
    try client.send(request, stream: true, onEvent: onEvent)
  }

  public func expectedResult(toolUseID: String) -> ExpectedToolResult? { nil }
}
