import FoundationEssentials
import Glibc

/// Measures one file from a single read of its bytes.
enum FileMeasure {
  /// Bytes inspected for a NUL to call a file binary (what git and grep do).
  static let binaryProbe = 8000

  static func measure(_ absolute: String, relative: String, maxBytes: Int, buffer: inout [UInt8]) -> TreeScanner.Result {
    let fd = open(absolute, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .unreadable }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { return .unreadable }
    let size = Int(st.st_size)
    if size > maxBytes { return .tooLarge }
    if buffer.count < size + 1 { buffer = [UInt8](repeating: 0, count: size + 1) }
    // Read to EOF rather than trusting st_size: the file may change under us.
    var count = 0
    let ok = buffer.withUnsafeMutableBytes { raw -> Bool in
      while count < raw.count {
        let n = read(fd, raw.baseAddress! + count, raw.count - count)
        if n < 0 { if errno == EINTR { continue }; return false }
        if n == 0 { break }
        count += n
      }
      return true
    }
    guard ok else { return .unreadable }
    if count > maxBytes { return .tooLarge }
    return buffer.withUnsafeBufferPointer { all -> TreeScanner.Result in
      let bytes = UnsafeBufferPointer(rebasing: all[0..<count])
      if count > 0, memchr(bytes.baseAddress!, 0, min(count, binaryProbe)) != nil { return .binary }
      let (signals, markers) = measureText(bytes, relative: relative)
      return .file(signals, markers)
    }
  }

  static func measureText(_ bytes: UnsafeBufferPointer<UInt8>, relative: String) -> (FileSignals, [Marker]) {
    let name = relative.split(separator: "/").last.map(String.init) ?? relative
    let language = Language.of(fileName: name)
    let index = LineIndex(bytes)
    var codeLines = 0
    for i in 0..<index.count where !index.isBlank(i) { codeLines += 1 }
    let markers = MarkerScanner.scan(index, path: relative)
    let signals = FileSignals(
      path: relative, language: language, bytes: bytes.count, lines: index.count, codeLines: codeLines,
      isTest: Language.isTest(path: relative), longestFunction: FunctionDetector.longest(index, language: language),
      markerCount: markers.count)
    return (signals, markers)
  }
}
