import ArrakisCore
import FoundationEssentials
import Glibc

/// The exit-status list of `arrakis --help`, wrapped to the width argument-parser wraps to (COLUMNS, else
/// the terminal's, else 80), with continuation lines under the meaning rather than at the margin, which
/// argument-parser's own wrapping of a long line would give. scripts/man-pages.sh reads it at
/// COLUMNS=1000, one code a line.
enum ExitStatusHelp {
  static var text: String { table(width: width) }

  static func table(width: Int) -> String {
    let indent = 7  // "  130  "
    // Built at the start of every command (the root configuration holds it), so in bytes: Foundation's
    // `padding` and the String-separator `split` (RegexBuilder's overload) took 2 million instructions
    // here, and Swift's String appends and Character counts still 1.5 million.
    var out: [UInt8] = []
    out.reserveCapacity(2048)
    for (index, status) in ExitStatus.allCases.enumerated() {
      if index > 0 { out.append(UInt8(ascii: "\n")) }
      let number = String(status.rawValue).utf8
      out += "  ".utf8
      out += number
      out += repeatElement(UInt8(ascii: " "), count: max(0, indent - 2 - number.count))
      var line = 0  // the current line's length in characters
      for word in status.summary.utf8.split(separator: UInt8(ascii: " ")) {
        let length = word.allSatisfy { $0 < 0x80 } ? word.count : Substring(word).count
        if line > 0, indent + line + 1 + length > width - 1 {
          out.append(UInt8(ascii: "\n"))
          out += repeatElement(UInt8(ascii: " "), count: indent)
          line = 0
        } else if line > 0 {
          out.append(UInt8(ascii: " "))
          line += 1
        }
        out += word
        line += length
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  static var width: Int {
    if let c = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), c > 20 { return c }
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
    return 80
  }
}
