import DealerCore
import Foundation
import SQLKit

/// What one dunning run did.
public struct DunningResult: Sendable, Equatable {
    /// Dealers owing something that some level could concern.
    public var dealers: Int
    /// `credit.payment_reminder` events written.
    public var reminders: Int
    /// Dealers a reminder was due for that have no accounting contact with an e-mail: their levels
    /// stay unsent until one is on the card.
    public var unreachable: Int
    public var promisesKept: Int
    public var promisesBroken: Int
    /// Dealers whose reminders wait for a running promise.
    public var paused: Int
}

/// A level sent for one document, as the dealer card shows it.
public struct DunningNoticeRecord: Sendable, Equatable, Encodable {
    public var externalID: String
    public var documentNumber: String
    public var dueDate: CivilDate
    public var level: Int
    public var open: String
    public var openMinor: Int64
    public var currency: String
    public var sentOn: CivilDate
    public var eventID: UUID

    enum CodingKeys: String, CodingKey {
        case level, open, currency
        case externalID = "external_id"
        case documentNumber = "document_number"
        case dueDate = "due_date"
        case sentOn = "sent_on"
        case eventID = "event_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(externalID, forKey: .externalID)
        try container.encode(documentNumber, forKey: .documentNumber)
        try container.encode(dueDate.iso, forKey: .dueDate)
        try container.encode(level, forKey: .level)
        try container.encode(open, forKey: .open)
        try container.encode(currency, forKey: .currency)
        try container.encode(sentOn.iso, forKey: .sentOn)
        try container.encode(eventID.lowercased, forKey: .eventID)
    }
}

/// A dealer's dunning as its card shows it: the levels sent, newest first, and the running promise.
public struct DealerDunning: Sendable, Equatable, Encodable {
    public var dealerID: UUID
    public var levels: [Int]
    public var promise: PaymentPromise?
    /// Reminders wait until the day after this (the running promise's date).
    public var pausedUntil: CivilDate?
    public var notices: [DunningNoticeRecord]

    enum CodingKeys: String, CodingKey {
        case levels, promise, notices
        case dealerID = "dealer_id"
        case pausedUntil = "paused_until"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dealerID.lowercased, forKey: .dealerID)
        try container.encode(levels, forKey: .levels)
        try container.encode(promise, forKey: .promise)
        try container.encode(pausedUntil?.iso, forKey: .pausedUntil)
        try container.encode(notices, forKey: .notices)
    }
}

extension Store {
    /// The dealer's dunning: what was sent, newest first (at most `limit` documents' levels), and
    /// the promise that pauses it.
    public func dunning(dealerID: UUID, settings: DunningSettings, limit: Int = 200) async throws -> DealerDunning {
        let today = calendar.today
        return try await database.read { sql in
            try await Self.requireDealer(dealerID, on: sql)
            let notices = try await sql.raw(
                """
                SELECT n.external_id, n.document_number, n.due_date, n.level, n.open_minor, n.sent_on, n.event_id,
                       COALESCE(e.currency, '') AS currency
                FROM dunning_notices n LEFT JOIN ledger_entries e ON e.dealer_id = n.dealer_id AND e.external_id = n.external_id
                WHERE n.dealer_id = \(bind: dealerID)
                ORDER BY n.created_at DESC, n.due_date, n.external_id, n.level DESC LIMIT \(literal: max(1, limit))
                """
            ).all().corruptRowsSkipped(table: "dunning_notices") { row in
                let code = try row.decode(column: "currency", as: String.self)
                let currency = Currency(code: code) ?? .rub
                let open = try row.decode(column: "open_minor", as: Int64.self)
                return DunningNoticeRecord(
                    externalID: try row.decode(column: "external_id", as: String.self),
                    documentNumber: try row.decode(column: "document_number", as: String.self), dueDate: try row.civilDate("due_date"),
                    level: try row.decode(column: "level", as: Int.self),
                    open: Money(minorUnits: open, currency: currency).decimalString, openMinor: open,
                    currency: currency.code, sentOn: try row.civilDate("sent_on"), eventID: try row.decode(column: "event_id", as: UUID.self))
            }
            let promise = try await Self.openPromise(dealerID: dealerID, on: sql)
            return DealerDunning(
                dealerID: dealerID, levels: settings.levels, promise: promise,
                pausedUntil: promise.flatMap { $0.promisedOn >= today ? $0.promisedOn : nil }, notices: notices)
        }
    }

