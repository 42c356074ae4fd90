import DealerCore
import Foundation
import SQLKit

extension NotificationStore {
    /// A letter to one address that no event causes (a sign-in link from the console), queued in the
    /// outbox so it is sent, retried and logged like every message. `rule` names why
    /// (`console.welcome`, `console.reset`); such letters' text is hidden in the log.
    public func enqueueLetter(rule: String, address: String, name: String?, subject: String, text: String, html: String?) async throws {
        let now = clock.now()
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO notifications (id, rule, channel, recipient_kind, recipient_name, address, subject, body_text, body_html,
                    attachments, urgent, status, attempts, cycle_attempts, not_before, next_attempt_at, created_at, updated_at)
                VALUES (\(bind: UUID()), \(bind: rule), 'email', 'address', \(bind: name), \(bind: address), \(bind: subject), \(bind: text),
                        \(bind: html), '[]', \(bind: true), 'pending', 0, 0, \(bind: now), \(bind: now), \(bind: now), \(bind: now))
                """
            ).run()
        }
        commits.notify()
    }
}
