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
      let code = "  " + String(status.rawValue).padding(toLength: indent - 2, withPad: " ", startingAt: 0)
      var lines: [String] = [], line = ""
      for word in status.summary.split(separator: " ") {
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
    if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 20 { return c }
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
    return 80
  }
}
