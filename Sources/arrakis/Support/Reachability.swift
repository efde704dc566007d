import FoundationEssentials
import Glibc

/// Can this machine open a TCP connection to the API (or to the proxy that stands in for it)? A connection
/// is what `doctor` asks about: any HTTP answer after it, even an error, means the API is reachable, and
/// the request itself needs a key and costs a call.
enum Reachability {
  struct Target: Equatable {
    var host: String
    var port: UInt16
    /// "via proxy http://proxy:3128" when the connection goes to a proxy.
    var via: String?
  }

  /// The host and port libcurl would connect to for `baseURL`, given HTTPS_PROXY/HTTP_PROXY and NO_PROXY.
  static func target(baseURL: String, environment: [String: String]) -> Target? {
    guard let url = URLComponents(string: baseURL), let host = url.host, !host.isEmpty else { return nil }
    let https = url.scheme?.lowercased() == "https"
    let port = UInt16(url.port ?? (https ? 443 : 80))
    let proxyVar = https ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"]
    let proxy = proxyVar.compactMap { environment[$0] }.first { !$0.isEmpty }
    let noProxy = (environment["NO_PROXY"] ?? environment["no_proxy"] ?? "").split(separator: ",")
      .map { $0.trimmingSpacesAndTabs.lowercased() }
    let bypass = noProxy.contains("*") || noProxy.contains { !$0.isEmpty && (host == $0 || host.hasSuffix("." + $0.trimming(charactersIn: "."))) }
    if let proxy, !bypass, let p = URLComponents(string: proxy.contains("://") ? proxy : "http://" + proxy), let ph = p.host {
      return Target(host: ph, port: UInt16(p.port ?? 1080), via: "via proxy \(proxy)")
    }
    return Target(host: host, port: port, via: nil)
  }

  /// Connects within `timeout` seconds; the milliseconds it took, or why not.
  static func connect(_ t: Target, timeout: Double = 5) -> Result<Int, ReachError> {
    let started = Date()
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let rc = getaddrinfo(t.host, String(t.port), &hints, &list)
    guard rc == 0, let first = list else { return .failure(ReachError("cannot resolve \(t.host): \(String(cString: gai_strerror(rc)))")) }
    defer { freeaddrinfo(list) }
    var lastError = "no address"
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let a = entry {
      entry = a.pointee.ai_next
      let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
      guard fd >= 0 else { continue }
      defer { close(fd) }
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      if Glibc.connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 { return .success(ms(since: started)) }
      guard errno == EINPROGRESS else { lastError = String(cString: strerror(errno)); continue }
      var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
      let ready = poll(&pfd, 1, Int32(timeout * 1000))
      guard ready > 0 else { lastError = "no answer within \(Int(timeout)) s"; continue }
      var err: Int32 = 0
      var len = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
      if err == 0 { return .success(ms(since: started)) }
      lastError = String(cString: strerror(err))
    }
    return .failure(ReachError("cannot connect to \(t.host):\(t.port): \(lastError)"))
  }

  static func ms(since d: Date) -> Int { Int(Date().timeIntervalSince(d) * 1000) }

  struct ReachError: Error {
    var message: String
    init(_ m: String) { message = m }
  }
}
