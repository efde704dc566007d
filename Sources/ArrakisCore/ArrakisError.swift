/// The one error type that reaches the user. `message` names the problem, `hint` says what to do;
/// `status` is the exit code. Lower layers throw their own errors and map them into this at their boundary.
public struct ArrakisError: Error, CustomStringConvertible, Sendable {
  public var status: ExitStatus
  public var message: String
  public var hint: String?

  public init(_ status: ExitStatus, _ message: String, hint: String? = nil) {
    self.status = status
    self.message = message
    self.hint = hint
  }

  public var description: String {
    if let hint { return "\(message)\n  hint: \(hint)" }
    return message
  }
}
