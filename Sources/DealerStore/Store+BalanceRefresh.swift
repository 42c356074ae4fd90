import DealerCore
import Foundation
import SQLKit

/// The balance projection after a write: recomputed for the dealers it touched, stored in
/// multi-row upserts, with the alerts of every state change.
extension Store {
    /// Recomputes the balance projections of these dealers (FIFO, as of `today`) with set queries —
    /// totals and the open parts of debts past due come from the database, never the entries one by
    /// one — upserts them in multi-row statements, and writes the alerts of the dealers whose credit
    /// or overdue state changed.
    /// `policies`, when given, holds the terms of every one of these dealers that has any. `appended`,
    /// when given, is what new documents (no corrections) added per dealer: the balance then moves
    /// from the stored one instead of being summed over the dealer's whole ledger.
    static func refreshBalances(
        dealerIDs: Set<UUID>, defaults: CreditDefaults, today: CivilDate, at now: Date, on sql: any SQLDatabase, flavor: SQLFlavor,
        policies known: [UUID: CreditPolicy]? = nil, appended: [UUID: LedgerMovement] = [:]
    ) async throws {
        guard !dealerIDs.isEmpty else { return }
        // A stable order: rows are locked and alerts written in it, so concurrent batches cannot deadlock.
        let ids = dealerIDs.sorted { $0.uuidString < $1.uuidString }
        var previous: [UUID: (credit: CreditState, overdue: OverdueState)] = [:]
        var totals: [UUID: (balance: Int64, lastMovement: CivilDate?)] = [:]
        for chunk in ids.chunked(sql.memberChunk) {
            let states = try await sql.raw(
                """
                SELECT dealer_id, credit_state, overdue_state, balance_minor, last_movement FROM dealer_balances
                WHERE \(sql.member("dealer_id", of: chunk))\(unsafeRaw: flavor.rowLockForUpdate)
                """
            ).all()
            for row in states {
                let dealerID = try row.decode(column: "dealer_id", as: UUID.self)
                previous[dealerID] = (
                    try row.enumeration("credit_state", as: CreditState.self), try row.enumeration("overdue_state", as: OverdueState.self)
                )
                if let movement = appended[dealerID] {
                    let last = try row.decode(column: "last_movement", as: String?.self).flatMap(CivilDate.init(stored:))
                    totals[dealerID] = (
                        try row.decode(column: "balance_minor", as: Int64.self) + movement.effect, max(last ?? movement.lastDate, movement.lastDate)
                    )
                }
            }
        }
        // Dealers without a stored projection, or changed by corrections, are summed in full.
        let unknown = ids.filter { totals[$0] == nil }
        if !unknown.isEmpty { totals.merge(try await ledgerTotals(dealerIDs: unknown, on: sql)) { $1 } }
        let overdueDebts = try await Self.overdueDebts(balances: totals.mapValues(\.balance), today: today, on: sql)
        let policies: [UUID: CreditPolicy]
        if let known { policies = known } else { policies = try await fetchCreditPolicies(dealerIDs: dealerIDs, on: sql) }
        var projections: [BalanceProjection] = []
        for dealerID in ids {
            let policy = policies[dealerID]
            let debts = overdueDebts[dealerID] ?? []
            let figures = CreditFigures(
                balance: totals[dealerID]?.balance ?? 0, overdueDebts: debts, today: today, graceDays: policy?.graceDays ?? 0)
            let before = previous[dealerID] ?? (.ok, .clear)
            projections.append(
                BalanceProjection(
                    dealerID: dealerID, currency: policy?.currency ?? defaults.currency, policy: policy, figures: figures,
                    oldestOverdueDueDate: debts.map(\.due).min(), lastMovement: totals[dealerID]?.lastMovement,
                    credit: CreditState.of(balance: figures.balance, policy: policy),
                    overdue: OverdueState.of(beyondGrace: figures.overdueBeyondGrace, policy: policy), previous: before))
        }
        for chunk in projections.chunked(500) {
            try await upsertBalances(chunk, today: today, at: now, on: sql)
        }
        try await writeAlerts(of: projections.filter { !$0.alerts.isEmpty }, today: today, at: now, on: sql, flavor: flavor)
    }

