import ArrakisCore

/// JSON-RPC 2.0 as MCP uses it: requests (with an id), notifications (without), responses (a result or an
/// error for an id). Ids are kept as the JSON the peer sent (a string or a number) and echoed back as is.
enum JSONRPC {
  static let parseError = -32700
  static let invalidRequest = -32600
  static let methodNotFound = -32601
  static let invalidParams = -32602
  static let internalError = -32603

  enum Message {
    case request(id: JSONValue, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    case response(id: JSONValue, result: Result<JSONValue, RemoteError>)
  }

  /// An error response: the peer's code and words.
  struct RemoteError: Error, CustomStringConvertible {
    var code: Int
    var message: String
    var data: JSONValue?

    var description: String {
      let kind: String
      switch code {
      case JSONRPC.parseError: kind = "parse error"
      case JSONRPC.invalidRequest: kind = "invalid request"
      case JSONRPC.methodNotFound: kind = "method not found"
      case JSONRPC.invalidParams: kind = "invalid params"
      case JSONRPC.internalError: kind = "internal error"
      default: kind = "error"
      }
      return "\(kind) (\(code)): \(message)"
    }
  }

  /// nil for JSON that is no JSON-RPC message (a batch, a request whose id is neither string nor number…).
  static func decode(_ value: JSONValue) -> Message? {
    guard let object = value.objectValue else { return nil }
    let id = object["id"]
    if let method = object["method"]?.stringValue {
      guard let id else { return .notification(method: method, params: object["params"]) }
      return isValidID(id) ? .request(id: id, method: method, params: object["params"]) : nil
    }
    guard let id else { return nil }
    if let result = object["result"] { return .response(id: id, result: .success(result)) }
    guard let error = object["error"], let code = error["code"]?.intValue else { return nil }
    return .response(
      id: id, result: .failure(RemoteError(code: code, message: error["message"]?.stringValue ?? "", data: error["data"])))
  }

  static func isValidID(_ id: JSONValue) -> Bool { id.stringValue != nil || id.doubleValue != nil }

  static func request(id: JSONValue, method: String, params: JSONValue?) -> JSONValue {
    var object: [String: JSONValue] = ["jsonrpc": "2.0", "id": id, "method": .string(method)]
    if let params { object["params"] = params }
    return .object(object)
  }

  static func notification(method: String, params: JSONValue?) -> JSONValue {
    var object: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method)]
    if let params { object["params"] = params }
    return .object(object)
  }

  static func result(id: JSONValue, _ result: JSONValue) -> JSONValue {
    ["jsonrpc": "2.0", "id": id, "result": result]
  }

  /// `id` is null when the request's own could not be read (malformed JSON).
  static func error(id: JSONValue, code: Int, message: String) -> JSONValue {
    ["jsonrpc": "2.0", "id": id, "error": ["code": .number(Double(code)), "message": .string(message)]]
  }
}
