import DealerCore
import Foundation
import SQLKit

/// A dealer's receivables as the API shows them: the position on a date and its terms.
public struct DealerReceivables: Sendable {
    public var dealerID: UUID
    public var currency: Currency
    public var policy: CreditPolicy?
    public var position: ReceivablesPosition
}

/// One past version of a dealer's policy.
public struct CreditPolicyChange: Sendable {
    public var policy: JSONValue
    public var reason: String
    public var changedBy: String
    public var changedAt: Date
}

extension Store {
    public func creditPolicy(dealerID: UUID) async throws -> CreditPolicy? {
        try await database.read { sql in
            try await Self.requireDealer(dealerID, on: sql)
            return try await Self.fetchCreditPolicy(dealerID: dealerID, on: sql)
        }
    }

    /// Sets the dealer's terms (with a reason), keeps the previous ones in the history and the audit
    /// log. The currency cannot change once the dealer has ledger entries in another one.
    public func setCreditPolicy(
        dealerID: UUID, _ draft: CreditPolicyDraft, defaults: CreditDefaults, today: CivilDate, by actor: Caller
    ) async throws -> CreditPolicy {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            guard try await Self.fetchDealer(id: dealerID, on: sql, lockingOn: flavor) != nil else {
                throw DomainError.notFound(entity: "dealer", id: dealerID.lowercased)
            }
            // What is not sent comes from the terms in force: the dealer's own, else its segment's default.
            let current = try await Self.fetchCreditPolicy(dealerID: dealerID, on: sql)
            let before = current?.segment == nil ? current : nil
            let (policy, reason) = try draft.validated(base: current ?? defaults.basePolicy)
            let other = try await sql.raw(
                "SELECT currency FROM ledger_entries WHERE dealer_id = \(bind: dealerID) AND currency <> \(bind: policy.currency.code) LIMIT 1"
            ).first()
            if let other {
                throw ValidationError(
                    field: "currency",
                    "the dealer's ledger is in \(try other.decode(column: "currency", as: String.self)); the contract currency cannot change")
            }
            try await sql.raw(
                """
                INSERT INTO credit_policies (dealer_id, currency, limit_minor, payment_term_days, grace_days, allowed_overdue_days,
                    minimum_overdue_minor, warning_percent, hard_block, updated_at, updated_by, reason)
                VALUES (\(bind: dealerID), \(bind: policy.currency.code), \(bind: policy.limit.minorUnits), \(bind: policy.paymentTermDays),
                        \(bind: policy.graceDays), \(bind: policy.allowedOverdueDays), \(bind: policy.minimumOverdue.minorUnits),
                        \(bind: policy.warningPercent), \(bind: policy.hardBlock), \(bind: now), \(bind: actor.name), \(bind: reason))
                ON CONFLICT (dealer_id) DO UPDATE SET currency = excluded.currency, limit_minor = excluded.limit_minor,
                    payment_term_days = excluded.payment_term_days, grace_days = excluded.grace_days,
                    allowed_overdue_days = excluded.allowed_overdue_days, minimum_overdue_minor = excluded.minimum_overdue_minor,
                    warning_percent = excluded.warning_percent, hard_block = excluded.hard_block, updated_at = excluded.updated_at,
                    updated_by = excluded.updated_by, reason = excluded.reason
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO credit_policy_history (dealer_id, policy, reason, changed_by, changed_at)
                VALUES (\(bind: dealerID), \(bind: DealerJSON.string(of: policy)), \(bind: reason), \(bind: actor.name), \(bind: now))
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "credit_policy.set", entityType: "dealer", entityID: dealerID.lowercased,
                    before: before.map { DealerJSON.value(of: $0) },
                    after: .object(["policy": DealerJSON.value(of: policy), "reason": .string(reason)])),
                at: now, on: sql)
            try await Self.refreshBalances(dealerIDs: [dealerID], defaults: defaults, today: today, at: now, on: sql, flavor: flavor)
            return policy
        }
    }

    /// A page of the dealer's policies, newest first.
    public func creditPolicyHistory(dealerID: UUID, page: PageRequest) async throws -> Page<CreditPolicyChange> {
        let before = try page.cursor.map { try SequenceCursor(decoding: $0) }?.seq
        return try await database.read { sql in
            try await Self.requireDealer(dealerID, on: sql)
            let decoder = DealerJSON.decoder()
            var statement: SQLQueryString =
                "SELECT seq, policy, reason, changed_by, changed_at FROM credit_policy_history WHERE dealer_id = \(bind: dealerID)"
            if let before { statement += " AND seq < \(bind: before)" }
            statement += " ORDER BY seq DESC LIMIT \(literal: page.limit + 1)"
            let (rows, more) = page.cut(try await sql.raw(statement).all())
            let changes = try rows.map { row in
                CreditPolicyChange(
                    policy: try decoder.decode(JSONValue.self, from: Data(try row.decode(column: "policy", as: String.self).utf8)),
                    reason: try row.decode(column: "reason", as: String.self),
                    changedBy: try row.decode(column: "changed_by", as: String.self),
                    changedAt: try row.instant("changed_at"))
            }
            let next = try more ? rows.last.map { SequenceCursor(seq: try $0.decode(column: "seq", as: Int64.self)).encoded } : nil
            return Page(items: changes, nextCursor: next)
        }
    }

    /// The dealer's position on `today` with its open documents.
    public func receivables(dealerID: UUID, defaults: CreditDefaults, today: CivilDate) async throws -> DealerReceivables {
        try await database.read { sql in
            try await Self.requireDealer(dealerID, on: sql)
            let policy = try await Self.fetchCreditPolicy(dealerID: dealerID, on: sql)
            let entries = try await Self.fetchLedgerEntries(dealerID: dealerID, on: sql)
            return DealerReceivables(
                dealerID: dealerID, currency: policy?.currency ?? defaults.currency, policy: policy,
                position: ReceivablesPosition.compute(entries, asOf: today))
        }
    }

    /// Decides whether a shipment of `amount` may go, from the balance projection (recomputed first
    /// when it is from an earlier day: debts fall overdue as days pass). A `block` writes
    /// `credit.shipment_blocked`.
    public func creditCheck(
        dealerID: UUID, amount: String?, openOrders: String?, defaults: CreditDefaults, today: CivilDate, by actor: Caller
    ) async throws -> CreditCheck {
        let now = clock.now()
        let flavor = database.flavor
        let facts: CreditFacts?
        if let postgres = database.postgres {
            facts = try await CreditFacts.read(dealerID: dealerID, on: postgres.client)
        } else {
            facts = try await database.read { sql in try await CreditFacts.read(dealerID: dealerID, on: sql) }
        }
        guard let facts else { throw DomainError.notFound(entity: "dealer", id: dealerID.lowercased) }
        let policy = facts.policy
        let currency = policy?.currency ?? defaults.currency
        var issues = ValidationCollector()
        func money(_ text: String?, _ field: String, required: Bool) -> Money {
            guard let text = text?.trimmedNonEmpty else {
                if required { issues.add(field, "required: the shipment's amount, e.g. 150000.00") }
                return .zero(currency)
            }
            do {
                let value = try Money(parsing: text, currency: currency)
                if value.isNegative { issues.add(field, "not negative") }
                return value
            } catch {
                issues.add(field, error.description)
                return .zero(currency)
            }
        }
        let requested = money(amount, "amount", required: true)
        let orders = money(openOrders, "open_orders", required: false)
        try issues.check()
        // The projection is as of the day a write or the scan made it; debts fall overdue as days pass.
        let figures: CreditFigures
        if let projection = facts.projection, projection.asOf == today.iso {
            figures = projection.figures
        } else {
            figures = try await database.read { sql in
                try await Self.computeFigures(dealerID: dealerID, graceDays: policy?.graceDays ?? 0, today: today, on: sql)
            }
        }
        let check: CreditCheck
        do {
            check = try CreditCheck.evaluate(requested: requested, openOrders: orders, status: facts.status, policy: policy, figures: figures)
        } catch {
            throw ValidationError(field: "amount", "with the balance and open orders, \(error.description)")
        }
        let code = facts.code
        if check.decision == .block {
            try await database.transaction { sql in
                try await Outbox.append(
                    try DomainEvent(
                        type: .creditShipmentBlocked, occurredAt: now, dealerID: dealerID,
                        payload: ShipmentBlocked(dealerID: dealerID, code: code, requestedBy: actor.name, check: check)),
                    on: sql, flavor: flavor)
            }
        }
        return check
    }

    /// The figures as of `today` from the ledger, as the next scan will make them.
    static func computeFigures(dealerID: UUID, graceDays: Int, today: CivilDate, on sql: any SQLDatabase) async throws -> CreditFigures {
        let totals = try await ledgerTotals(dealerIDs: [dealerID], on: sql)
        let debts = try await overdueDebts(dealerIDs: [dealerID], today: today, on: sql)
        return CreditFigures(
            balance: totals[dealerID]?.balance ?? 0, overdueDebts: debts[dealerID] ?? [], today: today, graceDays: graceDays)
    }

    /// The terms each dealer buys on: its own policy, else its segment's default (`segment` set).
    static func fetchCreditPolicies(dealerIDs: Set<UUID>, on sql: any SQLDatabase) async throws -> [UUID: CreditPolicy] {
        var policies: [UUID: CreditPolicy] = [:]
        for chunk in Array(dealerIDs).chunked(sql.memberChunk) {
            let rows = try await sql.raw(
                """
                SELECT dealer_id, currency, limit_minor, payment_term_days, grace_days, allowed_overdue_days, minimum_overdue_minor,
                       warning_percent, hard_block, policy_segment
                FROM effective_credit_policies WHERE \(sql.member("dealer_id", of: chunk))
                """
            ).all()
            for row in rows { policies[try row.decode(column: "dealer_id", as: UUID.self)] = try decodeCreditPolicy(row) }
        }
        return policies
    }

    static func fetchCreditPolicy(dealerID: UUID, on sql: any SQLDatabase) async throws -> CreditPolicy? {
        try await fetchCreditPolicies(dealerIDs: [dealerID], on: sql)[dealerID]
    }

    /// A 404 for a dealer that does not exist, before anything is read about it.
    static func requireDealer(_ id: UUID, on sql: any SQLDatabase) async throws {
        guard try await sql.raw("SELECT id FROM dealers WHERE id = \(bind: id)").first() != nil else {
            throw DomainError.notFound(entity: "dealer", id: id.lowercased)
        }
    }

    static func decodeCreditPolicy(_ row: any SQLRow) throws -> CreditPolicy {
        guard let policy = try CreditFacts.policy(from: SQLKitColumns(row: row)) else {
            throw DecodingError.valueNotFound(CreditPolicy.self, .init(codingPath: [], debugDescription: "a policy row without a limit"))
        }
        return policy
    }
}
