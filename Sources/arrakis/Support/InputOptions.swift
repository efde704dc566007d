import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc

/// `--max-input-bytes`: the bound on what one request may carry from the user (arguments and stdin).
struct InputOptions: ParsableArguments {
  static let defaultMaxBytes = 10_000_000

  @Option(name: .long, help: ArgumentHelp("Refuse a prompt plus stdin larger than this, before anything is sent (default: 10000000, 10 MB).", valueName: "bytes"))
  var maxInputBytes: Int = InputOptions.defaultMaxBytes

  func validate() throws {
    guard maxInputBytes > 0 else { throw ValidationError("--max-input-bytes must be a positive number of bytes") }
  }

  /// Stdin, checked; then the prompt plus stdin against the same bound.
  func read(prompt: String?) throws -> String? {
    let stdin = try Stdin.readIfPiped(limit: maxInputBytes)
    let total = (prompt?.utf8.count ?? 0) + (stdin?.utf8.count ?? 0)
    if total > maxInputBytes {
      throw ArrakisError(
        .usage, "the input is \(Format.bytes(Int64(total))), over --max-input-bytes \(Format.bytes(Int64(maxInputBytes))); nothing was sent",
        hint: "send less, or raise --max-input-bytes")
    }
    return stdin
  }
}
