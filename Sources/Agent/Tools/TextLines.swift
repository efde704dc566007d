import FoundationEssentials
import Glibc

/// Lines of a file found on bytes, so LF, CRLF and mixed files are handled exactly: Swift treats "\r\n"
/// as one Character, so splitting a String on "\n" never splits a CRLF file at all. A line is the bytes
/// before its "\n", without a "\r" just before it; `ending` says which terminator it had.
struct TextLines {
  enum Ending: Equatable { case lf, crlf, none }

  struct Line {
    /// Byte range of the content (no terminator) and of content plus terminator.
    let content: Range<Int>
    let full: Range<Int>
    let ending: Ending
  }

  let bytes: [UInt8]
  let lines: [Line]

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    var lines: [Line] = []
    var start = 0
    bytes.withUnsafeBytes { buf in
      guard let base = buf.baseAddress else { return }
      while start < buf.count {
        guard let nl = memchr(base + start, 10, buf.count - start) else {
          lines.append(Line(content: start..<buf.count, full: start..<buf.count, ending: .none))
          start = buf.count
          break
        }
        let k = UnsafeRawPointer(nl) - base
        let cr = k > start && buf[k - 1] == 13
        lines.append(Line(content: start..<(cr ? k - 1 : k), full: start..<(k + 1), ending: cr ? .crlf : .lf))
        start = k + 1
      }
    }
    self.lines = lines
  }

  init(_ text: String) { self.init(Array(text.utf8)) }

  var count: Int { lines.count }

  func text(_ k: Int) -> String { String(decoding: bytes[lines[k].content], as: UTF8.self) }

  /// The terminator most lines use ("\r\n" only when CRLF lines outnumber LF ones), for new line ends.
  var dominantEnding: [UInt8] {
    var crlf = 0, lf = 0
    for l in lines { if l.ending == .crlf { crlf += 1 } else if l.ending == .lf { lf += 1 } }
    return crlf > lf ? [13, 10] : [10]
  }

  /// Lines as `wc -l` plus a final unterminated line: what Read numbers.
  static func count(_ text: String) -> Int { TextLines(text).count }
}
