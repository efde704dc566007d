import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc

/// The one place errors become what the user sees: `error: …` and a hint on stderr, and the documented
/// exit code. Subcommands wrap their body in this so no error escapes as a stack trace or a generic 1.
func reportingErrors(json: Bool = false, _ body: () async throws -> Void) async throws {
  do {
    try await body()
  } catch let error as ArrakisError {
    report(error, json: json)
    throw ExitCode(error.status.rawValue)
  } catch let error as ExitCode {
    throw error
  } catch let error as CleanExit {
    throw error
  } catch {
    let wrapped = ArrakisError(.usage, "\(error)")
    report(wrapped, json: json)
    throw ExitCode(wrapped.status.rawValue)
  }
}

func report(_ error: ArrakisError, json: Bool) {
  if json {
    var obj: [String: JSONValue] = ["error": .string(error.message), "exit_code": .number(Double(error.status.rawValue))]
    if let hint = error.hint { obj["hint"] = .string(hint) }
    Output.out(JSONValue.object(obj).serialized() + "\n")
  }
  let color = Environment().useColor(fileDescriptor: STDERR_FILENO)
  let label = color ? "\u{1B}[31merror:\u{1B}[0m" : "error:"
  Output.err("\(label) \(error.message)\n")
  if let hint = error.hint { Output.err("  hint: \(hint)\n") }
}
