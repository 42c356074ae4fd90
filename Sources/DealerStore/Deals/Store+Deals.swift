import DealerCore
import Foundation
import SQLKit

/// What a deal push did with one deal.
public enum DealWriteOutcome: String, Sendable, Codable {
    /// Stored for the first time.
    case created
    /// Sent again as it was: nothing changed.
    case unchanged
    /// Changed (a stage, an amount, the outcome): stored as its next version.
    case updated
}

public struct DealWriteResult: Sendable, Equatable {
    public var deal: Deal
    public var outcome: DealWriteOutcome
}

/// Which deals a list shows.
public struct DealQuery: Sendable, Equatable {
    public var managerID: UUID?
    public var dealerID: UUID?
    public var status: DealStatus?
    public var stage: String?
    public var offset = 0
    public var limit = 100

    public init(
        managerID: UUID? = nil, dealerID: UUID? = nil, status: DealStatus? = nil, stage: String? = nil, offset: Int = 0, limit: Int = 100
    ) {
        self.managerID = managerID
        self.dealerID = dealerID
        self.status = status
        self.stage = stage
        self.offset = offset
        self.limit = limit
    }
}

extension Store {
    static let dealColumns =
        "id, external_id, dealer_id, prospect, manager_id, amount_minor, currency, stage, status, opened_on, closed_on, reason, stage_since, version, created_at, updated_at"

    /// Stores deals from the CRM in one transaction: all or none, every invalid deal reported at
    /// once under `prefix(index)`. A deal sent again as it was changes nothing; a changed one is
    /// its next version, its stage's day restarting when the stage moved. A deal that comes to be
    /// won or lost writes `deal.won` or `deal.lost` in the same transaction.
    public func recordDeals(
        _ drafts: [DealDraft], settings: DealSettings, currency: Currency, prefix: @Sendable (Int) -> String, by actor: Caller
    ) async throws -> [DealWriteResult] {
        let now = clock.now()
        let today = calendar.today
        let flavor = database.flavor
        return try await writing { sql in
            let dealers = try await Self.resolveDealers(drafts.compactMap(\.dealer), on: sql)
            var managersByEmail: [String: UUID] = [:]
            var managerIDs: Set<UUID> = []
            for row in try await sql.raw("SELECT id, email FROM managers").all() {
                let id = try row.decode(column: "id", as: UUID.self)
                managerIDs.insert(id)
                managersByEmail[try row.decode(column: "email", as: String.self).lowercased()] = id
            }
            let stored = try await Self.fetchDeals(externalIDs: drafts.compactMap { $0.externalID?.trimmedNonEmpty }, on: sql)
            var issues: [FieldIssue] = []
            var results: [DealWriteResult] = []
            var seen: [String: Int] = [:]
            for (index, draft) in drafts.enumerated() {
                var found: [FieldIssue] = []
                var dealerID: UUID?
                if let reference = draft.dealer {
                    dealerID = dealers[reference]
                    if dealerID == nil {
                        switch reference {
                        case .id(let id): found.append(FieldIssue(field: prefix(index) + "dealer_id", message: "no dealer \(id.lowercased)"))
                        case .code(let code): found.append(FieldIssue(field: prefix(index) + "dealer_code", message: "no dealer with code \(code)"))
                        }
                    }
                }
                var managerID: UUID?
                if let text = draft.manager?.trimmedNonEmpty {
                    managerID = UUID(uuidString: text).flatMap { managerIDs.contains($0) ? $0 : nil } ?? managersByEmail[text.lowercased()]
                    if managerID == nil { found.append(FieldIssue(field: prefix(index) + "manager", message: "no manager \(text)")) }
                }
                let externalID = draft.externalID?.trimmedNonEmpty
                if let externalID {
                    if let first = seen[externalID] {
                        found.append(FieldIssue(field: prefix(index) + "external_id", message: "the same deal as deal \(first) of this request"))
                    }
                    seen[externalID] = seen[externalID] ?? index
                }
                let previous = externalID.flatMap { stored[$0] }
                let stageSince = previous.flatMap { $0.stage == draft.stage?.trimmedNonEmpty ? $0.stageSince : nil } ?? today
                do throws(ValidationError) {
                    var deal = try draft.validated(
                        id: previous?.id ?? UUID(), dealerID: dealerID, managerID: managerID, currency: currency, settings: settings,
                        today: today, stageSince: stageSince, now: now, prefix: prefix(index))
                    guard found.isEmpty else {
                        issues += found
                        continue
                    }
                    guard let previous else {
                        results.append(DealWriteResult(deal: deal, outcome: .created))
                        continue
                    }
                    if deal.sameContent(as: previous) {
                        results.append(DealWriteResult(deal: previous, outcome: .unchanged))
                    } else {
                        deal.version = previous.version + 1
                        deal.createdAt = previous.createdAt
                        results.append(DealWriteResult(deal: deal, outcome: .updated))
                    }
                } catch {
                    // What the store found first; the draft's own findings on the other fields.
                    let fields = Set(found.map(\.field))
                    issues += found + error.issues.filter { !fields.contains($0.field) }
                }
            }
            if !issues.isEmpty { throw ValidationError(issues) }
            var events: [DomainEvent] = []
            for result in results where result.outcome != .unchanged {
                let deal = result.deal
                if result.outcome == .created {
                    try await Self.insertDeal(deal, on: sql)
                } else {
                    try await Self.updateDeal(deal, restartsStage: stored[deal.externalID]?.stage != deal.stage, on: sql)
                }
                let before = stored[deal.externalID]?.status
                if deal.status != before, deal.status != .open {
                    events.append(
                        try DomainEvent(
                            type: deal.status == .won ? .dealWon : .dealLost, occurredAt: now, dealerID: deal.dealerID,
                            payload: DealClosed(deal)))
                }
            }
            try await Outbox.appendAll(events, on: sql, flavor: flavor)
            let changed = results.filter { $0.outcome != .unchanged }
            if !changed.isEmpty {
                try await AuditTrail.append(
                    AuditRecord(
                        actor: actor.name, action: "deals.recorded", entityType: "deals",
                        entityID: changed.count == 1 ? changed[0].deal.externalID : "batch", before: nil,
                        after: .object([
                            "created": .number(Decimal(changed.filter { $0.outcome == .created }.count)),
                            "updated": .number(Decimal(changed.filter { $0.outcome == .updated }.count)),
                        ])),
                    at: now, on: sql)
            }
            return results
        }
    }

