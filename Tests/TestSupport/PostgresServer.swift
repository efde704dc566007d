import CArrakisSystem
import Foundation
import Postgres

#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server for the tests: the one `ARRAKIS_TEST_POSTGRES_URL` names (a role that may create
/// databases), else a throwaway cluster this process starts in a temp folder (initdb, loopback, a free port,
/// its unix socket in the folder) and stops when it exits. A watchdog started beside the cluster stops it too
/// if this process dies without exiting (a crash, SIGKILL), so no server outlives the test run.
///
/// Where neither is possible (no PostgreSQL installed), `isAvailable` is false and the tests that need a server
/// are skipped visibly, unless `ARRAKIS_TEST_POSTGRES_REQUIRED=1` (set by .ci/run): then they run and fail.
public final class PostgresServer: @unchecked Sendable {
  /// The URL of the maintenance database, with credentials.
  public let adminURL: String
  public let host: String
  public let port: Int
  /// The password every URL from this server carries.
  public let password: String?
  /// The user of the URLs.
  public let user: String
  /// The cluster's folder, nil for a server named by ARRAKIS_TEST_POSTGRES_URL.
  public let folder: String?
  private let binaries: String?
  private let lock = NSLock()
  private var databases = 0

  /// Whether PostgreSQL tests can run here (or must: CI sets ARRAKIS_TEST_POSTGRES_REQUIRED=1).
  public static let isAvailable: Bool = isRequired || externalURL != nil || binaryFolder != nil

  public static var isRequired: Bool { ProcessInfo.processInfo.environment["ARRAKIS_TEST_POSTGRES_REQUIRED"] == "1" }