    /// One day's dunning: settles the promises whose date has passed or that were paid
    /// (`credit.promise_kept`, `credit.promise_broken`), then for every dealer owing something whose
    /// documents reached a level not yet sent writes `credit.payment_reminder` — one per dealer, the
    /// documents concerned in it, each level recorded as sent. A running promise pauses a dealer's
    /// reminders; a paid document leaves the open list and so the reminders. The positions are read
    /// first; the writes are one transaction that passes over what a concurrent run already sent.
    public func runDunning(today: CivilDate, settings: DunningSettings, defaults: CreditDefaults) async throws -> DunningResult {
        let now = clock.now()
        let flavor = database.flavor
        var result = DunningResult(dealers: 0, reminders: 0, unreachable: 0, promisesKept: 0, promisesBroken: 0, paused: 0)
        // A document can reach the earliest level only once it is this close to its due date.
        let lead = max(0, -(settings.levels.min() ?? 0))
        let (promises, candidates) = try await database.read { sql in
            let promises = try await sql.raw("SELECT \(unsafeRaw: Self.promiseColumns) FROM payment_promises WHERE status = 'open'").all()
                .corruptRowsSkipped(table: "payment_promises", Self.decodePromise)
            var candidates = Set(try await Self.openDebts(dealerIDs: nil, dueBefore: today.adding(days: lead + 1), on: sql).keys)
            candidates.formUnion(promises.map(\.dealerID))
            return (Dictionary(grouping: promises, by: \.dealerID), candidates.sorted { $0.uuidString < $1.uuidString })
        }
        var events: [DomainEvent] = []
        var settled: [(promise: PaymentPromise, paid: Int64, eventID: UUID)] = []
        var notices: [(notice: DunningNotice, eventID: UUID)] = []
        // Ledgers are read a few hundred dealers at a time, so a run holds one chunk's ledgers, not the network's.
        for chunk in candidates.chunked(Self.dunningChunk) {
            let facts = try await Self.dunningFacts(of: chunk, on: database)
            for dealerID in chunk {
                let ledger = facts.entries[dealerID] ?? []
                let position = ReceivablesPosition.compute(ledger, asOf: today)
                let dealer = facts.dealers[dealerID]
                let currency = dealer?.currency ?? defaults.currency
                var pausedUntil: CivilDate?
                for promise in promises[dealerID] ?? [] {
                    let paid = ledger.filter { $0.kind == .payment && $0.documentDate >= promise.madeOn && $0.documentDate <= promise.promisedOn }
                        .reduce(Int64(0)) { $0.saturating(adding: $1.amount.minorUnits) }
                    let outcome = promise.outcome(paid: paid, balance: position.balance, today: today)
                    guard outcome != .open else {
                        pausedUntil = promise.promisedOn
                        continue
                    }
                    var done = promise
                    done.status = outcome
                    let money = { (minor: Int64) in Money(minorUnits: minor, currency: promise.amount.currency) }
                    let event = try DomainEvent(
                        type: outcome == .kept ? .creditPromiseKept : .creditPromiseBroken, occurredAt: now, dealerID: dealerID,
                        payload: PromiseSettled(
                            promise: promise, code: dealer?.code ?? "", paid: money(paid), balance: money(position.balance),
                            overdue: money(position.overdue)))
                    settled.append((done, paid, event.id))
                    events.append(event)
                    if outcome == .kept { result.promisesKept += 1 } else { result.promisesBroken += 1 }
                }
                guard position.balance > 0 else { continue }
                result.dealers += 1
                guard
                    let notice = Dunning.notice(
                        dealerID: dealerID, position: position, currency: currency, levels: settings.levels, sent: facts.sent[dealerID] ?? [:],
                        pausedUntil: pausedUntil)
                else {
                    if pausedUntil != nil { result.paused += 1 }
                    continue
                }
                guard let dealer, dealer.reachable else {
                    result.unreachable += 1
                    continue
                }
                let event = try DomainEvent(
                    type: .creditPaymentReminder, occurredAt: now, dealerID: dealerID,
                    payload: PaymentReminder(
                        notice: notice, code: dealer.code, asOf: today, balance: Money(minorUnits: position.balance, currency: currency),
                        overdue: Money(minorUnits: position.overdue, currency: currency),
                        limit: dealer.limit.map { Money(minorUnits: $0, currency: currency) }))
                notices.append((notice, event.id))
                events.append(event)
            }
        }
        guard !events.isEmpty else { return result }
        let written = try await writing { [notices, settled, events] sql in
            var skipped: Set<UUID> = []
            for (notice, eventID) in notices {
                // A second run of the day (another replica, a retry) that committed first has these levels.
                let already = try await sql.raw(
                    "SELECT 1 AS hit FROM dunning_notices WHERE dealer_id = \(bind: notice.dealerID) AND sent_on = \(bind: today.iso) LIMIT 1"
                ).first()
                guard already == nil else {
                    skipped.insert(eventID)
                    continue
                }
                for chunk in notice.settles.chunked(200) {
                    let rows: [SQLQueryString] = chunk.map { level in
                        """
                        (\(bind: notice.dealerID), \(bind: level.externalID), \(bind: level.dueDate.iso), \(bind: level.level),
                         \(bind: level.number), \(bind: level.open), \(bind: eventID), \(bind: today.iso), \(bind: now))
                        """
                    }
                    try await sql.raw(
                        """
                        INSERT INTO dunning_notices (dealer_id, external_id, due_date, level, document_number, open_minor, event_id, sent_on, created_at)
                        VALUES \(rows.joined(separator: ", ")) ON CONFLICT DO NOTHING
                        """
                    ).run()
                }
            }
            for (promise, paid, eventID) in settled {
                // Settled meanwhile (another run, or cancelled by the manager): its outcome stands.
                let status = try await sql.raw(
                    "SELECT status FROM payment_promises WHERE id = \(bind: promise.id)\(unsafeRaw: flavor.rowLockForUpdate)"
                ).first().map { try $0.decode(column: "status", as: String.self) }
                guard status == PaymentPromise.Status.open.rawValue else {
                    skipped.insert(eventID)
                    continue
                }
                try await sql.raw(
                    """
                    UPDATE payment_promises SET status = \(bind: promise.status.rawValue), paid_minor = \(bind: paid), settled_at = \(bind: now)
                    WHERE id = \(bind: promise.id)
                    """
                ).run()
            }
            try await Outbox.appendAll(events.filter { !skipped.contains($0.id) }, on: sql, flavor: flavor)
            return notices.count - skipped.count
        }
        result.reminders = written
        return result
    }

