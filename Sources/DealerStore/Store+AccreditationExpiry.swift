import DealerCore
import Foundation
import SQLKit

/// What one pass of the expiry watch did.
public struct AccreditationExpiryResult: Sendable, Equatable {
    /// Accredited dealers whose accreditation (and its documents) were looked at.
    public var dealers: Int
    /// `accreditation.expiring` events written.
    public var reminders: Int
    /// `accreditation.expired` events written.
    public var expiries: Int
    /// Dealers suspended because their accreditation ran out.
    public var suspended: Int
}

extension Store {
    /// Watches the accreditations of accredited dealers and the documents they were accredited on:
    /// `accreditation.expiring` at each configured number of days before the last valid day (once
    /// per threshold and date, so a renewed document is watched afresh), and at expiry
    /// `accreditation.expired` — suspending the dealer when config says so. One transaction;
    /// running it twice on a day changes nothing.
    public func watchAccreditationExpiry(today: CivilDate, settings: AccreditationExpirySettings) async throws -> AccreditationExpiryResult {
        let now = clock.now()
        let flavor = database.flavor
        let actor = Caller(name: "job:accreditation-expiry", role: .admin)
        return try await writing { sql in
            let current = try await Self.currentAccreditations(on: sql)
            let documents = try await Self.latestDocumentExpiries(of: current, on: sql)
            var subjects: [UUID] = current.map(\.id)
            subjects += documents.map(\.id)
            var sent: [UUID: [String: Set<Int>]] = [:]
            for chunk in subjects.chunked(sql.memberChunk) {
                for row in try await sql.raw(
                    "SELECT subject_id, expires, threshold_days FROM accreditation_reminders WHERE \(sql.member("subject_id", of: chunk))"
                ).all() {
                    let subject = try row.decode(column: "subject_id", as: UUID.self)
                    sent[subject, default: [:]][try row.decode(column: "expires", as: String.self), default: []]
                        .insert(try row.decode(column: "threshold_days", as: Int.self))
                }
            }
            var events: [DomainEvent] = []
            var reminders: [SentReminder] = []
            var toSuspend: [CurrentAccreditation] = []
            var result = AccreditationExpiryResult(dealers: current.count, reminders: 0, expiries: 0, suspended: 0)
            for accreditation in current {
                guard
                    let due = ExpiryReminders.due(
                        lastValidDay: accreditation.validUntil, today: today, thresholds: settings.reminderDays,
                        sent: sent[accreditation.id]?[accreditation.validUntil.iso] ?? [])
                else { continue }
                reminders += due.settles.map {
                    SentReminder(subject: accreditation.id, dealer: accreditation.dealerID, expires: accreditation.validUntil, threshold: $0)
                }
                var notice = ExpiryNotice(
                    subject: .accreditation, dealerID: accreditation.dealerID, code: accreditation.code, accreditationID: accreditation.id,
                    profile: accreditation.profile, profileVersion: accreditation.profileVersion, validUntil: accreditation.validUntil,
                    daysLeft: due.daysLeft)
                if due.threshold == 0 {
                    notice.action = settings.onExpiry == .suspend ? .suspended : .alerted
                    events.append(
                        try DomainEvent(type: .accreditationExpired, occurredAt: now, dealerID: accreditation.dealerID, payload: notice))
                    result.expiries += 1
                    if settings.onExpiry == .suspend { toSuspend.append(accreditation) }
                } else {
                    notice.thresholdDays = due.threshold
                    events.append(
                        try DomainEvent(type: .accreditationExpiring, occurredAt: now, dealerID: accreditation.dealerID, payload: notice))
                    result.reminders += 1
                }
            }
            let byID = Dictionary(uniqueKeysWithValues: current.map { ($0.dealerID, $0) })
            for document in documents {
                guard let accreditation = byID[document.dealerID],
                    let due = ExpiryReminders.due(
                        lastValidDay: document.expires, today: today, thresholds: settings.reminderDays,
                        sent: sent[document.id]?[document.expires.iso] ?? [])
                else { continue }
                reminders += due.settles.map {
                    SentReminder(subject: document.id, dealer: document.dealerID, expires: document.expires, threshold: $0)
                }
                var notice = ExpiryNotice(
                    subject: .document, dealerID: document.dealerID, code: accreditation.code, accreditationID: accreditation.id,
                    documentID: document.id, kind: document.kind, expires: document.expires, daysLeft: due.daysLeft)
                if due.threshold == 0 {
                    notice.action = .alerted
                    events.append(try DomainEvent(type: .accreditationExpired, occurredAt: now, dealerID: document.dealerID, payload: notice))
                    result.expiries += 1
                } else {
                    notice.thresholdDays = due.threshold
                    events.append(try DomainEvent(type: .accreditationExpiring, occurredAt: now, dealerID: document.dealerID, payload: notice))
                    result.reminders += 1
                }
            }
            for chunk in reminders.chunked(200) {
                let rows: [SQLQueryString] = chunk.map {
                    "(\(bind: $0.subject), \(bind: $0.expires.iso), \(bind: $0.threshold), \(bind: $0.dealer), \(bind: now))"
                }
                try await sql.raw(
                    "INSERT INTO accreditation_reminders (subject_id, expires, threshold_days, dealer_id, sent_at) VALUES \(rows.joined(separator: ", "))"
                ).run()
            }
            try await Outbox.appendAll(events, on: sql, flavor: flavor)
            for accreditation in toSuspend {
                guard let dealer = try await Self.fetchDealer(id: accreditation.dealerID, on: sql, lockingOn: flavor),
                    dealer.status == .accredited
                else { continue }
                let reason = AccreditationRecord.expiryReason(
                    profile: accreditation.profile, version: accreditation.profileVersion, validUntil: accreditation.validUntil)
                try await Self.moveStatus(of: dealer, to: .suspended, reason: reason, actor: actor, at: now, on: sql, flavor: flavor)
                result.suspended += 1
            }
            return result
        }
    }

