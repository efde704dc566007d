import ArrakisCore
import Foundation

/// The exit-status list of `arrakis --help`, wrapped to the width argument-parser wraps to (COLUMNS, else
/// the terminal's, else 80), with continuation lines under the meaning rather than at the margin, which
/// argument-parser's own wrapping of a long line would give. scripts/man-pages.sh reads it at
/// COLUMNS=1000, one code a line.
enum ExitStatusHelp {
  static var text: String { table(width: width) }

  static func table(width: Int) -> String {
    let indent = 7  // "  130  "
    return ExitStatus.allCases.map { status in
      // Built at the start of every command (the root configuration holds it), so plain Swift: Foundation's
      // `padding` and the String-separator `split` (RegexBuilder's overload) took 2 million instructions here.
      let number = String(status.rawValue)
      let code = "  " + number + String(repeating: " ", count: max(0, indent - 2 - number.count))
      var lines: [String] = [], line = ""
      for word in status.summary.split(separator: " " as Character) {
        if !line.isEmpty, indent + line.count + 1 + word.count > width - 1 {
          lines.append(line)
          line = String(word)
        } else {
          line += (line.isEmpty ? "" : " ") + word
        }
      }
      lines.append(line)
      return code + lines.joined(separator: "\n" + String(repeating: " ", count: indent))
    }.joined(separator: "\n")
  }

  static var width: Int {
    if let c = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), c > 20 { return c }
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
    return 80
  }
}
