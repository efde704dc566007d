/// File classification by name only: language, "is this code", "is this a test". Kept free of I/O so the
/// scanner's hot loop stays simple and these rules can be tested on their own.
public enum Language {
  static let byExtension: [String: String] = [
    "swift": "swift", "c": "c", "h": "c-header", "cc": "cpp", "cpp": "cpp", "cxx": "cpp", "hpp": "cpp", "hh": "cpp",
    "m": "objc", "mm": "objc", "py": "python", "pyi": "python", "js": "javascript", "mjs": "javascript",
    "cjs": "javascript", "jsx": "javascript", "ts": "typescript", "tsx": "typescript", "mts": "typescript",
    "go": "go", "rs": "rust", "java": "java", "kt": "kotlin", "kts": "kotlin", "scala": "scala", "cs": "csharp",
    "rb": "ruby", "php": "php", "sh": "shell", "bash": "shell", "zsh": "shell", "pl": "perl", "lua": "lua",
    "md": "markdown", "markdown": "markdown", "rst": "rst", "txt": "text", "json": "json", "yml": "yaml",
    "yaml": "yaml", "toml": "toml", "xml": "xml", "html": "html", "css": "css", "scss": "css", "sql": "sql",
  ]
  static let byName: [String: String] = [
    "Makefile": "make", "makefile": "make", "GNUmakefile": "make", "Dockerfile": "docker",
    "CMakeLists.txt": "cmake", "Gemfile": "ruby", "Rakefile": "ruby",
  ]
  /// Languages whose files are programs (so "has no test" and "longest function" make sense for them).
  static let code: Set<String> = [
    "swift", "c", "cpp", "objc", "python", "javascript", "typescript", "go", "rust", "java", "kotlin", "scala",
    "csharp", "ruby", "php", "shell", "perl", "lua",
  ]
  /// Languages whose blocks are delimited by braces, for the function-length heuristic.
  static let braces: Set<String> = [
    "swift", "c", "c-header", "cpp", "objc", "javascript", "typescript", "go", "rust", "java", "kotlin", "scala",
    "csharp", "php", "shell",
  ]

  /// The language of a file name, or "other".
  public static func of(fileName: String) -> String {
    if let l = byName[fileName] { return l }
    guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return "other" }
    return byExtension[fileName[fileName.index(after: dot)...].lowercased()] ?? "other"
  }

  public static func isCode(_ language: String) -> Bool { code.contains(language) }

  static let testDirectories: Set<String> = ["Tests", "tests", "test", "Test", "__tests__", "spec", "specs", "testdata"]

  /// Test files by path: under a test directory, or named the way common frameworks name tests.
  public static func isTest(path: String) -> Bool {
    let parts = path.split(separator: "/")
    if parts.dropLast().contains(where: { testDirectories.contains(String($0)) }) { return true }
    let name = String(parts.last ?? "")
    let lower = name.lowercased()
    if lower.hasSuffix("_test.go") || lower.hasSuffix("_spec.rb") || lower.hasSuffix("_test.rb") { return true }
    if lower.hasSuffix(".py") && (lower.hasPrefix("test_") || lower.hasSuffix("_test.py")) { return true }
    for infix in [".test.", ".spec."] where lower.contains(infix) { return true }
    let stem = name.split(separator: ".").first.map(String.init) ?? name
    // Swift/Java/Kotlin convention: FooTests.swift, FooTest.java.
    if stem.count > 4 && (stem.hasSuffix("Tests") || stem.hasSuffix("Test")) && stem.first!.isUppercase { return true }
    return false
  }

  /// The base name used to pair sources with tests: file name without directory and extension(s) after the first dot.
  static func baseName(of path: String) -> String {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return String(name.split(separator: ".", omittingEmptySubsequences: false).first ?? Substring(name))
  }
}