    public func deal(id: UUID) async throws -> Deal {
        try await database.read { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.dealColumns) FROM deals WHERE id = \(bind: id)").first() else {
                throw DomainError.notFound(entity: "deal", id: id.lowercased)
            }
            return try Self.decodeDeal(row)
        }
    }

    /// Deals newest first (by the day they opened), filtered; `more` when another page follows.
    public func deals(_ query: DealQuery) async throws -> (items: [Deal], more: Bool) {
        try await database.read { sql in
            var conditions: [SQLQueryString] = ["1 = 1"]
            if let manager = query.managerID { conditions.append("manager_id = \(bind: manager)") }
            if let dealer = query.dealerID { conditions.append("dealer_id = \(bind: dealer)") }
            if let status = query.status { conditions.append("status = \(bind: status.rawValue)") }
            if let stage = query.stage { conditions.append("stage = \(bind: stage)") }
            let rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.dealColumns) FROM deals WHERE \(conditions.joined(separator: " AND "))
                ORDER BY opened_on DESC, external_id LIMIT \(bind: query.limit + 1) OFFSET \(bind: query.offset)
                """
            ).all().corruptRowsSkipped(table: "deals", Self.decodeDeal)
            return (Array(rows.prefix(query.limit)), rows.count > query.limit)
        }
    }

    /// The funnel of one manager's deals, or the department's, for `period` (`Funnel`).
    public func funnel(period: PlanPeriod, managerID: UUID?, settings: DealSettings) async throws -> Funnel {
        let today = calendar.today
        let deals = try await database.read { sql in try await Self.periodDeals(period, managerID: managerID, on: sql) }
        return Funnel.compute(deals, period: period, today: today, settings: settings)
    }

    /// Deals that touch `period`: opened by its end and not closed before it began.
    static func periodDeals(_ period: PlanPeriod, managerID: UUID?, on sql: any SQLDatabase) async throws -> [Deal] {
        let manager: SQLQueryString = managerID.map { "AND manager_id = \(bind: $0)" } ?? ""
        return try await sql.raw(
            """
            SELECT \(unsafeRaw: dealColumns) FROM deals
            WHERE opened_on <= \(bind: period.lastDay.iso) AND (closed_on IS NULL OR closed_on >= \(bind: period.firstDay.iso)) \(manager)
            """
        ).all().corruptRowsSkipped(table: "deals", decodeDeal)
    }

    /// Open deals at one stage for `settings.stallDays` or more that were not reported at it yet:
    /// `deal.stalled` for each, once per stage, in one transaction. Returns how many.
    public func flagStalledDeals(today: CivilDate, settings: DealSettings) async throws -> Int {
        let now = clock.now()
        let flavor = database.flavor
        let cutoff = today.adding(days: -settings.stallDays)
        return try await writing { sql in
            let stalled = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.dealColumns) FROM deals
                WHERE status = 'open' AND stage_since <= \(bind: cutoff.iso) AND (stalled_stage IS NULL OR stalled_stage <> stage)
                ORDER BY stage_since, external_id
                """
            ).all().corruptRowsSkipped(table: "deals", Self.decodeDeal)
            var events: [DomainEvent] = []
            for deal in stalled {
                events.append(
                    try DomainEvent(
                        type: .dealStalled, occurredAt: now, dealerID: deal.dealerID,
                        payload: DealStalled(deal, stageTitle: settings.title(of: deal.stage), today: today)))
                try await sql.raw("UPDATE deals SET stalled_stage = stage WHERE id = \(bind: deal.id)").run()
            }
            try await Outbox.appendAll(events, on: sql, flavor: flavor)
            return stalled.count
        }
    }

    // MARK: - Rows

    static func fetchDeals(externalIDs: [String], on sql: any SQLDatabase) async throws -> [String: Deal] {
        var deals: [String: Deal] = [:]
        for chunk in Array(Set(externalIDs)).chunked(sql.memberChunk) {
            let rows = try await sql.raw(
                "SELECT \(unsafeRaw: dealColumns) FROM deals WHERE \(sql.member("external_id", of: chunk))"
            ).all()
            for deal in try rows.map(decodeDeal) { deals[deal.externalID] = deal }
        }
        return deals
    }

    static func insertDeal(_ deal: Deal, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO deals (\(unsafeRaw: dealColumns))
            VALUES (\(bind: deal.id), \(bind: deal.externalID), \(bind: deal.dealerID), \(bind: deal.prospect), \(bind: deal.managerID),
                    \(bind: deal.amount.minorUnits), \(bind: deal.amount.currency.code), \(bind: deal.stage), \(bind: deal.status.rawValue),
                    \(bind: deal.openedOn.iso), \(bind: deal.closedOn?.iso), \(bind: deal.reason), \(bind: deal.stageSince.iso),
                    \(bind: deal.version), \(bind: deal.createdAt), \(bind: deal.updatedAt))
            """
        ).run()
    }

    /// A moved stage clears the stalled mark: the new stage's days count afresh.
    static func updateDeal(_ deal: Deal, restartsStage: Bool, on sql: any SQLDatabase) async throws {
        let stalled: SQLQueryString = restartsStage ? ", stalled_stage = NULL" : ""
        try await sql.raw(
            """
            UPDATE deals SET dealer_id = \(bind: deal.dealerID), prospect = \(bind: deal.prospect), manager_id = \(bind: deal.managerID),
                amount_minor = \(bind: deal.amount.minorUnits), currency = \(bind: deal.amount.currency.code), stage = \(bind: deal.stage),
                status = \(bind: deal.status.rawValue), opened_on = \(bind: deal.openedOn.iso), closed_on = \(bind: deal.closedOn?.iso),
                reason = \(bind: deal.reason), stage_since = \(bind: deal.stageSince.iso), version = \(bind: deal.version),
                updated_at = \(bind: deal.updatedAt)\(stalled)
            WHERE id = \(bind: deal.id)
            """
        ).run()
    }

    static func decodeDeal(_ row: any SQLRow) throws -> Deal {
        let code = try row.decode(column: "currency", as: String.self)
        guard let currency = Currency(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "stored currency \(code) is unknown"))
        }
        return Deal(
            id: try row.decode(column: "id", as: UUID.self), externalID: try row.decode(column: "external_id", as: String.self),
            dealerID: try row.decode(column: "dealer_id", as: UUID?.self), prospect: try row.decode(column: "prospect", as: String?.self),
            managerID: try row.decode(column: "manager_id", as: UUID.self),
            amount: Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency),
            stage: try row.decode(column: "stage", as: String.self), status: try row.enumeration("status", as: DealStatus.self),
            openedOn: try row.civilDate("opened_on"), closedOn: try row.optionalCivilDate("closed_on"),
            reason: try row.decode(column: "reason", as: String?.self), stageSince: try row.civilDate("stage_since"),
            version: try row.decode(column: "version", as: Int.self), createdAt: try row.instant("created_at"),
            updatedAt: try row.instant("updated_at"))
    }
}
