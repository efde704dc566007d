/// The SQL both engines speak is written once; what differs between SQLite and PostgreSQL goes through the
/// small functions here, each giving both spellings side by side.
enum SQLDialect: Sendable, Equatable {
  case sqlite
  case postgres
}