    static let dunningChunk = 500

    /// What the dunning plan needs of a few dealers: code, whether accounting has an e-mail, the
    /// contract currency and effective limit, the ledger in FIFO order, and the levels already sent.
    private static func dunningFacts(
        of dealerIDs: [UUID], on database: any StoreDatabase
    ) async throws -> (
        dealers: [UUID: (code: String, reachable: Bool, currency: Currency?, limit: Int64?)], entries: [UUID: [LedgerEntry]],
        sent: [UUID: [String: Set<Int>]]
    ) {
        try await database.read { sql in
            var dealers: [UUID: (code: String, reachable: Bool, currency: Currency?, limit: Int64?)] = [:]
            var entries: [UUID: [LedgerEntry]] = [:]
            var sent: [UUID: [String: Set<Int>]] = [:]
            let decoder = DealerJSON.decoder()
            for chunk in dealerIDs.chunked(sql.memberChunk) {
                for row in try await sql.raw(
                    """
                    SELECT d.id, d.code, d.contacts, COALESCE(b.currency, p.currency) AS currency, p.limit_minor
                    FROM dealers d LEFT JOIN dealer_balances b ON b.dealer_id = d.id LEFT JOIN effective_credit_policies p ON p.dealer_id = d.id
                    WHERE \(sql.member("d.id", of: chunk))
                    """
                ).all() {
                    guard let id = try? row.decode(column: "id", as: UUID.self) else { continue }
                    let contacts = (try? decoder.decode([Contact].self, from: Data(row.decode(column: "contacts", as: String.self).utf8))) ?? []
                    dealers[id] = (
                        (try? row.decode(column: "code", as: String.self)) ?? "",
                        contacts.contains { $0.purpose == .accounting && $0.email?.trimmedNonEmpty != nil },
                        (try? row.decode(column: "currency", as: String?.self)).flatMap { $0.flatMap(Currency.init(code:)) },
                        (try? row.decode(column: "limit_minor", as: Int64?.self)) ?? nil
                    )
                }
                for entry in try await sql.raw(
                    "SELECT \(unsafeRaw: Self.ledgerColumns) FROM ledger_entries WHERE \(sql.member("dealer_id", of: chunk)) ORDER BY document_date, external_id"
                ).all().corruptRowsSkipped(table: "ledger_entries", Self.decodeLedgerEntry) {
                    entries[entry.dealerID, default: []].append(entry)
                }
                for row in try await sql.raw(
                    "SELECT dealer_id, external_id, due_date, level FROM dunning_notices WHERE \(sql.member("dealer_id", of: chunk))"
                ).all() {
                    let dealer = try row.decode(column: "dealer_id", as: UUID.self)
                    let key = Dunning.key(try row.decode(column: "external_id", as: String.self), try row.civilDate("due_date"))
                    sent[dealer, default: [:]][key, default: []].insert(try row.decode(column: "level", as: Int.self))
                }
            }
            return (dealers, entries, sent)
        }
    }
}