    /// One dealer's recomputed projection and the state it had before.
    struct BalanceProjection {
        var dealerID: UUID
        var currency: Currency
        var policy: CreditPolicy?
        var figures: CreditFigures
        var oldestOverdueDueDate: CivilDate?
        var lastMovement: CivilDate?
        var credit: CreditState
        var overdue: OverdueState
        var previous: (credit: CreditState, overdue: OverdueState)

        var alerts: [(type: EventType, from: String, to: String)] {
            [
                credit.transitionEvent(from: previous.credit).map { ($0, previous.credit.rawValue, credit.rawValue) },
                overdue.transitionEvent(from: previous.overdue).map { ($0, previous.overdue.rawValue, overdue.rawValue) },
            ].compactMap { $0 }
        }

        /// Reminders while a breach lasts count from the alert that opened it.
        var opensBreach: Bool { credit == .breached && previous.credit != .breached }
    }

    static func upsertBalances(_ projections: [BalanceProjection], today: CivilDate, at now: Date, on sql: any SQLDatabase) async throws {
        guard !projections.isEmpty else { return }
        let rows: [SQLQueryString] = projections.map { p in
            """
            (\(bind: p.dealerID), \(bind: p.currency.code), \(bind: p.figures.balance), \(bind: p.figures.overdue),
             \(bind: p.oldestOverdueDueDate?.iso), \(bind: p.figures.daysOverdue), \(bind: p.figures.overdueBeyondGrace),
             \(bind: p.figures.daysBeyondGrace), \(bind: p.lastMovement?.iso), \(bind: p.credit.rawValue), \(bind: p.overdue.rawValue),
             \(bind: p.opensBreach ? now : nil), \(bind: today.iso), \(bind: now))
            """
        }
        try await sql.raw(
            """
            INSERT INTO dealer_balances (dealer_id, currency, balance_minor, overdue_minor, oldest_overdue_due_date, max_days_overdue,
                overdue_beyond_grace_minor, days_beyond_grace, last_movement, credit_state, overdue_state, breach_alerted_at, as_of,
                updated_at)
            VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (dealer_id) DO UPDATE SET currency = excluded.currency, balance_minor = excluded.balance_minor,
                overdue_minor = excluded.overdue_minor, oldest_overdue_due_date = excluded.oldest_overdue_due_date,
                max_days_overdue = excluded.max_days_overdue, overdue_beyond_grace_minor = excluded.overdue_beyond_grace_minor,
                days_beyond_grace = excluded.days_beyond_grace, last_movement = excluded.last_movement,
                credit_state = excluded.credit_state, overdue_state = excluded.overdue_state,
                breach_alerted_at = COALESCE(excluded.breach_alerted_at, dealer_balances.breach_alerted_at),
                as_of = excluded.as_of, updated_at = excluded.updated_at
            """
        ).run()
    }

    /// The events of the dealers' state changes, with the figures behind them, in one append.
    static func writeAlerts(
        of projections: [BalanceProjection], today: CivilDate, at now: Date, on sql: any SQLDatabase, flavor: SQLFlavor
    ) async throws {
        guard !projections.isEmpty else { return }
        var codes: [UUID: String] = [:]
        for chunk in projections.map(\.dealerID).chunked(sql.memberChunk) {
            for row in try await sql.raw("SELECT id, code FROM dealers WHERE \(sql.member("id", of: chunk))").all() {
                codes[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "code", as: String.self)
            }
        }
        var events: [DomainEvent] = []
        for projection in projections {
            let currency = projection.currency
            func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: currency) }
            for (type, from, to) in projection.alerts {
                let change = CreditStateChanged(
                    dealerID: projection.dealerID, code: codes[projection.dealerID], from: from, to: to,
                    balance: money(projection.figures.balance), limit: projection.policy.map { money($0.limit.minorUnits) },
                    overdue: money(projection.figures.overdue), daysOverdue: projection.figures.daysOverdue, asOf: today, source: .write)
                events.append(try DomainEvent(type: type, occurredAt: now, dealerID: projection.dealerID, payload: change))
            }
        }
        try await Outbox.appendAll(events, on: sql, flavor: flavor)
    }
}
