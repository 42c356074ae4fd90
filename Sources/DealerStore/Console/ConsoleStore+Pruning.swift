import DealerCore
import Foundation
import SQLKit

/// What a sign-in leaves behind once it can no longer be used, removed by housekeeping.
public struct PrunedAccess: Sendable, Equatable {
    public var sessions: Int
    public var links: Int
    public var actLinks: Int

    public init(sessions: Int, links: Int, actLinks: Int) {
        self.sessions = sessions
        self.links = links
        self.actLinks = actLinks
    }

    public var total: Int { sessions + links + actLinks }
}

extension ConsoleStore {
    /// Removes sessions past any lifetime the config allows (30 days at most) or signed out, and the
    /// console's and the act letters' links once they have expired or been used. None of them can
    /// sign anyone in or answer an act any more; the audit keeps who did what.
    public func pruneSpentAccess() async throws -> PrunedAccess {
        let now = clock.now()
        let oldest = now.addingTimeInterval(-31 * 86400)
        return try await database.transaction { sql in
            let sessions = try await sql.raw(
                """
                DELETE FROM console_sessions WHERE created_at < \(bind: oldest) OR revoked_at IS NOT NULL
                RETURNING token_hash
                """
            ).all().count
            let links = try await sql.raw(
                "DELETE FROM console_links WHERE expires_at < \(bind: now) OR used_at IS NOT NULL RETURNING code_hash"
            ).all().count
            let actLinks = try await sql.raw("DELETE FROM act_answer_links WHERE expires_at < \(bind: now) RETURNING code_hash").all().count
            return PrunedAccess(sessions: sessions, links: links, actLinks: actLinks)
        }
    }
}