    struct SentReminder: Sendable {
        var subject: UUID
        var dealer: UUID
        var expires: CivilDate
        var threshold: Int
    }

    struct CurrentAccreditation: Sendable {
        var id: UUID
        var dealerID: UUID
        var code: String
        var profile: String
        var profileVersion: String
        var validUntil: CivilDate
        var requiredDocuments: [String]
    }

    /// Each accredited dealer's latest accredited decision (dealers loaded as accredited without one
    /// have nothing dealerd could expire).
    static func currentAccreditations(on sql: any SQLDatabase) async throws -> [CurrentAccreditation] {
        let decoder = DealerJSON.decoder()
        return try await sql.raw(
            """
            SELECT a.id, a.dealer_id, d.code, a.profile, a.profile_version, a.valid_until, a.required_documents
            FROM accreditations a JOIN dealers d ON d.id = a.dealer_id
            WHERE d.status = 'accredited' AND a.decision = 'accredited' AND a.valid_until IS NOT NULL
              AND a.seq = (SELECT MAX(b.seq) FROM accreditations b WHERE b.dealer_id = a.dealer_id AND b.decision = 'accredited')
            ORDER BY d.code
            """
        ).all().map { row in
            CurrentAccreditation(
                id: try row.decode(column: "id", as: UUID.self), dealerID: try row.decode(column: "dealer_id", as: UUID.self),
                code: try row.decode(column: "code", as: String.self), profile: try row.decode(column: "profile", as: String.self),
                profileVersion: try row.decode(column: "profile_version", as: String.self), validUntil: try row.civilDate("valid_until"),
                requiredDocuments: try decoder.decode(
                    [String].self, from: Data(try row.decode(column: "required_documents", as: String.self).utf8)))
        }
    }

    struct ExpiringDocument: Sendable {
        var id: UUID
        var dealerID: UUID
        var kind: String
        var expires: CivilDate
    }

    /// For each current accreditation, the documents it required: of several of a kind the one that
    /// lasts longest (a renewal replaces the old one's expiry), and none when one never expires.
    static func latestDocumentExpiries(of current: [CurrentAccreditation], on sql: any SQLDatabase) async throws -> [ExpiringDocument] {
        let required = Dictionary(uniqueKeysWithValues: current.map { ($0.dealerID, Set($0.requiredDocuments)) })
        var longest: [String: (document: ExpiringDocument?, endless: Bool)] = [:]
        for chunk in current.filter({ !$0.requiredDocuments.isEmpty }).map(\.dealerID).chunked(sql.memberChunk) {
            for row in try await sql.raw(
                "SELECT id, dealer_id, kind, expires FROM dealer_documents WHERE \(sql.member("dealer_id", of: chunk))"
            ).all() {
                let dealerID = try row.decode(column: "dealer_id", as: UUID.self)
                let kind = try row.decode(column: "kind", as: String.self)
                guard required[dealerID]?.contains(kind) == true else { continue }
                let key = dealerID.lowercased + "/" + kind
                guard let expires = try row.optionalCivilDate("expires") else {
                    longest[key] = (nil, true)
                    continue
                }
                let document = ExpiringDocument(id: try row.decode(column: "id", as: UUID.self), dealerID: dealerID, kind: kind, expires: expires)
                switch longest[key] {
                case nil: longest[key] = (document, false)
                case (let held?, false)? where held.expires < expires: longest[key] = (document, false)
                default: break
                }
            }
        }
        return longest.values.compactMap { $0.endless ? nil : $0.document }.sorted {
            ($0.dealerID.lowercased, $0.kind) < ($1.dealerID.lowercased, $1.kind)
        }
    }
}
