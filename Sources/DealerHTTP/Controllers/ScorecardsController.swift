import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// KPI scorecards and the bonus earned: a manager's own card, and the department's ranking for the
/// head of sales. A bonus is private: a manager's key reads its own card only, the head of sales'
/// key (a manager key bound to the head) and admin and accountant keys read everyone's.
struct ScorecardsController {
    let store: Store
    let settings: APISettings

    static let readers: Set<Role> = [.admin, .accountant, .manager]

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/managers/{id}/scorecard", .roles(Self.readers)) { request, context in
                let managerID = try context.uuidParameter(entity: "manager")
                let period = try Self.period(QueryParameters(request: request), today: store.calendar.today)
                let managers = try await store.allManagers()
                try Self.authorize(context.actor, toRead: managerID, managers: managers)
                guard let manager = managers.first(where: { $0.id == managerID }) else {
                    throw DomainError.notFound(entity: "manager", id: managerID.lowercased)
                }
                guard settings.kpiSchemes[manager.role] != nil else {
                    throw DomainError.conflict(
                        field: "role", message: "no KPI scheme for the role \(manager.role.rawValue): add Config/kpi/\(manager.role.rawValue).yaml")
                }
                guard manager.active else {
                    throw DomainError.conflict(field: "active", message: "the manager is inactive and has no scorecard")
                }
                let cards = try await scorecards(managers: managers, period: period)
                guard let card = cards.first(where: { $0.manager.id == managerID }) else {
                    throw DomainError.notFound(entity: "manager", id: managerID.lowercased)
                }
                return try JSONBody.response(try JSONValueEncoder().encode(ScorecardSnapshot(card, rank: nil)))
            },
            APIRoute(.get, "/v1/scorecards", .roles(Self.readers)) { request, context in
                let period = try Self.period(QueryParameters(request: request), today: store.calendar.today)
                let managers = try await store.allManagers()
                try Self.authorize(context.actor, toRead: nil, managers: managers)
                let cards = try await scorecards(managers: managers, period: period)
                let ranking = RankingBody(
                    period: period.description, running: cards.first?.running ?? false,
                    items: cards.enumerated().map { ScorecardSnapshot($1, rank: $0 + 1) },
                    bonusTotal: Money(minorUnits: cards.reduce(0) { $0.saturating(adding: $1.scorecard.bonusMinor) }, currency: .rub)
                        .decimalString)
                return try JSONBody.response(try JSONValueEncoder().encode(ranking))
            },
            APIRoute(.get, "/v1/managers/{id}/kpi-targets/{period}", .roles(Self.readers)) { _, context in
                let (managerID, period) = try Self.targetPath(context)
                try Self.authorize(context.actor, toRead: managerID, managers: try await store.allManagers())
                let targets = try await store.kpiTargets(managerID: managerID, period: period)
                return try JSONBody.response(try JSONValueEncoder().encode(TargetsBody(managerID: managerID, period: period, targets: targets)))
            },
            // Closing freezes a period's cards for payroll: the accountant's, the head of sales' or an admin's.
            APIRoute(.post, "/v1/scorecards/close", .roles([.admin, .accountant, .manager])) { request, context in
                try Self.authorize(context.actor, toRead: nil, managers: try await store.allManagers())
                let body = try await JSONBody.decode(CloseRequest.self, from: request, limit: settings.maxBodyBytes)
                let period = try Self.requiredPeriod(body.period)
                let result = try await store.closeScorecards(
                    period: period, schemes: settings.kpiSchemes, deadlines: settings.acts.deadlines, by: try context.caller)
                return try JSONBody.response(try JSONValueEncoder().encode(CloseBody(result)))
            },
            APIRoute(.get, "/v1/scorecards/closed", .roles(Self.readers)) { request, context in
                let query = QueryParameters(request: request)
                let period = try Self.requiredPeriod(query.string("period"))
                let managers = try await store.allManagers()
                var records = try await store.closedScorecards(period: period)
                // A manager key reads its own records; the ranking's readers read all.
                if let caller = context.actor, caller.role == .manager,
                    managers.first(where: { $0.id == caller.managerID })?.role != .head
                {
                    try Self.authorize(caller, toRead: caller.managerID, managers: managers)
                    records = records.filter { $0.managerID == caller.managerID }
                }
                return try JSONBody.response(
                    try JSONValueEncoder().encode(ClosedListBody(period: period.description, items: records.map(ClosedBody.init))))
            },
            // Targets are the head of sales' to set: an admin key or a manager key bound to the head.
            APIRoute(.put, "/v1/managers/{id}/kpi-targets/{period}", .roles([.admin, .manager])) { request, context in
                let (managerID, period) = try Self.targetPath(context)
                try Self.authorizeHead(context.actor, managers: try await store.allManagers())
                let body = try await JSONBody.decode(TargetsRequest.self, from: request, limit: settings.maxBodyBytes)
                let draft = KPITargetsDraft(targets: (body.targets ?? [:]).mapValues { $0?.text })
                let targets = try await store.setKPITargets(managerID: managerID, period: period, try draft.validated(), by: try context.caller)
                return try JSONBody.response(try JSONValueEncoder().encode(TargetsBody(managerID: managerID, period: period, targets: targets)))
            },
        ]
    }

    static func targetPath(_ context: APIContext) throws -> (UUID, PlanPeriod) {
        let managerID = try context.uuidParameter(entity: "manager")
        return (managerID, try requiredPeriod(context.parameters.get("period")))
    }

    static func authorizeHead(_ caller: Caller?, managers: [Manager]) throws {
        guard let caller, caller.role == .manager else { return }
        guard let own = caller.managerID, let me = managers.first(where: { $0.id == own }), me.active, me.role == .head else {
            throw DomainError.forbidden(message: "targets are set by the head of sales: an admin key or a manager key bound to the head")
        }
    }

    private func scorecards(managers: [Manager], period: PlanPeriod) async throws -> [ManagerScorecard] {
        try await store.scorecards(period: period, schemes: settings.kpiSchemes, deadlines: settings.acts.deadlines).cards
    }

    /// A month, a quarter or a year; the running month when none is given.
    static func period(_ query: QueryParameters, today: CivilDate) throws -> PlanPeriod {
        guard let text = query.string("period")?.trimmedNonEmpty else { return .month(of: today) }
        return try requiredPeriod(text)
    }

    /// `PlanPeriod(parsing:)` keeps to the supported years already; this names the field when it refuses.
    static func requiredPeriod(_ text: String?) throws -> PlanPeriod {
        guard let text = text?.trimmedNonEmpty, let period = PlanPeriod(parsing: text) else {
            throw ValidationError(field: "period", "a month (2026-11), a quarter (2026-Q4) or a year (2026) of 1900–2199")
        }
        return period
    }

    /// Admin and accountant keys read every card; a manager key its own, or every card when bound to
    /// the head of sales. `managerID` nil is the ranking.
    static func authorize(_ caller: Caller?, toRead managerID: UUID?, managers: [Manager]) throws {
        guard let caller, caller.role == .manager else { return }
        guard let own = caller.managerID, let me = managers.first(where: { $0.id == own }), me.active else {
            throw DomainError.forbidden(
                message: "a manager key must be bound to an active manager to read scorecards (dealerd apikey create --manager EMAIL)")
        }
        if me.role == .head { return }
        guard let managerID, managerID == own else {
            throw DomainError.forbidden(message: "a manager reads his own scorecard only; the ranking is the head of sales'")
        }
    }
}

