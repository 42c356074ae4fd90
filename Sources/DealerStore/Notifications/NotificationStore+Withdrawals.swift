import DealerCore
import Foundation
import SQLKit

/// A claimed message that reminds a dealer to pay: what is needed to ask Core whether it still stands.
struct ClaimedReminder: Sendable {
    var id: UUID
    var eventID: UUID
    var dealerID: UUID
}

extension NotificationStore {
    /// Of the payment reminders being claimed, those that must not go out any more, with the reason
    /// (`Dunning.withdrawal`): their event as written, each dealer's ledger and running promise as
    /// they stand now, read inside the claim's transaction. A reminder whose event cannot be read is
    /// sent as rendered: only a decided withdrawal holds a letter back.
    static func withdrawals(
        of reminders: [ClaimedReminder], today: CivilDate, on sql: any SQLDatabase
    ) async throws -> [UUID: ReminderWithdrawal] {
        guard !reminders.isEmpty else { return [:] }
        var payloads: [UUID: PaymentReminder] = [:]
        var ledgers: [UUID: [LedgerEntry]] = [:]
        var promises: [UUID: PaymentPromise] = [:]
        let dealers = Array(Set(reminders.map(\.dealerID)))
        for chunk in Array(Set(reminders.map(\.eventID))).chunked(sql.memberChunk) {
            for row in try await sql.raw("SELECT id, type, occurred_at, dealer_id, data FROM events WHERE \(sql.member("id", of: chunk))").all() {
                guard let type = EventType(rawValue: try row.decode(column: "type", as: String.self)), type == .creditPaymentReminder,
                    let data = try? DealerJSON.decoder().decode(JSONValue.self, from: Data(try row.decode(column: "data", as: String.self).utf8))
                else { continue }
                let event = DomainEvent(
                    id: try row.decode(column: "id", as: UUID.self), type: type, occurredAt: try row.instant("occurred_at"),
                    dealerID: try row.decode(column: "dealer_id", as: UUID?.self), data: data)
                payloads[event.id] = try? event.payload(as: PaymentReminder.self)
            }
        }
        for chunk in dealers.chunked(sql.memberChunk) {
            for entry in try await sql.raw(
                "SELECT \(unsafeRaw: Store.ledgerColumns) FROM ledger_entries WHERE \(sql.member("dealer_id", of: chunk)) ORDER BY document_date, external_id"
            ).all().corruptRowsSkipped(table: "ledger_entries", Store.decodeLedgerEntry) {
                ledgers[entry.dealerID, default: []].append(entry)
            }
            for promise in try await sql.raw(
                "SELECT \(unsafeRaw: Store.promiseColumns) FROM payment_promises WHERE status = 'open' AND \(sql.member("dealer_id", of: chunk))"
            ).all().corruptRowsSkipped(table: "payment_promises", Store.decodePromise) {
                promises[promise.dealerID] = promise
            }
        }
        var withdrawn: [UUID: ReminderWithdrawal] = [:]
        for reminder in reminders {
            guard let payload = payloads[reminder.eventID] else { continue }
            let position = ReceivablesPosition.compute(ledgers[reminder.dealerID] ?? [], asOf: today)
            withdrawn[reminder.id] = Dunning.withdrawal(of: payload, position: position, pausedUntil: promises[reminder.dealerID]?.promisedOn)
        }
        return withdrawn
    }

    /// Takes a message back for good, with the reason in its last error.
    static func withdraw(_ id: UUID, _ withdrawal: ReminderWithdrawal, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE notifications SET status = 'withdrawn', next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL,
                last_error = \(bind: withdrawal.russianReason), updated_at = \(bind: now)
            WHERE id = \(bind: id)
            """
        ).run()
    }
}
