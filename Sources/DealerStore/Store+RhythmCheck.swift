import DealerCore
import Foundation
import SQLKit

/// What one daily rhythm check did.
public struct RhythmCheckResult: Sendable, Equatable {
    public var dealers: Int
    public var late: Int
    public var restored: Int
    public var planBehind: Int
}

extension Store {
    /// Assesses every accredited dealer's rhythm and writes `rhythm.late` when one falls behind
    /// (late or broken: one lateness, one event) and `rhythm.restored` when it is back on rhythm;
    /// and `plan.behind` once a month when the month's forecast falls under the threshold. One
    /// transaction; a second run on a day writes nothing new.
    public func checkRhythm(
        today: CivilDate, settings: RhythmSettings, plans: PlanBehindSettings, currency: Currency
    ) async throws -> RhythmCheckResult {
        let now = clock.now()
        let flavor = database.flavor
        let month = PlanPeriod.month(of: today)
        return try await writing { sql in
            let assessed = try await Self.assessRhythm(where: "d.status = 'accredited'", today: today, settings: settings, on: sql)
            var states: [UUID: (status: RhythmAssessment.Status, since: String, planBehind: String?)] = [:]
            for row in try await sql.raw("SELECT dealer_id, status, since, plan_behind_period FROM rhythm_states").all() {
                states[try row.decode(column: "dealer_id", as: UUID.self)] = (
                    try row.enumeration("status", as: RhythmAssessment.Status.self), try row.decode(column: "since", as: String.self),
                    try row.decode(column: "plan_behind_period", as: String?.self)
                )
            }
            let figures =
                plans.thresholdPercent == nil
                ? [:] : try await Self.dealerFigures(period: month, today: today, minElapsedDays: plans.minElapsedDays, on: sql)
            var events: [DomainEvent] = []
            var result = RhythmCheckResult(dealers: assessed.count, late: 0, restored: 0, planBehind: 0)
            var rows: [SQLQueryString] = []
            for dealer in assessed {
                let assessment = dealer.assessment
                let before = states[dealer.dealerID]
                let behindBefore = before.map { $0.status == .late || $0.status == .broken } ?? false
                let behindNow = assessment.status == .late || assessment.status == .broken
                if behindNow && !behindBefore {
                    let change = RhythmChanged(dealerID: dealer.dealerID, code: dealer.code, assessment: assessment)
                    events.append(try DomainEvent(type: .rhythmLate, occurredAt: now, dealerID: dealer.dealerID, payload: change))
                    result.late += 1
                } else if assessment.status == .onRhythm && behindBefore, let before {
                    let change = RhythmChanged(
                        dealerID: dealer.dealerID, code: dealer.code, assessment: assessment, behindSince: CivilDate(parsing: before.since))
                    events.append(try DomainEvent(type: .rhythmRestored, occurredAt: now, dealerID: dealer.dealerID, payload: change))
                    result.restored += 1
                }
                var planBehind = before?.planBehind
                if let threshold = plans.thresholdPercent, let plan = figures[dealer.dealerID], plan.planMinor > 0,
                    let forecast = plan.forecastMinor, !ExactShare.reaches(forecast, percent: threshold, of: plan.planMinor),
                    planBehind != month.description
                {
                    events.append(
                        try DomainEvent(
                            type: .planBehind, occurredAt: now, dealerID: dealer.dealerID,
                            payload: PlanBehind(
                                dealerID: dealer.dealerID, code: dealer.code, period: month.description,
                                plan: Money(minorUnits: plan.planMinor, currency: currency),
                                fact: Money(minorUnits: plan.factMinor, currency: currency),
                                forecast: Money(minorUnits: forecast, currency: currency), forecastPercent: plan.forecastPercent,
                                thresholdPercent: threshold)))
                    planBehind = month.description
                    result.planBehind += 1
                }
                let since = before.flatMap { $0.status == assessment.status ? $0.since : nil } ?? today.iso
                rows.append(
                    "(\(bind: dealer.dealerID), \(bind: assessment.status.rawValue), \(bind: since), \(bind: planBehind), \(bind: today.iso))")
            }
            for chunk in rows.chunked(500) {
                try await sql.raw(
                    """
                    INSERT INTO rhythm_states (dealer_id, status, since, plan_behind_period, checked_on) VALUES \(chunk.joined(separator: ", "))
                    ON CONFLICT (dealer_id) DO UPDATE SET status = excluded.status, since = excluded.since,
                        plan_behind_period = excluded.plan_behind_period, checked_on = excluded.checked_on
                    """
                ).run()
            }
            try await Outbox.appendAll(events, on: sql, flavor: flavor)
            return result
        }
    }
}
