import Foundation

/// Where the data lives, as an operator writes it in `DEALERD_DATABASE_URL`.
///
/// - `sqlite:///absolute/path/file.sqlite` or `sqlite://relative/path.sqlite` or `sqlite::memory:`
/// - `postgres://user:password@host:port/database` (also `postgresql://`, `?sslmode=disable|require`)
public enum DatabaseURL: Sendable, Equatable {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(url: String)

    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws(Invalid) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text == "sqlite::memory:" || text == "sqlite://:memory:" {
            self = .sqliteMemory
        } else if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw Invalid(description: "sqlite:// needs a file path, e.g. sqlite:///var/lib/dealerd/dealerd.sqlite") }
            self = .sqliteFile(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
                throw Invalid(description: "a PostgreSQL URL looks like postgres://user:password@host:5432/database")
            }
            guard components.user?.isEmpty == false else {
                throw Invalid(description: "the PostgreSQL URL names no user (postgres://USER:password@host/db)")
            }
            guard components.path.count > 1 else {
                throw Invalid(description: "the PostgreSQL URL names no database (postgres://user@host:5432/DATABASE)")
            }
            self = .postgres(url: text)
        } else {
            throw Invalid(description: "the database URL must start with sqlite:// or postgres:// (got \(Self.redact(text)))")
        }
    }

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The URL as it may be shown in logs and `config check`: any password replaced by `***`.
    public var redacted: String {
        switch self {
        case .sqliteFile(let path): "sqlite://\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let url): Self.redact(url)
        }
    }

    static func redact(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "***"
    }
}
