/// A parsed Grep call, shared by the ripgrep and built-in engines so both see the same options.
struct GrepRequest: Sendable {
  enum Mode: String { case filesWithMatches = "files_with_matches", content, count }

  var pattern: String
  /// Absolute search path (file or directory) and how it is shown in output ("" = workspace root).
  var searchPath: String
  var displayPath: String
  var isFile: Bool
  var glob: String?
  var type: String?
  var mode: Mode = .filesWithMatches
  var caseInsensitive = false
  var lineNumbers = true
  var before = 0
  var after = 0
  var multiline = false
  var headLimit: Int?
  /// Entries (output lines) skipped before head_limit applies: paging.
  var offset = 0
  /// `-o`: print each match instead of its line.
  var onlyMatching = false

  var hasContext: Bool { mode == .content && (before > 0 || after > 0) }

  /// ripgrep's definitions for common types (from `rg --type-list`, rg 13), so the built-in engine
  /// selects the same files (SearchToolTests compares them type by type with the installed rg).
  /// Unknown types are an error in the built-in engine.
  static let types: [String: [String]] = [
    "swift": ["*.swift"], "py": ["*.py"], "js": ["*.js", "*.jsx", "*.vue"], "ts": ["*.ts", "*.tsx"],
    "go": ["*.go"], "rust": ["*.rs"], "c": ["*.[chH]", "*.[chH].in", "*.cats"], "h": ["*.h", "*.hpp"],
    "cpp": ["*.[ChH]", "*.[ChH].in", "*.[ch]pp", "*.[ch]pp.in", "*.[ch]xx", "*.[ch]xx.in", "*.cc", "*.cc.in", "*.hh", "*.hh.in", "*.inl"],
    "java": ["*.java", "*.jsp", "*.jspx", "*.properties"], "md": ["*.markdown", "*.md", "*.mdown", "*.mkdn"],
    "markdown": ["*.markdown", "*.md", "*.mdown", "*.mkdn"], "json": ["*.json", "composer.lock"],
    "yaml": ["*.yaml", "*.yml"], "toml": ["*.toml", "Cargo.lock"], "txt": ["*.txt"], "html": ["*.ejs", "*.htm", "*.html"],
    "css": ["*.css", "*.scss"], "kotlin": ["*.kt", "*.kts"], "ruby": ["*.gemspec", "*.rb", "*.rbw", ".irbrc", "Gemfile", "Rakefile", "config.ru"],
    "sh": [
      "*.bash", "*.bashrc", "*.csh", "*.cshrc", "*.ksh", "*.kshrc", "*.sh", "*.tcsh", "*.zsh", ".bash_login", ".bash_logout",
      ".bash_profile", ".bashrc", ".cshrc", ".kshrc", ".login", ".logout", ".profile", ".tcshrc", ".zlogin", ".zlogout", ".zprofile",
      ".zshenv", ".zshrc", "bash_login", "bash_logout", "bash_profile", "bashrc", "profile", "zlogin", "zlogout", "zprofile", "zshenv", "zshrc",
    ], "objc": ["*.h", "*.m"],
    "cmake": ["*.cmake", "CMakeLists.txt"], "sql": ["*.psql", "*.sql"], "csharp": ["*.cs"], "php": ["*.php", "*.php3", "*.php4", "*.php5", "*.phtml"],
    "lua": ["*.lua"], "scala": ["*.sbt", "*.scala"], "zig": ["*.zig"], "xml": ["*.dtd", "*.rng", "*.sch", "*.xhtml", "*.xjb", "*.xml", "*.xml.dist", "*.xsd", "*.xsl", "*.xslt"],
  ]
}