  private static var externalURL: String? {
    ProcessInfo.processInfo.environment["ARRAKIS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// The server the whole test process shares; each test takes a database of its own (`makeDatabase`).
  public static func shared() throws -> PostgresServer {
    try sharedServer.get()
  }

  private static let sharedServer: Result<PostgresServer, Error> = Result {
    if let url = externalURL { return try PostgresServer(external: url) }
    return try PostgresServer()
  }

  /// Where initdb and pg_ctl are: ARRAKIS_TEST_POSTGRES_BIN, the newest /usr/lib/postgresql/N/bin (Debian), or PATH.
  static let binaryFolder: String? = {
    let fm = FileManager.default
    if let bin = ProcessInfo.processInfo.environment["ARRAKIS_TEST_POSTGRES_BIN"], fm.isExecutableFile(atPath: bin + "/initdb") { return bin }
    let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted(by: >)
    for version in versions where fm.isExecutableFile(atPath: "/usr/lib/postgresql/\(version)/bin/initdb") {
      return "/usr/lib/postgresql/\(version)/bin"
    }
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    where fm.isExecutableFile(atPath: "\(dir)/initdb") && fm.isExecutableFile(atPath: "\(dir)/pg_ctl") {
      return String(dir)
    }
    return nil
  }()

  private init(external url: String) throws {
    let probe = try PGConnection(url: url)
    adminURL = url
    host = probe.host
    port = Int(probe.port) ?? 5432
    user = probe.user
    password = nil  // libpq finds it where the URL's owner put it (URL, PGPASSWORD, .pgpass)
    folder = nil
    binaries = nil
  }

  /// Starts a new cluster of its own (private to the caller: a test may stop it).
  public init() throws {
    guard let bin = Self.binaryFolder else {
      throw PostgresServerError("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or PATH): apt-get install postgresql")
    }
    binaries = bin
    let folder = try Self.makeFolder()
    self.folder = folder
    user = "postgres"
    let password = "test-\(UInt32.random(in: 1...UInt32.max))"
    self.password = password
    try password.write(toFile: folder + "/pwfile", atomically: false, encoding: .utf8)
    try Self.chownToServerUser(folder)
    // Before initdb: a test process killed while the cluster is being made leaves nothing behind either.
    try Self.startWatchdog(bin: bin, folder: folder)
    // Password logins over TCP (the wrong-password test needs them), trust on the socket in the folder.
    try Self.runAsServerUser([
      bin + "/initdb", "-D", folder + "/data", "-U", "postgres", "--pwfile", folder + "/pwfile", "--auth-local=trust",
      "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions",
    ])
    var started: Int?
    var lastError: Error?
    for _ in 0..<5 {
      let port = Self.freePort()
      do {
        try Self.runAsServerUser([
          bin + "/pg_ctl", "-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60", "-o",
          "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
          "start",
        ])
        started = port
        break
      } catch {
        lastError = error  // most likely the port was taken between choosing and binding it
      }
    }
    guard let port = started else {
      let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
      throw PostgresServerError("pg_ctl start failed: \(lastError.map { "\($0)" } ?? "")\n\(log.suffix(2000))")
    }
    self.port = port
    host = "127.0.0.1"
    adminURL = "postgresql://postgres:\(password)@127.0.0.1:\(port)/postgres"
    Self.register(self)
  }

  /// A URL of this server for `database` (the password included unless `password` says otherwise).
  public func url(database: String, password override: String?? = .none) -> String {
    let pw: String? = override ?? password
    guard folder != nil else {
      // An external server: the admin URL with its database replaced.
      var components = URLComponents(string: adminURL)
      components?.path = "/" + database
      if let pw = override { components?.password = pw }
      return components?.string ?? adminURL
    }
    return "postgresql://\(user)\(pw.map { ":" + $0 } ?? "")@\(host):\(port)/\(database)"
  }

  /// A new, empty database; its URL.
  public func makeDatabase(_ label: String = "t") throws -> String {
    let n = lock.withLock { databases += 1; return databases }
    let safe = label.lowercased().filter { $0.isLetter && $0.isASCII || $0.isNumber }.prefix(20)
    let name = "arrakis_\(safe)_\(getpid())_\(n)"
    let admin = try PGConnection(url: adminURL)
    try admin.execute("CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
    return url(database: name)
  }

  /// Stops the cluster now (a test of a server going away); `start` brings it back on the same port.
  public func stop() throws {
    guard let bin = binaries, let folder else { throw PostgresServerError("cannot stop a server this process did not start") }
    try Self.runAsServerUser([bin + "/pg_ctl", "-D", folder + "/data", "-m", "fast", "-w", "stop"])
  }

  public func start() throws {
    guard let bin = binaries, let folder else { throw PostgresServerError("cannot start a server this process did not start") }
    try Self.runAsServerUser([
      bin + "/pg_ctl", "-D", folder + "/data", "-l", folder + "/server.log", "-w", "-o",
      "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
    ])
  }

  /// Stops the cluster and removes its folder.
  public func shutDown() {
    guard let bin = binaries, let folder else { return }
    try? Self.runAsServerUser([bin + "/pg_ctl", "-D", folder + "/data", "-m", "immediate", "-w", "stop"])
    try? FileManager.default.removeItem(atPath: folder)
  }

  /// A shell loop, as the server's user, that waits for this process to end and then stops the cluster and
  /// removes its folder. It outlives a crash of this process; after a normal exit `shutDown` got there first.
  private static func startWatchdog(bin: String, folder: String) throws {
    let script = """
      trap '' HUP INT TERM
      while [ -d /proc/\(getpid()) ]; do sleep 1; done
      [ -d "$1/data" ] && "$2/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1
      rm -rf "$1"
      """
    let (executable, arguments) = Self.asServerUser(["/bin/sh", "-c", script, "watchdog", folder, bin])
    _ = try Self.spawn([executable.path] + arguments, outputTo: "/dev/null")
  }

  // MARK: - Process plumbing

  private static let registryLock = NSLock()
  nonisolated(unsafe) private static var started: [PostgresServer] = []

  private static func register(_ server: PostgresServer) {
    registryLock.withLock {
      if started.isEmpty { atexit { PostgresServer.shutDownAll() } }
      started.append(server)
    }
  }

  private static func shutDownAll() {
    let servers = registryLock.withLock { started }
    servers.forEach { $0.shutDown() }
  }

  private static var isRoot: Bool { geteuid() == 0 }

  /// initdb refuses to run as root: the cluster belongs to the `postgres` user then.
  private static func asServerUser(_ command: [String]) -> (URL, [String]) {
    guard isRoot else { return (URL(fileURLWithPath: command[0]), Array(command.dropFirst())) }
    return (URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", "postgres", "--"] + command)
  }

  /// Runs a command to its end, its output in a temp file (read for the error message). posix_spawn and
  /// waitpid rather than Foundation's Process: this runs inside a one-time initializer other tests wait on, and
  /// Process's exit monitoring stalled there.
  private static func runAsServerUser(_ command: [String]) throws {
    let (executable, arguments) = asServerUser(command)
    let log = NSTemporaryDirectory() + "/arrakis-pg-cmd-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    defer { unlink(log) }
    let pid = try spawn([executable.path] + arguments, outputTo: log)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exited = status & 0x7f == 0
    let code = (status >> 8) & 0xff
    guard exited && code == 0 else {
      let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
      throw PostgresServerError("\((command[0] as NSString).lastPathComponent) failed (status \(status)): \(text)")
    }
  }

  /// Starts a command with stdin from /dev/null and stdout/stderr to `outputTo`; its pid.
  private static func spawn(_ argv: [String], outputTo path: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // Nothing else of this process: the server and its watchdog live as long as the test run, and a pipe
    // another test had open at this moment (a child's output it reads to the end) would never see EOF.
    _ = arrakis_spawn_close_from(&actions, 3)
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ)
    guard rc == 0 else { throw PostgresServerError("cannot start \(argv[0]): errno \(rc)") }
    return pid
  }

  private static func makeFolder() throws -> String {
    let tmp = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
    var template = Array((tmp + "arrakis-pg-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw PostgresServerError("mkdtemp failed: errno \(errno)") }
    return String(cString: made)
  }

  private static func chownToServerUser(_ folder: String) throws {
    guard isRoot else { return }
    guard let pw = getpwnam("postgres") else {
      throw PostgresServerError("no 'postgres' user to run the cluster as (initdb refuses root): apt-get install postgresql creates it")
    }
    for path in [folder, folder + "/pwfile"] where chown(path, pw.pointee.pw_uid, pw.pointee.pw_gid) != 0 {
      throw PostgresServerError("chown \(path) failed: errno \(errno)")
    }
  }

  /// A loopback port nothing listens on now, for a test of a server that is not there.
  public static func freePortForTests() -> Int { freePort() }

  /// A loopback port nothing listens on now (the kernel's choice for port 0).
  static func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: addr.sin_port))
  }
}

public struct PostgresServerError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
