import Foundation
import SQLKit

/// Which SQL the store speaks. Differences are few and each is named where it is used.
public enum SQLFlavor: String, Sendable {
    case sqlite
    case postgres

    /// What to append to a SELECT that reads a row it will then change. SQLite's single writer
    /// already serialises read-modify-write; PostgreSQL needs the row lock.
    var rowLockForUpdate: String { self == .postgres ? " FOR UPDATE" : "" }
    /// Rows of `alias` a replica claims, passing over those another replica has claimed (SQLite has
    /// one writer, so it needs no lock).
    func claimLock(of alias: String) -> String { self == .postgres ? " FOR UPDATE OF \(alias) SKIP LOCKED" : "" }
}

/// A database the store can read from and write to in transactions.
///
/// `read` runs outside any transaction; `transaction` runs its body in one transaction that commits
/// when the body returns and rolls back when it throws, so a multi-row change is all or nothing.
public protocol StoreDatabase: Sendable {
    var flavor: SQLFlavor { get }
    /// The PostgreSQL database underneath, for the few hot queries run as prepared statements.
    var postgres: PostgresStoreDatabase? { get }
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
}

extension StoreDatabase {
    public var postgres: PostgresStoreDatabase? { nil }
}
