import ArrakisCore
import FoundationEssentials
import Glibc

/// Piped input: read all of stdin when it is not a terminal (`git diff | arrakis ask "review"`), up to a
/// limit, and say on stderr what is unusual about it: its size when it is large, bytes that are not UTF-8
/// (replaced by U+FFFD, which the model then sees), so that nothing is sent without a word.
enum Stdin {
  /// Above this, stderr says how much stdin is sent (and roughly how many tokens it costs).
  static let noticeBytes = 256_000

  static func readIfPiped(limit: Int) throws -> String? {
    guard isatty(STDIN_FILENO) == 0 else { return nil }
    let data = try readUpTo(limit + 1)
    guard !data.isEmpty else { return nil }
    if data.count > limit {
      throw ArrakisError(
        .usage, "stdin holds more than --max-input-bytes \(Format.bytes(Int64(limit))); nothing was sent",
        hint: "send less (e.g. only the relevant files or a shorter diff), or raise --max-input-bytes")
    }
    let text = String(decoding: data, as: UTF8.self)
    if String(data: data, encoding: .utf8) == nil {
      let replaced = text.unicodeScalars.filter { $0 == "\u{FFFD}" }.count
      Output.err("warning: stdin is not valid UTF-8: \(replaced) invalid sequence\(replaced == 1 ? "" : "s") sent as U+FFFD (\u{FFFD})\n")
    }
    if data.count > noticeBytes {
      Output.err("note: sending \(Format.bytes(Int64(data.count))) of stdin (about \(Format.tokens(data.count / 4)) tokens)\n")
    }
    return text
  }

  /// Reads until EOF or `count` bytes, so that a huge pipe is refused without being held in memory whole.
  static func readUpTo(_ count: Int) throws -> Data {
    var data = Data()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while data.count < count {
      let n = read(STDIN_FILENO, &chunk, min(chunk.count, count - data.count))
      if n < 0, errno == EINTR { continue }
      guard n >= 0 else { throw FileProblem.FolderError(message: "stdin: \(String(cString: strerror(errno)))") }
      if n == 0 { break }
      data.append(contentsOf: chunk[..<n])
    }
    return data
  }
}
