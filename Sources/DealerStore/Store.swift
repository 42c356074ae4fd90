import DealerCore
import Foundation
import Logging
import SQLKit

/// The one place dealerd reads and writes its data. Every change and the event and audit record it
/// causes are written in one transaction.
public struct Store: Sendable {
    public let database: any StoreDatabase
    public let clock: any NowProvider
    /// Now and today in the company's time zone, for every handler and job that needs a business date.
    public let calendar: CompanyCalendar
    /// Rings after each commit that appended events.
    public let commits: CommitSignal
    /// Authenticated keys, trusted only while a revocation listener runs.
    public let apiKeyCache: APIKeyCache
    /// Seals the stored secrets that must stay readable (webhook signing secrets).
    public let secrets: SecretSealer
    /// Key uses waiting for `APIKeyUseWriter` (or `flushAPIKeyUses`) to write them.
    public let keyUses = APIKeyUses()

    public init(
        database: any StoreDatabase, clock: any NowProvider = SystemNow(), apiKeyCache: APIKeyCache = APIKeyCache(),
        secrets: SecretSealer = .none, timeZone: TimeZone = CivilDate.defaultCompanyTimeZone
    ) {
        let commits = CommitSignal()
        self.database = SignallingDatabase(inner: database, signal: commits)
        self.clock = clock
        self.calendar = CompanyCalendar(clock: clock, timeZone: timeZone)
        self.commits = commits
        self.apiKeyCache = apiKeyCache
        self.secrets = secrets
    }

    /// True when the database answers a trivial query.
    public func ping() async -> Bool {
        do {
            return try await database.read { sql in
                try await sql.raw("SELECT 1 AS one").first() != nil
            }
        } catch {
            return false
        }
    }
}

/// A page of a list and the cursor for the next one (nil on the last page).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