struct RankingBody: Encodable {
    var period: String
    var running: Bool
    var items: [ScorecardSnapshot]
    var bonusTotal: String
}

struct TargetsRequest: Decodable {
    var targets: [String: AmountText?]?
}

/// A manager's own targets for a period; KPIs not named use the scheme's.
struct TargetsBody: Encodable {
    var managerID: UUID
    var period: String
    var targets: [String: Decimal]

    init(managerID: UUID, period: PlanPeriod, targets: [KPI: Decimal]) {
        self.managerID = managerID
        self.period = period.description
        self.targets = Dictionary(uniqueKeysWithValues: targets.map { ($0.key.rawValue, $0.value) })
    }
}

struct CloseRequest: Decodable {
    var period: String?
}

struct CloseBody: Encodable {
    var period: String
    var managers: Int
    var created: Int
    var revised: Int
    var unchanged: Int

    init(_ result: ScorecardCloseResult) {
        period = result.period.description
        managers = result.managers
        created = result.created
        revised = result.revised
        unchanged = result.unchanged
    }
}

/// One frozen version of a manager's scorecard.
struct ClosedBody: Encodable {
    var id: UUID
    var managerID: UUID
    var version: Int
    var revised: Bool
    var closedAt: Date
    var closedBy: String
    var scorecard: ScorecardSnapshot

    init(_ record: ClosedScorecard) {
        id = record.id
        managerID = record.managerID
        version = record.version
        revised = record.revised
        closedAt = record.closedAt
        closedBy = record.closedBy
        scorecard = record.snapshot
    }
}

struct ClosedListBody: Encodable {
    var period: String
    var items: [ClosedBody]
}
