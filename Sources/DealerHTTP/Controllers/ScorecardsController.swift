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
                return try JSONBody.response(try JSONValueEncoder().encode(ScorecardBody(card, rank: nil)))
            },
            APIRoute(.get, "/v1/scorecards", .roles(Self.readers)) { request, context in
                let period = try Self.period(QueryParameters(request: request), today: store.calendar.today)
                let managers = try await store.allManagers()
                try Self.authorize(context.actor, toRead: nil, managers: managers)
                let cards = try await scorecards(managers: managers, period: period)
                let ranking = RankingBody(
                    period: period.description, running: cards.first?.running ?? false,
                    items: cards.enumerated().map { ScorecardBody($1, rank: $0 + 1) },
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
        let text = context.parameters.get("period") ?? ""
        guard let period = PlanPeriod(parsing: text), CivilDate.supportedYears.contains(period.year) else {
            throw ValidationError(field: "period", "a month (2026-11), a quarter (2026-Q4) or a year (2026) of 1900–2199")
        }
        return (managerID, period)
    }

    static func authorizeHead(_ caller: Caller?, managers: [Manager]) throws {
        guard let caller, caller.role == .manager else { return }
        guard let own = caller.managerID, let me = managers.first(where: { $0.id == own }), me.active, me.role == .head else {
            throw DomainError.forbidden(message: "targets are set by the head of sales: an admin key or a manager key bound to the head")
        }
    }

    private func scorecards(managers: [Manager], period: PlanPeriod) async throws -> [ManagerScorecard] {
        let figures = try await store.kpiFigures(period: period, deadlines: settings.acts.deadlines)
        let targets = try await store.kpiTargets(period: period)
        return ManagerScorecard.department(
            managers: managers, figures: figures, schemes: settings.kpiSchemes, targets: targets, period: period, today: store.calendar.today)
    }

    /// A month, a quarter or a year; the running month when none is given.
    static func period(_ query: QueryParameters, today: CivilDate) throws -> PlanPeriod {
        guard let text = query.string("period")?.trimmedNonEmpty else { return .month(of: today) }
        guard let period = PlanPeriod(parsing: text), CivilDate.supportedYears.contains(period.year) else {
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

/// A scorecard as the API serves it (snake_case by `JSONValueEncoder`).
struct ScorecardBody: Encodable {
    struct ManagerRef: Encodable {
        var id: UUID
        var name: String
        var email: String
        var role: SalesRole
    }

    struct SchemeRef: Encodable {
        var role: SalesRole
        var version: String
        var title: String
    }

    struct Line: Encodable {
        var kpi: KPI
        var title: String
        var unit: KPI.Unit
        var weight: Decimal
        var target: Decimal
        var targetSource: String
        var fact: Decimal?
        var count: Int?
        var of: Int?
        var achievementPercent: Decimal?
        var scorePercent: Decimal
        var points: Decimal
        var threshold: Decimal
        var cap: Decimal
        var lowerIsBetter: Bool
    }

    struct Forecast: Encodable {
        var points: Decimal
        var knockedOut: Bool
        var bonus: String
    }

    struct Lift: Encodable {
        var kpi: KPI
        var to: Decimal?
        var moreDealers: Int?
        var gain: String
        var text: String
    }

    var rank: Int?
    var manager: ManagerRef
    var period: String
    var running: Bool
    var scheme: SchemeRef
    var currency: String
    var dealers: Int
    var kpis: [Line]
    var points: Decimal
    var knockedOut: Bool
    var bonusBase: String
    var bonus: String
    var forecast: Forecast?
    var lifts: [Lift]

    init(_ card: ManagerScorecard, rank: Int?) {
        func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: .rub).decimalString }
        let scheme = card.scorecard.scheme
        self.rank = rank
        manager = ManagerRef(id: card.manager.id, name: card.manager.name, email: card.manager.email, role: card.manager.role)
        period = card.period.description
        running = card.running
        self.scheme = SchemeRef(role: scheme.role, version: scheme.version, title: scheme.title)
        currency = Currency.rub.code
        dealers = card.dealers
        kpis = zip(card.scorecard.lines, scheme.kpis).map { line, weighted in
            Line(
                kpi: line.kpi, title: line.kpi.title, unit: line.kpi.unit, weight: line.weight, target: line.target,
                targetSource: line.targetIsOwn ? "own" : "scheme", fact: line.fact.value, count: line.fact.count, of: line.fact.of,
                achievementPercent: line.achievementPercent, scorePercent: line.scorePercent, points: line.points,
                threshold: weighted.thresholdPercent, cap: weighted.capPercent, lowerIsBetter: line.kpi.lowerIsBetter)
        }
        points = card.scorecard.points
        knockedOut = card.scorecard.knockedOut
        bonusBase = money(KPIFacts.minor(scheme.bonus.base) ?? 0)
        bonus = money(card.scorecard.bonusMinor)
        forecast = card.forecast.map { Forecast(points: $0.points, knockedOut: $0.knockedOut, bonus: money($0.bonusMinor)) }
        lifts = card.lifts.map {
            Lift(kpi: $0.kpi, to: $0.to, moreDealers: $0.moreDealers, gain: money($0.gainMinor), text: ScorecardText.lift($0))
        }
    }
}

struct RankingBody: Encodable {
    var period: String
    var running: Bool
    var items: [ScorecardBody]
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
