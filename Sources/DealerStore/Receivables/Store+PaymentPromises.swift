import DealerCore
import Foundation
import SQLKit

extension Store {
    static let promiseColumns =
        "id, dealer_id, amount_minor, currency, promised_on, made_on, note, made_by, status, paid_minor, settled_at, created_at"

    /// Records a dealer's promise to pay, made today: reminders wait until the day after its date.
    /// One promise runs at a time; audited.
    public func recordPromise(
        dealerID: UUID, _ draft: PaymentPromiseDraft, defaults: CreditDefaults, settings: DunningSettings, by actor: Caller
    ) async throws -> PaymentPromise {
        let now = clock.now()
        let today = calendar.today
        let flavor = database.flavor
        return try await writing { sql in
            guard try await Self.fetchDealer(id: dealerID, on: sql, lockingOn: flavor) != nil else {
                throw DomainError.notFound(entity: "dealer", id: dealerID.lowercased)
            }
            let currency = try await Self.fetchCreditPolicy(dealerID: dealerID, on: sql)?.currency ?? defaults.currency
            let promise = try draft.validated(
                id: UUID(), dealerID: dealerID, currency: currency, today: today, maxDays: settings.maxPromiseDays, madeBy: actor.name,
                now: now)
            if let running = try await Self.openPromise(dealerID: dealerID, on: sql) {
                throw DomainError.conflict(
                    field: "date",
                    message:
                        "the dealer already promised \(running.amount.decimalString) by \(running.promisedOn.iso) (promise \(running.id.lowercased)); cancel it first"
                )
            }
            try await sql.raw(
                """
                INSERT INTO payment_promises (\(unsafeRaw: Self.promiseColumns))
                VALUES (\(bind: promise.id), \(bind: dealerID), \(bind: promise.amount.minorUnits), \(bind: currency.code),
                        \(bind: promise.promisedOn.iso), \(bind: promise.madeOn.iso), \(bind: promise.note), \(bind: promise.madeBy),
                        'open', NULL, NULL, \(bind: now))
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "promise.record", entityType: "dealer", entityID: dealerID.lowercased, before: nil,
                    after: DealerJSON.value(of: promise)),
                at: now, on: sql)
            return promise
        }
    }

    /// Withdraws a running promise (entered by mistake, replaced by a new arrangement): reminders
    /// resume with the next run. Audited.
    public func cancelPromise(dealerID: UUID, promiseID: UUID, by actor: Caller) async throws -> PaymentPromise {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            guard
                let before = try await sql.raw(
                    "SELECT \(unsafeRaw: Self.promiseColumns) FROM payment_promises WHERE id = \(bind: promiseID) AND dealer_id = \(bind: dealerID)\(unsafeRaw: flavor.rowLockForUpdate)"
                ).first().map(Self.decodePromise)
            else { throw DomainError.notFound(entity: "promise", id: promiseID.lowercased) }
            guard before.status == .open else {
                throw DomainError.invalidTransition(from: before.status.rawValue, to: PaymentPromise.Status.cancelled.rawValue, allowed: [])
            }
            var after = before
            after.status = .cancelled
            after.settledAt = now
            try await sql.raw(
                "UPDATE payment_promises SET status = 'cancelled', settled_at = \(bind: now) WHERE id = \(bind: promiseID)"
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "promise.cancel", entityType: "dealer", entityID: dealerID.lowercased,
                    before: DealerJSON.value(of: before), after: DealerJSON.value(of: after)),
                at: now, on: sql)
            return after
        }
    }

    /// A dealer's promises, newest first.
    public func promises(dealerID: UUID, page: PageRequest) async throws -> Page<PaymentPromise> {
        let offset = try page.startingOffset()
        return try await database.read { sql in
            try await Self.requireDealer(dealerID, on: sql)
            let rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.promiseColumns) FROM payment_promises WHERE dealer_id = \(bind: dealerID)
                ORDER BY created_at DESC, id \(page.window(at: offset))
                """
            ).all()
            return page.page(of: rows, at: offset) { $0.corruptRowsSkipped(table: "payment_promises", Self.decodePromise) }
        }
    }

    static func openPromise(dealerID: UUID, on sql: any SQLDatabase) async throws -> PaymentPromise? {
        try await sql.raw(
            "SELECT \(unsafeRaw: promiseColumns) FROM payment_promises WHERE dealer_id = \(bind: dealerID) AND status = 'open'"
        ).first().map(decodePromise)
    }

    static func decodePromise(_ row: any SQLRow) throws -> PaymentPromise {
        let code = try row.decode(column: "currency", as: String.self)
        guard let currency = Currency(code: code) else { throw ValidationError(field: "currency", "unknown currency \(code)") }
        return PaymentPromise(
            id: try row.decode(column: "id", as: UUID.self), dealerID: try row.decode(column: "dealer_id", as: UUID.self),
            amount: Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency),
            promisedOn: try row.civilDate("promised_on"), madeOn: try row.civilDate("made_on"),
            note: try row.decode(column: "note", as: String?.self), madeBy: try row.decode(column: "made_by", as: String.self),
            status: try row.enumeration("status", as: PaymentPromise.Status.self),
            paid: try row.decode(column: "paid_minor", as: Int64?.self).map { Money(minorUnits: $0, currency: currency) },
            settledAt: try row.optionalInstant("settled_at"), createdAt: try row.instant("created_at"))
    }
}
