import Crypto
import DealerCore
import Foundation
import SQLKit

/// A digest rendered for its addressee, ready for the outbox.
public struct DigestLetter: Sendable {
    public var kind: NotificationDigest.Kind
    public var day: CivilDate
    public var manager: Manager
    public var channel: NotificationChannel
    public var address: String
    public var message: RenderedMessage
    public var notBefore: Date

    public init(
        kind: NotificationDigest.Kind, day: CivilDate, manager: Manager, channel: NotificationChannel, address: String, message: RenderedMessage,
        notBefore: Date
    ) {
        self.kind = kind
        self.day = day
        self.manager = manager
        self.channel = channel
        self.address = address
        self.message = message
        self.notBefore = notBefore
    }

    /// The same for every run of one day's digest to one person, so a run repeated after a crash or
    /// by a second replica adds nothing: the outbox keeps one message per id, channel and address.
    var onceID: UUID {
        let digest = SHA256.hash(data: Data("\(kind.rawValue)/\(manager.id.lowercased)/\(day.iso)".utf8))
        var bytes = Array(digest.prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}

extension NotificationStore {
    /// Everyone a digest may go to, with the Telegram chats they linked.
    public func digestAddressees() async throws -> (managers: [Manager], chats: [UUID: String]) {
        try await database.read { sql in
            let people = try await Self.people(on: sql)
            return (people.managers.values.sorted { $0.email < $1.email }, people.chats)
        }
    }

    /// Puts the day's digests in the outbox, in one transaction; a digest already there is kept as it
    /// was. Returns how many were new.
    @discardableResult
    public func enqueue(_ letters: [DigestLetter]) async throws -> Int {
        guard !letters.isEmpty else { return 0 }
        let now = clock.now()
        let added = try await database.transaction { sql in
            var added = 0
            for letter in letters {
                let exists = try await sql.raw(
                    "SELECT 1 AS hit FROM notifications WHERE event_id = \(bind: letter.onceID) AND channel = \(bind: letter.channel.rawValue) AND address = \(bind: letter.address)"
                ).first()
                // Another replica's run of the same day may commit first: its row stands, ours is dropped.
                guard exists == nil else { continue }
                let notBefore = Timestamp.truncated(max(letter.notBefore, now))
                try await sql.raw(
                    """
                    INSERT INTO notifications (\(unsafeRaw: Self.insertColumns))
                    VALUES (\(bind: UUID()), NULL, \(bind: letter.onceID), \(bind: letter.kind.rawValue), NULL, \(bind: letter.kind.rawValue),
                        \(bind: letter.channel.rawValue), \(bind: NotificationRecipient.Kind.manager.rawValue), \(bind: letter.manager.id),
                        \(bind: letter.manager.name), \(bind: letter.address), \(bind: letter.message.subject), \(bind: letter.message.text),
                        \(bind: letter.message.html), '[]', \(bind: false), 'pending', 0, 0, \(bind: notBefore), \(bind: notBefore),
                        \(bind: now), \(bind: now))
                    ON CONFLICT DO NOTHING
                    """
                ).run()
                added += 1
            }
            return added
        }
        if added > 0 { commits.notify() }
        return added
    }
}
