import DealerCore
import Foundation
import SQLKit

extension Store {
    /// Debts fall overdue as days pass without any write. Recomputes every dealer's overdue figures as
    /// of `today` with one set-based query (FIFO by window functions: a debt's open part is what the
    /// dealer's credits leave of the running total), then, in one transaction, updates the balances
    /// whose figures moved and writes `credit.overdue` / `credit.overdue_cleared` on transitions.
    /// With `breachReminder`, a dealer still over its limit that long after its last breach alert
    /// gets `credit.limit_breached` again with `reminder: true`.
    /// Returns how many dealers were scanned and how many alerts were written.
    public func scanOverdue(today: CivilDate, breachReminder: TimeInterval? = nil) async throws -> (dealers: Int, transitions: Int) {
        let now = clock.now()
        let flavor = database.flavor
        return try await database.transaction { sql in
            let overdueByDealer = try await Self.overdueDebts(dealerIDs: nil, today: today, on: sql)
            let balances = try await sql.raw(
                """
                SELECT b.dealer_id, b.currency, b.balance_minor, b.overdue_minor, b.max_days_overdue, b.overdue_state, b.credit_state,
                       b.overdue_beyond_grace_minor, b.days_beyond_grace,
                       b.breach_alerted_at,
                       d.code, p.limit_minor, p.grace_days, p.minimum_overdue_minor
                FROM dealer_balances b JOIN dealers d ON d.id = b.dealer_id LEFT JOIN effective_credit_policies p ON p.dealer_id = b.dealer_id
                """
            ).all()
            // Every projection is now as of today; only dealers whose figures moved get a row update.
            try await sql.raw("UPDATE dealer_balances SET as_of = \(bind: today.iso)").run()
            var transitions = 0
            for row in balances {
                let dealerID = try row.decode(column: "dealer_id", as: UUID.self)
                let overdueDebts = overdueByDealer[dealerID] ?? []
                let grace = try row.decode(column: "grace_days", as: Int?.self) ?? 0
                let minimum = try row.decode(column: "minimum_overdue_minor", as: Int64?.self) ?? 0
                let computed = CreditFigures(balance: 0, overdueDebts: overdueDebts, today: today, graceDays: grace)
                let (overdue, maxDays, counted, daysBeyondGrace) = (
                    computed.overdue, computed.daysOverdue, computed.overdueBeyondGrace, computed.daysBeyondGrace
                )
                let oldest = overdueDebts.map(\.due).min()
                let state = OverdueState.of(beyondGrace: counted, minimum: minimum)
                let previous = try row.enumeration("overdue_state", as: OverdueState.self)
                let storedOverdue = try row.decode(column: "overdue_minor", as: Int64.self)
                let storedDays = try row.decode(column: "max_days_overdue", as: Int.self)
                let storedCounted = try row.decode(column: "overdue_beyond_grace_minor", as: Int64.self)
                let storedBeyond = try row.decode(column: "days_beyond_grace", as: Int.self)
                let unchanged =
                    overdue == storedOverdue && maxDays == storedDays && state == previous && counted == storedCounted
                    && daysBeyondGrace == storedBeyond
                if !unchanged {
                    try await sql.raw(
                        """
                        UPDATE dealer_balances SET overdue_minor = \(bind: overdue), oldest_overdue_due_date = \(bind: oldest?.iso),
                            max_days_overdue = \(bind: maxDays), overdue_beyond_grace_minor = \(bind: counted),
                            days_beyond_grace = \(bind: daysBeyondGrace), overdue_state = \(bind: state.rawValue), updated_at = \(bind: now)
                        WHERE dealer_id = \(bind: dealerID)
                        """
                    ).run()
                }
                var alerts: [(type: EventType, from: String, to: String, reminder: Bool)] = []
                if let event = state.transitionEvent(from: previous) {
                    alerts.append((event, previous.rawValue, state.rawValue, false))
                }
                if let breachReminder, try row.enumeration("credit_state", as: CreditState.self) == .breached,
                    let last = try row.optionalInstant("breach_alerted_at"), now.timeIntervalSince(last) >= breachReminder
                {
                    alerts.append((.creditLimitBreached, CreditState.breached.rawValue, CreditState.breached.rawValue, true))
                    try await sql.raw("UPDATE dealer_balances SET breach_alerted_at = \(bind: now) WHERE dealer_id = \(bind: dealerID)").run()
                }
                guard !alerts.isEmpty else { continue }
                let currency = Currency(code: try row.decode(column: "currency", as: String.self)) ?? .rub
                func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: currency) }
                let code = try row.decode(column: "code", as: String.self)
                let balance = money(try row.decode(column: "balance_minor", as: Int64.self))
                let limit = (try row.decode(column: "limit_minor", as: Int64?.self)).map(money)
                for alert in alerts {
                    transitions += 1
                    let change = CreditStateChanged(
                        dealerID: dealerID, code: code, from: alert.from, to: alert.to, balance: balance, limit: limit,
                        overdue: money(overdue), daysOverdue: maxDays, asOf: today, source: .scan, reminder: alert.reminder)
                    try await Outbox.append(
                        try DomainEvent(type: alert.type, occurredAt: now, dealerID: dealerID, payload: change), on: sql, flavor: flavor)
                }
            }
            return (balances.count, transitions)
        }
    }
}
